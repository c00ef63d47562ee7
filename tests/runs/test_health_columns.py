"""Unit-health columns in every history row (row 0 included) and metrics.csv, equal to a
HealthMeter on that row's weights; feature names in data.npz."""

import csv

import numpy as np
import pytest

import trainlab
from trainlab.runs.build import build_network
from trainlab.runs.health import health_columns, measure_health
from trainlab.runs.history import history_columns
from trainlab.runs.prepared import prepare

PRESET = {"format": "trainlab-preset", "data": {"source": "circles", "n_samples": 200},
          "model": {"hidden": [6, 5], "activation": ["relu", "tanh"]},
          "optimizer": {"name": "sgd", "lr": 0.5}, "regularization": {"l1": 0.01},
          "training": {"epochs": 4, "batch_size": 16}}


def test_history_columns_end_with_the_health_of_each_layer():
    cols = history_columns(3, "classification")
    assert cols[-7:] == health_columns(3) == [
        "dead_1", "dead_2", "saturated_1", "saturated_2", "zero_w_1", "zero_w_2", "zero_w_3"]


def _figures_of(run, params):
    net = build_network(run)
    net.set_params(params)
    return measure_health(net, run.splits.X_train)


@pytest.mark.parametrize("compiled", ["1", "0"], ids=["compiled", "one_at_a_time"])
def test_rows_hold_the_health_of_their_weights(tmp_path, monkeypatch, compiled):
    monkeypatch.setenv("TRAINLAB_COMPILED_EPOCHS", compiled)
    run = prepare(PRESET)
    result = trainlab.train(run, out_dir=tmp_path / "run", save_data=True)
    h = result.history
    for i, params in ((0, result.params_initial), (len(h) - 1, result.params_final)):
        want = _figures_of(run, params)
        got = {c: h[c][i] for c in want}
        np.testing.assert_allclose(list(got.values()), list(want.values()), rtol=1e-12)
    assert np.isnan(h["dead_2"]).all() and np.isnan(h["saturated_1"]).all()  # tanh, relu
    assert not np.isnan(h["dead_1"]).any() and not np.isnan(h["zero_w_3"]).any()
    with open(tmp_path / "run" / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(h) and float(rows[-1]["zero_w_1"]) == h["zero_w_1"][-1]
    with np.load(tmp_path / "run" / "data.npz", allow_pickle=False) as data:
        assert data["feature_names"].tolist() == ["x1", "x2"]


def test_data_npz_names_computed_features(tmp_path):
    preset = dict(PRESET, data={"source": "circles", "n_samples": 100,
                                "features": ["x1^2", "x2^2"]}, training={"epochs": 1})
    trainlab.train(preset, out_dir=tmp_path / "run", save_data=True)
    with np.load(tmp_path / "run" / "data.npz", allow_pickle=False) as data:
        assert data["feature_names"].tolist() == ["x1^2", "x2^2"]
        assert data["X_train"].shape[1] == 2
