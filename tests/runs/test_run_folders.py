"""Run folders: one run writes a folder at a time, an earlier run's files never remain, temp
names are unique, a full disk is reported naming the file and leaves whole files and rows."""

from __future__ import annotations

import errno
import json

import numpy as np
import pytest

from trainlab.runs import records
from trainlab.runs.loop import train
from trainlab.runs.records import MetricsWriter, load_run, read_metrics, write_json
from trainlab.runs.runfolder import (
    LOCK_NAME,
    DiskFull,
    RunFolderHoldsRun,
    RunFolderInUse,
    claim_folder,
)

from .helpers import load_npz, metrics_rows, preset


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def leftovers(folder):
    """Files of the folder that are neither a run's files nor its lock: temp files."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in records_files() and p.name != LOCK_NAME)


def records_files():
    from trainlab.runs.runfolder import RUN_FILES

    return set(RUN_FILES)


# ---- the lock ---------------------------------------------------------------------------


def test_a_folder_being_written_is_refused_until_its_run_lets_go(tmp_path):
    claim = claim_folder(tmp_path / "run")
    with pytest.raises(RunFolderInUse) as refused:
        claim_folder(tmp_path / "run")
    assert refused.value.path == tmp_path / "run"
    assert str(refused.value).startswith(f"{tmp_path / 'run'} is in use by another run")
    claim.release()
    claim_folder(tmp_path / "run").release()  # free again


def test_a_second_run_on_a_folder_in_use_is_refused_and_writes_nothing(tmp_path):
    out = tmp_path / "run"
    seen = {}

    def callback(progress):
        if progress.event == "start" and "error" not in seen:
            try:
                train(preset(), out_dir=out, overwrite=True)
            except RunFolderInUse as error:
                seen["error"] = error

    first = train(preset(training={"epochs": 3}), out_dir=out, callback=callback)
    assert isinstance(seen["error"], RunFolderInUse)
    assert first.status == "finished"
    assert len(load_run(out).history) == 4  # the first run's rows only, none torn
    assert json.loads((out / "summary.json").read_text())["epochs"] == 3


# ---- a folder that holds a run ------------------------------------------------------------


def test_a_folder_holding_a_run_is_refused_without_overwrite(tmp_path):
    out = tmp_path / "run"
    train(preset(), out_dir=out)
    before = (out / "metrics.csv").read_bytes()
    with pytest.raises(RunFolderHoldsRun) as refused:
        train(preset(training={"epochs": 5}), out_dir=out)
    assert refused.value.path == out and "already holds a run" in str(refused.value)
    assert "--overwrite" in str(refused.value)
    assert (out / "metrics.csv").read_bytes() == before


def test_overwrite_removes_the_earlier_runs_files_and_nothing_else(tmp_path):
    out = tmp_path / "run"
    early = preset(training={"epochs": 30, "early_stopping": {"enabled": True, "patience": 1}},
                   model={"hidden": [8]})
    train(early, out_dir=out, save_data=True)
    assert (out / "weights_best.npz").is_file() and (out / "data.npz").is_file()
    (out / "notes.txt").write_text("mine")
    (out / ".summary.json.0123abcd.tmp").write_text("{")  # a write cut short
    result = train(preset(model={"hidden": [3]}), out_dir=out, overwrite=True)
    assert not (out / "weights_best.npz").exists() and not (out / "data.npz").exists()
    assert not (out / ".summary.json.0123abcd.tmp").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert load_npz(out / "weights_final.npz")["W1"].shape == (2, 3)
    assert result.status == "finished" and len(load_run(out).history) == 3


# ---- temp files -----------------------------------------------------------------------------


def test_temp_names_are_unique_and_never_shared(tmp_path, monkeypatch):
    moved = []
    real = records.os.replace
    monkeypatch.setattr(records.os, "replace",
                        lambda src, dst: (moved.append(str(src)), real(src, dst)))
    write_json(tmp_path / "preset.json", {"a": 1})
    write_json(tmp_path / "preset.json", {"a": 2})
    assert len(set(moved)) == 2 and all(".preset.json." in m for m in moved)
    assert not any(m.endswith("preset.json.tmp") for m in moved)
    assert json.loads((tmp_path / "preset.json").read_text()) == {"a": 2}


# ---- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_during_summary_keeps_the_weights_and_leaves_no_temp_file(tmp_path,
                                                                             monkeypatch):
    out = tmp_path / "run"
    real = records.os.fsync

    def fsync(fd):  # the disk fills up once the weights are written
        return no_space() if (out / "weights_final.npz").exists() else real(fd)

    monkeypatch.setattr(records.os, "fsync", fsync)
    with pytest.raises(DiskFull) as full:
        train(preset(), out_dir=out)
    assert full.value.path == out / "summary.json"
    assert full.value.errno == errno.ENOSPC
    assert str(full.value) == (f"no space left on device while writing {out / 'summary.json'}"
                               "; free some space and run again")
    assert (out / "weights_final.npz").is_file()  # written before the summary
    assert not (out / "summary.json").exists()
    assert leftovers(out) == []


def test_a_full_disk_while_saving_weights_names_the_file_and_cleans_up(tmp_path, monkeypatch):
    out = tmp_path / "run"
    real = np.savez

    def savez(file, **arrays):
        real(file, **arrays)
        if "W1" in arrays and (out / "metrics.csv").exists():
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(records.np, "savez", savez)
    with pytest.raises(DiskFull) as full:
        train(preset(), out_dir=out)
    assert full.value.path == out / "weights_final.npz"
    assert leftovers(out) == [] and not (out / "weights_final.npz").exists()
    assert len(load_run(out).history) == 3  # every row kept


class HalfWrites:
    """A file whose writes fail for lack of space after ``room`` more bytes, writing part
    of the data first (as a real full disk does)."""

    def __init__(self, file, room):
        self.file, self.room = file, room

    def write(self, data):
        if len(data) > self.room:
            self.file.write(bytes(data[: self.room]))
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


def test_a_full_disk_mid_row_leaves_only_whole_rows(tmp_path):
    path = tmp_path / "metrics.csv"
    writer = MetricsWriter(path, ["epoch", "loss"])
    writer.write({"epoch": 0, "loss": 0.5})
    writer._file = HalfWrites(writer._file, room=5)  # room for part of the next row
    with pytest.raises(DiskFull) as full:
        writer.write({"epoch": 1, "loss": 0.25})
    writer.close()
    assert full.value.path == path
    assert path.read_bytes() == b"epoch,loss\r\n0,0.5\r\n"  # the torn part cut back
    header, rows = metrics_rows(path)
    assert rows == [["0", "0.5"]]


# ---- reading a run back ---------------------------------------------------------------------


@pytest.mark.parametrize("tail", ["2,0.1", "2,", "2"])
def test_load_run_skips_an_incomplete_last_row(tmp_path, tail):
    (tmp_path / "metrics.csv").write_text(f"epoch,loss\n0,0.5\n1,0.25\n{tail}",
                                          encoding="utf-8")
    history = read_metrics(tmp_path / "metrics.csv")
    assert list(history["epoch"]) == [0.0, 1.0]
    assert list(load_run(tmp_path).history["loss"]) == [0.5, 0.25]


def test_load_run_keeps_a_complete_last_row(tmp_path):
    (tmp_path / "metrics.csv").write_text("epoch,loss\n0,0.5\n1,nan\n", encoding="utf-8")
    history = read_metrics(tmp_path / "metrics.csv")
    assert len(history) == 2 and np.isnan(history["loss"][1])
