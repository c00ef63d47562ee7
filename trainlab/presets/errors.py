"""One exception for every way a preset can be wrong, and plain words for pydantic's errors.

Every problem is a pair ``(key path, message)``, e.g. ``("optimizer.lr", "must be > 0, got
-0.1")``; the exception's text has one line per problem, prefixed with the file name:
``my.json: optimizer.lr: must be > 0, got -0.1``.
"""

from __future__ import annotations

import json
import math
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from trainlab.catalog.names import did_you_mean
from trainlab.paths import one_line

from .model import CHOICES, Preset


class PresetError(ValueError):
    """A preset that cannot be used; ``problems`` lists every reason as (key path, message).

    The key path is ``""`` for problems with the file as a whole (missing, not JSON, ...).
    """

    def __init__(self, problems: list[tuple[str, str]], source: str = "preset"):
        self.problems = list(problems)
        self.source = str(source)
        super().__init__(self._text())

    def _text(self) -> str:
        source = one_line(self.source, MAX_SOURCE_CHARS)
        lines = [
            f"{source}: {one_line(path, MAX_KEY_CHARS)}: {one_line(message, MAX_MESSAGE_CHARS)}"
            if path
            else f"{source}: {one_line(message, MAX_MESSAGE_CHARS)}"
            for path, message in self.problems[:MAX_LINES]
        ]
        if len(self.problems) > MAX_LINES:
            lines.append(f"{source}: ... and {len(self.problems) - MAX_LINES} more problems")
        return "\n".join(lines)

    def __reduce__(self):  # keep it picklable (the default would call __init__(text))
        return (type(self), (self.problems, self.source))


# --- showing values ------------------------------------------------------------------------

# What one error line may quote: a file name or key path from a stranger's preset can be
# thousands of characters long or hold newlines and terminal escape codes.
MAX_SOURCE_CHARS = 160
MAX_KEY_CHARS = 100
MAX_MESSAGE_CHARS = 600
MAX_LINES = 40


def show(value: Any) -> str:
    """A value as the user wrote it in JSON (strings quoted like Python), kept short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, int) and value.bit_length() > 200:
        # Not str(): Python refuses to print integers of more than 4300 digits.
        text = f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    elif isinstance(value, int):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=repr)
        except (TypeError, ValueError, RecursionError):
            text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number(value: Any) -> str:
    """A bound as a person writes it: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# --- locating an error ---------------------------------------------------------------------


class _Where:
    """What a pydantic error location points at: the key path, and the model field if any."""

    def __init__(self, loc: tuple[int | str, ...]):
        parts: list[str] = []
        model: type[BaseModel] | None = Preset
        self.owner: type[BaseModel] | None = None  # the model holding the last key
        self.field: str | None = None
        self.in_list = False
        for item in loc:
            if isinstance(item, int) and model is None:  # an index into a list
                parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
                self.in_list = True
            elif model is not None:
                parts.append(str(item))
                self.owner, self.field, self.in_list = model, str(item), False
                info = model.model_fields.get(str(item))
                annotation = info.annotation if info else None
                is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
                model = annotation if is_model else None
            # else: a union branch tag ("one", "list", ...) - not part of the key path
        self.path = ".".join(parts)
        self.key = ".".join(p.split("[")[0] for p in parts)  # path without list indices

    def field_info(self):
        if self.owner is None or self.field is None:
            return None
        return self.owner.model_fields.get(self.field)


def _sections_with(key: str) -> list[str]:
    """The sections (by key path) that have a key of this name."""
    found = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            if name == key and prefix:
                found.append(prefix.rstrip("."))
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, path + ".")

    walk(Preset, "")
    return found


