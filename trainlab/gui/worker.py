"""Training in a worker thread, with progress coalesced for the screen.

The engine may report thousands of times a second; the screen needs a few dozen pictures.
The training thread's callback only copies the latest state into one slot (and, when no
delivery is pending, posts one queued signal); the GUI thread takes the slot at most
``MAX_FPS`` times a second, and less often when a frame is slow to draw, so that drawing
never takes more than ``GUI_SHARE`` of the time (``FASTEST_GUI_SHARE`` at "as fast as
possible"), while the picture is never older than ``MAX_FRAME_GAP`` (``FASTEST_MAX_FRAME_GAP``).
The training thread does not wait for the
window: it spends its time in compiled code, which runs without the interpreter lock (short
epochs run many to a compiled call), so a paint seldom waits for the lock (the app sets a 1 ms
switch interval for when it does). Data-view predictions are computed in the training thread,
between two compiled calls, at most ``1 / PREDICT_INTERVAL`` times a second and only when the
window is about to want them; each set reaches the window once (the data view is redrawn only
when there is something new). The GUI never touches the net.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from trainlab.gui.messages import friendly_error
from trainlab.runs.control import RunControl
from trainlab.runs.options import RunOptions
from trainlab.runs.replay import HISTORY_BUDGET

MAX_FPS = 30
# Predictions over the data-view grid cost a forward pass (in the training thread) and a
# repaint of the data view; five a second look smooth.
PREDICT_INTERVAL = 1.0 / 5
# Largest share of wall time the window may spend drawing frames while a paced run goes.
GUI_SHARE = 0.25
# ... and at "as fast as possible", where the run's speed is what was asked for: on two cores
# each millisecond the window draws is taken from the training threads. Side by side on the
# same machine (benchmarks/gui.py), a tenth with frames at least every 0.5 s kept 89 % of
# headless steps/s, 6 % with frames at least every second 93 %.
FASTEST_GUI_SHARE = 0.06
# ... but the picture is never older than this (seconds) in a paced run,
MAX_FRAME_GAP = 0.5
# ... and than this at "as fast as possible" (a frame costs 30-50 ms: about one a second).
FASTEST_MAX_FRAME_GAP = 1.0
# Frame costs kept for a look at how smooth the window was (the last minute or so at 30 fps).
FRAME_RECORD = 2048


#: How much nicer than the window the training thread (and the evaluation thread it starts,
#: which inherits it) is to the scheduler: on two cores the run's two threads and the GUI
#: thread would otherwise share the CPU alike, and each frame would take longer to draw.
TRAINING_NICENESS = 5


def yield_to_the_window() -> None:
    """Lower the calling thread's scheduling priority (Linux: per thread; elsewhere the call
    would reach the whole process, so nothing is done)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid)
                       + TRAINING_NICENESS)
    except (AttributeError, OSError):  # not permitted, or not supported: run as is
        pass


@dataclass
class Frame:
    """What the window needs from one progress report (copied in the training thread)."""

    event: str
    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    total_steps: int
    steps_per_second: float
    elapsed: float
    status: str
    message: str
    history: Any                         # the run's History (rows are appended, never moved)
    rows: int                            # rows recorded at the time of the frame
    predictions: dict[str, np.ndarray] | None = None  # net outputs by data-view query name
    batch_loss: np.ndarray | None = None  # every update's mini-batch loss so far (a view)
    changes: list | None = None           # the live changes in force so far


