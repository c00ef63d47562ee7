"""The strip under the plots: the curves' x axis (epochs, updates, seconds) and the replay
timeline of a run.

* The x axis: every run's rows are placed by :mod:`trainlab.session.timebase` from the
  updates its reports counted (or, for a finished or opened run, the length of its
  mini-batch losses); the loss plot also draws every update's mini-batch loss as a faint
  trace (:class:`~trainlab.gui.plotting.batch_trace.BatchTrace`).
* Replay: a slider over the kept epochs of the selected run (its weight history: the run's
  result, or ``weights_history.npz`` of a run folder). Moving it draws that epoch's decision
  boundary or fit in the data view (the network with that epoch's weights) and a cursor on
  every curve; Play steps through the epochs at the speed of the tool bar.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from trainlab.gui.plotting import PLOT_NAMES
from trainlab.gui.plotting.batch_trace import BatchTrace
from trainlab.gui.plotting.epoch_marks import EpochMarks
from trainlab.runs.pacing import Pacer, Speed
from trainlab.session.replay import Replay
from trainlab.session.timebase import (
    X_AXES,
    StepAnchors,
    anchors_from_length,
    batch_x,
    x_of_epochs,
)

#: Seconds between two redraws of the mini-batch trace while a run goes fast.
TRACE_INTERVAL = 0.2

#: What Play does at "as fast as possible": one kept epoch per frame (a replay must be seen).
PLAY_FASTEST = Speed("replay", updates=1.0, per="frame")


def weight_history(entry):
    """``(epochs, stacked)`` of a run entry (its result, else its folder), or None."""
    result = entry.result
    if result is not None and getattr(result, "weights_history", None) is not None:
        return result.weights_history
    if entry.out_dir is not None and (entry.out_dir / "weights_history.npz").is_file():
        from trainlab.runs.records import load_run

        return load_run(entry.out_dir).weights_history
    return None


def entry_splits(entry):
    """The scaled splits a run trained on (its result's, else prepared from its preset)."""
    if entry.result is not None and getattr(entry.result, "dataset", None) is not None:
        return entry.result.dataset
    from trainlab.runs.prepared import prepare

    return prepare(dict(entry.preset), folder=entry.out_dir).splits


class Timeline:
    """The strip under ``window``'s plots (see the module docstring)."""

    def __init__(self, window):
        self.window = window
        self.runs = window.session.runs
        self.plots = window.plots
        self.controller = window.controller
        self.mode = "epochs"
        self.anchors: dict[int, StepAnchors] = {}
        self.batch_losses: dict[int, np.ndarray] = {}
        self.trace = BatchTrace(self.plots.plot_widget("loss"))
        self.marks = EpochMarks({n: self.plots.plot_widget(n) for n in PLOT_NAMES})
        self.replay: Replay | None = None
        self.replay_run: int | None = None
        self.index = 0
        self._shown_for = None  # the run whose data the data view shows for the replay
        self._last_trace = 0.0
        #: told the current run's entry (or None) whenever the marks are redrawn
        self.on_marks = lambda entry: None
        self._build()
        self.play_timer = QTimer(window)
        self.play_timer.setInterval(33)
        self.play_timer.timeout.connect(self._play_tick)
        self.pacer: Pacer | None = None
        self.controller.frame.connect(self._on_frame)
        self.controller.finished.connect(lambda result: self._finished())
        self.runs.events.selected.connect(lambda rid: self._follow_selection())
        self.runs.events.added.connect(lambda entry: self._follow_selection())
        self.runs.events.removed.connect(self._removed)
        self.runs.events.state_changed.connect(lambda state: self._follow_selection())
        central = window.centralWidget()
        central.layout().addWidget(self.widget)
        self._follow_selection()

    def _build(self) -> None:
        self.widget = QWidget()
        self.widget.setObjectName("timeline")
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(6, 0, 6, 2)
        row.addWidget(QLabel("x axis"))
        self.x_box = QComboBox()
        for mode in X_AXES:
            self.x_box.addItem(mode, mode)
        self.x_box.setToolTip("Draw the curves over epochs, optimizer updates or seconds of "
                              "training")
        self.x_box.currentIndexChanged.connect(lambda i: self.set_x_axis(self.x_box.itemData(i)))
        row.addWidget(self.x_box)
        row.addSpacing(12)
        self.play_button = QPushButton("Play")
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.setToolTip("Replay the run's kept epochs at the chosen speed")
        self.play_button.clicked.connect(self.toggle_play)
        self.play_button.setMaximumWidth(70)
        row.addWidget(self.play_button)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setToolTip("Drag to see the decision boundary or fit of any kept epoch")
        self.slider.valueChanged.connect(self.show_index)
        self.slider.setMinimumWidth(120)
        row.addWidget(self.slider, 1)
        self.label = QLabel("")
        self.label.setMinimumWidth(90)
        row.addWidget(self.label)

    # ---- the x axis -----------------------------------------------------------------------
    def x_of(self, run_id, history, epochs) -> np.ndarray:
        return x_of_epochs(self.mode, epochs, history, self.anchors.get(run_id))

    def set_x_axis(self, mode: str) -> None:
        """Curves over ``mode`` (one of :data:`~trainlab.session.timebase.X_AXES`)."""
        if mode not in X_AXES:
            raise ValueError(f"x axis: one of {', '.join(X_AXES)}, got {mode!r}")
        self.mode = mode
        if self.x_box.currentData() != mode:
            self.x_box.setCurrentIndex(list(X_AXES).index(mode))
        self.plots.set_x_axis(X_AXES[mode], None if mode == "epochs" else self.x_of)
        self.redraw_marks()

    def redraw_marks(self) -> None:
        """The trace, the change marks and the cursor of the current run, on this x axis."""
        rid = self.plots.current()
        entry = self.runs.entries.get(rid)
        if entry is None or entry.history is None:
            self.trace.clear()
            self.on_marks(None)
            return
        losses = self.batch_losses.get(rid)
        if losses is not None:
            anchors = self.anchors.get(rid)
            self.trace.show(losses, lambda steps: batch_x(self.mode, steps, entry.history,
                                                          anchors), _hue(entry))
        else:
            self.trace.clear()
        self.on_marks(entry)
        self._place_cursor()

    def epochs_to_x(self, run_id, epochs) -> np.ndarray:
        entry = self.runs.entries.get(run_id)
        history = entry.history if entry is not None else None
        return self.x_of(run_id, history, np.asarray(epochs, dtype=float))

    # ---- live runs --------------------------------------------------------------------------
    def _on_frame(self, frame) -> None:
        rid = self.runs.current
        if rid is None:
            return
        anchors = self.anchors.setdefault(rid, StepAnchors())
        done_epoch = frame.event in ("epoch", "end", "start") or (
            frame.steps_per_epoch and frame.step in (0, frame.steps_per_epoch))
        if done_epoch:
            anchors.note(frame.epoch, frame.total_steps, frame.steps_per_epoch)
        elif frame.steps_per_epoch:
            anchors.per_epoch = float(frame.steps_per_epoch)
        if frame.batch_loss is not None:
            self.batch_losses[rid] = frame.batch_loss
        # Every update shows at a paced speed; a fast run's trace a few times a second.
        now = time.perf_counter()
        due = self.controller.paced or frame.event == "end" or now - self._last_trace >= \
            TRACE_INTERVAL or self.controller.state == "paused"
        if rid == self.plots.current() and due:
            self._last_trace = now
            self.redraw_marks()

    def _finished(self) -> None:
        rid = self.runs.current
        entry = self.runs.entries.get(rid)
        if entry is not None and entry.result is not None:
            losses = entry.result.batch_loss
            if losses is not None:
                self.batch_losses[rid] = np.asarray(losses)
                self.anchors.setdefault(rid, StepAnchors()).note(entry.result.epochs,
                                                                 len(losses))
        self.redraw_marks()
        self._follow_selection()

    def _removed(self, run_id: int) -> None:
        self.anchors.pop(run_id, None)
        self.batch_losses.pop(run_id, None)
        if self.replay_run == run_id:
            self.replay, self.replay_run = None, None
        self._follow_selection()

    def _opened(self, entry) -> None:
        """A run folder: its mini-batch losses place its rows on the updates axis."""
        if entry.run_id in self.batch_losses or entry.out_dir is None:
            return
        try:
            from trainlab.runs.records import load_run

            losses = load_run(entry.out_dir).batch_loss
        except Exception:  # noqa: BLE001 - no trace for a folder that cannot be read
            losses = None
        if losses is not None:
            self.batch_losses[entry.run_id] = np.asarray(losses)
            self.anchors[entry.run_id] = anchors_from_length(len(entry.history) - 1,
                                                             len(losses))

    # ---- replay -----------------------------------------------------------------------------
    def _follow_selection(self) -> None:
        """Replay the selected run when no run goes (else the live picture stays)."""
        idle = not self.runs.active
        rid = self.runs.selected if idle else None
        entry = self.runs.entries.get(rid) if rid is not None else None
        if entry is not None and not entry.trained:
            self._opened(entry)
        if entry is None or not idle:
            self._set_replay(None, None)
            self.redraw_marks()
            return
        if rid == self.replay_run and self.replay is not None:
            self.redraw_marks()
            return
        try:
            kept = weight_history(entry)
            replay = Replay(entry.preset, *kept) if kept is not None else None
        except Exception:  # noqa: BLE001 - a damaged file: no replay, said in the label
            replay = None
        self._set_replay(replay, rid)
        self.redraw_marks()

    def _set_replay(self, replay: Replay | None, run_id) -> None:
        self.stop_play()
        self.replay, self.replay_run = replay, run_id
        self._shown_for = None
        self.marks.set_cursor(None)
        on = replay is not None and len(replay) > 1
        self.slider.setEnabled(on)
        self.play_button.setEnabled(on)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(replay) - 1 if replay is not None else 0)
        self.slider.setValue(len(replay) - 1 if replay is not None else 0)
        self.slider.blockSignals(False)
        self.index = self.slider.value()
        if self.runs.active:
            self.label.setText("replay after the run")
        elif replay is None:
            self.label.setText("no kept weights to replay" if run_id is not None else "")
        else:
            self.label.setText(f"epoch {int(replay.epochs[self.index])}")

    def show_epoch(self, epoch: int) -> None:
        """Move the timeline to the kept epoch nearest ``epoch``."""
        if self.replay is not None:
            self.slider.setValue(self.replay.index_of(epoch))

    def show_index(self, index: int) -> None:
        """Draw kept epoch number ``index``: the data view and the cursor on the curves."""
        replay = self.replay
        if replay is None:
            return
        self.index = int(index)
        epoch = int(replay.epochs[self.index])
        self.label.setText(f"epoch {epoch} of {int(replay.epochs[-1])}")
        entry = self.runs.entries.get(self.replay_run)
        try:
            if self._shown_for != self.replay_run:
                self.window.data_preview.show(entry_splits(entry), None)
                self._shown_for = self.replay_run
            self.window.data_view.update_model(replay.predictor(self.index))
        except Exception as exc:  # noqa: BLE001 - the curves' cursor still moves
            self.window.notices.status(f"This epoch cannot be drawn in the data view: {exc}",
                                       5000)
        self._place_cursor()

    def _place_cursor(self) -> None:
        if self.replay is None or self.replay_run != self.plots.current():
            self.marks.set_cursor(None)
            return
        epoch = float(self.replay.epochs[self.index])
        self.marks.set_cursor(float(self.epochs_to_x(self.replay_run, [epoch])[0]))

    def toggle_play(self) -> None:
        if self.play_timer.isActive():
            self.stop_play()
            return
        if self.replay is None:
            return
        if self.index >= len(self.replay) - 1:
            self.slider.setValue(0)
        speed = self.window.speed.speed if hasattr(self.window, "speed") else PLAY_FASTEST
        self.pacer = Pacer(PLAY_FASTEST if speed.fastest or speed.epochs else speed)
        self.pacer.start(time.perf_counter())
        self.play_button.setText("Pause")
        self.play_timer.start()

    def stop_play(self) -> None:
        self.play_timer.stop()
        self.play_button.setText("Play")

    def _play_tick(self) -> None:
        if self.replay is None or self.pacer is None:
            self.stop_play()
            return
        n = self.pacer.grant(time.perf_counter())
        if n:
            last = len(self.replay) - 1
            self.slider.setValue(min(self.index + n, last))
            if self.index >= last:
                self.stop_play()


def _hue(entry) -> str:
    from trainlab.gui import colors

    return colors.categorical(max(entry.color, 0))
