"""The training loop of SPEC §10, checked against numbers recomputed from the files a run
leaves (weights_*.npz, data.npz) and from the engine's own gradient call."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from trainlab.engine import Network
from trainlab.presets import validate_preset
from trainlab.runs.build import build_network
from trainlab.runs.loop import train
from trainlab.runs.prepared import prepare

from .helpers import (
    accuracy,
    data_loss,
    forward,
    load_npz,
    metrics_columns,
    metrics_rows,
    penalty,
    preset,
    r2,
    same_params,
    weight_names,
)


def run(tmp_path, data, name="run", **kw):
    out = tmp_path / name
    result = train(data, out_dir=out, save_data=True, **kw)
    return result, out


def params_by_epoch(data, **kw):
    """Train, keeping a copy of the weights after row 0 and after every epoch."""
    seen = {}

    def callback(progress):
        if progress.event in ("start", "epoch"):
            seen[progress.epoch] = progress.params()

    result = train(data, callback=callback, write_files=False, **kw)
    return result, seen


CLASSIFY = preset(data={"source": "moons", "n_samples": 60, "noise": 0.2},
                  model={"hidden": [6, 5], "activation": "tanh"})
BINARY = preset(data={"source": "circles", "n_samples": 50}, loss={"name": "bce"},
                model={"hidden": [5], "activation": "relu"})
REGRESS = preset(data={"source": "sine", "n_samples": 50}, loss={"name": "mse"},
                 model={"hidden": [7], "activation": "tanh"})
LOSS_CASES = {"cross_entropy": CLASSIFY, "bce": BINARY, "mse": REGRESS}


# --- row 0 and the metrics of a row ----------------------------------------------------------


@pytest.mark.parametrize("loss", list(LOSS_CASES))
def test_row_0_evaluates_the_initial_weights(loss, tmp_path):
    data = LOSS_CASES[loss]
    result, out = run(tmp_path, data)
    act = data["model"]["activation"]
    w0, d = load_npz(out / "weights_initial.npz"), load_npz(out / "data.npz")
    m = metrics_columns(out / "metrics.csv")
    assert m["epoch"][0] == 0
    for split in ("train", "val"):
        logits = forward(w0, d[f"X_{split}"], act)
        y = d[f"y_{split}"]
        assert m[f"{split}_loss"][0] == pytest.approx(data_loss(logits, y, loss), rel=1e-12)
        if loss == "mse":
            assert m[f"{split}_r2"][0] == pytest.approx(r2(logits, y), rel=1e-9, abs=1e-12)
        else:
            assert m[f"{split}_acc"][0] == accuracy(logits, y, loss)


@pytest.mark.parametrize("loss", list(LOSS_CASES))
def test_last_row_metrics_are_those_of_the_final_weights(loss, tmp_path):
    data = preset(LOSS_CASES[loss], training={"epochs": 4})
    result, out = run(tmp_path, data)
    act = data["model"]["activation"]
    w, d = load_npz(out / "weights_final.npz"), load_npz(out / "data.npz")
    m = metrics_columns(out / "metrics.csv")
    for split in ("train", "val"):
        logits = forward(w, d[f"X_{split}"], act)
        y = d[f"y_{split}"]
        assert m[f"{split}_loss"][-1] == pytest.approx(data_loss(logits, y, loss), rel=1e-12)
        if loss == "mse":
            assert m[f"{split}_r2"][-1] == pytest.approx(r2(logits, y), rel=1e-9, abs=1e-12)
        else:
            # accuracy is the fraction of rows whose predicted class is right
            assert m[f"{split}_acc"][-1] == accuracy(logits, y, loss)
    # the test split is evaluated once, at the end, with the final weights
    logits = forward(w, d["X_test"], act)
    assert result.test_metrics["test_loss"] == pytest.approx(
        data_loss(logits, d["y_test"], loss), rel=1e-12)


def test_weight_norms_and_penalty_of_every_row(tmp_path):
    l1, l2 = 0.003, 0.02
    data = preset(CLASSIFY, regularization={"l1": l1, "l2": l2}, training={"epochs": 4})
    result, seen = params_by_epoch(data)
    h = result.history
    assert sorted(seen) == list(range(5))
    for e, params in seen.items():
        for l, name in enumerate(weight_names(params), start=1):
            assert h[f"w_norm_{l}"][e] == pytest.approx(np.linalg.norm(params[name]), rel=1e-12)
        assert h["penalty"][e] == pytest.approx(penalty(params, l1, l2), rel=1e-12)
    # the same through the files: row 0 ↔ weights_initial, last row ↔ weights_final
    result, out = run(tmp_path, data)
    m = metrics_columns(out / "metrics.csv")
    for row, which in ((0, "initial"), (-1, "final")):
        params = load_npz(out / f"weights_{which}.npz")
        for l, name in enumerate(weight_names(params), start=1):
            assert m[f"w_norm_{l}"][row] == pytest.approx(np.linalg.norm(params[name]),
                                                          rel=1e-12)
        assert m["penalty"][row] == pytest.approx(penalty(params, l1, l2), rel=1e-12)


def test_without_penalties_the_penalty_column_is_zero(tmp_path):
    result, _ = run(tmp_path, CLASSIFY)
    assert np.all(result.history["penalty"] == 0.0)


# --- gradient norms --------------------------------------------------------------------------


def test_g_norm_of_full_batch_gd_is_the_gradient_norm_at_the_pre_epoch_weights():
    """One step per epoch: row e+1 holds ‖∂objective/∂W_l‖_F at the weights of row e."""
    l1, l2 = 0.001, 0.01
    data = preset(CLASSIFY, optimizer={"name": "adam", "lr": 0.05},
                  regularization={"l1": l1, "l2": l2},
                  training={"epochs": 4, "batch_size": 10_000})
    result, seen = params_by_epoch(data)
    p = validate_preset(data)
    prepared = prepare(p)
    splits, net = prepared.splits, build_network(prepared)
    h = result.history
    assert np.all(np.isnan([h[f"g_norm_{l}"][0] for l in (1, 2, 3)]))
    for e in range(4):
        net.set_params(seen[e])
        _, grads = net.loss_and_gradients(splits.X_train, splits.y_train, "cross_entropy",
                                          l1=l1, l2=l2)
        for l in (1, 2, 3):
            assert h[f"g_norm_{l}"][e + 1] == pytest.approx(
                np.linalg.norm(grads[f"W{l}"]), rel=1e-9)


def test_g_norm_is_the_mean_over_the_steps_of_the_epoch():
    """Mini-batches in order (shuffle off) replayed by hand with plain SGD."""
    lr, B = 0.3, 9
    data = preset(CLASSIFY, optimizer={"name": "sgd", "lr": lr}, regularization={"l2": 0.01},
                  training={"epochs": 2, "batch_size": B, "shuffle": False})
    result, seen = params_by_epoch(data)
    p = validate_preset(data)
    prepared = prepare(p)
    splits, net = prepared.splits, build_network(prepared)
    net.set_params(seen[0])
    X, y = splits.X_train, splits.y_train
    for e in (1, 2):
        norms = []
        for start in range(0, len(X), B):
            _, grads = net.loss_and_gradients(X[start:start + B], y[start:start + B],
                                              "cross_entropy", l2=0.01)
            norms.append([np.linalg.norm(grads[f"W{l}"]) for l in (1, 2, 3)])
            params = net.params
            net.set_params({k: params[k] - lr * grads[k] for k in grads})
        expected = np.mean(norms, axis=0)
        got = [result.history[f"g_norm_{l}"][e] for l in (1, 2, 3)]
        np.testing.assert_allclose(got, expected, rtol=1e-9)
        for k, v in seen[e].items():
            np.testing.assert_allclose(net.params[k], v, rtol=1e-10, atol=1e-13)


# --- learning rate column --------------------------------------------------------------------


SCHEDULES = {
    "constant": ({"name": "constant"}, lambda e: 0.1),
    "step": ({"name": "step", "gamma": 0.5, "step_size": 2}, lambda e: 0.1 * 0.5 ** (e // 2)),
    "exponential": ({"name": "exponential", "gamma": 0.8}, lambda e: 0.1 * 0.8 ** e),
    "warmup_step": ({"name": "step", "gamma": 0.5, "step_size": 2, "warmup_epochs": 3},
                    lambda e: 0.1 * (e + 1) / 3 if e < 3 else 0.1 * 0.5 ** ((e - 3) // 2)),
    "inverse_time": ({"name": "inverse_time", "decay": 0.5}, lambda e: 0.1 / (1 + 0.5 * e)),
    "cosine": ({"name": "cosine", "T": 5, "min_lr": 0.01},
               lambda e: 0.01 + 0.09 * (1 + math.cos(math.pi * min(e, 5) / 5)) / 2),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_lr_column_follows_the_schedule(name, tmp_path):
    schedule, eta = SCHEDULES[name]
    data = preset(CLASSIFY, optimizer={"name": "sgd", "lr": 0.1}, schedule=schedule,
                  training={"epochs": 8})
    result, out = run(tmp_path, data)
    lr = metrics_columns(out / "metrics.csv")["lr"]
    assert len(lr) == 9
    assert lr[0] == pytest.approx(eta(0), rel=1e-12)  # row 0: η of epoch 0
    for e in range(1, 9):
        assert lr[e] == pytest.approx(eta(e - 1), rel=1e-12)  # η used during epoch e


# --- early stopping --------------------------------------------------------------------------


def expected_stop(monitored: np.ndarray, patience: int, min_delta: float, epochs: int):
    """(last epoch, best epoch) by SPEC §10's rule applied to the recorded losses."""
    best, best_epoch, bad = math.inf, None, 0
    for e in range(1, len(monitored)):
        if monitored[e] < best - min_delta:
            best, best_epoch, bad = monitored[e], e, 0
        else:
            bad += 1
        if bad >= patience:
            return e, best_epoch
    return epochs, best_epoch


