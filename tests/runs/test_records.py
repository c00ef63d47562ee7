"""The run directory read back: load_run round-trips what a run wrote."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.runs.history import History
from trainlab.runs.loop import train
from trainlab.runs.records import format_value, load_run, read_metrics

from .helpers import load_npz, metrics_columns, preset, same_params

REGRESSION = preset(data={"source": "line", "n_samples": 30}, loss={"name": "mae"},
                    model={"hidden": [3]}, training={"epochs": 3})
EARLY = preset(data={"source": "moons", "n_samples": 60, "noise": 0.3}, model={"hidden": [32]},
               optimizer={"lr": 0.05}, training={"epochs": 200, "batch_size": 8,
                                                 "early_stopping": {"enabled": True,
                                                                    "patience": 3}})


@pytest.mark.parametrize("data", [preset(), REGRESSION, EARLY], ids=["cls", "reg", "early"])
def test_load_run_round_trips_a_run_directory(data, tmp_path):
    result = train(data, out_dir=tmp_path / "run")
    record = load_run(tmp_path / "run")
    assert record.path == tmp_path / "run"
    assert record.preset == result.preset
    assert record.name == data["name"]
    assert record.task == result.task
    assert record.history.columns == result.history.columns
    assert len(record.history) == len(result.history)
    for name in result.history.columns:  # bit for bit, NaN where NaN
        np.testing.assert_array_equal(record.history[name], result.history[name])
    m = metrics_columns(tmp_path / "run" / "metrics.csv")
    for name, values in m.items():
        np.testing.assert_array_equal(record.history[name], values)
    assert record.summary["status"] == result.status
    assert record.summary["epochs"] == result.epochs
    assert record.summary["best_epoch"] == result.best_epoch
    assert record.summary["test_metrics"] == pytest.approx(result.test_metrics, rel=0)
    assert same_params(record.weights("initial"), result.params_initial)
    assert same_params(record.weights("final"), result.params_final)
    if result.params_best is not None:
        assert same_params(record.weights("best"), result.params_best)


def test_load_run_refuses_a_folder_that_is_no_run(tmp_path):
    with pytest.raises(ValueError, match="metrics.csv"):
        load_run(tmp_path)


def test_write_files_false_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import trainlab.runs.records as records

    monkeypatch.setattr(records, "default_runs_dir", lambda: tmp_path / "runs")
    result = train(preset(), write_files=False)
    assert result.out_dir is None
    assert list(tmp_path.iterdir()) == []


def test_values_round_trip_through_text(tmp_path):
    values = np.array([0.1, 1 / 3, 1e-300, 5e-324, 1.7976931348623157e308, np.nan, np.inf,
                       -np.inf, -0.0, 123456789.123456789])
    for v in values:
        back = float(format_value(v))
        assert (np.isnan(back) and np.isnan(v)) or back == v
        assert np.signbit(back) == np.signbit(v) or np.isnan(v)
    h = History(["epoch", "x"], capacity=1)
    for i, v in enumerate(values):
        h.append({"epoch": i, "x": v})
    from trainlab.runs.records import MetricsWriter

    w = MetricsWriter(tmp_path / "m.csv", h.columns)
    for i in range(len(h)):
        w.write(h.row(i))
    w.close()
    np.testing.assert_array_equal(read_metrics(tmp_path / "m.csv")["x"], values)
    # a whole history at once: the same file, byte for byte
    from trainlab.runs.records import write_history_csv

    assert write_history_csv(h, tmp_path / "h.csv").read_bytes() == \
        (tmp_path / "m.csv").read_bytes()
    assert (tmp_path / "h.csv").read_text().splitlines()[1:3] == ["0,0.1", "1,0.3333333333333333"]


def test_weights_files_load_without_pickle(tmp_path):
    data = preset(model={"hidden": [4, 3], "batch_norm": True})
    train(data, out_dir=tmp_path / "run")
    for which in ("initial", "final"):
        params = load_npz(tmp_path / "run" / f"weights_{which}.npz")
        assert set(params) == {"W1", "b1", "W2", "b2", "W3", "b3", "bn1_gamma", "bn1_beta",
                               "bn1_mean", "bn1_var", "bn2_gamma", "bn2_beta", "bn2_mean",
                               "bn2_var"}
        assert params["W1"].shape == (2, 4) and params["W2"].shape == (4, 3)
        assert params["W3"].shape == (3, 2) and params["bn2_var"].shape == (3,)


def test_the_record_reads_the_batch_losses_and_the_weight_history(tmp_path):
    from trainlab.runs.options import RunOptions

    data = preset(training={"epochs": 3, "batch_size": 8})  # 28 training rows: 4 steps/epoch
    result = train(data, out_dir=tmp_path / "run", options=RunOptions(save_history=True))
    record = load_run(tmp_path / "run")
    losses = record.batch_loss
    assert losses.dtype == np.float32 and losses.shape == (3 * 4,)
    np.testing.assert_array_equal(losses, result.batch_loss)
    epochs, weights = record.weights_history
    kept, expected = result.weights_history
    np.testing.assert_array_equal(epochs, [0, 1, 2, 3])
    np.testing.assert_array_equal(epochs, kept)
    assert weights.keys() == expected.keys() == result.params_final.keys()
    for name, stacked in weights.items():
        np.testing.assert_array_equal(stacked, expected[name])
    assert same_params({k: v[0] for k, v in weights.items()}, record.weights("initial"))
    assert same_params({k: v[-1] for k, v in weights.items()}, result.params_final)


def test_the_record_says_none_for_what_the_run_did_not_write(tmp_path):
    train(preset(training={"record_batch_loss": False}), out_dir=tmp_path / "run")
    record = load_run(tmp_path / "run")
    assert record.batch_loss is None  # turned off
    assert record.weights_history is None  # not asked for (RunOptions.save_history)


@pytest.mark.parametrize("file", ["batch_loss.npy", "weights_history.npz"])
def test_a_damaged_extra_file_is_one_line_naming_it(tmp_path, file):
    train(preset(), out_dir=tmp_path / "run")
    (tmp_path / "run" / file).write_bytes(b"not numpy")
    record = load_run(tmp_path / "run")
    with pytest.raises(ValueError) as error:
        record.batch_loss if file.endswith(".npy") else record.weights_history  # noqa: B018
    message = str(error.value)
    assert file in message and "\n" not in message
