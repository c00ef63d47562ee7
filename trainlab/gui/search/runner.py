"""A sweep run in a worker thread so the Search window never freezes: progress and the end
arrive as signals in the GUI thread; Stop sets the sweep's stop flag (running trials end after
their current step and are queued again, so running it later resumes)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from trainlab.gui.messages import friendly_error


class _SweepThread(QThread):
    progressed = Signal(object)   # a SweepProgress
    done = Signal(object)         # the rows
    failed = Signal(str)

    def __init__(self, sweep, jobs: int, stop: threading.Event):
        super().__init__()
        self.setObjectName("trainlab-search")
        self.sweep, self.jobs, self.stop = sweep, jobs, stop

    def run(self) -> None:  # in the worker thread
        try:
            rows = self.sweep.run(jobs=self.jobs, callback=self.progressed.emit, stop=self.stop)
        except BaseException as error:  # noqa: BLE001 - every failure becomes a message
            self.failed.emit(friendly_error(error))
            return
        self.done.emit(rows)


class SearchRunner(QObject):
    """Starts a :class:`~trainlab.sweep.Sweep` in a thread; one at a time."""

    progressed = Signal(object)   # SweepProgress
    finished = Signal(object)     # rows (list of dicts)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sweep = None
        self._thread: _SweepThread | None = None
        self._stop = threading.Event()

    @property
    def active(self) -> bool:
        return self._thread is not None

    def start(self, sweep_dict_or_path, out_dir: Path, jobs: int):
        """Open (or resume) the sweep in ``out_dir`` and run it; return the Sweep. Bad sweeps
        raise :class:`~trainlab.sweep.SweepError` here, before any thread starts."""
        from trainlab.sweep import Sweep

        if self.active:
            raise RuntimeError("a search is already running")
        self.sweep = Sweep(sweep_dict_or_path, out_dir)
        self._stop = threading.Event()
        self._thread = _SweepThread(self.sweep, jobs, self._stop)
        self._thread.progressed.connect(self.progressed)
        self._thread.done.connect(self._on_done)
        self._thread.failed.connect(self._on_failed)
        self._thread.start()
        return self.sweep

    def stop(self) -> None:
        self._stop.set()

    def _end(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()

    def _on_done(self, rows) -> None:
        self._end()
        self.finished.emit(rows)

    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Stop and wait (closing the window)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.wait()
            self._end()