EARLY = preset(data={"source": "moons", "n_samples": 60, "noise": 0.3},
               model={"hidden": [32]}, optimizer={"lr": 0.05},
               training={"epochs": 300, "batch_size": 8,
                         "early_stopping": {"enabled": True, "patience": 4}})


@pytest.mark.parametrize("patience, min_delta", [(4, 0.0), (2, 0.0), (3, 0.01), (6, 0.002)])
def test_early_stopping_stops_after_patience_bad_epochs(patience, min_delta, tmp_path):
    data = preset(EARLY, training={"early_stopping": {"patience": patience,
                                                      "min_delta": min_delta}})
    result, out = run(tmp_path, data)
    assert result.status == "early_stopped"
    val = result.history["val_loss"]
    last, best = expected_stop(val, patience, min_delta, 300)
    assert len(val) - 1 == last < 300
    assert result.best_epoch == best
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "early_stopped"
    assert summary["epochs"] == last and summary["best_epoch"] == best
    if min_delta == 0.0:
        # the best epoch is the one with the lowest validation loss (row 0 is no epoch)
        assert best == int(np.argmin(val[1:])) + 1
        assert last == best + patience


def test_restore_best_ends_with_the_best_epochs_weights(tmp_path):
    result, seen = params_by_epoch(EARLY)
    assert result.status == "early_stopped"
    best = result.best_epoch
    assert best < len(result.history) - 1  # there is something to restore
    assert same_params(result.params_final, seen[best])
    assert same_params(result.params_best, seen[best])
    result, out = run(tmp_path, EARLY)
    final, best_file = load_npz(out / "weights_final.npz"), load_npz(out / "weights_best.npz")
    assert same_params(final, best_file)
    val = metrics_columns(out / "metrics.csv")["val_loss"]
    assert result.best_epoch == int(np.argmin(val[1:])) + 1
    # the final weights reproduce the best row's validation loss
    d = load_npz(out / "data.npz")
    logits = forward(final, d["X_val"], "tanh")
    assert data_loss(logits, d["y_val"], "cross_entropy") == pytest.approx(
        val[result.best_epoch], rel=1e-12)