class TrainWorker(QThread):
    """A thread that runs :func:`trainlab.runs.loop.train` once.

    The QThread object itself lives in the GUI thread; its signals, emitted from ``run`` in
    the training thread, reach GUI slots as queued calls.
    """

    progressed = Signal()        # a new frame is waiting in the slot
    done = Signal(object)        # the RunResult
    failed = Signal(str)         # the run could not run; a message for people
    folded = Signal(object)      # k-fold results so far (a dict), as the folds train

    def __init__(self, run: Any, control: RunControl, out_dir: Path | None = None,
                 queries: dict[str, np.ndarray] | None = None,
                 history_budget: int = HISTORY_BUDGET):
        super().__init__()
        self.setObjectName("trainlab-training")
        self.run_to_train = run  # a PreparedRun (or what train() takes: a preset dict, a path)
        self.control = control
        self.out_dir = out_dir
        #: the data view's inputs by name; replaced whole (one reference) when they change
        self.queries = queries or {}
        self._lock = threading.Lock()
        self._latest: tuple[Any, int] | None = None  # (the engine's report, its row count)
        self._pending = False
        self._last_predict = 0.0
        self._unsent: dict[str, np.ndarray] | None = None  # predictions not yet taken
        #: a paced run: the data view gets the predictions of every report (each update shows)
        self.predict_every = False
        #: callables given every progress report in the training thread (quick, no Qt)
        self.hooks: list = []
        #: how the run uses the machine: the window only ever shows the latest report, so the
        #: epochs of one compiled call are reported once (RunOptions.report_every_epoch)
        self.options = dataclasses.replace(RunOptions.from_env(), report_every_epoch=False,
                                           history_budget=int(history_budget))

    def run(self) -> None:  # in the training thread
        yield_to_the_window()
        try:
            from trainlab.runs.loop import train

            # Without a folder the run stays in memory (tests, throwaway sessions). A folder
            # keeps the scaled splits too (data.npz), so that the run can be exported to
            # PyTorch (File ▸ Export ▸ PyTorch Script) and replayed exactly.
            result = train(self.run_to_train, out_dir=self.out_dir, callback=self._callback,
                           control=self.control, write_files=self.out_dir is not None,
                           save_data=self.out_dir is not None, on_fold=self.folded.emit,
                           options=self.options)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a message
            self.failed.emit(friendly_error(exc))
            return
        self.done.emit(result)

    def _callback(self, p) -> None:
        for hook in self.hooks:
            try:
                hook(p)
            except Exception:  # noqa: BLE001 - a view's copy is not worth stopping the run
                pass
        fresh = None
        now = time.perf_counter()
        with self._lock:
            wanted = not self._pending  # the window took the last picture and will want one
        due = (wanted and (self.predict_every or now - self._last_predict >= PREDICT_INTERVAL)
               ) or p.event in (
            "start", "end")
        queries = self.queries  # read once: the window may swap in new ones meanwhile
        if queries and p.predict is not None and due:
            try:
                with np.errstate(all="ignore"):
                    fresh = {name: np.array(p.predict(X), copy=True)
                             for name, X in queries.items()}
            except Exception:  # noqa: BLE001 - a picture is not worth stopping the run
                fresh = None
            self._last_predict = now
        # The engine may call back thousands of times a second: keep only the report (the
        # loop makes a new one each time) and the row count here; the Frame is built in
        # take(), once per frame.
        latest = (p, len(p.history))
        with self._lock:
            # Predictions ride on frames until the window has taken them once: the data
            # view is redrawn when there is something new to draw, not at every frame.
            if fresh is not None:
                self._unsent = fresh
            self._latest = latest
            post = not self._pending
            self._pending = True
        if post:
            self.progressed.emit()

    def take(self) -> Frame | None:
        """The latest frame (None when nothing new); called from the GUI thread."""
        with self._lock:
            latest, self._latest, self._pending = self._latest, None, False
            predictions = self._unsent
            if latest is not None:
                self._unsent = None
        if latest is None:
            return None
        p, rows = latest
        return Frame(
            event=p.event, epoch=p.epoch, epochs=p.epochs, step=p.step,
            steps_per_epoch=p.steps_per_epoch, total_steps=p.total_steps,
            steps_per_second=p.steps_per_second, elapsed=p.elapsed, status=p.status,
            message=p.message, history=p.history, rows=rows, predictions=predictions,
            batch_loss=getattr(p, "batch_loss", None),
            changes=list(getattr(p, "changes", None) or []),
        )


