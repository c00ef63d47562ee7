"""The window over many runs and at its end: 100 runs in a row (Train, Stop, Remove) leave
nothing behind and keep memory bounded; closing the window during a run leaves a complete run
folder."""

from __future__ import annotations

import csv
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainlab.gui.worker import TrainWorker

from . import soak_window as soak
from .helpers import RUN_TIMEOUT, tiny_preset

#: Seconds the 100 runs may take in their own process (about 2-3 minutes on two cores).
SOAK_SECONDS = 900


@pytest.mark.slow
def test_hundred_runs_leave_nothing_behind(tmp_path):
    """100 runs in one window (tests/gui/soak_window.py, in a fresh process: resident memory
    is a figure of the whole process): nothing is left, and memory stays bounded."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "tests.gui.soak_window", str(tmp_path)],
                          cwd=root, env=env, capture_output=True, text=True,
                          timeout=SOAK_SECONDS)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    baseline, final = got["baseline"], got["final"]
    assert baseline["runs"] == baseline["table rows"] == baseline["curves"] == 0
    assert baseline["qthreads"] == 0
    assert final == baseline
    assert got["native_final"] == got["native_baseline"]
    rss = np.array(got["readings"], dtype=float)
    # A leak raises the floor with every run; the allocator and Qt's caches move single
    # readings up and down by a few MB. So: the lowest reading of the later half of the runs
    # against the lowest of the earlier half.
    half = len(rss) // 2
    growth = rss[half:].min() - rss[:half].min()
    measured = soak.RUNS - soak.WARM_RUNS
    first = soak.TRACE_FROM + soak.TRACE_WARM
    print(f"\nsoak: {soak.RUNS} runs; Python allocations {got['traced_per_run'] / 1e3:+.1f} "
          f"kB/run over runs {first}-{first + soak.TRACED - 1}; objects {got['objects_warm']} "
          f"after run {soak.WARM_RUNS}, {got['objects_end']} after run {soak.RUNS} "
          f"({(got['objects_end'] - got['objects_warm']) / measured:+.1f}/run); RSS every "
          f"{soak.RSS_EVERY} runs " + " ".join(f"{r / 1e6:.1f}" for r in rss)
          + f" MB (floor of the later half {growth / 1e6:+.2f} MB)")
    assert got["objects_end"] - got["objects_warm"] < soak.OBJECTS_PER_RUN_LIMIT * measured
    assert growth < soak.RSS_GROWTH_LIMIT


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
