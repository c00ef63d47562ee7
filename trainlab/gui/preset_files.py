"""File menu work for the main window: New, Open, Save, Save As, Open Recent, Examples.

A mixin of :class:`~trainlab.gui.window.MainWindow`: it uses the window's ``model`` (the
preset being edited), ``settings`` (recent files), ``controller`` (no file changes while a run
goes) and its menus. Saving writes exactly what the fields show; shipped examples are never
overwritten (Save becomes Save As).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from trainlab.gui.messages import friendly_error
from trainlab.paths import presets_dir
from trainlab.presets import (
    PresetError,
    default_preset,
    load_preset,
    preset_to_dict,
    save_preset,
    shipped_presets,
)


def slug(text: str) -> str:
    """'Two spirals, Adam' -> 'two-spirals-adam' (file names)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "run"


class PresetFilesMixin:
    """The File menu's preset commands."""

    def _fill_examples(self) -> None:
        self.examples_menu.clear()
        try:
            examples = shipped_presets()
        except Exception:  # noqa: BLE001 - a broken resources folder still leaves a window
            examples = []
        for name, path in examples:
            self.examples_menu.addAction(
                self._action(name, lambda checked=False, p=path: self.open_preset(p)))
        self.examples_menu.setEnabled(bool(examples))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            self.recent_menu.addAction(
                self._action(path.name, lambda checked=False, p=path: self.open_preset(p),
                             tip=str(path)))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self._action("Clear List", self._clear_recent))
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._fill_recent()

    def _ask_save_changes(self) -> str:
        """'save', 'discard' or 'cancel' (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"The preset “{self.model.name}” has changes that are not saved.")
        box.setInformativeText("Save them first?")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel")

    def maybe_save(self) -> bool:
        """True when it is fine to replace the current preset (saved, discarded or unchanged)."""
        if not self.model.dirty:
            return True
        answer = self._ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_preset(self) -> None:
        if self.controller.active or not self.maybe_save():
            return
        self.model.load(preset_to_dict(default_preset()), None)
        self.settings.set_last_preset(None)
        self.status("New preset from the defaults.")

    def open_preset_dialog(self) -> None:
        if self.controller.active or not self.maybe_save():
            return
        start = self.settings.last_dir() or str(presets_dir())
        path, _ = QFileDialog.getOpenFileName(self, "Open preset", start,
                                              "TrainLab presets (*.json);;All files (*)")
        if path:
            self.open_preset(Path(path), ask=False)

    def open_preset(self, path: Path, ask: bool = True) -> bool:
        if self.controller.active:
            self.status("Stop the run before opening another preset.")
            return False
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        try:
            preset = preset_to_dict(load_preset(path))
        except PresetError as exc:
            lines = "\n".join(f"• {k}: {m}" if k else f"• {m}" for k, m in exc.problems[:12])
            self._message_box("Cannot open preset", f"{path.name} cannot be used:\n{lines}")
            return False
        except Exception as exc:  # noqa: BLE001
            self._message_box("Cannot open preset", f"{path.name}: {friendly_error(exc)}")
            return False
        self.model.load(preset, path)
        self._remember(path)
        self.status(f"Opened {path.name}.", 5000)
        return True

    def _remember(self, path: Path) -> None:
        if not self._is_example(path):
            self.settings.add_recent(path)
            self.settings.set_last_dir(path)
        self.settings.set_last_preset(path)
        self._fill_recent()

    @staticmethod
    def _is_example(path: Path | None) -> bool:
        try:
            return bool(path) and Path(path).resolve().parent == presets_dir().resolve()
        except OSError:
            return False

    def save(self) -> bool:
        path = self.model.path
        if path is None or self._is_example(path):
            return self.save_as()  # never overwrite a shipped example
        return self.save_to(path)

    def save_as(self) -> bool:
        start = Path(self.settings.last_dir() or Path.home()) / f"{slug(self.model.name)}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Save preset as", str(start),
                                              "TrainLab presets (*.json)")
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Write exactly what the fields show."""
        try:
            save_preset(self.model.data, path)
        except PresetError as exc:
            lines = "\n".join(f"• {k}: {m}" if k else f"• {m}" for k, m in exc.problems[:12])
            self._message_box("Cannot save yet", f"Fix these settings first:\n{lines}")
            return False
        except Exception as exc:  # noqa: BLE001
            self._message_box("Cannot save", friendly_error(exc))
            return False
        self.model.mark_saved(path)
        self._remember(Path(path))
        self._update_title()
        self.status(f"Saved {Path(path).name}.", 5000)
        return True

    def _message_box(self, title: str, text: str) -> None:
        """A warning dialog (tests replace it to keep running without a click)."""
        QMessageBox.warning(self, title, text)
