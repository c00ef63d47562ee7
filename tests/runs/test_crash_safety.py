"""metrics.csv is written as the run goes: a crash keeps every finished epoch, parseable."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

import pytest

from tests.processes import wait_for_rows
from trainlab.runs.loop import train
from trainlab.runs.records import load_run

from .helpers import expected_header, metrics_rows, preset


class Boom(RuntimeError):
    pass


def test_an_exception_in_the_callback_leaves_the_finished_rows(tmp_path):
    out = tmp_path / "run"

    def callback(progress):
        if progress.event == "epoch" and progress.epoch == 3:
            raise Boom("the GUI crashed")

    with pytest.raises(Boom):
        train(preset(training={"epochs": 50}), out_dir=out, callback=callback)
    header, rows = metrics_rows(out / "metrics.csv")
    assert header == expected_header(2, "classification")
    assert [int(r[0]) for r in rows] == [0, 1, 2, 3]
    for r in rows:
        assert len(r) == len(header)
        values = [float(x) for x in r]
        assert math.isfinite(values[header.index("train_loss")])
    assert (out / "preset.json").is_file() and (out / "weights_initial.npz").is_file()
    assert not (out / "summary.json").exists()  # the run did not end
    record = load_run(out)  # a crashed run can still be opened
    assert len(record.history) == 4 and record.summary == {}


def test_an_exception_before_any_epoch_leaves_row_0(tmp_path):
    out = tmp_path / "run"

    def callback(progress):
        raise Boom("at once")

    with pytest.raises(Boom):
        train(preset(), out_dir=out, callback=callback)
    header, rows = metrics_rows(out / "metrics.csv")
    assert [r[0] for r in rows] == ["0"]


@pytest.mark.slow
def test_a_killed_process_leaves_complete_parseable_rows(tmp_path):
    file = tmp_path / "long.json"
    file.write_text(json.dumps(preset(data={"n_samples": 200}, model={"hidden": [16]},
                                      training={"epochs": 1_000_000, "batch_size": 4})),
                    encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "trainlab", "run", str(file), "--out",
                             str(out), "--quiet"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        metrics = out / "metrics.csv"
        wait_for_rows(proc, metrics, 5)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    text = metrics.read_text(encoding="utf-8")
    lines = text.split("\n")
    complete, partial = lines[:-1], lines[-1]  # a row is complete once its newline is out
    header = complete[0].split(",")
    assert header == expected_header(2, "classification")
    assert len(complete) >= 6
    for e, line in enumerate(complete[1:]):
        cells = line.split(",")
        assert len(cells) == len(header)
        assert int(cells[0]) == e
        assert all(isinstance(float(c), float) for c in cells)
    assert len(partial.split(",")) <= len(header)
    assert not (out / "summary.json").exists()