def test_without_restore_best_the_last_epochs_weights_are_kept(tmp_path):
    data = preset(EARLY, training={"early_stopping": {"restore_best": False}})
    result, out = run(tmp_path, data)
    assert result.status == "early_stopped"
    final = load_npz(out / "weights_final.npz")
    assert not same_params(final, load_npz(out / "weights_best.npz"))
    m = metrics_columns(out / "metrics.csv")
    assert m["w_norm_1"][-1] == pytest.approx(np.linalg.norm(final["W1"]), rel=1e-12)


def test_without_a_validation_split_the_training_loss_is_monitored():
    data = preset(EARLY, data={"split": {"train": 0.8, "val": 0.0, "test": 0.2}},
                  optimizer={"lr": 0.3},
                  training={"early_stopping": {"patience": 2}, "batch_size": 4})
    result = train(data, write_files=False)
    assert np.all(np.isnan(result.history["val_loss"]))
    last, best = expected_stop(result.history["train_loss"], 2, 0.0, 300)
    assert len(result.history) - 1 == last
    assert result.best_epoch == best


def test_early_stopping_off_runs_every_epoch():
    data = preset(EARLY, training={"epochs": 12, "early_stopping": {"enabled": False}})
    result = train(data, write_files=False)
    assert result.status == "finished" and len(result.history) == 13
    assert result.params_best is None