class RunController(QObject):
    """Starts, steers and ends one run at a time; emits frames at most MAX_FPS per second.

    States: ``idle``, ``running``, ``paused``, ``stopping``.
    """

    frame = Signal(object)         # Frame
    finished = Signal(object)      # RunResult
    failed = Signal(str)
    folds = Signal(object)         # k-fold results so far, while the folds train
    stateChanged = Signal(str)

    def __init__(self, parent: QObject | None = None, clock=time.perf_counter):
        super().__init__(parent)
        self._clock = clock  # seconds; tests pass a clock they move by hand
        self.state = "idle"
        self.control: RunControl | None = None
        self._worker: TrainWorker | None = None
        self._last_delivery = 0.0
        self._spent = 0.0  # seconds drawn since the last frame, outside it (spent())
        self._frame_interval = 1.0 / MAX_FPS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._deliver)
        self.deliveries = 0  # how many frames reached the window
        #: seconds the window took for each of the latest FRAME_RECORD deliveries
        self.frame_costs: deque[float] = deque(maxlen=FRAME_RECORD)
        #: progress hooks handed to every run's worker (see TrainWorker.hooks)
        self.progress_hooks: list = []
        #: runs are paced (trainlab.gui.speed): the control stays paused and is stepped, also
        #: while the state says "running"
        self.paced = False
        #: bytes of weight copies a run keeps for its replay (RunOptions.history_budget)
        self.history_budget = HISTORY_BUDGET

    @property
    def active(self) -> bool:
        return self.state != "idle"

    def start(self, run: Any, out_dir: Path | None = None,
              queries: dict[str, np.ndarray] | None = None, paused: bool = False) -> None:
        """Train ``run`` (a PreparedRun) in a new thread; ``paused``: wait for a command."""
        if self.active:
            raise RuntimeError("a run is already going")
        self.control = RunControl(paused=paused or self.paced)
        self._worker = TrainWorker(run, self.control, out_dir, queries, self.history_budget)
        self._worker.hooks = list(self.progress_hooks)
        self._worker.predict_every = self.paced
        self._worker.progressed.connect(self._on_progress)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.folded.connect(self.folds)
        self._set_state("paused" if paused else "running")
        self._worker.start()

    # ---- commands -------------------------------------------------------------------------
    def pause(self) -> None:
        if self.state == "running":
            self.control.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self.state == "paused":
            if not self.paced:  # a paced run stays paused: the pace grants its steps
                self.control.resume()
            self._set_state("running")

    def set_queries(self, queries: dict[str, np.ndarray]) -> None:
        """The data view's new inputs by name (its grid followed the view): a run going
        answers them from its next prediction on."""
        if self._worker is not None and self.state in ("running", "stopping"):
            self._worker.queries = queries

    def set_paced(self, paced: bool) -> None:
        """Pace runs (the control paused and stepped) or let them run freely."""
        self.paced = paced
        if self._worker is not None:
            self._worker.predict_every = paced
        if self.state == "running":
            if paced:
                self.control.pause()
            else:
                self.control.resume()

    @property
    def frame_waiting(self) -> bool:
        """The run has reported something the window has not drawn yet."""
        worker = self._worker
        return worker is not None and (worker._pending or self._timer.isActive())

    def step_update(self) -> None:
        if self.state in ("running", "paused"):
            self.control.step_update()
            self._set_state("paused")

    def step_epoch(self) -> None:
        if self.state in ("running", "paused"):
            self.control.step_epoch()
            self._set_state("paused")

    def stop(self) -> None:
        if self.state in ("running", "paused"):
            self.control.stop()
            self._set_state("stopping")

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Stop any run, wait for its thread and deliver its result now (closing the window,
        Reset). True when the thread ended."""
        worker = self._worker
        if worker is None:
            return True
        if self.control is not None:
            self.control.stop()
        ok = worker.wait(timeout_ms)
        # The thread's last signals (done/failed) are queued for this object: deliver them
        # before returning, so the run's result is recorded even while the window closes.
        QCoreApplication.sendPostedEvents(self)
        return ok

    # ---- from the worker ------------------------------------------------------------------
    def _on_progress(self) -> None:
        wait = self._frame_interval - (self._clock() - self._last_delivery)
        if wait <= 0:
            self._deliver()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait * 1000)))

    def _deliver(self) -> None:
        if self._worker is None:
            return
        frame = self._worker.take()
        if frame is not None:
            self._last_delivery = self._clock()
            self.deliveries += 1
            start = self._clock()
            self.frame.emit(frame)  # the window updates and paints its plots here
            # A frame that costs c seconds is followed by at least c/GUI_SHARE seconds of
            # training, so a slow screen never takes more than its share of the time. What
            # the window spent on the run's picture since the last frame, outside it (see
            # spent()), counts too.
            cost = self._clock() - start + self._spent
            self._spent = 0.0
            self.frame_costs.append(cost)
            share, cap = (GUI_SHARE, MAX_FRAME_GAP) if self.paced \
                else (FASTEST_GUI_SHARE, FASTEST_MAX_FRAME_GAP)
            self._frame_interval = max(1.0 / MAX_FPS, min(cost / share, cap))

    def spent(self, seconds: float) -> None:
        """The window spent ``seconds`` drawing the run outside a frame (the network view):
        the next frames are spaced for it, within the same GUI_SHARE."""
        self._spent += max(float(seconds), 0.0)

    def _on_done(self, result) -> None:
        self._timer.stop()
        self._deliver()  # the final rows before the end
        self._end()
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._timer.stop()
        self._deliver()
        self._end()
        self.failed.emit(message)

    def _end(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
