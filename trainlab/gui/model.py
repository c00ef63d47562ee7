"""The configuration the window edits: one preset dict, its file, its problems.

Fields write into the model and the model tells everyone what changed (title, Train button,
knob visibility, error marks). Nothing here draws anything; the window is one view of it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from trainlab.presets import PresetError, preset_to_dict, validate_preset


def get_path(d: dict, path: str) -> Any:
    """`get_path(d, "optimizer.lr")` is `d["optimizer"]["lr"]` (None when missing)."""
    node: Any = d
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def set_path(d: dict, path: str, value: Any) -> None:
    keys = path.split(".")
    node = d
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def resolve(d: dict) -> dict:
    """The fully resolved dict of a preset dict (every key present), or raise PresetError."""
    return preset_to_dict(validate_preset(d))


class PresetModel(QObject):
    """The preset being edited.

    Signals: ``valueChanged(path)`` after one key changed, ``reset()`` after a whole preset was
    loaded, ``validated()`` after the problem list was recomputed, ``dirtyChanged(bool)``.
    """

    valueChanged = Signal(str)
    reset = Signal()
    validated = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, preset: dict, parent: QObject | None = None):
        super().__init__(parent)
        self._data: dict = copy.deepcopy(preset)
        self.path: Path | None = None
        self._dirty = False
        self.problems: dict[str, str] = {}        # from validate_preset, by key path
        self.local_problems: dict[str, str] = {}  # text a field could not parse
        self.data_problems: dict[str, str] = {}   # the data could not be loaded (CSV, ...)
        self._validate()

    # ---- reading ----------------------------------------------------------------------------
    @property
    def data(self) -> dict:
        """A deep copy of the preset dict as the fields show it."""
        return copy.deepcopy(self._data)

    def get(self, path: str) -> Any:
        return get_path(self._data, path)

    @property
    def name(self) -> str:
        return str(self._data.get("name") or "Untitled")

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def valid(self) -> bool:
        return not self.problems and not self.local_problems and not self.data_problems

    def all_problems(self) -> dict[str, str]:
        merged = dict(self.data_problems)
        merged.update(self.problems)
        merged.update(self.local_problems)
        return merged

    def set_data_problems(self, problems: dict[str, str]) -> None:
        """Problems found when the data was loaded for the preview (a CSV that failed, ...)."""
        if problems != self.data_problems:
            self.data_problems = dict(problems)
            self.validated.emit()

    # ---- writing ----------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> None:
        """Set one key (no-op when unchanged); revalidates and marks the preset changed."""
        self.local_problems.pop(path, None)
        if get_path(self._data, path) == value and type(get_path(self._data, path)) is type(value):
            self._validate()
            return
        set_path(self._data, path, copy.deepcopy(value))
        self._set_dirty(True)
        self._validate()
        self.valueChanged.emit(path)

    def set_local_problem(self, path: str, message: str | None) -> None:
        """A field reports text it cannot turn into a value (the model keeps the last good one)."""
        if message:
            self.local_problems[path] = message
        else:
            self.local_problems.pop(path, None)
        self.validated.emit()

    def load(self, preset: dict, path: Path | None = None) -> None:
        """Replace the whole preset (after New/Open); the result is unchanged (not dirty)."""
        self._data = copy.deepcopy(preset)
        self.path = Path(path) if path else None
        self.local_problems.clear()
        self.data_problems.clear()
        self._validate()
        self.reset.emit()
        self._set_dirty(False)

    def mark_saved(self, path: Path) -> None:
        self.path = Path(path)
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _validate(self) -> None:
        try:
            validate_preset(copy.deepcopy(self._data))
        except PresetError as exc:
            self.problems = {}
            for key, message in getattr(exc, "problems", None) or [("", str(exc))]:
                self.problems.setdefault(str(key), str(message))
        except Exception as exc:  # a validator bug must not take the window down
            self.problems = {"": f"could not check the settings: {exc}"}
        else:
            self.problems = {}
        self.validated.emit()
