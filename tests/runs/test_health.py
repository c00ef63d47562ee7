"""Unit health figures (trainlab/runs/health.py) on networks built so that known units die,
saturate or hold weights at zero, and against a forward trace recomputed in NumPy."""

import math

import numpy as np
import pytest

from trainlab.engine import Network
from trainlab.engine.network import EVAL_ROWS
from trainlab.runs.health import HealthMeter, health_columns, measure_health


def set_weights(net, **params):
    p = net.params
    p.update({k: np.asarray(v, float) for k, v in params.items()})
    net.set_params(p)


def test_columns():
    assert health_columns(3) == ["dead_1", "dead_2", "saturated_1", "saturated_2",
                                 "zero_w_1", "zero_w_2", "zero_w_3"]
    assert health_columns(1) == ["zero_w_1"]


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu"])
def test_dead_units_by_hand(activation):
    """Unit 1 fires for x1 > 0; unit 2 has zero weights and bias −1 (z = −1 always); unit 3
    has bias −10, far below anything x1 ∈ [−1, 1] reaches: 2 of 3 are never positive."""
    net = Network([2, 3, 2], activation=activation, seed=0)
    set_weights(net, W1=[[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]], b1=[0.0, -1.0, -10.0])
    X = np.array([[-1.0, 3.0], [0.5, -2.0], [1.0, 0.0]])
    figures = measure_health(net, X)
    assert figures["dead_1"] == pytest.approx(2 / 3)
    assert math.isnan(figures["saturated_1"])
    # on rows where x1 ≤ 0 only, unit 1 never fires either
    assert measure_health(net, X[:1])["dead_1"] == 1.0


@pytest.mark.parametrize("activation, expected", [("sigmoid", 3 / 8), ("tanh", 3 / 8)])
def test_saturation_by_hand(activation, expected):
    """Unit 1: z = 10x on x ∈ {−1, 1, 0, 0.5}: σ(±10), σ(5) = 0.9933 are beyond 0.03/0.97 and
    tanh(±10), tanh(5) beyond ±0.97; z = 0 is not. Unit 2: z = 0 always. 3 of 8 saturated."""
    net = Network([1, 2, 1], activation=activation, seed=0)
    set_weights(net, W1=[[10.0, 0.0]], b1=[0.0, 0.0])
    X = np.array([[-1.0], [1.0], [0.0], [0.5]])
    figures = measure_health(net, X)
    assert figures["saturated_1"] == expected
    assert math.isnan(figures["dead_1"])


def test_saturation_threshold_is_where_the_formula_says():
    """tanh(2.0) = 0.9640 is not saturated, tanh(2.1) = 0.9705 is (|a| > 0.97)."""
    net = Network([1, 1, 1], activation="tanh", seed=0)
    set_weights(net, W1=[[1.0]], b1=[0.0])
    assert measure_health(net, np.array([[2.0], [-2.0]]))["saturated_1"] == 0.0
    assert measure_health(net, np.array([[2.1], [-2.0]]))["saturated_1"] == 0.5


def test_zero_weights_by_hand():
    """|w| < 1e-3, strictly: 0, 5e-4 and −9e-4 count, 1e-3 and −2e-3 do not."""
    net = Network([2, 3, 1], activation="relu", seed=0)
    set_weights(net, W1=[[0.0, 5e-4, -9e-4], [1e-3, -2e-3, 0.5]], W2=[[0.0], [1.0], [-1e-4]])
    figures = measure_health(net, np.ones((2, 2)))
    assert figures["zero_w_1"] == 0.5
    assert figures["zero_w_2"] == pytest.approx(2 / 3)


def test_per_layer_activations_define_their_own_figures():
    net = Network([2, 4, 3, 2], activation=["relu", "sigmoid"], seed=1)
    figures = measure_health(net, np.random.default_rng(0).normal(size=(10, 2)))
    assert not math.isnan(figures["dead_1"]) and math.isnan(figures["dead_2"])
    assert math.isnan(figures["saturated_1"]) and not math.isnan(figures["saturated_2"])


def from_trace(net, X):
    """The figures restated on a forward trace, in NumPy."""
    trace = net.forward_trace(X)
    out = {}
    for l, (act, layer) in enumerate(zip(net.activations, trace, strict=False), start=1):
        a = layer["a"]
        out[f"dead_{l}"] = (np.mean(a.max(axis=0) <= 0)
                            if act in ("relu", "leaky_relu", "elu") else math.nan)
        if act == "sigmoid":
            out[f"saturated_{l}"] = np.mean((a < 0.03) | (a > 0.97))
        elif act == "tanh":
            out[f"saturated_{l}"] = np.mean(np.abs(a) > 0.97)
        else:
            out[f"saturated_{l}"] = math.nan
    for l in range(1, net.n_layers + 1):
        out[f"zero_w_{l}"] = np.mean(np.abs(net.params[f"W{l}"]) < 1e-3)
    return out


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation",
                         ["relu", "leaky_relu", "elu", "sigmoid", "tanh", "maxout"])
def test_figures_equal_the_trace_restated(activation, batch_norm):
    """Over more rows than one compiled call takes (the counts accumulate across chunks), with
    units pushed far below zero and a few weights near zero."""
    rng = np.random.default_rng(7)
    net = Network([3, 12, 8, 2], activation=activation, batch_norm=batch_norm, dropout=0.3,
                  init="normal", init_scale=3.0, seed=2)
    p = net.params
    p["b1"] = rng.normal(-4.0, 3.0, p["b1"].shape)
    p["b1"][:4] = -100.0  # 4 of 12 units far below zero: dead, or saturated
    p["W2"][0, :4] = [0.0, 2e-4, -5e-4, 3e-3]
    net.set_params(p)
    X = rng.normal(size=(2 * EVAL_ROWS + 17, 3))
    got, expected = measure_health(net, X), from_trace(net, X)
    assert list(got) == health_columns(3)
    np.testing.assert_allclose([got[c] for c in got], [expected[c] for c in got],
                               rtol=1e-12, atol=0)
    if activation != "maxout":
        figure = got["saturated_1" if activation in ("sigmoid", "tanh") else "dead_1"]
        assert 1 / 3 <= figure < 1
    assert got["zero_w_2"] > 0


def test_a_meter_measures_other_weights_and_any_row_count():
    """One meter per run: epoch copies of the weights (theta, stats) and growing row counts
    give what a fresh measurement of a network holding those weights gives."""
    rng = np.random.default_rng(3)
    net = Network([2, 6, 2], activation="relu", batch_norm=True, seed=0)
    other = Network([2, 6, 2], activation="relu", batch_norm=True, seed=5)
    meter = HealthMeter(net)
    for n in (5, EVAL_ROWS + 3, 4):
        X = rng.normal(size=(n, 2))
        assert meter.measure(X, theta=other.theta, stats=other.stats) == \
            pytest.approx(measure_health(other, X), nan_ok=True)
        assert meter.measure(X) == pytest.approx(measure_health(net, X), nan_ok=True)


def test_a_linear_model_has_weights_only():
    net = Network([2, 3], seed=0)
    assert list(measure_health(net, np.ones((4, 2)))) == ["zero_w_1"]


def test_bad_inputs_give_one_line_errors():
    net = Network([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match=r"X: must have shape \(n, 2\)"):
        measure_health(net, np.ones((4, 3)))
    with pytest.raises(ValueError, match="theta/stats"):
        measure_health(net, np.ones((4, 2)), theta=np.zeros(5))
