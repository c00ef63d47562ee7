"""The run directory a run leaves: summary.json written once, k-fold results included."""

from __future__ import annotations

import json

import numpy as np
import pytest

import trainlab.runs.recorder as recorder
from trainlab.runs.loop import train
from trainlab.runs.recorder import RunRecorder

from .helpers import preset


def test_a_kfold_summary_is_written_once_with_the_folds(tmp_path, monkeypatch):
    writes = []
    original = recorder.write_json

    def counting(path, data):
        writes.append(path.name)
        return original(path, data)

    monkeypatch.setattr(recorder, "write_json", counting)
    result = train(preset(data={"source": "moons", "n_samples": 60, "kfold": 3}),
                   out_dir=tmp_path / "r")
    assert writes == ["preset.json", "summary.json"]
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    kfold = summary["kfold"]
    assert kfold == result.extra["kfold"] and kfold["k"] == 3 and len(kfold["values"]) == 3
    assert kfold["mean"] == np.mean(kfold["values"])
    assert list(summary)[-1] == "kfold" and summary["status"] == result.status


def test_without_a_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with RunRecorder(None, save_data=True) as r:
        r.start({"name": "x"}, ["epoch"], {"W1": np.zeros(2)}, None)
        r.row({"epoch": 0})
        r.weights({"W1": np.zeros(2)}, None)
        r.summary({"status": "finished"})
    assert list(tmp_path.iterdir()) == []


def test_leaving_the_block_closes_metrics_csv(tmp_path):
    try:
        with RunRecorder(tmp_path / "r") as r:
            r.start({"name": "x"}, ["epoch", "lr"], {"W1": np.ones(2)}, None)
            r.row({"epoch": 0, "lr": 0.5})
            raise KeyError("a crash mid-run")
    except KeyError:
        pass
    with pytest.raises(ValueError):  # closed
        r.row({"epoch": 1, "lr": 0.5})
    text = (tmp_path / "r" / "metrics.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["epoch,lr", "0,0.5"]
    assert not (tmp_path / "r" / "summary.json").exists()
