"""Gradients of every activation × loss × penalty × batch-norm combination against central
finite differences (float64), SPEC §2, §4 and §8."""

import numpy as np
import pytest

from tests.engine.conftest import finite_difference, jitter_biases, relative_error
from trainlab.engine import Network
from trainlab.engine.names import ACTIVATIONS, LOSSES

OUTPUTS = {"cross_entropy": 3, "bce": 1, "mse": 2, "mae": 2, "huber": 2}


def make_targets(loss, n, rng):
    if loss == "cross_entropy":
        return rng.integers(0, 3, n)
    if loss == "bce":
        return rng.integers(0, 2, n)
    scale = 3.0 if loss == "huber" else 1.0  # huber: both the quadratic and the linear part
    return rng.normal(0.0, scale, (n, 2))


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_match_finite_differences(activation, loss, batch_norm, rng):
    net = Network([3, 4, 3, OUTPUTS[loss]], activation=activation, batch_norm=batch_norm,
                  seed=3)
    jitter_biases(net, rng)
    X = rng.normal(size=(5, 3))
    y = make_targets(loss, 5, rng)
    kw = dict(loss=loss, l1=0.01, l2=0.05, training=True,
              label_smoothing=0.2 if loss == "cross_entropy" else 0.0)
    _, grads = net.loss_and_gradients(X, y, **kw)
    numeric = finite_difference(net, X, y, **kw)
    assert relative_error(grads, numeric) < 1e-6


@pytest.mark.parametrize("penalty", [{"l1": 0.3}, {"l2": 0.7}, {}])
def test_penalty_gradients_are_separate_from_data_loss(penalty, rng):
    """grads = ∂(data loss) + λ₁·sign(W) + λ₂·W on weights only; the returned loss is data only."""
    net = Network([2, 3, 2], activation="tanh", seed=0)
    X, y = rng.normal(size=(4, 2)), rng.integers(0, 2, 4)
    loss0, g0 = net.loss_and_gradients(X, y, loss="cross_entropy")
    loss1, g1 = net.loss_and_gradients(X, y, loss="cross_entropy", **penalty)
    assert loss1 == loss0
    p = net.params
    for name in g0:
        extra = 0.0
        if name.startswith("W"):
            extra = penalty.get("l1", 0.0) * np.sign(p[name]) + penalty.get("l2", 0.0) * p[name]
        np.testing.assert_allclose(g1[name], g0[name] + extra, rtol=0, atol=1e-15)


def test_maxout_with_more_pieces(rng):
    net = Network([2, 3, 2], activation="maxout", maxout_pieces=3, seed=1)
    assert net.params["W1"].shape == (2, 9)
    jitter_biases(net, rng)
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 2, 6)
    _, grads = net.loss_and_gradients(X, y, loss="cross_entropy")
    assert relative_error(grads, finite_difference(net, X, y, loss="cross_entropy")) < 1e-6


def test_per_layer_activations(rng):
    net = Network([2, 4, 4, 1], activation=["relu", "sigmoid"], seed=1)
    jitter_biases(net, rng)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    _, grads = net.loss_and_gradients(X, y, loss="mse")
    assert relative_error(grads, finite_difference(net, X, y, loss="mse")) < 1e-6


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
def test_gradients_through_a_large_weight_matrix(batch_norm, rng):
    """∂A = ∂Z Wᵀ takes another path for weight matrices of SMALL_W entries and more (BLAS
    reads Wᵀ directly): W2 here is 144 × 128, so W1's gradient goes through it."""
    from trainlab.engine.kernels import SMALL_W

    net = Network([3, 144, 128, 3], activation="tanh", batch_norm=batch_norm, seed=5)
    assert 144 * 128 >= SMALL_W > 3 * 144
    jitter_biases(net, rng)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 3, 6)
    _, grads = net.loss_and_gradients(X, y, loss="cross_entropy")
    numeric = finite_difference(net, X, y, loss="cross_entropy")
    assert relative_error(grads, numeric) < 1e-6
