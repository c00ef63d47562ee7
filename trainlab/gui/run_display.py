"""What the window shows of a run: live plots and data view from the worker's frames
(coalesced by :class:`~trainlab.gui.worker.RunController`), progress and status, the result.

A frame's loss and accuracy are drawn at once when it arrives (see
:mod:`trainlab.gui.worker`), its data view on the event loop's next turn while a run goes;
the progress bar, status line and runs table are updated a few times a second only, the
diagnostics plots five times (once at "as fast as possible"). What is drawn outside a frame
counts in the window's share of the time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from trainlab.gui.banner import Notices
from trainlab.gui.data_preview import DataPreview
from trainlab.gui.plotting import PLOT_NAMES, PlotsPanel
from trainlab.gui.run_controls import RunControls
from trainlab.gui.run_plots import RunPlots
from trainlab.gui.worker import Frame, RunController
from trainlab.session.progress import progress_words, short_time, status_text
from trainlab.session.runs import RunEntry, RunsModel

DIAGNOSTICS_INTERVAL = 0.2  # seconds between redraws of the η and norm plots while training
#: ... at "as fast as possible", where each frame's time is taken from the training threads
#: (trainlab.gui.worker.FASTEST_GUI_SHARE): the small diagnostics plots once a second leave
#: that time to the loss curves and the data view
FASTEST_DIAGNOSTICS_INTERVAL = 1.0
CHROME_INTERVAL = 0.25  # seconds between updates of the progress bar, status line and table

#: the plots every frame draws; the others are the diagnostics row, drawn less often
_EVERY_FRAME = ("loss", "metric")
_DIAGNOSTICS = tuple(name for name in PLOT_NAMES if name not in _EVERY_FRAME)

_END_WORDS = {"finished": "Finished", "early_stopped": "Stopped early", "stopped": "Stopped"}


@dataclass
class RunDisplay:
    """Draws the reports of ``controller`` about the current run of ``runs``."""

    runs: RunsModel
    controller: RunController
    run_plots: RunPlots
    plots: PlotsPanel
    data: DataPreview
    controls: RunControls
    notices: Notices
    _last_chrome: float = field(default=0.0, init=False)
    _last_diagnostics: float = field(default=0.0, init=False)
    #: a frame whose progress or diagnostics were skipped, shown by :meth:`_catch_up`
    _behind: Frame | None = field(default=None, init=False)
    _diagnostics_behind: bool = field(default=False, init=False)
    #: the engine's latest report (its ``predict`` is safe to call once the run is parked
    #: paused or has ended: the training thread then leaves the net alone)
    _report: object = field(default=None, init=False)
    #: the network view's edited copy (its ``predict``): what a parked run's picture shows
    #: while weights set by hand wait for the run's next epoch boundary
    edited_model: object = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.controller.frame.connect(self._on_frame)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.runs.events.state_changed.connect(self._state_changed)
        self.controller.progress_hooks.append(self._keep_report)
        self.data.view.grid_changed.connect(self._grid_changed)
        # What a frame skipped is drawn a moment later, when no newer frame came to do it:
        # the last frames before a pause or a Step are never left half shown.
        self._later = QTimer()
        self._later.setSingleShot(True)
        self._later.setInterval(int(1000 * DIAGNOSTICS_INTERVAL))
        self._later.timeout.connect(self._catch_up)
        # A running frame's predictions are drawn on the event loop's next turn: the plots
        # and the data view in one turn would hold the window up for both (presentation
        # mode's large plots: 60 ms); two turns hold it up for the larger one only.
        self._predictions: dict | None = None
        self._data_later = QTimer()
        self._data_later.setSingleShot(True)
        self._data_later.setInterval(0)
        self._data_later.timeout.connect(self._show_predictions)

    def _state_changed(self, state: str) -> None:
        """The table's status of the current run follows pause and resume, and a pause shows
        the latest epoch at once."""
        entry = self.runs.entries.get(self.runs.current)
        if entry is not None and entry.status in ("running", "paused") \
                and state in ("running", "paused"):
            entry.status = state
            self.runs.changed(entry.run_id)
        if state == "paused":
            self._catch_up()
            self._later.start()  # then the picture of the epoch it parked at (below)

    def _keep_report(self, report) -> None:  # in the training thread: keep, return
        self._report = report

    def _still_model(self):
        """``predict`` of the run's net when nothing trains it: the run is parked paused or
        has ended; else None."""
        report, control = self._report, self.controller.control
        if report is None or getattr(report, "predict", None) is None:
            return None
        if self.controller.state == "paused" and control is not None \
                and control.wait_parked(0):
            if self.edited_model is not None and control.weights_pending:
                return self.edited_model
            return report.predict
        return report.predict if self.controller.state == "idle" else None

    def _redraw_model(self) -> None:
        """The data view's picture from the net as it is now (paused or ended)."""
        predict = self._still_model()
        if predict is None:
            return
        try:
            import numpy as np

            with np.errstate(all="ignore"):
                self.data.view.update_model(predict)
        except Exception as exc:  # noqa: BLE001 - a picture
            self.notices.status(f"The data view was not redrawn: {exc}", 5000)

    def _grid_changed(self) -> None:
        """The boundary grid follows the view: a run going asks for the new grid from its
        next frame on; a paused or ended one is asked now."""
        if self.controller.state in ("running", "stopping"):
            self.controller.set_queries(self.data.model_queries())
        elif self.data.view.boundary_image() is not None:
            self._redraw_model()

    def _catch_up(self) -> None:
        entry = self.runs.entries.get(self.runs.current)
        if entry is None or entry.history is None:
            return
        start = time.perf_counter()
        if self.controller.state == "paused":
            self._redraw_model()
        try:
            if self._diagnostics_behind:
                self._diagnostics_behind = False
                self._last_diagnostics = start
                # every frame drew loss and accuracy: only the diagnostics row is behind
                self.run_plots.show_history(entry.run_id, plots=_DIAGNOSTICS)
            if self._behind is not None:
                frame, self._behind = self._behind, None
                self._show_progress(frame, entry)
        except Exception as exc:  # noqa: BLE001 - drawing must not end the run
            self.notices.status(f"Plot update failed: {exc}", 5000)
        self._paint_now()
        # Drawn for the run outside a frame: the next frames are spaced for it, so the
        # window's share of the time holds (trainlab.gui.worker).
        self.controller.spent(time.perf_counter() - start)

    def _show_predictions(self, charge: bool = True) -> None:
        """The latest frame's predictions in the data view, painted now; ``charge``: outside
        a frame, so its time counts in the window's share (see trainlab.gui.worker)."""
        predictions, self._predictions = self._predictions, None
        if predictions is None:
            return
        start = time.perf_counter()
        try:
            self.data.show_predictions(predictions)
        except Exception as exc:  # noqa: BLE001 - drawing must not end the run
            self.notices.status(f"Plot update failed: {exc}", 5000)
        if charge:
            self._paint_now()
            self.controller.spent(time.perf_counter() - start)

    def _diagnostics_interval(self) -> float:
        fastest = self.controller.state == "running" and not self.controller.paced
        return FASTEST_DIAGNOSTICS_INTERVAL if fastest else DIAGNOSTICS_INTERVAL

    def _on_frame(self, frame: Frame) -> None:
        entry = self.runs.entries.get(self.runs.current)
        if entry is None:
            return
        entry.history = frame.history
        try:
            # Loss and accuracy at every frame; the diagnostics row a few times a second, but
            # not in a frame that redraws the data view (the training thread waits while a
            # frame is drawn: two heavy parts in one frame make a long wait).
            now = time.perf_counter()
            due = now - self._last_diagnostics >= self._diagnostics_interval()
            if frame.event == "end" or (due and not frame.predictions):
                self._last_diagnostics = now
                self._diagnostics_behind = False
                self.run_plots.show_history(entry.run_id)
            else:
                self._diagnostics_behind = True
                self.run_plots.show_history(entry.run_id, plots=_EVERY_FRAME)
            if frame.predictions:
                self._predictions = frame.predictions
                if frame.event in ("start", "end") or self.controller.state != "running":
                    self._show_predictions(charge=False)
                else:
                    self._data_later.start()
        except Exception as exc:  # noqa: BLE001 - drawing must not end the run
            self.notices.status(f"Plot update failed: {exc}", 5000)
        # The progress bar, status line and runs table are read, not watched: a few times a
        # second is plenty, and each update re-lays out and repaints widgets outside the plots.
        now = time.perf_counter()
        if now - self._last_chrome >= CHROME_INTERVAL or frame.event in ("start", "end"):
            self._last_chrome = now
            self._behind = None
            self._show_progress(frame, entry)
        else:
            self._behind = frame
        if self.controls.compiling and (frame.total_steps > 0 or frame.event == "end"):
            self.controls.compiled()  # the run's clock starts at its first step
        if self._behind is not None or self._diagnostics_behind:
            # drawn a moment later unless a newer frame does it first
            wait = DIAGNOSTICS_INTERVAL
            if self._diagnostics_behind:
                wait = max(wait, self._diagnostics_interval() - (now - self._last_diagnostics))
            self._later.start(int(1000 * wait))
        self._paint_now()

    def _show_progress(self, frame: Frame, entry: RunEntry) -> None:
        epochs = max(frame.epochs, 1)
        fraction = (frame.epoch + (frame.step / frame.steps_per_epoch if frame.steps_per_epoch
                                  and frame.event == "chunk" else 0)) / epochs
        controls = self.controls
        controls.progress.setValue(int(1000 * min(fraction, 1.0)))
        controls.progress.setFormat(progress_words(
            frame.epoch, frame.epochs, frame.step if frame.event == "chunk" else 0,
            frame.steps_per_epoch))
        controls.status_line.setText(status_text(frame.history, frame.rows, entry.task,
                                                 frame.steps_per_second,
                                                 controls.clock.seconds()))
        self.runs.changed(entry.run_id)
        if (self.controller.state == "running" and frame.event != "end"
                and self.notices.current() != "Training…"):
            self.notices.status("Training…")

    def _paint_now(self) -> None:
        """Draw this frame now (see worker.py).

        pyqtgraph marks changed items and lets the scene collect them in a queued call; run
        that call and paint the plots at once, instead of in a later pass of the event loop
        where the training thread would be competing for the interpreter again.
        """
        try:
            views = [self.plots.plot_widget(n) for n in PLOT_NAMES] + [self.data.plot_widget()]
            for view in views:
                QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
            # ... and the paint requests that this posted, so each plot is painted once, now.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
        except Exception:  # noqa: BLE001 - the event loop will paint it anyway
            pass

    def _on_finished(self, result) -> None:
        entry = self.runs.entries.get(self.runs.current)
        if entry is None:
            return
        if self.controls.compiling:
            self.controls.compiled()
        entry.result = result
        entry.history = result.history
        entry.status = result.status
        entry.message = result.message
        entry.test_metrics = dict(result.test_metrics or {})
        entry.out_dir = result.out_dir or entry.out_dir
        try:
            self.run_plots.show_history(entry.run_id)
        except Exception as exc:  # noqa: BLE001
            self.notices.status(f"Plot update failed: {exc}", 5000)
        self.runs.changed(entry.run_id)
        epochs = result.epochs
        progress = self.controls.progress
        if result.status == "diverged":
            self.notices.error(f"Run {entry.name} diverged. {result.message}".strip())
        else:
            words = _END_WORDS.get(result.status, result.status)
            text = (f"{words}: {epochs} epoch{'s' if epochs != 1 else ''} in "
                    f"{short_time(self.controls.clock.seconds())}.")
            if result.status == "early_stopped" and result.message:
                text += f" {result.message}"
            self.notices.status(text)
            if result.status == "finished":
                progress.setValue(1000)
        if result.status != "finished":
            progress.setFormat(f"{progress_words(epochs, entry.preset['training']['epochs'])} "
                               f"({result.status.replace('_', ' ')})")

    def _on_failed(self, message: str) -> None:
        """The run could not run at all (the worker caught an exception)."""
        if self.controls.compiling:
            self.controls.compiled()
        entry = self.runs.entries.get(self.runs.current)
        if entry is not None:
            entry.status = "failed"
            entry.message = message
            self.runs.changed(entry.run_id)
        self.notices.error(message)
        self.controls.progress.setFormat("failed")
