"""Python's cyclic garbage collector, run in the window's thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is passed,
often the training thread. A cycle there that holds a Qt object owned by Python (a closed
dialog's action, a replaced plot item) is then destroyed in the training thread: its destructor
takes Qt's object lock and waits for the interpreter lock, while the window's thread, holding
the interpreter lock, waits for Qt's object lock to delete a widget — both stop for good.

While a window is open, automatic collection is off and a timer in the window's thread
collects with the same thresholds (the approach pyqtgraph's ``GarbageCollector`` takes).
Only the generations whose thresholds were passed are collected, so a check costs nothing
when little was allocated. :func:`stop` gives collection back to Python.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_MS = 500


class _Collector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose thresholds were passed, youngest first."""
        counts = gc.get_count()
        generation = -1
        for g in range(3):
            if counts[g] > self.thresholds[g]:
                generation = g
            else:
                break
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        if self.was_enabled:
            gc.enable()


_collector: _Collector | None = None


def collect_in_gui_thread() -> None:
    """Turn automatic collection off and collect from a timer of the application's thread
    instead (idempotent; call it in the GUI thread, with a QCoreApplication)."""
    global _collector
    app = QCoreApplication.instance()
    if app is None:
        return
    if _collector is not None:
        try:
            if _collector.parent() is app:
                return
        except RuntimeError:  # the application it belonged to is gone
            pass
    _collector = _Collector(app)


def running() -> bool:
    return _collector is not None and not gc.isenabled()


def stop() -> None:
    """Give collection back to Python (automatic again, in any thread)."""
    global _collector
    collector, _collector = _collector, None
    if collector is not None:
        try:
            collector.stop()
            collector.deleteLater()
        except RuntimeError:
            gc.enable()
