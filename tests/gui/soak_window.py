"""100 runs in a row in one window, in a process of its own: ``python -m tests.gui.soak_window
FOLDER`` prints one JSON line with what the runs left behind and the memory figures.

Run by ``test_soak.py``: resident memory is a figure of the whole process, and a process that
ran other tests first has a heap shaped by them (its readings jump by tens of MB at some run,
whatever this window does), so the window is measured in a fresh one. Each run goes through
the window's buttons: Train, wait for the first frame, Stop, wait for the end, Remove.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import sys
import threading
import tracemalloc
from pathlib import Path

from PySide6.QtCore import QAbstractAnimation, QEventLoop, QObject, QThread, QTimer
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication, QGraphicsView

from trainlab.gui.plotting import PLOT_NAMES
from trainlab.gui.worker import TrainWorker

from .helpers import RUN_TIMEOUT, tiny_preset

RUNS = 100
#: Resident memory is read after this many runs and after the last: caches (compiled kernels,
#: pyqtgraph items, fonts) have filled by then, so what grows from here on is what each run
#: leaves behind.
WARM_RUNS = 20
#: Python allocations are traced over a few early runs only (tracing doubles a run's time): the
#: first of them replace the state the latest run keeps (its predictions, the data view's grid,
#: the network view's pictures: ~1 MB, kept once, not per run), the rest are measured. The
#: runs after them, up to WARM_RUNS, refill the heap that the tracer's own records held.
TRACE_WARM, TRACED, TRACE_FROM = 3, 5, 3
#: Growth allowed over the 80 runs after WARM_RUNS. A run that stayed behind in full (its
#: entry, history, curve items, legend labels, table items, worker) would leave a few thousand
#: objects; the window is allowed a few objects per run (weak references pyqtgraph keeps for
#: signal connections). The traced Python bytes are reported, not bounded: the latest run's
#: kept state (its mini-batch losses, as many as it made before Stop) differs in size from
#: run to run by tens of kB. Resident memory is read after the allocator has handed its free
#: memory back (see rss_bytes); what is left moves with Qt's caches: a few MB. A run left
#: behind in native memory (its weight copies, its history: tens of kB to MBs) would show.
OBJECTS_PER_RUN_LIMIT = 10
#: Resident memory is read every RSS_EVERY runs after WARM_RUNS; the lowest reading of the
#: later half may be at most RSS_GROWTH_LIMIT above the lowest of the earlier half (about
#: 40 runs apart: a leak of 0.25 MB a run or more fails it). Qt's own objects are counted
#: exactly (native_census), so this bound is for the rest of native memory; readings of the
#: same window move by up to ±5 MB when the machine is loaded.
RSS_GROWTH_LIMIT = 10.0e6
RSS_EVERY = 10


def rss_bytes() -> int:
    """The process's resident memory now (Linux: /proc/self/statm; its second field), after
    Qt's pixmap cache is emptied (a cache of cached item pictures that fills up to its 10 MB
    limit at some run and then stays full: a step, not a leak) and glibc has given its free
    heap back to the system (``malloc_trim``): without it, the resident size is whatever the
    largest heap was (a freed block stays resident until the allocator trims)."""
    QPixmapCache.clear()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: read it as it is
        pass
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def leftovers(window) -> dict[str, int]:
    """What a removed run could leave behind, counted through what the window shows and the
    objects alive."""
    gc.collect()
    return {
        "runs": len(window.session.runs.entries),
        "table rows": window.runs_panel.table.rowCount(),
        "curves": sum(len(window.plots.curves(name)) for name in PLOT_NAMES),
        "workers": sum(isinstance(o, TrainWorker) for o in gc.get_objects()),
        "qthreads": sum(isinstance(o, QThread) for o in gc.get_objects()),
        "threads": threading.active_count(),
    }


def native_census(window) -> dict[str, int]:
    """Qt's objects, counted exactly: a run's widgets, objects or plot items left behind in
    native memory. The style's animations (a dock's or a tab bar's, started by a hover or a
    focus change and deleted when done) come and go by themselves and are not counted."""
    objects = [o for o in window.findChildren(QObject)
               if not isinstance(o, QAbstractAnimation)]
    return {
        "widgets": len(QApplication.allWidgets()),
        "window's objects": len(objects),
        "scene items": sum(len(view.scene().items())
                           for view in window.findChildren(QGraphicsView)),
    }


def wait_for(signal, act) -> None:
    """``act()``, then wait for ``signal`` (one event loop, no polling)."""
    loop = QEventLoop()
    fired = []

    def note(*args) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(note)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(RUN_TIMEOUT)
    QTimer.singleShot(0, act)
    loop.exec()
    signal.disconnect(note)  # the harness keeps nothing from run to run
    if not fired:
        raise RuntimeError(f"waited {RUN_TIMEOUT / 1000:.0f} s for {signal}")


def wait_until(condition) -> None:
    app = QApplication.instance()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: condition() and loop.quit())
    timer.start(20)
    QTimer.singleShot(RUN_TIMEOUT, loop.quit)
    loop.exec()
    app.processEvents()
    if not condition():
        raise RuntimeError("a condition was not met in time")


def one_run(window) -> None:
    controls, controller = window.run_controls, window.controller
    delivered = controller.deliveries
    wait_for(controller.frame, controls.train_button.click)
    if controller.deliveries <= delivered:
        raise RuntimeError("no frame reached the window")
    wait_for(controller.finished, controls.stop_button.click)
    run_id = window.session.runs.current
    status = window.session.runs.entries[run_id].status
    if controller.state != "idle" or status != "stopped":
        raise RuntimeError(f"after Stop: state {controller.state}, run {status}")
    window.runs_panel.remove_button.click()
    if run_id in window.session.runs.entries:
        raise RuntimeError("Remove left the run in the session")


def soak(folder: Path) -> dict:
    from trainlab.gui.plotting import configure_pyqtgraph
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setApplicationName("TrainLab")
    configure_pyqtgraph()
    window = MainWindow(settings=Settings(folder / "settings.ini"), runs_dir=folder / "runs",
                        restore=False)
    window.files.ask_save_changes = lambda: "discard"
    window.show()
    # A long run on tiny data: Stop is what ends each one.
    window.model.load(tiny_preset(training__epochs=1_000_000))
    one_run(window)
    wait_until(lambda: leftovers(window)["workers"] == 0)
    baseline = leftovers(window)
    native_baseline = native_census(window)
    for _ in range(2, TRACE_FROM):
        one_run(window)
    tracemalloc.start()
    try:
        for _ in range(TRACE_WARM):
            one_run(window)
        gc.collect()
        traced_before = tracemalloc.get_traced_memory()[0]
        for _ in range(TRACED):
            one_run(window)
        gc.collect()
        traced_after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    for _ in range(TRACE_FROM + TRACE_WARM + TRACED, WARM_RUNS + 1):
        one_run(window)
    gc.collect()
    objects_warm = len(gc.get_objects())
    readings = [rss_bytes()]  # every RSS_EVERY runs from WARM_RUNS on
    for run in range(WARM_RUNS + 1, RUNS + 1):
        one_run(window)
        if run % RSS_EVERY == 0:
            gc.collect()
            readings.append(rss_bytes())
    gc.collect()
    objects_end = len(gc.get_objects())
    # The last worker is deleted on the event loop's next turn (deleteLater): wait for it.
    try:
        wait_until(lambda: leftovers(window) == baseline)
    except RuntimeError:
        pass  # reported below
    final = leftovers(window)
    native_final = native_census(window)
    window.close()
    return {"baseline": baseline, "final": final, "objects_warm": objects_warm,
            "native_baseline": native_baseline, "native_final": native_final,
            "objects_end": objects_end, "traced_per_run": (traced_after - traced_before) / TRACED,
            "readings": readings}


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(soak(Path(sys.argv[1]))))
