"""Run controls of the main window: the tool bar (Train/Pause, Step, Stop, Reset, progress,
status line), its commands and starting a run.

A mixin of :class:`~trainlab.gui.window.MainWindow`; what a run shows while it goes is in
:mod:`trainlab.gui.run_display`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStyle, QToolBar

from trainlab.gui.messages import friendly_error
from trainlab.gui.preset_files import slug
from trainlab.gui.runs_panel import RunEntry, run_label
from trainlab.presets import PresetError, preset_to_dict, validate_preset

#: The Train button while a run is under way: (text, style mode, icon, tooltip) by state.
_ACTIVE_BUTTON = {
    "running": ("Pause", "pause", QStyle.StandardPixmap.SP_MediaPause, "Pause training (Space)"),
    "paused": ("Resume", "train", QStyle.StandardPixmap.SP_MediaPlay,
               "Carry on training (Space)"),
}

MAX_AUTO_VISIBLE = 4  # runs shown at once unless the user ticked more


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


class RunControlsMixin:
    """The run tool bar and its commands."""

    def _build_run_toolbar(self) -> None:
        """Tool bar: the run controls, the progress bar and the status line."""
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

    def _update_controls(self, *args) -> None:
        state = self.controller.state
        valid = self.model.valid
        button = self.train_button
        style = self.style()
        if state in _ACTIVE_BUTTON:
            text, mode, icon, tip = _ACTIVE_BUTTON[state]
            enabled = True
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
        self.stop_action.setEnabled(active)
        self.config_panel.set_locked(state != "idle")
        for a in (self.new_action, self.open_action, self.examples_menu.menuAction(),
                  self.recent_menu.menuAction()):
            a.setEnabled(state == "idle")
        if state == "idle" and not valid:
            n = len(self.model.all_problems())
            self.status(f"{n} setting{'s' if n > 1 else ''} to fix before training "
                        "(marked in red on the left).")

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
