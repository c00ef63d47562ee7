"""model.dropout_mode: inverted dropout vs the decks' form, scaled by 1 − p at test time.

With keep probability q = 1 − p, inverted dropout trains on f·m/q and evaluates f; the
decks' form trains on f·m and evaluates f·q (m ~ Bernoulli(q)). Both agree in expectation:
E[training output] = evaluation output, which the tests check by averaging masks.
"""

import numpy as np
import pytest

from trainlab.engine import Network
from trainlab.presets import validate_preset
from trainlab.runs.loop import train

P = 0.4


def net_of(mode, seed=3):
    return Network([3, 6, 2], activation="tanh", dropout=P, seed=seed, dropout_mode=mode)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="dropout_mode"):
        Network([2, 3, 1], dropout=0.5, dropout_mode="scaled")


def test_masks_are_unscaled_and_evaluation_scales_by_keep(rng):
    X = rng.normal(size=(5, 3))
    inv, sat = net_of("inverted"), net_of("scale_at_test")
    t_inv = inv.forward_trace(X, training=True)[0]
    t_sat = sat.forward_trace(X, training=True)[0]
    # the same seed draws the same masks: 1/q (inverted) where the decks' form keeps 1
    kept = t_sat["mask"] == 1.0
    assert set(np.unique(t_sat["mask"])) <= {0.0, 1.0}
    assert 0 < kept.sum() < kept.size
    np.testing.assert_array_equal(t_inv["mask"], np.where(kept, 1.0 / (1.0 - P), 0.0))
    np.testing.assert_array_equal(t_sat["a"], np.where(kept, t_sat["f"], 0.0))
    # evaluation: the inverted net's activations as they are, the decks' times q
    e_inv = inv.forward_trace(X)[0]["a"]
    e_sat = sat.forward_trace(X)[0]["a"]
    w = inv.params
    np.testing.assert_allclose(e_inv, np.tanh(X @ w["W1"] + w["b1"]), rtol=1e-14)
    np.testing.assert_allclose(e_sat, (1.0 - P) * e_inv, rtol=1e-15)
    np.testing.assert_allclose(sat.predict(X, loss="mse"), (1.0 - P) * e_inv @ w["W2"] + w["b2"],
                               rtol=1e-12)


@pytest.mark.parametrize("mode", ["inverted", "scale_at_test"])
def test_equal_predictions_in_expectation(mode, rng):
    """The mean of N training-mode outputs (fresh masks each) is the evaluation output,
    within 5 standard errors: Var(out_ij) = Σ_k (f_ik W_kj)² · Var(m), Var(m) = q(1−q)
    for m ∈ {0, 1} and (1−q)/q for m ∈ {0, 1/q}."""
    net = net_of(mode)
    X = rng.normal(size=(4, 3))
    N = 4000
    mean = np.zeros((4, 2))
    for _ in range(N):
        mean += net.forward_trace(X, training=True)[1]["z"]
    mean /= N
    want = net.predict(X, loss="mse")
    q = 1.0 - P
    f = np.tanh(X @ net.params["W1"] + net.params["b1"])
    var_m = q * (1.0 - q) if mode == "scale_at_test" else (1.0 - q) / q
    se = np.sqrt((f ** 2) @ (net.params["W2"] ** 2) * var_m / N)
    assert np.all(np.abs(mean - want) < 5 * se)
    # the bound is tight enough to tell the modes apart: the other mode's evaluation misses
    other = net_of("inverted" if mode == "scale_at_test" else "scale_at_test")
    assert np.any(np.abs(mean - other.predict(X, loss="mse")) > 20 * se)


def _preset(**model):
    return validate_preset({
        "format": "trainlab-preset", "seed": 4,
        "data": {"source": "moons", "n_samples": 120},
        "model": {"hidden": [8], "dropout": 0.3, **model},
        "training": {"epochs": 4, "batch_size": 16},
    })


def test_the_default_is_inverted_bit_for_bit():
    default = train(_preset()).history
    explicit = train(_preset(dropout_mode="inverted")).history
    other = train(_preset(dropout_mode="scale_at_test")).history
    for key in ("train_loss", "val_loss", "lr"):
        np.testing.assert_array_equal(default[key], explicit[key])
    assert not np.array_equal(default["val_loss"], other["val_loss"])


def test_the_lesson_both_modes_reach_the_same_accuracy():
    """resources/lessons/dropout_scaling.json: the same validation accuracy (30 rows: within
    one row), the decks' form with the higher final training loss."""
    from trainlab.lessons import run_variants
    from trainlab.lessons.index import lessons_dir

    r = run_variants(lessons_dir() / "dropout_scaling.json", write_files=False)
    inv, sat = r["inverted"].history, r["scaled at test"].history
    assert abs(inv["val_acc"][-1] - sat["val_acc"][-1]) <= 1 / 30 + 1e-12
    assert sat["train_loss"][-1] > inv["train_loss"][-1]


def test_the_pytorch_export_refuses_scaling_at_test(tmp_path):
    from trainlab.export import ExportError, export_torch

    run = train(_preset(dropout_mode="scale_at_test"), tmp_path / "run", save_data=True)
    with pytest.raises(ExportError, match="only inverted dropout"):
        export_torch(run.out_dir, tmp_path / "train.py")
