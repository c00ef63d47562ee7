"""Open any lesson file, whatever its kind: a preset, a playground or a sweep. No Qt here.

:func:`load_lesson` checks the file with its own kind's rules and, for playgrounds and
sweeps, applies each ``try_next`` variation to the file and checks the result too (a preset
checks its own try-next variations when it is validated).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import KINDS
from .model import Lesson


@dataclass(frozen=True)
class LessonFile:
    """A checked lesson file: ``kind`` ("preset" | "playground" | "sweep"), its ``lesson``
    section and ``item``, the loaded Preset, PlaygroundFile or SweepDefinition."""

    path: Path
    kind: str
    lesson: Lesson
    item: Any


def _loader(kind: str):
    if kind == "playground":
        from trainlab.playground.files import validate_playground
        return validate_playground
    from trainlab.sweep.definition import load_sweep
    return load_sweep


def load_lesson(path: str | Path) -> LessonFile:
    """Read and check the lesson file `path`; ValueError (PresetError, PlaygroundError or
    SweepError) names the file and each problem, ValueError too for a file with no lesson."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    kind = KINDS.get(data.get("format"), "preset") if isinstance(data, dict) else "preset"
    if kind == "preset":
        from trainlab.presets import load_preset
        item = load_preset(path)
        lesson = item.lesson
    else:
        from trainlab.runs.changes import apply_settings

        load = _loader(kind)
        item = load(path) if kind == "sweep" else _playground(path)
        lesson = item.file.lesson if kind == "sweep" else item.lesson
        for i, variant in enumerate(lesson.try_next if lesson else []):
            changed = apply_settings(data, variant.set)
            changed["lesson"] = None
            where = f"{path} lesson.try_next[{i}] ({variant.label})"
            if kind == "sweep":
                load(_with_base(changed, path), where)
            else:
                load(changed, where)
    if lesson is None:
        raise ValueError(f"{path}: no 'lesson' section")
    return LessonFile(path, kind, lesson, item)


def _playground(path: Path):
    from trainlab.playground.files import load_playground
    return load_playground(path)


def _with_base(data: dict, path: Path) -> dict:
    """A sweep dict whose relative ``base`` path is made absolute (its folder is gone)."""
    if isinstance(data.get("base"), str):
        data["base"] = str((path.parent / data["base"]).resolve())
    return data
