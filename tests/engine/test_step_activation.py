"""The binary step activation: f = 1 if x > 0 else 0, f′ = 0 (docs/formulas.md, "step")."""

import numpy as np

from tests.engine.conftest import finite_difference, relative_error
from trainlab.catalog.names import ACTIVATION_CODE, ActivationCode
from trainlab.engine import Network
from trainlab.engine.trace import forward_trace


def test_step_is_the_last_code_and_the_older_codes_keep_their_numbers():
    assert ActivationCode.STEP == max(ActivationCode)
    assert ACTIVATION_CODE["maxout"] == 9 and ACTIVATION_CODE["identity"] == 0


def _net_away_from_zero(rng):
    """A step net and inputs whose hidden pre-activations are all at least 0.05 from 0."""
    net = Network([3, 5, 2], activation="step", seed=4)
    X = rng.normal(size=(400, 3))
    z = forward_trace(net, X)[0]["z"]
    X = X[np.abs(z).min(axis=1) > 0.05][:8]
    assert X.shape[0] == 8
    return net, X


def test_forward_is_the_threshold_of_the_pre_activation(rng):
    net, X = _net_away_from_zero(rng)
    layer = forward_trace(net, X)[0]
    np.testing.assert_array_equal(layer["a"], (layer["z"] > 0).astype(float))
    p = net.params
    A = (X @ p["W1"] + p["b1"] > 0).astype(float)
    np.testing.assert_allclose(net.predict(X, "mse"), A @ p["W2"] + p["b2"], rtol=1e-12)


def test_nothing_flows_below_a_step_layer(rng):
    net, X = _net_away_from_zero(rng)
    y = rng.integers(0, 2, 8)
    _, grads = net.loss_and_gradients(X, y, loss="cross_entropy")
    assert not grads["W1"].any() and not grads["b1"].any()
    assert np.abs(grads["W2"]).max() > 1e-3   # the output layer sees the 0/1 activations
    numeric = finite_difference(net, X, y, loss="cross_entropy")
    assert relative_error(grads, numeric) < 1e-6
