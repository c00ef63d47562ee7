"""From a plain dict to a checked :class:`Preset` and back."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .checks import consistency_problems
from .errors import PresetError, problems_from, show
from .model import FORMAT, VERSION, Preset


def validate_preset(data: dict | Preset, source: str = "preset") -> Preset:
    """Check a preset given as a dict (as read from JSON) and return it with every default
    filled in; raise :class:`PresetError` listing every problem.

    `source` names the preset in messages (a file name). A :class:`Preset` is checked again
    (its lists could have been changed in place) and keeps its ``path``.
    """
    path = None
    if isinstance(data, Preset):
        path = data.path
        data = data.model_dump()
    _refuse_foreign(data, source)
    try:
        preset = Preset.model_validate(data)
    except ValidationError as error:
        raise PresetError(problems_from(error), source) from None
    from trainlab.lessons.variants import variant_problems
    from trainlab.runs.budget import memory_problems  # here: the run layer imports presets
    from trainlab.runs.changes import change_problems

    problems = (consistency_problems(preset) or change_problems(preset)
                or memory_problems(preset) or variant_problems(preset))
    if problems:
        raise PresetError(problems, source)
    preset._path = path
    return preset


def _refuse_foreign(data: Any, source: str) -> None:
    """Stop at once, with one plain reason, for what is not a preset this TrainLab can read;
    listing every unknown key of some other JSON file would only bury the reason."""
    if not isinstance(data, dict):
        raise PresetError(
            [("", f"a preset must be a JSON object {{ ... }}, got {_kind(data)}")], source
        )
    if "format" not in data:
        raise PresetError(
            [("format", f'missing; a TrainLab preset has "format": "{FORMAT}"')], source
        )
    if data["format"] != FORMAT:
        raise PresetError(
            [
                (
                    "format",
                    f"must be '{FORMAT}', got {show(data['format'])}; "
                    "this is not a TrainLab preset",
                )
            ],
            source,
        )
    version = data.get("version", VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise PresetError(
            [
                (
                    "version",
                    f"this preset was written by a newer TrainLab (preset version "
                    f"{version}); this TrainLab reads version {VERSION}",
                )
            ],
            source,
        )


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or value is None:
        return show(value)
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def preset_to_dict(preset: Preset) -> dict[str, Any]:
    """Every key explicit, JSON-ready, in the documented order (``path`` is not included);
    ``lesson`` and ``variants`` only when set (an ordinary preset does not spell them out)."""
    data = preset.model_dump(mode="json")
    if data.get("lesson") is None:
        data.pop("lesson", None)
    if not data.get("variants"):
        data.pop("variants", None)
    return data


DEFAULT_NAME = "Two spirals, Adam"
DEFAULT_DESCRIPTION = (
    "Two interleaved spirals, a 2-16-16-2 tanh network and Adam. Watch the decision boundary "
    "wind around the arms; the loss falls in stages as the network finds each turn."
)


def default_preset() -> Preset:
    """A good first run: two spirals, 2-16-16-2 tanh, Adam with learning rate 0.01.

    Every default, except 300 epochs: the spirals take about 150 to be separated.
    """
    return validate_preset(
        {
            "format": FORMAT,
            "version": VERSION,
            "name": DEFAULT_NAME,
            "description": DEFAULT_DESCRIPTION,
            "training": {"epochs": 300},
        }
    )
