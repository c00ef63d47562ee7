"""`trainlab run` as a process: two runs on one folder, SIGTERM, two quick Ctrl+C, a full disk.

Each test waits on what the run writes (rows in metrics.csv, lines on stderr), not on time.
"""

from __future__ import annotations

import errno
import json
import signal
import subprocess
import sys

import pytest

from tests.processes import wait_for_rows
from trainlab.cli import EXIT_DISK_FULL, EXIT_FOLDER_REFUSED, EXIT_RUN_FAILED, main

pytestmark = pytest.mark.usefixtures("compiled_engine")

LONG = {"format": "trainlab-preset", "version": 1, "name": "long", "seed": 0,
        "data": {"source": "xor", "n_samples": 200}, "model": {"hidden": [16]},
        "training": {"epochs": 1_000_000, "batch_size": 4}}

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start_run(tmp_path, out, *extra):
    file = tmp_path / "long.json"
    file.write_text(json.dumps(LONG), encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "trainlab", "run", str(file), "--out",
                             str(out), *extra], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@posix_only
@pytest.mark.slow
def test_a_second_run_on_the_same_folder_is_refused_and_sigterm_stops_the_first(tmp_path):
    out = tmp_path / "run"
    first = start_run(tmp_path, out, "--quiet")
    try:
        wait_for_rows(first, out / "metrics.csv", 3)
        second = start_run(tmp_path, out, "--quiet", "--overwrite")
        _, err = second.communicate(timeout=600)
        assert second.returncode == EXIT_FOLDER_REFUSED
        assert err.strip() == f"trainlab: {out} is in use by another run; wait for it to end " \
                              "or choose another folder"
        first.send_signal(signal.SIGTERM)
        stdout, stderr = first.communicate(timeout=600)
    finally:
        first.kill()
    assert first.returncode == EXIT_RUN_FAILED
    assert "Traceback" not in stderr and "SIGTERM: stopping" in stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "stopped" and stdout.startswith("stopped: ")
    rows = (out / "metrics.csv").read_text().splitlines()
    assert len(rows) == summary["epochs"] + 2 and all(r.count(",") == rows[0].count(",")
                                                      for r in rows)
    # the folder is free again, and holds a run
    again = start_run(tmp_path, out, "--quiet")
    _, err = again.communicate(timeout=600)
    assert again.returncode == EXIT_FOLDER_REFUSED and "already holds a run" in err


@posix_only
@pytest.mark.slow
def test_two_quick_ctrl_c_exit_1_without_a_traceback(tmp_path):
    out = tmp_path / "run"
    proc = start_run(tmp_path, out)
    try:
        wait_for_rows(proc, out / "metrics.csv", 3)
        proc.send_signal(signal.SIGINT)
        line = proc.stderr.readline()
        while "stopping after the current step" not in line:  # the first one was heard
            line = proc.stderr.readline()
            assert line, "stderr closed before the first Ctrl+C was acknowledged"
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=600)
    finally:
        proc.kill()
    assert proc.returncode == EXIT_RUN_FAILED
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest


def test_a_full_disk_exits_3_naming_the_file(tmp_path, monkeypatch, capsys):
    from trainlab.runs import records

    out = tmp_path / "run"

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(records.os, "fsync", no_space)
    code = main(["run", "xor", "--out", str(out), "--epochs", "2", "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_DISK_FULL
    assert err == (f"trainlab: no space left on device while writing {out / 'preset.json'}; "
                   "free some space and run again\n")
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_folder_holding_a_run_exits_4_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "xor", "--out", str(out), "--epochs", "2", "--quiet"]) == 0
    (out / "weights_best.npz").write_bytes(b"stale")
    capsys.readouterr()
    assert main(["run", "xor", "--out", str(out), "--epochs", "2", "--quiet"]) \
        == EXIT_FOLDER_REFUSED
    assert "already holds a run" in capsys.readouterr().err
    assert main(["run", "xor", "--out", str(out), "--epochs", "3", "--quiet",
                 "--overwrite"]) == 0
    assert not (out / "weights_best.npz").exists()
    assert json.loads((out / "summary.json").read_text())["epochs"] == 3


def test_signal_handlers_are_given_back_after_a_run(tmp_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    assert main(["run", "xor", "--out", str(tmp_path / "r"), "--epochs", "1", "--quiet"]) == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
