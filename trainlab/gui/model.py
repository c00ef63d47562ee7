"""The preset being edited, as Qt signals: a thin adapter over the plain
:class:`~trainlab.session.draft.PresetDraft`, for the settings form's widgets, which connect
to Qt signals (and are disconnected by Qt when they are destroyed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from trainlab.session.draft import PresetDraft


class PresetModel(QObject):
    """A :class:`PresetDraft` (given, or made from a preset dict) with its events as signals.

    Signals: ``valueChanged(path)`` after one key changed, ``reset()`` after a whole preset was
    loaded, ``validated()`` after the problem list was recomputed, ``dirtyChanged(bool)``.
    Reading and writing go to the draft.
    """

    valueChanged = Signal(str)
    reset = Signal()
    validated = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, draft: PresetDraft | dict, parent: QObject | None = None):
        super().__init__(parent)
        self.draft = draft if isinstance(draft, PresetDraft) else PresetDraft(draft)
        events = self.draft.events
        events.value_changed.connect(self.valueChanged.emit)
        events.reset.connect(self.reset.emit)
        events.validated.connect(self.validated.emit)
        events.dirty_changed.connect(self.dirtyChanged.emit)

    # ---- the draft's state ------------------------------------------------------------------
    @property
    def data(self) -> dict:
        return self.draft.data

    @property
    def path(self) -> Path | None:
        return self.draft.path

    @property
    def name(self) -> str:
        return self.draft.name

    @property
    def dirty(self) -> bool:
        return self.draft.dirty

    @property
    def valid(self) -> bool:
        return self.draft.valid

    @property
    def problems(self) -> dict[str, str]:
        return self.draft.problems

    @property
    def local_problems(self) -> dict[str, str]:
        return self.draft.local_problems

    @property
    def data_problems(self) -> dict[str, str]:
        return self.draft.data_problems

    def get(self, path: str) -> Any:
        return self.draft.get(path)

    def all_problems(self) -> dict[str, str]:
        return self.draft.all_problems()

    # ---- changes ----------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> None:
        self.draft.set(path, value)

    def set_local_problem(self, path: str, message: str | None) -> None:
        self.draft.set_local_problem(path, message)

    def set_data_problems(self, problems: dict[str, str]) -> None:
        self.draft.set_data_problems(problems)

    def load(self, preset: dict, path: Path | None = None) -> None:
        self.draft.load(preset, path)

    def mark_saved(self, path: Path) -> None:
        self.draft.mark_saved(path)
