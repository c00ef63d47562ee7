"""Lessons: the ``lesson`` and ``variants`` sections of a preset, comparison runs, and the
index of the shipped lesson files (``resources/lessons/``). No Qt here.

- :class:`~.model.Lesson`, :class:`~.model.Variant`, :data:`~.model.TOPICS`
- :func:`run_variants` (``{label: RunResult}``), :func:`comparison_table`
- :func:`catalog` (the shipped lessons, as :class:`LessonEntry`)
"""

from __future__ import annotations

from .model import TOPICS, Lesson, Variant

__all__ = ["TOPICS", "Lesson", "LessonEntry", "Variant", "catalog", "comparison_table",
           "run_variants"]


def __getattr__(name: str):
    # The run layer imports the presets, which import .model: load the rest on first use.
    if name in ("run_variants", "comparison_table"):
        from . import variants
        return getattr(variants, name)
    if name in ("catalog", "LessonEntry"):
        from . import index
        return getattr(index, name)
    raise AttributeError(name)
