"""The lesson open in the window, as plain data (no Qt): what to look for, what to try next,
the variants a comparison trains one after the other, and the browser's search.

:class:`LessonState` holds the open lesson (:class:`OpenLesson`) and emits ``opened(lesson)``
and ``closed()``; :class:`VariantQueue` hands out a comparison's variants in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.lessons.index import KINDS, LessonEntry
from trainlab.lessons.model import TOPICS
from trainlab.session.events import Events

#: A named set of overrides: (label, {dotted key: value}).
Overrides = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class OpenLesson:
    """What the window shows while a lesson is open."""

    path: Path
    kind: str
    title: str
    topic: str
    look_for: str
    try_next: tuple[Overrides, ...] = ()
    formulas: tuple[str, ...] = ()
    variants: tuple[Overrides, ...] = ()

    @property
    def topic_name(self) -> str:
        return TOPICS.get(self.topic, self.topic)


def _named(items: Any) -> tuple[Overrides, ...]:
    return tuple((str(v["label"]), dict(v["set"])) for v in items or ()
                 if isinstance(v, dict) and "label" in v and isinstance(v.get("set"), dict))


def read_lesson(path: Path) -> OpenLesson:
    """The lesson of the file at `path` (read as JSON; a file without a ``lesson`` section
    gives a lesson with empty text). OSError and ValueError for a file that cannot be read."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: not a TrainLab file")
    lesson = data.get("lesson") if isinstance(data.get("lesson"), dict) else {}
    return OpenLesson(path=path, kind=KINDS.get(data.get("format"), "preset"),
                      title=str(data.get("name") or path.stem),
                      topic=str(lesson.get("topic", "")), look_for=str(lesson.get("look_for", "")),
                      try_next=_named(lesson.get("try_next")),
                      formulas=tuple(str(f) for f in lesson.get("formulas") or ()),
                      variants=_named(data.get("variants")))


def matches(entry: LessonEntry, text: str) -> bool:
    """Whether every word of the search `text` is in the entry's title, line, topic or kind
    (case-insensitive; empty text matches everything)."""
    haystack = " ".join((entry.title, entry.one_line, entry.topic, entry.topic_name,
                         entry.kind, entry.path.stem.replace("_", " "))).lower()
    return all(word in haystack for word in text.lower().split())


def grouped(entries: list[LessonEntry], text: str = "") -> dict[str, list[LessonEntry]]:
    """The entries that match `text`, by topic slug in teaching order (empty topics left
    out)."""
    groups: dict[str, list[LessonEntry]] = {}
    for topic in TOPICS:
        found = [e for e in entries if e.topic == topic and matches(e, text)]
        if found:
            groups[topic] = found
    return groups


class VariantQueue:
    """A comparison's variants, handed out one at a time in the file's order."""

    def __init__(self, variants: tuple[Overrides, ...] = ()):
        self._left = list(variants)
        self.total = len(self._left)

    def next(self) -> Overrides | None:
        return self._left.pop(0) if self._left else None

    @property
    def done(self) -> int:
        return self.total - len(self._left)

    def cancel(self) -> None:
        self._left.clear()


class LessonState:
    """The lesson open in the window (None: none)."""

    def __init__(self):
        self.events = Events("opened", "closed")
        self.current: OpenLesson | None = None

    def open(self, lesson: OpenLesson) -> None:
        self.current = lesson
        self.events.opened.emit(lesson)

    def close(self) -> None:
        if self.current is not None:
            self.current = None
            self.events.closed.emit()
