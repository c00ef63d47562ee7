"""The main window: settings on the left, live plots in the middle, data on the right, runs below.

A thin client of the runs API: the settings panel edits a preset dict (:class:`PresetModel`),
Train hands a copy to :func:`trainlab.runs.loop.train` in a worker thread, and the window draws
what the run reports. Every failure ends as words in the window, never a traceback.

The window is assembled from mixins named for what they hold: :mod:`~trainlab.gui.central_layout`
(widgets and docks), :mod:`~trainlab.gui.menus` (actions, menus, run folders, export),
:mod:`~trainlab.gui.preset_files` (preset files), :mod:`~trainlab.gui.run_controls` (the run
tool bar and its commands), :mod:`~trainlab.gui.run_display` (what a run shows) and
:mod:`~trainlab.gui.data_preview` (data preview, engine warm-up).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from trainlab.gui.central_layout import Banner, CentralLayoutMixin
from trainlab.gui.data_preview import DataPreviewMixin, _Bridge
from trainlab.gui.menus import MenusMixin
from trainlab.gui.model import PresetModel
from trainlab.gui.preset_files import PresetFilesMixin
from trainlab.gui.run_controls import MAX_AUTO_VISIBLE, RunControlsMixin, _RunClock
from trainlab.gui.run_display import RunDisplayMixin
from trainlab.gui.settings import Settings
from trainlab.gui.worker import RunController
from trainlab.presets import PresetError, default_preset, load_preset, preset_to_dict

__all__ = ["MAX_AUTO_VISIBLE", "Banner", "MainWindow"]


class MainWindow(CentralLayoutMixin, MenusMixin, PresetFilesMixin, RunControlsMixin,
                 RunDisplayMixin, DataPreviewMixin, QMainWindow):
    """TrainLab's window. `settings` and `runs_dir` are injectable for tests."""

    def __init__(self, settings: Settings | None = None, runs_dir: Path | None = None,
                 preset_path: Path | None = None, restore: bool = True, parent=None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.runs_dir = Path(runs_dir) if runs_dir else None
        self.controller = RunController(self)
        self.engine_ready = False
        self._bridge = _Bridge(self)
        self._run_counter = 0
        self._current_run: int | None = None
        self._plotted: set[int] = set()
        self._pinned: set[int] = set()
        self._preview_key: str | None = None
        self._preview_splits = None
        self._shown_key: str | None = None
        self._preview_generation = 0
        self._closing = False
        self._clock = _RunClock()
        self._last_chrome = 0.0
        self._last_diagnostics = 0.0

        self.model = PresetModel(self._first_preset(preset_path, restore))
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()

        self._fit_to_screen()
        self._restored_state = False
        if restore:
            geometry, state = self.settings.geometry(), self.settings.window_state()
            if geometry is not None:
                self.restoreGeometry(geometry)
            if state is not None:
                self._restored_state = self.restoreState(state)
        if not self._restored_state:
            QTimer.singleShot(0, self._default_dock_sizes)
        self._update_title()
        self._update_controls()
        self._schedule_preview(immediately=True)
        self.status("Ready. Press Train (or Space) to start.")

    # ------------------------------------------------------------------ starting point
    def _first_preset(self, path: Path | None, restore: bool) -> dict:
        """The preset to start on: the one asked for, the last one used, else the default."""
        candidates = [path] if path else []
        if restore and not path:
            candidates.append(self.settings.last_preset())
        for candidate in candidates:
            if candidate and Path(candidate).is_file():
                try:
                    preset = preset_to_dict(load_preset(candidate))
                    self._start_path = Path(candidate)
                    return preset
                except (PresetError, OSError):
                    continue
        self._start_path = None
        return preset_to_dict(default_preset())

    def _connect(self) -> None:
        self.model.path = self._start_path
        self.model.validated.connect(self._update_controls)
        self.model.dirtyChanged.connect(self._update_title)
        self.model.reset.connect(self._update_title)
        self.model.reset.connect(lambda: self._schedule_preview(immediately=True))
        self.model.valueChanged.connect(self._value_changed)
        self.model.valueChanged.connect(self._update_title)
        self.config_panel.notice.connect(self.status)

        self.train_button.clicked.connect(self.toggle_training)
        self.step_button.clicked.connect(self.step_epoch)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)

        self.controller.snapshot.connect(self._on_snapshot)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.stateChanged.connect(self._update_controls)
        self.controller.stateChanged.connect(lambda state: self._clock.state(state))

        self.runs_panel.visibilityChanged.connect(self._visibility_changed)
        self.runs_panel.currentChanged.connect(self._current_changed)
        self.runs_panel.openRequested.connect(self.open_run_dialog)
        self.runs_panel.removeRequested.connect(self._remove_runs)

        self._bridge.previewDone.connect(self._preview_done)
        self._bridge.engineReady.connect(self._engine_ready)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self._start_preview)

    # ------------------------------------------------------------------ status
    def status(self, text: str, ms: int = 0) -> None:
        self.statusBar().showMessage(text, ms)

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")
        self.status(text.split("\n")[0], 10_000)

    def _update_title(self, *args) -> None:
        self.setWindowTitle(f"{self.model.name}{'*' if self.model.dirty else ''} — TrainLab")

    # ------------------------------------------------------------------ runs list
    def _visibility_changed(self, ids: list) -> None:
        for rid in ids:
            self._pinned.add(rid)
        self._pinned &= set(ids)
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        self.plots.set_visible_runs([rid for rid in self.runs_panel.visible_ids()
                                     if rid in self._plotted])

    def _current_changed(self, run_id: int) -> None:
        if run_id in self._plotted and not self.controller.active:
            self.plots.set_current(run_id)

    def _remove_runs(self, ids: list) -> None:
        for rid in ids:
            if rid == self._current_run and self.controller.active:
                self.status("The run that is going cannot be removed; stop it first.")
                continue
            self.runs_panel.remove(rid)
            if rid in self._plotted:
                self.plots.remove_run(rid)
                self._plotted.discard(rid)
            self._pinned.discard(rid)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not self.maybe_save():
            event.ignore()
            return
        self._closing = True
        if self.controller.active:
            self.status("Stopping the run…")
            self.controller.shutdown()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.set_last_preset(self.model.path)
        self.settings.sync()
        event.accept()
