"""The run tool bar (Train/Pause, Step, Stop, Reset, progress, status line), its commands and
starting a run.

What a run shows while it goes is :mod:`trainlab.gui.run_display`'s work.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QPushButton, QStyle

from trainlab.catalog.names import slug
from trainlab.gui.banner import Notices
from trainlab.gui.config_panel import ConfigPanel
from trainlab.gui.data_preview import DataPreview
from trainlab.gui.engine_warmup import EngineWarmup
from trainlab.gui.menus import fixed_toolbar, make_action
from trainlab.gui.messages import friendly_error
from trainlab.gui.worker import RunController
from trainlab.runs.first_start import engine_is_cached
from trainlab.session import Session
from trainlab.session.data import new_data as draw_new_data
from trainlab.session.data import new_weights
from trainlab.session.progress import RunClock

#: The Train button while a run is under way: (text, style mode, icon, tooltip) by state.
_ACTIVE_BUTTON = {
    "running": ("Pause", "pause", QStyle.StandardPixmap.SP_MediaPause, "Pause training (Space)"),
    "paused": ("Resume", "train", QStyle.StandardPixmap.SP_MediaPlay,
               "Carry on training (Space)"),
}


#: The Train button while the first run of a fresh install waits for the engine's compile.
COMPILING_BUTTON = "Compiling the engine (first start only)…"


class RunControls:
    """The run tool bar of ``window`` and the Run menu's actions, over ``session``'s draft and
    runs; runs go through ``controller`` and are saved under ``runs_dir`` (None: not saved)."""

    def __init__(self, window: QMainWindow, session: Session, controller: RunController,
                 config_panel: ConfigPanel, data: DataPreview, warmup: EngineWarmup,
                 notices: Notices, runs_dir: Path | None):
        self.window = window
        self.session = session
        self.draft = session.draft
        self.runs = session.runs
        self.controller = controller
        self.config_panel = config_panel
        self.data = data
        self.warmup = warmup
        self.notices = notices
        self.runs_dir = runs_dir
        self.clock = RunClock()
        self.compiling = False  # the run waits for the engine's first compile
        self._build_toolbar()
        self._build_actions()
        self.train_button.clicked.connect(self.toggle_training)
        self.step_button.clicked.connect(self.step_epoch)
        self.step_update_button.clicked.connect(self.step_update)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        self.draft.events.validated.connect(self.update)
        self.runs.events.state_changed.connect(self.update)
        self.runs.events.state_changed.connect(lambda state: self.clock.state(state))

    def _build_toolbar(self) -> None:
        """Tool bar: the run controls, the progress bar and the status line."""
        bar = self.toolbar = fixed_toolbar(self.window, "Run", "runToolbar",
                                           Qt.ToolBarArea.TopToolBarArea)
        style = self.window.style()
        def button(text: str, icon: QStyle.StandardPixmap, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setIcon(style.standardIcon(icon))
            if tip:
                b.setToolTip(tip)
            return b

        pixmap = QStyle.StandardPixmap
        self.train_button = button("Train", pixmap.SP_MediaPlay)
        self.train_button.setObjectName("trainButton")
        self.step_button = button("Step", pixmap.SP_MediaSkipForward,
                                  "Train exactly one epoch, then pause (F6).")
        self.step_update_button = button(
            "Step update", pixmap.SP_ArrowRight,
            "Train exactly one update (one mini-batch step), then pause (F7).")
        self.stop_button = button("Stop", pixmap.SP_MediaStop,
                                  "End the run now; everything recorded so far is kept.")
        self.reset_button = button(
            "Reset", pixmap.SP_BrowserReload,
            "New initial weights: ends the current run and moves to the next seed, so the next "
            "Train starts from different random weights.")
        buttons = (self.train_button, self.step_button, self.step_update_button,
                   self.stop_button, self.reset_button)
        for b in buttons[1:]:
            b.setObjectName("controlButton")
        for b in buttons:
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
        self.progress_action = bar.addWidget(self.progress)  # the speed box goes before it
        self.status_line = QLabel("")
        self.status_line.setObjectName("statusLine")
        self.status_line.setContentsMargins(12, 0, 6, 0)
        self.status_line.setToolTip(
            "Latest losses and accuracy (or R²), training speed in optimizer steps per second, "
            "and the time the run has been training (pauses not counted)")
        bar.addWidget(self.status_line)

    def _build_actions(self) -> None:
        w = self.window
        # Space (outside text fields) is the keys filter's: see trainlab.gui.keys.
        self.train_action = make_action(w, "Train / Pause / Resume", self.toggle_training,
                                        Qt.Key.Key_F5, "Start, pause or resume training "
                                        "(F5, or Space outside a text field)")
        self.step_action = make_action(w, "Step One Epoch", self.step_epoch, Qt.Key.Key_F6)
        self.step_action.setShortcuts([QKeySequence(Qt.Key.Key_F6), QKeySequence("Ctrl+E")])
        self.step_update_action = make_action(w, "Step One Update", self.step_update,
                                              Qt.Key.Key_F7, "Train one mini-batch step, "
                                              "then pause (F7)")
        for action in (self.train_action, self.step_action, self.step_update_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            w.addAction(action)
        self.stop_action = make_action(w, "Stop", self.stop, "Ctrl+.")
        self.reset_action = make_action(w, "Reset (New Initial Weights)", self.reset, "Ctrl+R")
        self.new_data_action = make_action(w, "New Data (Same Initial Weights)", self.new_data,
                                           None, "Draw the data and its split again with the "
                                           "next data seed")
        self.clear_action = make_action(w, "Clear Runs", self.clear_runs, None,
                                        "Remove every run from the table and the plots "
                                        "(run folders on disk are kept)")

    @property
    def actions(self) -> list:
        """The Run menu, in order."""
        return [self.train_action, self.step_action, self.step_update_action, self.stop_action,
                self.reset_action, self.new_data_action, self.clear_action]

    def update(self, *args) -> None:
        """Buttons, actions and the form's lock from the trainer's state and the settings."""
        state = self.controller.state
        valid = self.draft.valid
        button = self.train_button
        style = self.window.style()
        if state in _ACTIVE_BUTTON:
            text, mode, icon, tip = _ACTIVE_BUTTON[state]
            enabled = True
            if self.compiling:
                text = COMPILING_BUTTON
        else:
            text, mode, icon = "Train", "train", QStyle.StandardPixmap.SP_MediaPlay
            tip = ("Start a new run with these settings (Space)" if valid else
                   "Fix the settings marked in red first")
            enabled = valid and state == "idle"
        button.setText(text)
        button.setProperty("mode", mode)
        button.setIcon(style.standardIcon(icon))
        button.setToolTip(tip)
        button.setEnabled(enabled)
        button.style().unpolish(button)
        button.style().polish(button)
        active = state in ("running", "paused")
        self.step_button.setEnabled(active or (state == "idle" and valid))
        self.stop_button.setEnabled(active)
        self.reset_button.setEnabled(state != "stopping")
        self.train_action.setEnabled(button.isEnabled())
        self.step_action.setEnabled(self.step_button.isEnabled())
        self.step_update_button.setEnabled(self.step_button.isEnabled())
        self.step_update_action.setEnabled(self.step_button.isEnabled())
        self.stop_action.setEnabled(active)
        self.config_panel.set_locked(state != "idle")
        if state == "idle" and not valid:
            n = len(self.draft.all_problems())
            self.notices.status(f"{n} setting{'s' if n > 1 else ''} to fix before training "
                                "(marked in red on the left).")

    # ---- commands ---------------------------------------------------------------------------
    def toggle_training(self) -> None:
        state = self.controller.state
        if state == "running":
            self.controller.pause()
            self.notices.status("Paused. Resume with Space, or Step one epoch.")
        elif state == "paused":
            self.controller.resume()
            self.notices.status("Training…")
        elif state == "idle":
            self.start_run()

    def step_epoch(self) -> None:
        """One epoch, then pause; from idle: start paused."""
        self._step("epoch", self.controller.step_epoch)

    def step_update(self) -> None:
        """One optimizer step (a mini-batch), then pause; from idle: start paused."""
        self._step("update", self.controller.step_update)

    def _step(self, what: str, step) -> None:
        if self.controller.state == "idle":
            self.start_run(paused=True)
            if self.controller.active:
                step()
        elif self.controller.active:
            step()
            self.notices.status(f"One {what}, then pause.")

    def stop(self) -> None:
        if self.controller.active:
            self.controller.stop()
            self.notices.status("Stopping…")

    def clear_runs(self) -> None:
        removed = self.runs.clear()
        kept = " (the run that is going stays)" if self.runs.entries else ""
        self.notices.status(f"{len(removed)} run{'s' if len(removed) != 1 else ''} "
                            f"cleared{kept}.")

    def reset(self) -> None:
        """New initial weights: end the run, move to the next seed."""
        if self.controller.active:
            self.controller.shutdown()
        seed = new_weights(self.draft)  # the data keeps its own seed: same data
        self.progress.setValue(0)
        self.progress.setFormat("no run yet")
        self.notices.status(f"New initial weights (seed {seed}), same data. Press Train to "
                            "start.")

    def new_data(self) -> None:
        """Another draw of the data and its split (data.seed), the same initial weights."""
        seed = draw_new_data(self.draft)
        self.notices.status(f"New data (data seed {seed}), same initial weights.")

    def compiled(self) -> None:
        """The run has made its first step: the compile is over, its clock starts now."""
        self.compiling = False
        self.progress.setRange(0, 1000)
        self.clock = RunClock()
        if self.controller.state == "paused":
            self.clock.state("paused")
        self.update()

    def start_run(self, paused: bool = False) -> bool:
        """Start a run of the settings (paused: wait for Step or Resume); False when it could
        not start (the reason is shown)."""
        if self.controller.active:
            return False
        if not self.draft.valid:
            self.notices.error(
                "Some settings need fixing first; they are marked in red on the left.")
            return False
        try:
            inputs = self.session.data.run_inputs()
        except Exception as exc:  # noqa: BLE001 - a bad preset or data file, in words
            self.notices.error(friendly_error(exc))
            return False
        run = inputs.run
        self.data.show(run.splits, inputs.key)
        queries = self.data.model_queries()

        self.notices.banner.hide()
        entry = self.runs.start(run.resolved, run.task)
        out_dir = None
        if self.runs_dir is not None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            out_dir = self.runs_dir / f"{stamp}-{entry.run_id:02d}-{slug(entry.preset['name'])}"
            entry.out_dir = out_dir
        self.progress.setValue(0)
        self.progress.setFormat(f"epoch 0 / {entry.preset['training']['epochs']}")
        self.status_line.setText("starting…")
        self.clock = RunClock()
        self.compiling = not engine_is_cached(run.resolved["training"]["dtype"])
        if self.compiling:
            self.progress.setRange(0, 0)  # a busy bar: the compile's progress is unknown
        self.controller.start(run, out_dir=out_dir, queries=queries, paused=paused)
        if not self.warmup.ready and self.warmup.label.isVisible():
            self.notices.status("Preparing engine… training starts in a moment.")
        else:
            self.notices.status("Training…" if not paused else "One epoch, then pause.")
        return True
