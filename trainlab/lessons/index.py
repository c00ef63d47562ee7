"""The index of the shipped lesson files (``resources/lessons/*.json``): what the Lessons
browser lists, by topic."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from trainlab.paths import resources_dir

from .model import TOPICS

#: What a lesson file is, by its ``format``.
KINDS = {"trainlab-preset": "preset", "trainlab-playground": "playground",
         "trainlab-sweep": "sweep"}


def lessons_dir() -> Path:
    return resources_dir() / "lessons"


def thumbnail_path(lesson_file: Path) -> Path:
    return lesson_file.parent / "thumbnails" / f"{lesson_file.stem}.png"


@dataclass(frozen=True)
class LessonEntry:
    """One lesson of the browser: its file, title, chapter, one line and thumbnail (None
    until ``python -m trainlab.lessons.thumbnails`` made it)."""

    path: Path
    title: str
    topic: str
    one_line: str
    kind: str
    thumbnail: Path | None

    @property
    def topic_name(self) -> str:
        return TOPICS[self.topic]


def _one_line(data: dict) -> str:
    text = data.get("description") or data["lesson"]["look_for"]
    first = text.split(". ")[0].strip()
    return first if first.endswith(".") else first + "."


def catalog(folder: Path | None = None) -> list[LessonEntry]:
    """Every lesson file of `folder` (default: the shipped ones) in topic order, then by
    title. Files are read as JSON only (validating them is :func:`validate_preset`'s job and
    the tests'); a file without a ``lesson`` section is no lesson and is left out."""
    folder = folder or lessons_dir()
    found = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lesson = data.get("lesson") if isinstance(data, dict) else None
        if not isinstance(lesson, dict) or lesson.get("topic") not in TOPICS:
            continue
        thumb = thumbnail_path(path)
        found.append(LessonEntry(path, str(data.get("name", path.stem)), lesson["topic"],
                                 _one_line(data), KINDS.get(data.get("format"), "preset"),
                                 thumb if thumb.is_file() else None))
    order = list(TOPICS)
    return sorted(found, key=lambda e: (order.index(e.topic), e.title.lower()))
