"""Unit health counted during the training split's evaluation (RowMeasurer with health):
the same figures as a separate HealthMeter pass, the rest of each row unchanged, and no
second forward pass in a run."""

import math

import numpy as np
import pytest

import trainlab
from trainlab.engine import Network
from trainlab.engine.network import EVAL_ROWS
from trainlab.engine.trace import UnitCounter
from trainlab.runs.evaluation import RowMeasurer, SplitEvaluator
from trainlab.runs.health import HealthMeter


def measurers(net, X, y, Xv, yv):
    train = SplitEvaluator(net, X, y, "cross_entropy", 0.0, "classification")
    val = SplitEvaluator(net, Xv, yv, "cross_entropy", 0.0, "classification")
    return (RowMeasurer(net, train, val, 0.01, 0.02, health=True),
            RowMeasurer(net, train, val, 0.01, 0.02, health=False))


def snapshots(net, k, seed):
    """k weight copies: the network's, then ones with some weights near zero and units
    pushed far below zero (dead or saturated), drawn at random."""
    rng = np.random.default_rng(seed)
    theta = np.repeat(net.theta[None], k, axis=0)
    stats = np.repeat(net.stats[None], k, axis=0)
    for i in range(1, k):
        theta[i] += rng.normal(0.0, 1.5, theta.shape[1])
        theta[i, rng.integers(0, theta.shape[1], 5)] = rng.uniform(-2e-3, 2e-3, 5)
        stats[i] = np.abs(stats[i] + rng.normal(0.0, 0.3, stats.shape[1]))
    return theta, stats


@pytest.mark.parametrize("n_train", [37, EVAL_ROWS + 29], ids=["one_block", "blocks"])
@pytest.mark.parametrize("activation, batch_norm, dropout, mode", [
    ("relu", False, 0.0, "inverted"),
    ("tanh", True, 0.3, "inverted"),
    ("sigmoid", False, 0.4, "scale_at_test"),
    ("elu", True, 0.25, "scale_at_test"),
    ("maxout", False, 0.0, "inverted"),
], ids=["relu", "tanh_bn_dropout", "sigmoid_scaled", "elu_bn_scaled", "maxout"])
def test_folded_counts_equal_a_separate_pass(n_train, activation, batch_norm, dropout, mode):
    rng = np.random.default_rng(4)
    net = Network([3, 9, 7, 3], activation=activation, batch_norm=batch_norm, dropout=dropout,
                  dropout_mode=mode, init="normal", init_scale=2.0, seed=1)
    X, Xv = rng.normal(size=(n_train, 3)), rng.normal(size=(23, 3))
    y, yv = rng.integers(0, 3, n_train), rng.integers(0, 3, 23)
    with_health, without = measurers(net, X, y, Xv, yv)
    theta, stats = snapshots(net, 4, 9)
    rows = np.zeros((4, with_health.width))
    plain = np.zeros_like(rows)
    shares = with_health.measure(4, theta, stats, rows)
    assert without.measure(4, theta, stats, plain) is None
    np.testing.assert_array_equal(rows, plain)   # counting changes nothing else in a row
    meter = HealthMeter(net)
    for k in range(4):
        np.testing.assert_array_equal(shares[k], meter.shares(X, theta[k], stats[k]))
    assert shares.shape == (4, len(meter.columns))
    # the snapshots are not all alike: the counts do follow the weights
    assert not np.array_equal(shares[0], shares[1], equal_nan=True)


def test_a_measured_row_carries_its_figures():
    rng = np.random.default_rng(0)
    net = Network([2, 5, 2], activation="relu", seed=3)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    with_health, without = measurers(net, X, y, X[:6], y[:6])
    m = with_health((net.theta.copy(), net.stats.copy()))
    assert m.health == pytest.approx(HealthMeter(net).measure(X), rel=0, abs=0, nan_ok=True)
    assert without((net.theta.copy(), net.stats.copy())).health == {}


def test_scaled_dropout_holds_f_before_the_test_time_scaling_against_the_bounds():
    """Dropout scaled at test time (p = 0.5): evaluation passes a = 0.5·tanh(z) on. Unit 1,
    z = 3x on x ∈ {1, 0.2}: tanh(3) = 0.995 is saturated (a = 0.4975 is held against
    0.5·0.97), tanh(0.6) = 0.537 is not. Layer 2 reads the scaled a: z₂ = 4·a₁ = 1.99 and
    0.43, tanh = 0.963 and 0.41: neither saturated (with unscaled inputs, 4·0.995 would
    be)."""
    net = Network([1, 1, 1, 2], activation="tanh", dropout=0.5, dropout_mode="scale_at_test",
                  seed=0)
    p = net.params
    p.update(W1=np.array([[3.0]]), b1=np.zeros(1), W2=np.array([[4.0]]), b2=np.zeros(1))
    net.set_params(p)
    X = np.array([[1.0], [0.2]])
    a = net.forward_trace(X)
    assert a[1]["a"][:, 0] == pytest.approx(0.5 * np.tanh(4 * 0.5 * np.tanh([3.0, 0.6])))
    with_health, _ = measurers(net, X, np.array([0, 1]), X, np.array([0, 1]))
    figures = with_health((net.theta.copy(), net.stats.copy())).health
    assert figures["saturated_1"] == 0.5 and figures["saturated_2"] == 0.0
    assert math.isnan(figures["dead_1"])


def test_a_run_makes_no_second_forward_pass_for_health(monkeypatch, tmp_path):
    """The separate counting pass is never called by a run (either path), yet every row
    has its figures."""
    def refuse(*args, **kwargs):
        raise AssertionError("a second forward pass over the training inputs")

    monkeypatch.setattr(UnitCounter, "counts", refuse)
    preset = {"format": "trainlab-preset", "data": {"source": "circles", "n_samples": 120},
              "model": {"hidden": [6], "activation": "relu"},
              "training": {"epochs": 3, "batch_size": 16}}
    for compiled in ("1", "0"):
        monkeypatch.setenv("TRAINLAB_COMPILED_EPOCHS", compiled)
        h = trainlab.train(preset, write_files=False).history
        assert len(h) == 4 and not np.isnan(h["dead_1"]).any()
        assert ((h["zero_w_2"] >= 0) & (h["zero_w_2"] <= 1)).all()
