"""File menu work on presets: New, Open, Save, Save As, Open Recent, Examples.

:class:`PresetFiles` edits the session's draft (the preset being edited), remembers recent
files in the app ``settings``, refuses file changes while a run goes, and owns the File menu's
preset actions and its two sub-menus. Saving writes exactly what the fields show; shipped
examples are never overwritten (Save becomes Save As).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from trainlab.catalog.names import slug
from trainlab.gui.banner import Notices
from trainlab.gui.menus import make_action
from trainlab.gui.messages import friendly_error
from trainlab.gui.settings import Settings
from trainlab.paths import presets_dir
from trainlab.presets import (
    PresetError,
    default_preset,
    load_preset,
    preset_to_dict,
    save_preset,
    shipped_presets,
)
from trainlab.session.draft import PresetDraft
from trainlab.session.runs import RunsModel


def _problem_lines(exc: PresetError) -> str:
    return "\n".join(f"• {k}: {m}" if k else f"• {m}" for k, m in exc.problems[:12])


def leave_fields(window) -> None:
    """No field keeps the keyboard after a dialog: Qt gives it back to the field that had it,
    where Space would type a space instead of training."""
    focused = window.focusWidget() if window is not None else None
    if focused is not None:
        focused.clearFocus()


class PresetFiles:
    """The File menu's preset commands; dialogs open over ``parent``."""

    def __init__(self, parent: QWidget, draft: PresetDraft, runs: RunsModel,
                 settings: Settings, notices: Notices):
        self.parent = parent
        self.draft = draft
        self.runs = runs
        self.settings = settings
        self.notices = notices
        SK = QKeySequence.StandardKey
        self.new_action = make_action(parent, "&New", self.new_preset, SK.New,
                                      "Start from the default preset")
        self.open_action = make_action(parent, "&Open…", self.open_preset_dialog, SK.Open,
                                       "Open a preset file")
        self.save_action = make_action(parent, "&Save", self.save, SK.Save, "Save the preset")
        self.save_as_action = make_action(parent, "Save &As…", self.save_as, SK.SaveAs,
                                          "Save the preset under a new name")
        self.recent_menu = QMenu("Open &Recent", parent)
        self.examples_menu = QMenu("&Examples", parent)
        self.fill_examples()
        self.fill_recent()
        runs.events.state_changed.connect(self._lock)

    def _lock(self, state: str) -> None:
        """No other preset while a run goes."""
        for a in (self.new_action, self.open_action, self.examples_menu.menuAction(),
                  self.recent_menu.menuAction()):
            a.setEnabled(state == "idle")

    def fill_examples(self) -> None:
        self.examples_menu.clear()
        try:
            examples = shipped_presets()
        except Exception:  # noqa: BLE001 - a broken resources folder still leaves a window
            examples = []
        for name, path in examples:
            self.examples_menu.addAction(
                make_action(self.parent, name, lambda checked=False, p=path: self.open_preset(p)))
        self.examples_menu.setEnabled(bool(examples))

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            self.recent_menu.addAction(
                make_action(self.parent, path.name,
                            lambda checked=False, p=path: self.open_preset(p), tip=str(path)))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(make_action(self.parent, "Clear List", self._clear_recent))
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self.fill_recent()

    def ask_save_changes(self) -> str:
        """'save', 'discard' or 'cancel' (tests replace this)."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"The preset “{self.draft.name}” has changes that are not saved.")
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
        if not self.draft.dirty:
            return True
        answer = self.ask_save_changes()
        leave_fields(self.parent)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_preset(self) -> None:
        if self.runs.active or not self.maybe_save():
            return
        self.draft.load(preset_to_dict(default_preset()), None)
        self.settings.set_last_preset(None)
        self.notices.status("New preset from the defaults.")

    def open_preset_dialog(self) -> None:
        if self.runs.active or not self.maybe_save():
            return
        start = self.settings.last_dir() or str(presets_dir())
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open preset", start,
                                              "TrainLab presets (*.json);;All files (*)")
        if path:
            self.open_preset(Path(path), ask=False)

    def open_preset(self, path: Path, ask: bool = True) -> bool:
        if self.runs.active:
            self.notices.status("Stop the run before opening another preset.")
            return False
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        try:
            preset = preset_to_dict(load_preset(path))
        except PresetError as exc:
            self.warn("Cannot open preset",
                      f"{path.name} cannot be used:\n{_problem_lines(exc)}")
            return False
        except Exception as exc:  # noqa: BLE001
            self.warn("Cannot open preset", f"{path.name}: {friendly_error(exc)}")
            return False
        self.draft.load(preset, path)
        self._remember(path)
        self.notices.status(f"Opened {path.name}.", 5000)
        return True

    def _remember(self, path: Path) -> None:
        if not self._is_example(path):
            self.settings.add_recent(path)
            self.settings.set_last_dir(path)
        self.settings.set_last_preset(path)
        self.fill_recent()

    @staticmethod
    def _is_example(path: Path | None) -> bool:
        try:
            return bool(path) and Path(path).resolve().parent == presets_dir().resolve()
        except OSError:
            return False

    def save(self) -> bool:
        path = self.draft.path
        if path is None or self._is_example(path):
            return self.save_as()  # never overwrite a shipped example
        return self.save_to(path)

    def save_as(self) -> bool:
        start = Path(self.settings.last_dir() or Path.home()) / f"{slug(self.draft.name)}.json"
        path, _ = QFileDialog.getSaveFileName(self.parent, "Save preset as", str(start),
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
            save_preset(self.draft.data, path)
        except PresetError as exc:
            self.warn("Cannot save yet", f"Fix these settings first:\n{_problem_lines(exc)}")
            return False
        except Exception as exc:  # noqa: BLE001
            self.warn("Cannot save", friendly_error(exc))
            return False
        self.draft.mark_saved(path)
        self._remember(Path(path))
        self.notices.status(f"Saved {Path(path).name}.", 5000)
        return True

    def warn(self, title: str, text: str) -> None:
        """A warning dialog (tests replace it to keep running without a click)."""
        QMessageBox.warning(self.parent, title, text)
