"""The preset being edited: one preset dict, its file, its problems.

Fields write into the draft and the draft tells everyone what changed (title, Train button,
knob visibility, error marks) through its :attr:`PresetDraft.events`. Nothing here draws
anything; the window is one view of it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from trainlab.presets import PresetError, validate_preset
from trainlab.session.events import Events


def get_path(d: dict, path: str) -> Any:
    """`get_path(d, "optimizer.lr")` is `d["optimizer"]["lr"]` (None when missing)."""
    node: Any = d
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def set_path(d: dict, path: str, value: Any) -> None:
    """`set_path(d, "optimizer.lr", 0.1)` sets `d["optimizer"]["lr"]`, making sections."""
    keys = path.split(".")
    node = d
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


class PresetDraft:
    """The preset being edited.

    Events: ``value_changed(path)`` after one key changed, ``reset()`` after a whole preset was
    loaded, ``validated()`` after the problem list was recomputed, ``dirty_changed(bool)``.
    """

    def __init__(self, preset: dict, path: Path | None = None):
        self.events = Events("value_changed", "reset", "validated", "dirty_changed")
        self._data: dict = copy.deepcopy(preset)
        self.path: Path | None = Path(path) if path else None
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

    @property
    def base_dir(self) -> Path | None:
        """The folder a relative CSV path is read from: the preset file's, once it has one."""
        return self.path.parent if self.path else None

    def all_problems(self) -> dict[str, str]:
        merged = dict(self.data_problems)
        merged.update(self.problems)
        merged.update(self.local_problems)
        return merged

    def set_data_problems(self, problems: dict[str, str]) -> None:
        """Problems found when the data was loaded for the preview (a CSV that failed, ...)."""
        if problems != self.data_problems:
            self.data_problems = dict(problems)
            self.events.validated.emit()

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
        self.events.value_changed.emit(path)

    def set_local_problem(self, path: str, message: str | None) -> None:
        """A field reports text it cannot turn into a value (the draft keeps the last good one)."""
        if message:
            self.local_problems[path] = message
        else:
            self.local_problems.pop(path, None)
        self.events.validated.emit()

    def load(self, preset: dict, path: Path | None = None) -> None:
        """Replace the whole preset (after New/Open); the result is unchanged (not dirty)."""
        self._data = copy.deepcopy(preset)
        self.path = Path(path) if path else None
        self.local_problems.clear()
        self.data_problems.clear()
        self._validate()
        self.events.reset.emit()
        self._set_dirty(False)

    def mark_saved(self, path: Path) -> None:
        self.path = Path(path)
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.events.dirty_changed.emit(dirty)

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
        self.events.validated.emit()
