"""The main window: settings on the left, live plots in the middle, data on the right, runs below.

A thin client of the runs API: the settings panel edits a preset dict (:class:`PresetModel`),
Train hands a copy to :func:`trainlab.runs.loop.train` in a worker thread, and the window draws
what the run reports. Every failure ends as words in the window, never a traceback.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.config_panel import ConfigPanel
from trainlab.gui.messages import friendly_error
from trainlab.gui.model import PresetModel
from trainlab.gui.preset_files import PresetFilesMixin, slug
from trainlab.gui.runs_panel import RunEntry, RunsPanel, run_label
from trainlab.gui.settings import Settings
from trainlab.gui.worker import RunController, Snapshot
from trainlab.presets import (
    PresetError,
    default_preset,
    load_preset,
    preset_to_dict,
    validate_preset,
)

MAX_AUTO_VISIBLE = 4  # runs shown at once unless the user ticked more


def _short_time(seconds: float) -> str:
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def _rate(steps_per_second: float) -> str:
    if steps_per_second >= 1e6:
        return f"{steps_per_second / 1e6:.1f}M"
    if steps_per_second >= 1e3:
        return f"{steps_per_second / 1e3:.0f}k"
    return f"{steps_per_second:.0f}"


class _RunClock:
    """Wall-clock seconds of the current run, pauses left out (what the status line shows)."""

    def __init__(self):
        self.start = time.perf_counter()
        self.paused_total = 0.0
        self.paused_at: float | None = None

    def state(self, state: str) -> None:
        now = time.perf_counter()
        if state == "paused" and self.paused_at is None:
            self.paused_at = now
        elif state != "paused" and self.paused_at is not None:
            self.paused_total += now - self.paused_at
            self.paused_at = None

    def seconds(self) -> float:
        now = self.paused_at if self.paused_at is not None else time.perf_counter()
        return now - self.start - self.paused_total


class _Bridge(QObject):
    """Carries results of plain Python threads (data preview, engine warm-up) to the GUI."""

    previewDone = Signal(int, object, object)  # generation, Splits or None, error or None
    engineReady = Signal(str)                  # "" or what went wrong


class Banner(QFrame):
    """A message strip above the plots (errors stay until dismissed or the next run)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class MainWindow(PresetFilesMixin, QMainWindow):
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

    # ------------------------------------------------------------------ layout
    def _build_widgets(self) -> None:
        from trainlab.gui.data_view import DataView
        from trainlab.gui.plots import PlotsPanel

        self.config_panel = ConfigPanel(self.model)
        self.plots = PlotsPanel()
        self.data_view = DataView()
        self.runs_panel = RunsPanel()
        self.banner = Banner()

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 4, 6, 0)
        column.setSpacing(4)
        column.addWidget(self.banner)
        column.addWidget(self.plots, 1)
        self.setCentralWidget(central)

        area = Qt.DockWidgetArea
        self.settings_dock = self._dock("Settings", self.config_panel, area.LeftDockWidgetArea)
        self.data_dock = self._dock("Data", self.data_view, area.RightDockWidgetArea)
        self.data_view.setMinimumWidth(300)
        self.runs_dock = self._dock("Runs", self.runs_panel, area.BottomDockWidgetArea)
        # Settings and data take the full height; the runs table sits under the plots.
        self.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)

        # tool bar: the run controls, the progress bar and the status line
        bar = QToolBar("Run")
        bar.setObjectName("runToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        style = self.style()
        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.step_button = QPushButton("Step")
        self.step_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        self.step_button.setToolTip("Train exactly one epoch, then pause.")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.stop_button.setToolTip("End the run now; everything recorded so far is kept.")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.reset_button.setToolTip(
            "New initial weights: ends the current run and moves to the next seed, so the next "
            "Train starts from different random weights.")
        for b in (self.step_button, self.stop_button, self.reset_button):
            b.setObjectName("controlButton")
        for b in (self.train_button, self.step_button, self.stop_button, self.reset_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must reach the window shortcut
            bar.addWidget(b)
        bar.addSeparator()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("no run yet")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(220)
        self.progress.setMaximumWidth(340)
        self.progress.setToolTip("Epochs done out of the epochs planned")
        bar.addWidget(self.progress)
        self.status_line = QLabel("")
        self.status_line.setObjectName("statusLine")
        self.status_line.setContentsMargins(12, 0, 6, 0)
        self.status_line.setToolTip(
            "Latest losses and accuracy (or R²), training speed in optimizer steps per second, "
            "and the time the run has been training (pauses not counted)")
        bar.addWidget(self.status_line)

        self.engine_label = QLabel("Preparing engine…")
        self.engine_label.setObjectName("hint")
        self.engine_label.setToolTip(
            "The engine's compiled kernels are being built in the background (once per "
            "session); you can set things up meanwhile.")
        self.engine_label.hide()
        self.statusBar().addPermanentWidget(self.engine_label)

    def _fit_to_screen(self) -> None:
        """First start: a 1600×1000 window, or the whole screen when that is smaller."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1600, 1000
        if screen is not None:
            width, height = min(width, screen.width()), min(height, screen.height())
            if screen.width() < self.minimumSizeHint().width() + 40:
                # A small laptop screen: the data view shares the left column with settings.
                self.tabifyDockWidget(self.settings_dock, self.data_dock)
                self.settings_dock.raise_()
        self.resize(width, height)
        if screen is not None:
            self.move(screen.x() + (screen.width() - self.width()) // 2,
                      screen.y() + (screen.height() - self.height()) // 2)

    def _default_dock_sizes(self) -> None:
        width = self.width()
        self.resizeDocks([self.settings_dock, self.data_dock],
                         [self.config_panel.minimumWidth(), max(300, int(width * 0.27))],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.runs_dock], [max(150, int(self.height() * 0.18))],
                         Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        SK = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_preset, SK.New,
                                       "Start from the default preset")
        self.open_action = self._action("&Open…", self.open_preset_dialog, SK.Open,
                                        "Open a preset file")
        self.save_action = self._action("&Save", self.save, SK.Save, "Save the preset")
        self.save_as_action = self._action("Save &As…", self.save_as, SK.SaveAs,
                                           "Save the preset under a new name")
        self.quit_action = self._action("&Quit", self.close, SK.Quit)
        self.open_run_action = self._action("Open &Run Folder…", self.open_run_dialog, None,
                                            "Overlay a run saved earlier")
        self.export_png_action = self._action("Plots as &PNG…", lambda: self.export("png"))
        self.export_svg_action = self._action("Plots as &SVG…", lambda: self.export("svg"))
        self.export_csv_action = self._action("History as &CSV…", lambda: self.export("csv"))
        self.export_npz_action = self._action("Weights as &NPZ…", lambda: self.export("npz"))

        self.train_action = self._action("Train / Pause / Resume", self.toggle_training,
                                         Qt.Key.Key_Space, "Start, pause or resume training")
        self.train_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.train_action)
        self.step_action = self._action("Step One Epoch", self.step_epoch, "Ctrl+E")
        self.stop_action = self._action("Stop", self.stop, "Ctrl+.")
        self.reset_action = self._action("Reset (New Initial Weights)", self.reset, "Ctrl+R")

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.examples_menu = menu.addMenu("&Examples")
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addSeparator()
        menu.addAction(self.open_run_action)
        export = menu.addMenu("&Export")
        for a in (self.export_png_action, self.export_svg_action, self.export_csv_action,
                  self.export_npz_action):
            export.addAction(a)
        menu.addSeparator()
        menu.addAction(self.quit_action)

        run = self.menuBar().addMenu("&Run")
        for a in (self.train_action, self.step_action, self.stop_action, self.reset_action):
            run.addAction(a)

        view = self.menuBar().addMenu("&View")
        for dock in (self.settings_dock, self.data_dock, self.runs_dock):
            view.addAction(dock.toggleViewAction())

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About TrainLab", self._about))
        self._fill_examples()
        self._fill_recent()

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

    def _update_controls(self, *args) -> None:
        state = self.controller.state
        valid = self.model.valid
        button = self.train_button
        style = self.style()
        if state == "running":
            button.setText("Pause")
            button.setProperty("mode", "pause")
            button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
            button.setToolTip("Pause training (Space)")
            button.setEnabled(True)
        elif state == "paused":
            button.setText("Resume")
            button.setProperty("mode", "train")
            button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
            button.setToolTip("Carry on training (Space)")
            button.setEnabled(True)
        else:
            button.setText("Train")
            button.setProperty("mode", "train")
            button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
            button.setEnabled(valid and state == "idle")
            button.setToolTip("Start a new run with these settings (Space)" if valid else
                              "Fix the settings marked in red first")
        button.style().unpolish(button)
        button.style().polish(button)
        active = state in ("running", "paused")
        self.step_button.setEnabled(active or (state == "idle" and valid))
        self.stop_button.setEnabled(active)
        self.reset_button.setEnabled(state != "stopping")
        self.train_action.setEnabled(button.isEnabled())
        self.step_action.setEnabled(self.step_button.isEnabled())
        self.stop_action.setEnabled(active)
        self.config_panel.set_locked(state != "idle")
        for a in (self.new_action, self.open_action, self.examples_menu.menuAction(),
                  self.recent_menu.menuAction()):
            a.setEnabled(state == "idle")
        if state == "idle" and not valid:
            n = len(self.model.all_problems())
            self.status(f"{n} setting{'s' if n > 1 else ''} to fix before training "
                        "(marked in red on the left).")

    # ------------------------------------------------------------------ help
    def _about(self) -> None:
        from trainlab import __version__

        QMessageBox.about(self, "About TrainLab",
                          f"TrainLab {__version__}\nA lab for training small neural networks by "
                          "point and click. The formulas follow PyTorch's documentation.")

    # ------------------------------------------------------------------ data preview
    def _value_changed(self, path: str) -> None:
        if path.startswith("data.") or path == "seed":
            self._schedule_preview()

    def _schedule_preview(self, immediately: bool = False) -> None:
        if immediately:
            self._preview_timer.start(0)
        else:
            self._preview_timer.start()

    def _preview_request(self) -> tuple[str, dict] | None:
        d = self.model.data
        key = json.dumps({"data": d.get("data"), "seed": d.get("seed"),
                          "path": str(self.model.path)}, sort_keys=True, default=str)
        data_problems = {k: v for k, v in self.model.problems.items()
                         if k.startswith("data") or k == "seed"}
        typing = {k for k in self.model.local_problems if k.startswith("data")}
        if data_problems or typing:
            return None
        return key, d

    def _start_preview(self) -> None:
        request = self._preview_request()
        if request is None:
            return
        key, d = request
        if key == self._preview_key and self._preview_splits is not None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        base = self.model.path.parent if self.model.path else None
        self.config_panel.set_data_info("Loading the data…")

        bridge = self._bridge

        def work():
            try:
                result, error = self._prepare_data(d, base), None
            except BaseException as exc:  # noqa: BLE001
                result, error = None, exc
            try:
                bridge.previewDone.emit(generation, (key, result), error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-preview", daemon=True).start()

    @staticmethod
    def _prepare_data(d: dict, base: Path | None):
        """The exact scaled splits a run of `d` will use."""
        data = dict(d["data"])
        if data.get("path") and base is not None and not Path(data["path"]).is_absolute():
            data["path"] = str(base / data["path"])
        d = dict(d, data=data)
        try:
            from trainlab.runs.loop import prepare_data
        except ImportError:
            prepare_data = None
        if prepare_data is not None:
            return prepare_data(d)
        from trainlab.data import load_dataset, make_splits

        ds = load_dataset(data, d["seed"], base)
        return make_splits(ds, data["split"], data["scaling"], d["seed"])

    def _preview_done(self, generation: int, payload, error) -> None:
        if generation != self._preview_generation or self._closing:
            return  # the settings changed since; a newer preview is on its way
        key, splits = payload
        if error is not None:
            message = str(error)
            field = "data.path" if self.model.get("data.source") == "csv" else "data.source"
            match = re.match(r"(data\.[a-z_.]+): (.*)", message, re.S)
            if match:
                field, message = match.group(1), match.group(2)
            self.model.set_data_problems({field: message})
            self.config_panel.set_data_info("")
            self._preview_key, self._preview_splits = None, None
            self.status(f"The data could not be loaded: {message}", 10_000)
            return
        self.model.set_data_problems({})
        self._preview_key, self._preview_splits = key, splits
        if not self.controller.active and key != self._shown_key:
            self._show_data(splits, key)  # (same data: keep the model picture of the last run)
        self.config_panel.set_data_info(self._describe(splits))

    def _show_data(self, splits, key: str | None) -> None:
        self._shown_key = key
        try:
            self.data_view.set_data(splits)
        except Exception as exc:  # noqa: BLE001
            self.status(f"The data view cannot show this data: {exc}", 10_000)

    @staticmethod
    def _describe(splits) -> str:
        n = [len(splits.y_train), len(splits.y_val), len(splits.y_test)]
        kind = (f"{splits.n_classes} classes" if splits.task == "classification"
                else "regression")
        return (f"{sum(n)} samples ({n[0]} train, {n[1]} validation, {n[2]} test) · "
                f"{splits.n_features} input feature{'s' if splits.n_features != 1 else ''} · "
                f"{kind}")

    # ------------------------------------------------------------------ engine warm-up
    def start_warmup(self) -> None:
        """Compile the engine's kernels in the background; Train works meanwhile (it waits)."""
        self.engine_label.setText("Preparing engine…")
        self.engine_label.show()
        dtype = self.model.get("training.dtype") or "float64"

        bridge = self._bridge

        def work():
            try:
                from trainlab.engine import warmup

                warmup(dtypes=tuple(dict.fromkeys((dtype, "float64"))))
                error = ""
            except BaseException as exc:  # noqa: BLE001
                error = friendly_error(exc)
            try:
                bridge.engineReady.emit(error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-warmup", daemon=True).start()

    def _engine_ready(self, error: str) -> None:
        self.engine_ready = True
        self.engine_label.setText("Engine ready" if not error else "Engine: compiles on first run")
        QTimer.singleShot(3000, self.engine_label.hide)

    # ------------------------------------------------------------------ training
    def toggle_training(self) -> None:
        state = self.controller.state
        if state == "running":
            self.controller.pause()
            self.status("Paused. Resume with Space, or Step one epoch.")
        elif state == "paused":
            self.controller.resume()
            self.status("Training…")
        elif state == "idle":
            self.start_run()

    def step_epoch(self) -> None:
        if self.controller.state == "idle":
            self.start_run(paused=True)
            if self.controller.active:
                self.controller.step_epoch()
        elif self.controller.active:
            self.controller.step_epoch()
            self.status("One epoch, then pause.")

    def stop(self) -> None:
        if self.controller.active:
            self.controller.stop()
            self.status("Stopping…")

    def reset(self) -> None:
        """New initial weights: end the run, move to the next seed."""
        if self.controller.active:
            self.controller.shutdown()
        seed = int(self.model.get("seed") or 0) + 1
        self.model.set("seed", seed)
        self.progress.setValue(0)
        self.progress.setFormat("no run yet")
        self.status(f"New initial weights (seed {seed}). Press Train to start.")

    def start_run(self, paused: bool = False) -> bool:
        if self.controller.active:
            return False
        if not self.model.valid:
            self.show_error("Some settings need fixing first; they are marked in red on the left.")
            return False
        try:
            preset = preset_to_dict(validate_preset(self.model.data))
        except PresetError as exc:
            self.show_error(friendly_error(exc))
            return False
        base = self.model.path.parent if self.model.path else None
        if preset["data"].get("path") and base and not Path(preset["data"]["path"]).is_absolute():
            preset["data"]["path"] = str(base / preset["data"]["path"])
        request = self._preview_request()
        splits = self._preview_splits
        if request is None or request[0] != self._preview_key or splits is None:
            try:
                splits = self._prepare_data(self.model.data, base)
            except Exception as exc:  # noqa: BLE001
                self.show_error(friendly_error(exc))
                return False
            self._preview_key, self._preview_splits = (request[0] if request else None), splits
        self._show_data(splits, self._preview_key)
        view_inputs = self._data_view_inputs(splits)

        self.banner.hide()
        self._run_counter += 1
        run_id = self._run_counter
        entry = RunEntry(run_id=run_id, name=run_label(run_id, preset), preset=preset,
                         history=None, task=splits.task, status="running")
        self._current_run = run_id
        self._auto_hide_old_runs()
        self.runs_panel.add(entry, visible=True)
        out_dir = None
        if self.runs_dir is not None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            out_dir = self.runs_dir / f"{stamp}-{run_id:02d}-{slug(preset['name'])}"
            entry.out_dir = out_dir
        self.progress.setValue(0)
        self.progress.setFormat(f"epoch 0 / {preset['training']['epochs']}")
        self.status_line.setText("starting…")
        self._clock = _RunClock()
        self.controller.start(preset, out_dir=out_dir, view_inputs=view_inputs, paused=paused)
        if not self.engine_ready and self.engine_label.isVisible():
            self.status("Preparing engine… training starts in a moment.")
        else:
            self.status("Training…" if not paused else "One epoch, then pause.")
        return True

    def _data_view_inputs(self, splits) -> list:
        """The input arrays the data view will ask the model about, in the order it asks.

        The model may only be called in the training thread, so the view is first run once
        with a stand-in that records its questions (and answers NaN: nothing is drawn); the
        worker then answers the same questions as the run goes (see :meth:`_show_predictions`).
        """
        asked: list = []
        width = max(int(splits.n_classes), 1) if splits.task == "classification" else (
            int(np.asarray(splits.y_train).reshape(len(splits.y_train), -1).shape[1]))

        def record(X):
            X = np.array(X, dtype=float, copy=True)
            asked.append(X)
            return np.full((len(X), width), np.nan)

        try:
            self.data_view.update_model(record)
        except Exception:  # noqa: BLE001 - no model picture, the run still goes
            return []
        return asked

    def _show_predictions(self, predictions: list) -> None:
        answers = iter(predictions)
        self.data_view.update_model(lambda X: next(answers))

    def _auto_hide_old_runs(self) -> None:
        visible = [rid for rid in self.runs_panel.visible_ids() if rid not in self._pinned]
        excess = len(visible) + 1 - MAX_AUTO_VISIBLE
        for rid in visible[:max(excess, 0)]:
            self.runs_panel.set_visible(rid, False)

    def _on_snapshot(self, snap: Snapshot) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is None:
            return
        entry.history = snap.history
        try:
            if run_id not in self._plotted:
                self.plots.set_run(run_id, entry.name, snap.history, entry.task)
                self._plotted.add(run_id)
                self._apply_visibility()
                self.plots.set_current(run_id)
            else:
                self.plots.update_run(run_id, snap.history)
            if snap.predictions:
                self._show_predictions(snap.predictions)
        except Exception as exc:  # noqa: BLE001 - drawing must not end the run
            self.status(f"Plot update failed: {exc}", 5000)
        epochs = max(snap.epochs, 1)
        fraction = (snap.epoch + (snap.step / snap.steps_per_epoch if snap.steps_per_epoch
                                  and snap.event == "chunk" else 0)) / epochs
        self.progress.setValue(int(1000 * min(fraction, 1.0)))
        self.progress.setFormat(f"epoch {snap.epoch} / {snap.epochs}")
        self.status_line.setText(self._status_text(snap, entry, self._clock.seconds()))
        self.runs_panel.refresh(run_id)
        if self.controller.state == "running" and snap.event != "end":
            self.status("Training…")
        self._paint_now()

    def _graphics_views(self) -> list:
        from trainlab.gui.plots import PLOT_NAMES

        return [self.plots.plot_widget(n) for n in PLOT_NAMES] + [self.data_view.plot_widget()]

    def _paint_now(self) -> None:
        """Draw this frame now, while the training thread gives way (see worker.py).

        pyqtgraph marks changed items and lets the scene collect them in a queued call; run
        that call and paint the plots at once, instead of in a later pass of the event loop
        where the training thread would be competing for the interpreter again.
        """
        try:
            for view in self._graphics_views():
                QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
            # ... and the paint requests that this posted, so each plot is painted once, now.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
        except Exception:  # noqa: BLE001 - the event loop will paint it anyway
            pass

    @staticmethod
    def _status_text(snap: Snapshot, entry: RunEntry, elapsed: float) -> str:
        h, n = snap.history, snap.rows
        parts = []  # (the epoch is on the progress bar beside it)
        if n:
            def last(name):
                return float(h[name][n - 1]) if name in h else float("nan")

            parts.append(f"train loss {last('train_loss'):.4g}")
            val = last("val_loss")
            if val == val:
                parts.append(f"val loss {val:.4g}")
            if entry.task == "classification":
                acc = last("val_acc")
                acc = acc if acc == acc else last("train_acc")
                if acc == acc:
                    parts.append(f"acc {100 * acc:.1f}%")
            else:
                r2 = last("val_r2")
                r2 = r2 if r2 == r2 else last("train_r2")
                if r2 == r2:
                    parts.append(f"R² {r2:.3f}")
        parts.append(f"{_rate(snap.steps_per_second)} steps/s")
        parts.append(_short_time(elapsed))
        return " · ".join(parts)

    def _on_finished(self, result) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is None:
            return
        entry.result = result
        entry.history = result.history
        entry.status = result.status
        entry.message = result.message
        entry.test_metrics = dict(result.test_metrics or {})
        entry.out_dir = result.out_dir or entry.out_dir
        try:
            if run_id in self._plotted:
                self.plots.update_run(run_id, result.history)
            else:
                self.plots.set_run(run_id, entry.name, result.history, entry.task)
                self._plotted.add(run_id)
                self._apply_visibility()
                self.plots.set_current(run_id)
        except Exception as exc:  # noqa: BLE001
            self.status(f"Plot update failed: {exc}", 5000)
        self.runs_panel.refresh(run_id)
        epochs = result.epochs
        if result.status == "diverged":
            self.show_error(f"Run {entry.name} diverged. {result.message}".strip())
        elif result.status == "failed":
            self.show_error(result.message or "The run failed.")
        else:
            words = {"finished": "Finished", "early_stopped": "Stopped early",
                     "stopped": "Stopped"}.get(result.status, result.status)
            text = (f"{words}: {epochs} epoch{'s' if epochs != 1 else ''} in "
                    f"{_short_time(self._clock.seconds())}.")
            if result.status == "early_stopped" and result.message:
                text += f" {result.message}"
            self.status(text)
            if result.status == "finished":
                self.progress.setValue(1000)
        if result.status != "finished":
            self.progress.setFormat(f"epoch {epochs} / {entry.preset['training']['epochs']} "
                                    f"({result.status.replace('_', ' ')})")

    def _on_failed(self, message: str) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is not None:
            entry.status = "failed"
            entry.message = message
            self.runs_panel.refresh(run_id)
        self.show_error(message)
        self.progress.setFormat("failed")

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

    def open_run_dialog(self) -> None:
        start = str(self.runs_dir) if self.runs_dir and self.runs_dir.exists() else ""
        path = QFileDialog.getExistingDirectory(self, "Open a run folder", start)
        if path:
            self.open_run(Path(path))

    def open_run(self, path: Path) -> int | None:
        """Overlay a run saved on disk (by `trainlab run` or an earlier session)."""
        try:
            from trainlab.runs.records import load_run

            record = load_run(path)
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"That folder does not hold a TrainLab run: {friendly_error(exc)}")
            return None
        history = record.history
        summary = dict(getattr(record, "summary", None) or {})
        task = summary.get("task") or getattr(record, "task", None) or (
            "classification" if "train_acc" in history else "regression")
        self._run_counter += 1
        run_id = self._run_counter
        name = f"#{run_id} {getattr(record, 'name', None) or Path(path).name}"
        entry = RunEntry(run_id=run_id, name=name, preset=dict(record.preset or {}),
                         history=history, task=task, status=summary.get("status", "opened"),
                         message=str(summary.get("message", "")), out_dir=Path(path),
                         test_metrics={k: v for k, v in (summary.get("test_metrics") or
                                                         {}).items()})
        self.runs_panel.add(entry, visible=True)
        self._pinned.add(run_id)
        try:
            self.plots.set_run(run_id, entry.name, history, task)
            self._plotted.add(run_id)
            self._apply_visibility()
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"The run could not be drawn: {exc}")
        self.status(f"Opened run {Path(path).name}.", 5000)
        return run_id

    # ------------------------------------------------------------------ export
    def export(self, kind: str) -> None:
        entry = self.runs_panel.entries.get(self.runs_panel.current_id() or -1)
        if kind in ("csv", "npz") and entry is None:
            self.status("Train or open a run first; then its history and weights can be saved.")
            return
        if kind == "npz" and (entry.result is None or not entry.result.params_final):
            self.status("Weights are saved for runs of this session; a run folder already holds "
                        "its weights file.", 8000)
            return
        stem = slug(entry.name if entry else self.model.name)
        filters = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)",
                   "csv": "CSV table (*.csv)", "npz": "NumPy weights (*.npz)"}
        start = Path(self.settings.last_dir() or Path.home()) / f"{stem}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(start), filters[kind])
        if path:
            self.export_to(kind, Path(path), entry)

    def export_to(self, kind: str, path: Path, entry: RunEntry | None = None) -> Path | None:
        from trainlab.gui import export as ex

        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        try:
            if kind == "png":
                self.plots.export_png(path)
            elif kind == "svg":  # one file per plot: <stem>_loss.svg, <stem>_metric.svg, ...
                written = self.plots.export_svg(path)
                if isinstance(written, list) and written:
                    self.status(f"Saved {len(written)} SVG files beside {written[0].name}.", 8000)
                    return written[0]
            elif kind == "csv":
                ex.export_history_csv(entry.history, path)
            else:
                path = ex.export_weights_npz(entry.result.params_final, path)
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"Export failed: {friendly_error(exc)}")
            return None
        self.status(f"Saved {path.name}.", 5000)
        return path

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
