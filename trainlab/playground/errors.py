"""Plain one-line messages for what is wrong in a playground file.

The same shape as a preset's problems (``PresetError``: pairs of key path and message, one line
each, prefixed with the file name), for pydantic's errors over the playground models.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from trainlab.engine.names import did_you_mean
from trainlab.presets.errors import PresetError, number, show


class PlaygroundError(PresetError):
    """A playground file that cannot be used; ``problems`` lists (key path, message)."""


_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
           "less_than_equal": "<="}
_TYPES = {"float_type": "must be a number", "int_type": "must be a whole number",
          "int_from_float": "must be a whole number", "bool_type": "must be true or false",
          "string_type": "must be text (a JSON string)", "list_type": "must be a list [ ... ]",
          "model_type": "must be an object { ... }", "dict_type": "must be an object { ... }",
          "model_attributes_type": "must be an object { ... }",
          "finite_number": "must be a finite number"}


def _walk(loc: tuple, prefix: str, root: Any) -> tuple[str, Any]:
    """The key path of an error location, and the model that holds its last key."""
    from trainlab.playground.catalog import SURFACES

    parts: list[str] = [prefix] if prefix else []
    owner = model = root
    tagged = prefix == "surface"
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        elif tagged:  # the union's tag (the surface name) is no key of the file
            tagged = False
            owner = model = SURFACES.get(str(item))
        else:
            parts.append(str(item))
            owner = model
            tagged = item == "surface"
            model = _field_model(model, str(item))
    return ".".join(parts), owner


def _field_model(model: Any, key: str) -> Any:
    """The model type of ``model``'s field ``key`` (through lists and optionals), or None."""
    import typing

    from pydantic import BaseModel

    info = getattr(model, "model_fields", {}).get(key)
    todo = [info.annotation] if info is not None else []
    while todo:
        annotation = todo.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        todo.extend(typing.get_args(annotation))
    return None


def _allowed(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def message(error: dict[str, Any], owner: Any = None) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = list(getattr(owner, "model_fields", {}))
        key = str(error["loc"][-1])
        hint = did_you_mean(key, allowed) if len(key) < 100 else ""
        return f"unknown key;{hint}" if hint else f"unknown key; allowed: {', '.join(allowed)}"
    if kind == "missing":
        return "required"
    if kind in ("literal_error", "union_tag_invalid"):
        allowed = _allowed(str(ctx.get("expected") or ctx.get("expected_tags") or ""))
        got = ctx.get("tag", value)
        hint = did_you_mean(got, allowed) if isinstance(got, str) and len(got) < 100 else ""
        return f"{show(got)} is not one of {', '.join(allowed)};{hint}".rstrip(";")
    if kind == "union_tag_not_found":
        return "needs a 'name'"
    if kind in _BOUNDS:
        return f"must be {_BOUNDS[kind]} {number(next(iter(ctx.values()), '?'))}, got {show(value)}"
    if kind in ("too_short", "too_long"):
        if "min_length" in ctx and kind == "too_short":
            return f"must have at least {ctx['min_length']} items"
        return f"must have at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    if kind in _TYPES:
        return f"{_TYPES[kind]}, got {show(value)}"
    text = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return text if kind == "value_error" else f"{text[:1].lower()}{text[1:]}, got {show(value)}"


def problems_from(error: ValidationError, prefix: str = "",
                  root: Any = None) -> list[tuple[str, str]]:
    """pydantic's errors as (key path, plain message), in order, without repeats; ``root``
    is the model validated (None for a surface alone), ``prefix`` the path to it."""
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path, owner = _walk(loc, prefix, root)
        if item["type"] == "union_tag_invalid" or item["type"] == "union_tag_not_found":
            path += ".name"
        elif item["type"] == "value_error" and path.endswith("surface") and "expression" in loc:
            # an expression's own problem: said at the key it is about
            path += ".range" if str(item["msg"]).startswith("Value error, range:") else \
                ".expression"
        text = message(item, owner)
        if path.endswith(".range"):
            text = text.removeprefix("range: ")
        problem = (path, text)
        if problem not in problems:
            problems.append(problem)
    return problems
