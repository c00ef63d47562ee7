"""A sweep that cannot be used: one line per problem, like presets (``file: key: problem``)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from trainlab.catalog.names import did_you_mean
from trainlab.presets import PresetError
from trainlab.presets.errors import show

from .model import SweepFile

#: Union branch tags pydantic puts in an error's location; they are not keys of the file.
_TAGS = {"values", "choices", "range", "grid", "random", "bayesian", "str", "dict[str,any]"}


class SweepError(PresetError):
    """A sweep file (or a storage, or a study) that cannot be used; ``problems`` lists every
    reason as (key path, message). A :class:`~trainlab.presets.PresetError` too, so code that
    reports bad presets reports bad sweeps the same way."""

    def __init__(self, problems: list[tuple[str, str]], source: str = ""):
        super().__init__(problems, source)

    def _text(self) -> str:
        if self.source:
            return super()._text()
        return "\n".join(f"{path}: {message}" if path else message
                         for path, message in self.problems)


def _path(loc: tuple) -> str:
    text = ""
    for i, item in enumerate(loc):
        if str(item) in _TAGS and i > 0:
            continue
        if i > 0 and loc[i - 1] == "parameters":
            text += f"[{show(str(item))}]"
        elif isinstance(item, int):
            text += f"[{item}]"
        else:
            text += f".{item}" if text else str(item)
    return text


def _owner(loc: tuple) -> type[BaseModel] | None:
    """The model holding the last key of ``loc`` (for an unknown key's suggestions)."""
    model: Any = SweepFile
    for item in loc[:-1]:
        if str(item) in _TAGS or isinstance(item, int) or model is None:
            if str(item) in ("range", "choices", "grid", "random", "bayesian"):
                from . import model as models

                model = {"range": models.Range, "choices": models.Choices,
                         "grid": models.GridMethod, "random": models.RandomMethod,
                         "bayesian": models.BayesianMethod}[str(item)]
            continue
        info = model.model_fields.get(str(item)) if isinstance(model, type) else None
        annotation = info.annotation if info else None
        model = annotation if isinstance(annotation, type) and issubclass(
            annotation, BaseModel) else None
    return model


def _message(error: dict[str, Any]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        owner = _owner(tuple(error["loc"]))
        allowed = list(owner.model_fields) if owner else []
        key = str(error["loc"][-1])
        hint = did_you_mean(key, allowed)
        return f"unknown key;{hint}" if hint else f"unknown key; allowed: {', '.join(allowed)}"
    if kind in ("union_tag_invalid", "literal_error"):
        expected = ctx.get("expected_tags") or ctx.get("expected") or ""
        names = re.findall(r"'([^']*)'", expected)
        got = ctx.get("tag", value)
        hint = did_you_mean(got, names) if isinstance(got, str) else ""
        return f"{show(got)} is not one of {', '.join(names)};{hint}".rstrip(";")
    bound = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
             "less_than_equal": "<="}.get(kind)
    if bound:
        return f"must be {bound} {next(iter(ctx.values()), '?')}, got {show(value)}"
    if kind in ("too_short", "too_long"):
        if "min_length" in ctx:
            return f"must have at least {ctx['min_length']} item(s)"
        return f"must have at most {ctx.get('max_length')} items"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if kind == "value_error":
        return message
    return f"{message}, got {show(value)}"


def problems_from(error: ValidationError) -> list[tuple[str, str]]:
    """pydantic's errors as (key path, plain message), in order, without repeats."""
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        problem = (_path(tuple(item["loc"])), _message(item))
        if problem not in problems:
            problems.append(problem)
    return problems