def _bounds(info: Any, in_list: bool) -> dict[str, Any]:
    """The numeric bounds declared on a field (or, for a list index, on its items)."""
    metadata: list[Any] = []
    if info is not None and in_list:
        for arg in typing.get_args(info.annotation):
            metadata += _flatten(getattr(arg, "__metadata__", ()))
    elif info is not None:
        metadata = _flatten(info.metadata)
    bounds: dict[str, Any] = {}
    for item in metadata:
        for name in ("gt", "ge", "lt", "le"):
            if isinstance(item, getattr(annotated_types, name.capitalize())):
                bounds[name] = getattr(item, name)
    return bounds


def _flatten(metadata: Any) -> list[Any]:
    """Constraint objects, looking inside the FieldInfo that `Annotated[int, Field(...)]` holds."""
    flat: list[Any] = []
    for item in metadata:
        flat += _flatten(item.metadata) if isinstance(item, FieldInfo) else [item]
    return flat


def _range(bounds: dict[str, Any]) -> str:
    low = ("(", bounds["gt"]) if "gt" in bounds else ("[", bounds["ge"]) if "ge" in bounds else None
    high = (
        (")", bounds["lt"]) if "lt" in bounds else ("]", bounds["le"]) if "le" in bounds else None
    )
    if low and high:
        return f"must be in {low[0]}{number(low[1])}, {number(high[1])}{high[0]}"
    if low:
        return f"must be {'>' if low[0] == '(' else '>='} {number(low[1])}"
    if high:
        return f"must be {'<' if high[0] == ')' else '<='} {number(high[1])}"
    return "is out of range"


# --- the messages --------------------------------------------------------------------------

_TYPE_WORDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be text (a JSON string)",
    "list_type": "must be a list [ ... ]",
    "model_type": "must be an object { ... }",
    "model_attributes_type": "must be an object { ... }",
    "dict_type": "must be an object { ... }",
    "finite_number": "must be a finite number",
}


def _message(error: dict[str, Any], where: _Where) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(where)
    if kind == "missing":
        return "required"
    if kind == "literal_error":
        allowed = CHOICES.get(where.key)
        if allowed is None:
            return f"must be {ctx.get('expected', 'one of the allowed values')}, got {show(value)}"
        hint = did_you_mean(value, allowed) if isinstance(value, str) and len(value) < 100 else ""
        return f"{show(value)} is not one of {', '.join(allowed)};{hint}".rstrip(";")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bounds = _bounds(where.field_info(), where.in_list) or {
            {
                "greater_than": "gt",
                "greater_than_equal": "ge",
                "less_than": "lt",
                "less_than_equal": "le",
            }[kind]: next(iter(ctx.values()), "?")
        }
        return f"{_range(bounds)}, got {show(value)}"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        is_text = kind.startswith("string") or isinstance(value, str)
        unit = "characters" if is_text else "items"
        if "min_length" in ctx:
            if ctx["min_length"] == 1 and unit == "characters":
                return "must not be empty"
            return f"must have at least {ctx['min_length']} {unit}"
        return f"must have at most {ctx.get('max_length')} {unit}, got {ctx.get('actual_length')}"
    if where.key == "data.target" and kind in _TYPE_WORDS:
        return f"must be a column name (text) or null for the last column, got {show(value)}"
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, got {show(value)}"
    if kind.startswith("trainlab"):
        return error["msg"]
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    return f"{message[:1].lower()}{message[1:]}, got {show(value)}"


def _unknown_key(where: _Where) -> str:
    key = where.field or ""
    allowed = list(where.owner.model_fields) if where.owner is not None else []
    hint = did_you_mean(key, allowed) if len(key) < 100 else ""
    if hint:
        return f"unknown key;{hint}"
    homes = _sections_with(key)
    if homes:
        return f"unknown key here; '{key}' belongs in {' or '.join(homes)}"
    return f"unknown key; allowed keys here: {', '.join(allowed)}"


def problems_from(error: ValidationError) -> list[tuple[str, str]]:
    """pydantic's errors as (key path, plain message), in order, without repeats."""
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        where = _Where(tuple(item["loc"]))
        problem = (where.path, _message(item, where))
        if problem not in problems:
            problems.append(problem)
    return problems
