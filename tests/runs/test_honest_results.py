"""Results that do not lie: a stopped k-fold reports only its completed folds, a non-finite
first row is blamed on its true cause, and a diverged run keeps finite final weights."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from trainlab.data import DataError
from trainlab.runs import loop
from trainlab.runs.judge import judge_start
from trainlab.runs.loop import train
from trainlab.runs.prepared import prepare

from .helpers import load_npz, preset, same_params

KFOLD = preset(data={"source": "xor", "n_samples": 60, "kfold": 3}, model={"hidden": [8]},
               training={"epochs": 30})


def stop_at_fit(monkeypatch, n: int) -> None:
    """The ``n``-th training of the run (1: the main run, 2: fold 1, ...) is stopped as it
    starts, as a Ctrl+C or RunControl.stop() landing while it trains would."""
    real, count = loop.Fit, []

    class Stopping(real):
        def run(self):
            count.append(1)
            if len(count) == n:
                self.control.stop()
            return super().run()

    monkeypatch.setattr(loop, "Fit", Stopping)


def test_a_stop_during_the_folds_reports_only_the_completed_ones(tmp_path, monkeypatch):
    full = train(KFOLD, write_files=False).extra["kfold"]
    stop_at_fit(monkeypatch, 3)  # during fold 2
    out = tmp_path / "run"
    result = train(KFOLD, out_dir=out)
    kf = result.extra["kfold"]
    assert result.status == "stopped"
    assert "after 1 of 3 folds" in result.message
    assert kf["partial"] is True and kf["folds_completed"] == 1
    assert kf["values"] == full["values"][:1] and kf["mean"] == full["values"][0]
    assert full["partial"] is False and full["folds_completed"] == 3
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "stopped" and summary["kfold"]["partial"] is True


def test_a_stop_during_the_first_fold_reports_no_figures(monkeypatch):
    stop_at_fit(monkeypatch, 2)
    result = train(KFOLD, write_files=False)
    kf = result.extra["kfold"]
    assert result.status == "stopped"
    assert kf["values"] == [] and kf["mean"] is None and kf["folds_completed"] == 0


# ---- why the first row is not finite -----------------------------------------------------------


def test_non_finite_scaled_data_is_refused_naming_the_column(tmp_path):
    rows = ["a,huge,y"] + [f"{i % 3},{(-1) ** i * 1.7e308},{i % 2}" for i in range(20)]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = preset(data={"source": "csv", "path": str(tmp_path / "big.csv"), "target": "y"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw NumPy warning on the way
        with pytest.raises(DataError) as refused:
            prepare(data)
    text = str(refused.value)
    assert "'huge'" in text and "standardize" in text and "'a'" not in text


def test_data_beyond_float32_is_refused_for_a_float32_run(tmp_path):
    rows = ["x,y"] + [f"{1e39 * (i + 1)},{i % 2}" for i in range(20)]
    (tmp_path / "f32.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = preset(data={"source": "csv", "path": str(tmp_path / "f32.csv"), "target": "y",
                        "scaling": "none"}, training={"dtype": "float32"})
    with pytest.raises(DataError, match="'x' is not a finite float32 number"):
        prepare(data)
    data["training"]["dtype"] = "float64"
    prepare(data)  # fits a float64


def test_an_infinite_penalty_is_named_as_the_cause():
    result = train(preset(regularization={"l2": 1e308}, model={"init_scale": 1.0}),
                   write_files=False)
    assert result.status == "diverged" and len(result.history) == 1
    assert "penalty" in result.message and "regularization.l1 / l2" in result.message
    assert math.isfinite(result.history["train_loss"][0])
    assert not math.isfinite(result.history["penalty"][0])


def test_the_first_row_message_names_the_term_that_is_not_finite():
    assert "penalty" in judge_start(0.7, math.inf).message
    assert "initial weights themselves" in judge_start(math.nan, 0.0, False).message
    data_loss = judge_start(math.inf, 0.0).message
    assert "data loss" in data_loss and "penalty are finite" in data_loss
    assert not judge_start(0.7, 0.0, True).ends


# ---- the final weights of a diverged run ------------------------------------------------------


def test_a_diverged_adamw_run_keeps_the_last_finite_weights(tmp_path):
    out = tmp_path / "run"
    result = train(preset(optimizer={"name": "adamw", "lr": 1e100, "weight_decay": 0.5},
                          training={"epochs": 20}), out_dir=out)
    assert result.status == "diverged"
    assert not bool(result.history["w_norm_1"][-1] < math.inf)  # the last row's weights
    final = load_npz(out / "weights_final.npz")
    assert all(np.isfinite(v).all() for v in final.values())
    summary = json.loads((out / "summary.json").read_text())
    epoch = len(result.history) - 2  # the row before the non-finite one
    assert summary["final_weights"] == f"last finite, epoch {epoch}"
    if epoch == 0:
        assert same_params(final, load_npz(out / "weights_initial.npz"))
    assert same_params(final, result.params_final)


def test_a_run_that_does_not_diverge_says_nothing_about_final_weights(tmp_path):
    train(preset(), out_dir=tmp_path / "run")
    assert "final_weights" not in json.loads((tmp_path / "run" / "summary.json").read_text())
