"""The window over many runs and at its end: 100 runs in a row (Train, Stop, Remove) leave
nothing behind and keep memory bounded; closing the window during a run leaves a complete run
folder."""

from __future__ import annotations

import csv
import ctypes
import gc
import json
import os
import threading
import tracemalloc

import numpy as np
import pytest
from PySide6.QtCore import QThread
from PySide6.QtGui import QPixmapCache

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
#: 40 runs apart: a leak of 0.15 MB a run or more fails it).
RSS_GROWTH_LIMIT = 6.0e6
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


def one_run(qtbot, window) -> None:
    """Train (the button), wait for progress, Stop (the button), wait for the end, Remove the
    run (the table's button)."""
    controls = window.run_controls
    delivered = window.controller.deliveries
    # One wait per signal (not a poll every 10 ms: each poll is a Qt event loop and timer of
    # its own, which would be the test's memory rather than the window's).
    with qtbot.waitSignal(window.controller.frame, timeout=RUN_TIMEOUT):
        controls.train_button.click()
        assert window.controller.state == "running"
    assert window.controller.deliveries > delivered
    with qtbot.waitSignal(window.controller.finished, timeout=RUN_TIMEOUT):
        controls.stop_button.click()
    assert window.controller.state == "idle"
    run_id = window.session.runs.current
    assert window.session.runs.entries[run_id].status == "stopped"
    assert window.runs_panel.selected_row_id() == run_id
    window.runs_panel.remove_button.click()
    assert run_id not in window.session.runs.entries


@pytest.mark.slow
def test_hundred_runs_leave_nothing_behind(qtbot, window):
    # A long run on tiny data: Stop is what ends each one.
    window.model.load(tiny_preset(training__epochs=1_000_000))
    one_run(qtbot, window)
    qtbot.waitUntil(lambda: leftovers(window)["workers"] == 0, timeout=RUN_TIMEOUT)
    baseline = leftovers(window)
    assert baseline["runs"] == baseline["table rows"] == baseline["curves"] == 0
    assert baseline["qthreads"] == 0
    for _ in range(2, TRACE_FROM):
        one_run(qtbot, window)
    tracemalloc.start()
    try:
        for _ in range(TRACE_WARM):
            one_run(qtbot, window)
        gc.collect()
        traced_before = tracemalloc.get_traced_memory()[0]
        for _ in range(TRACED):
            one_run(qtbot, window)
        gc.collect()
        traced_after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    for _ in range(TRACE_FROM + TRACE_WARM + TRACED, WARM_RUNS + 1):
        one_run(qtbot, window)
    gc.collect()
    rss_warm, objects_warm = rss_bytes(), len(gc.get_objects())
    readings = [(WARM_RUNS, rss_warm)]  # (runs done, resident bytes) every RSS_EVERY runs
    for run in range(WARM_RUNS + 1, RUNS + 1):
        one_run(qtbot, window)
        if run % RSS_EVERY == 0:
            gc.collect()
            readings.append((run, rss_bytes()))
    gc.collect()
    rss_end, objects_end = readings[-1][1], len(gc.get_objects())
    # A leak raises the floor with every run; the allocator and Qt's caches move single
    # readings up and down by several MB. So: the lowest reading of the later half of the
    # runs against the lowest of the earlier half.
    rss = np.array([r for _, r in readings], dtype=float)
    half = len(rss) // 2
    growth = rss[half:].min() - rss[:half].min()
    # The last worker is deleted on the event loop's next turn (deleteLater): wait for it.
    qtbot.waitUntil(lambda: leftovers(window) == baseline, timeout=RUN_TIMEOUT)
    per_run = (traced_after - traced_before) / TRACED
    measured = RUNS - WARM_RUNS
    traced_runs = f"{TRACE_FROM + TRACE_WARM}-{TRACE_FROM + TRACE_WARM + TRACED - 1}"
    print(f"\nsoak: {RUNS} runs; Python allocations {per_run / 1e3:+.1f} kB/run over runs "
          f"{traced_runs}; objects {objects_warm} after run {WARM_RUNS}, "
          f"{objects_end} after run "
          f"{RUNS} ({(objects_end - objects_warm) / measured:+.1f}/run); RSS "
          f"{rss_warm / 1e6:.1f} MB -> {rss_end / 1e6:.1f} MB "
          f"({(rss_end - rss_warm) / 1e6:+.2f} MB; floor of the later half {growth / 1e6:+.2f} "
          f"MB; readings " + " ".join(f"{r / 1e6:.1f}" for r in rss) + ")")
    assert objects_end - objects_warm < OBJECTS_PER_RUN_LIMIT * measured
    assert growth < RSS_GROWTH_LIMIT


def whole_rows(path) -> list[list[str]]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows, f"{path} is empty"
    header = rows[0]
    torn = [i for i, row in enumerate(rows[1:], 1) if len(row) != len(header)]
    assert not torn, f"rows {torn} of {path} do not have {len(header)} fields"
    return rows


def test_closing_during_a_run_leaves_a_complete_folder(qtbot, window, tmp_path):
    window.model.load(tiny_preset(training__epochs=1_000_000))
    window.answers = ["discard"]  # the settings were changed: do not save them
    window.run_controls.train_button.click()
    qtbot.waitUntil(lambda: window.controller.deliveries > 1, timeout=RUN_TIMEOUT)
    entry = window.session.runs.entries[window.session.runs.current]
    folder = entry.out_dir
    assert folder is not None and folder.parent == tmp_path / "runs"
    assert window.close()
    qtbot.waitUntil(lambda: not any(isinstance(o, TrainWorker) and o.isRunning()
                                    for o in gc.get_objects()), timeout=RUN_TIMEOUT)
    assert window.controller.state == "idle"
    names = {p.name for p in folder.iterdir()}
    assert {"preset.json", "metrics.csv", "weights_initial.npz", "weights_final.npz",
            "summary.json"} <= names
    assert not [n for n in names if "tmp" in n]
    rows = whole_rows(folder / "metrics.csv")
    assert len(rows) >= 2  # the header and at least the initial weights' row
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["status"] == "stopped"
    assert json.loads((folder / "preset.json").read_text())["training"]["epochs"] == 1_000_000