# --- divergence ------------------------------------------------------------------------------


LINE_FIT_HUGE_LR = preset(data={"source": "line", "n_samples": 100},
                          model={"hidden": [], "activation": "identity"},
                          loss={"name": "mse"}, optimizer={"name": "sgd", "lr": 1e6},
                          training={"epochs": 500, "batch_size": 1000})


def test_divergence_stops_the_run_and_keeps_the_rows_before(tmp_path):
    result, out = run(tmp_path, LINE_FIT_HUGE_LR)
    assert result.status == "diverged"
    named = [int(n) for n in re.findall(r"epoch (\d+)", result.message)]
    assert named, result.message
    header, rows = metrics_rows(out / "metrics.csv")
    epochs = [int(r[0]) for r in rows]
    assert epochs == list(range(len(rows)))  # no row lost, none out of order
    assert len(rows) < 501
    # the named epoch is the one that blew up: every row before it is finite
    e = named[0]
    assert e in (epochs[-1], epochs[-1] + 1)
    loss = header.index("train_loss")
    for r in rows[:e]:
        assert math.isfinite(float(r[loss]))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "diverged" and summary["message"] == result.message
    assert (out / "weights_final.npz").is_file()


def test_divergence_in_a_mini_batch_epoch_is_caught():
    data = preset(LINE_FIT_HUGE_LR, training={"batch_size": 4})
    result = train(data, write_files=False)
    assert result.status == "diverged"
    assert re.search(r"epoch \d+", result.message)


# --- epochs override -------------------------------------------------------------------------


def test_epochs_override(tmp_path):
    data = preset(CLASSIFY, training={"epochs": 50})
    result, out = run(tmp_path, data, epochs=3)
    assert result.status == "finished"
    assert len(result.history) == 4 and result.epochs == 3
    assert result.preset["training"]["epochs"] == 3
    assert json.loads((out / "preset.json").read_text())["training"]["epochs"] == 3
    assert json.loads((out / "summary.json").read_text())["epochs"] == 3


def test_a_preset_file_with_an_epochs_override_keeps_its_folder_for_a_csv(tmp_path):
    folder = tmp_path / "lab"
    folder.mkdir()
    rows = "".join(f"{i % 7},{(i * 3) % 5},{'ab'[i % 2]}\n" for i in range(30))
    (folder / "t.csv").write_text("u,v,label\n" + rows, encoding="utf-8")
    file = folder / "p.json"
    file.write_text(json.dumps(preset(data={"source": "csv", "path": "t.csv"},
                                      training={"epochs": 40})), encoding="utf-8")
    result = train(file, epochs=1, write_files=False)
    assert result.status == "finished" and result.epochs == 1


def test_seconds_column_grows(tmp_path):
    result, _ = run(tmp_path, preset(CLASSIFY, training={"epochs": 4}))
    seconds = result.history["seconds"]
    assert seconds[0] == 0.0 and np.all(np.diff(seconds) >= 0)


def test_network_from_the_preset_matches_the_initial_weights(tmp_path):
    """weights_initial.npz is the network the preset describes (seeded SPEC §3 init)."""
    result, out = run(tmp_path, CLASSIFY)
    net = Network([2, 6, 5, 2], activation="tanh", seed=0)
    assert same_params(net.params, load_npz(out / "weights_initial.npz"))


def test_a_huge_epoch_count_reserves_no_memory_up_front():
    """A preset may plan a million epochs; a run stopped after a few holds a few rows."""
    import tracemalloc

    from trainlab.runs.control import RunControl

    train(preset(CLASSIFY, training={"epochs": 1}), callback=lambda p: None, write_files=False)
    control = RunControl()

    def callback(progress):
        if progress.event == "epoch" and progress.epoch >= 3:
            control.stop()

    tracemalloc.start()
    try:
        result = train(preset(CLASSIFY, training={"epochs": 1_000_000}), callback=callback,
                       control=control, write_files=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "stopped" and len(result.history) == 4
    assert peak < 10_000_000, f"peak {peak / 1e6:.0f} MB for a 4-row history"


def test_the_history_grows_past_its_first_allocation():
    result = train(preset(data={"source": "line", "n_samples": 8}, loss={"name": "mse"},
                          model={"hidden": []}, optimizer={"name": "sgd", "lr": 0.01},
                          training={"epochs": 2500, "batch_size": 100}), write_files=False)
    assert result.status == "finished"
    np.testing.assert_array_equal(result.history["epoch"], np.arange(2501))
    assert np.all(np.isfinite(result.history["train_loss"]))
