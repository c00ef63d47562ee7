"""Forward and backward traces (trainlab/engine/trace.py) against the formulas of SPEC §1-9,
the ordinary predict/loss_and_gradients, central finite differences and a worked example."""

import numpy as np
import pytest

from tests.engine.conftest import finite_difference, jitter_biases
from trainlab.engine import Network
from trainlab.engine.trace import forward_trace

BN_EPS = 1e-5
OUTPUTS = {"cross_entropy": 3, "bce": 1, "mse": 2}


def targets(loss, n, rng):
    if loss == "cross_entropy":
        return rng.integers(0, 3, n)
    if loss == "bce":
        return rng.integers(0, 2, n)
    return rng.normal(size=(n, 2))


def act(name, H, k=2):
    if name == "tanh":
        return np.tanh(H)
    if name == "relu":
        return np.maximum(H, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-H))
    assert name == "maxout"
    return H.reshape(H.shape[0], -1, k).max(axis=2)


def with_running_stats(net, rng):
    """Running means/variances away from 0/1, so evaluation-mode batch norm is visible."""
    p = net.params
    for name in p:
        if name.endswith("_mean"):
            p[name] = rng.normal(0.0, 0.5, p[name].shape)
        elif name.endswith("_var"):
            p[name] = rng.uniform(0.5, 2.0, p[name].shape)
    net.set_params(p)


def make_net(activation, batch_norm, loss, rng, sizes=(2, 4, 3)):
    net = Network([*sizes, OUTPUTS[loss]], activation=activation, batch_norm=batch_norm,
                  seed=5)
    jitter_biases(net, rng)
    with_running_stats(net, rng)
    return net


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "maxout"])
def test_forward_trace_restates_the_layer_formulas(activation, batch_norm, rng):
    """z = A_prev W + b; z_bn = γ(z − μ_run)/√(σ²_run + ε) + β; a = f(z_bn or z); logits last."""
    net = make_net(activation, batch_norm, "cross_entropy", rng)
    X = rng.normal(size=(9, 2))
    trace = net.forward_trace(X)
    p = net.params
    assert len(trace) == net.n_layers
    A = X
    for l, layer in enumerate(trace, start=1):
        z = A @ p[f"W{l}"] + p[f"b{l}"]
        np.testing.assert_allclose(layer["z"], z, rtol=1e-13, atol=1e-13)
        if l == net.n_layers:
            assert set(layer) == {"z", "a"}
            np.testing.assert_array_equal(layer["a"], layer["z"])
            break
        h = z
        if batch_norm:
            h = (p[f"bn{l}_gamma"] * (z - p[f"bn{l}_mean"]) / np.sqrt(p[f"bn{l}_var"] + BN_EPS)
                 + p[f"bn{l}_beta"])
            np.testing.assert_allclose(layer["z_bn"], h, rtol=1e-12, atol=1e-12)
        else:
            assert "z_bn" not in layer
        np.testing.assert_allclose(layer["a"], act(activation, h), rtol=1e-12, atol=1e-12)
        A = layer["a"]


@pytest.mark.parametrize("loss", ["cross_entropy", "bce", "mse"])
def test_forward_trace_logits_give_predict(loss, rng):
    """The output layer's logits through the loss's link are predict's output, over more rows
    than one compiled call evaluates (the evaluation chunks)."""
    net = make_net("tanh", True, loss, rng)
    X = rng.normal(size=(2500, 2))
    logits = net.forward_trace(X)[-1]["a"]
    if loss == "cross_entropy":
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        expected = e / e.sum(axis=1, keepdims=True)
    elif loss == "bce":
        expected = 1.0 / (1.0 + np.exp(-logits))
    else:
        expected = logits
    np.testing.assert_allclose(net.predict(X, loss=loss), expected, rtol=1e-13, atol=1e-15)


def test_training_mode_uses_batch_statistics(rng):
    """Training-mode batch norm: the rows' own mean and biased variance; running stats kept."""
    net = make_net("tanh", True, "cross_entropy", rng)
    before = net.params
    X = rng.normal(size=(6, 2))
    layer = net.forward_trace(X, training=True)[0]
    z, p = layer["z"], net.params
    expected = (p["bn1_gamma"] * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + BN_EPS)
                + p["bn1_beta"])
    np.testing.assert_allclose(layer["z_bn"], expected, rtol=1e-12, atol=1e-12)
    for name, value in before.items():
        np.testing.assert_array_equal(net.params[name], value)


def test_training_mode_dropout_masks(rng):
    """a = f · mask with mask ∈ {0, 1/(1−p)}; the generator advances as a training pass does."""
    net = Network([2, 50, 50, 2], activation="tanh", dropout=0.4, seed=2)
    twin = Network([2, 50, 50, 2], activation="tanh", dropout=0.4, seed=2)
    X = rng.normal(size=(20, 2))
    trace = net.forward_trace(X, training=True)
    for layer in trace[:-1]:
        np.testing.assert_allclose(layer["f"], np.tanh(layer["z"]), rtol=1e-12, atol=1e-14)
        assert set(np.unique(layer["mask"])) == {0.0, 1.0 / 0.6}
        np.testing.assert_array_equal(layer["a"], layer["f"] * layer["mask"])
    twin.loss_and_gradients(X, np.zeros(20, int), training=True)  # draws as many masks
    np.testing.assert_array_equal(net.rng_state, twin.rng_state)
    evaluation = net.forward_trace(X)
    assert "mask" not in evaluation[0]
    np.testing.assert_allclose(evaluation[0]["a"], np.tanh(evaluation[0]["z"]), rtol=1e-12)


def test_other_weights_are_traced_without_touching_the_network(rng):
    net = make_net("relu", True, "mse", rng)
    other = make_net("relu", True, "mse", rng)
    other.reinitialize(9)
    theta_before = net.theta.copy()
    X = rng.normal(size=(5, 2))
    got = forward_trace(net, X, theta=other.theta, stats=other.stats)
    for mine, theirs in zip(got, other.forward_trace(X), strict=True):
        for key in theirs:
            np.testing.assert_array_equal(mine[key], theirs[key])
    np.testing.assert_array_equal(net.theta, theta_before)


def data_gradients(net, trace, X, l1, l2):
    """A_prevᵀ δ and Σ δ per layer, plus the penalties' part of ∂W (SPEC §10)."""
    p = net.params
    out = []
    for l, layer in enumerate(trace, start=1):
        A = X if l == 1 else trace[l - 2]["a"]
        W = p[f"W{l}"]
        out.append((A.T @ layer["delta"] + l1 * np.sign(W) + l2 * W,
                    layer["delta"].sum(axis=0)))
    return out


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("loss", ["cross_entropy", "bce", "mse"])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "maxout"])
def test_backward_trace_equals_loss_and_gradients(activation, batch_norm, loss, training, rng):
    """The gradients are loss_and_gradients' bit for bit, and the δ's rebuild them:
    ∂W_l = A_{l−1}ᵀ δ_l + penalties, ∂b_l = Σ_rows δ_l."""
    net = make_net(activation, batch_norm, loss, rng, sizes=(2, 4, 3, 3))
    X, y = rng.normal(size=(6, 2)), targets(loss, 6, rng)
    kw = dict(loss=loss, l1=0.02, l2=0.1, training=training,
              label_smoothing=0.1 if loss == "cross_entropy" else 0.0)
    trace = net.backward_trace(X, y, **kw)
    _, grads = net.loss_and_gradients(X, y, **kw)
    rebuilt = data_gradients(net, trace, X, kw["l1"], kw["l2"])
    for l, (layer, (dW, db)) in enumerate(zip(trace, rebuilt, strict=True), start=1):
        assert layer["delta"].shape == layer["z"].shape
        np.testing.assert_array_equal(layer["dW"], grads[f"W{l}"])
        np.testing.assert_array_equal(layer["db"], grads[f"b{l}"])
        np.testing.assert_allclose(layer["dW"], dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer["db"], db, rtol=1e-10, atol=1e-14)
        if batch_norm and l < net.n_layers:
            np.testing.assert_array_equal(layer["dgamma"], grads[f"bn{l}_gamma"])
            np.testing.assert_array_equal(layer["dbeta"], grads[f"bn{l}_beta"])


@pytest.mark.parametrize("loss", ["cross_entropy", "bce", "mse"])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "maxout"])
def test_each_rows_delta_against_finite_differences(activation, batch_norm, loss, rng):
    """In evaluation mode rows do not interact, so row i's δ_l (of the mean over n rows) is
    1/n times ∂ℓ_i/∂b_l, which central differences of the loss on row i alone give."""
    net = make_net(activation, batch_norm, loss, rng)
    n = 3
    X, y = rng.normal(size=(n, 2)), targets(loss, n, rng)
    trace = net.backward_trace(X, y, loss=loss)
    for i in range(n):
        numeric = finite_difference(net, X[i:i + 1], y[i:i + 1], loss=loss, training=False)
        for l, layer in enumerate(trace, start=1):
            np.testing.assert_allclose(n * layer["delta"][i], numeric[f"b{l}"],
                                       rtol=1e-6, atol=1e-8)


def test_output_deltas_restate_the_loss_derivatives(rng):
    """δ_L: (softmax − onehot)/n for cross-entropy, (σ(z) − y)/n for BCE, 2(ŷ − y)/(n·K)
    for MSE (SPEC §4, means over rows and outputs)."""
    X = rng.normal(size=(4, 2))
    ce = Network([2, 3, 3], seed=1)
    y = np.array([0, 2, 1, 2])
    z = ce.forward_trace(X)[-1]["z"]
    soft = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ce.backward_trace(X, y)[-1]["delta"],
                               (soft - np.eye(3)[y]) / 4, rtol=1e-12, atol=1e-15)
    bce = Network([2, 3, 1], seed=1)
    yb = np.array([0, 1, 1, 0])
    z = bce.forward_trace(X)[-1]["z"][:, 0]
    np.testing.assert_allclose(bce.backward_trace(X, yb, loss="bce")[-1]["delta"][:, 0],
                               (1 / (1 + np.exp(-z)) - yb) / 4, rtol=1e-12, atol=1e-15)
    mse = Network([2, 3, 2], seed=1)
    yr = rng.normal(size=(4, 2))
    z = mse.forward_trace(X)[-1]["z"]
    np.testing.assert_allclose(mse.backward_trace(X, yr, loss="mse")[-1]["delta"],
                               2 * (z - yr) / 8, rtol=1e-12, atol=1e-15)


def test_worked_example_3_3_2_relu_by_hand():
    """The lecture's network f(x) = W² ReLU(W¹x + w¹₀) + w²₀ on one sample, numbers by hand.

    Row-vector convention (z = x W + b). x = (1, 2, −1):
    z¹ = (1·1 + 2·0 − 1·1 + 0.5, 1·(−1) + 2·1 − 1·0 − 1, 1·2 + 2·(−1) − 1·1 + 0)
       = (0.5, 0, −1); the second unit sits exactly on the kink, where ReLU′(0) = 0.
    a¹ = (0.5, 0, 0); f = a¹W² + b² = (0.5·2 + 0.1, 0.5·(−1) + 0) = (1.1, −0.5).
    MSE mean over K = 2 outputs, y = (1, 1): δ² = 2(f − y)/2 = (0.1, −1.5).
    δ¹ = (δ² W²ᵀ) ⊙ 1[z¹ > 0] = (0.1·2 + (−1.5)(−1), ·, ·) ⊙ (1, 0, 0) = (1.7, 0, 0).
    ∂W¹ = xᵀ δ¹: first column (1.7, 3.4, −1.7), the rest 0; ∂W² = a¹ᵀ δ²: row 1 (0.05, −0.75).
    """
    net = Network([3, 3, 2], activation="relu", seed=0)
    W1 = np.array([[1.0, -1.0, 2.0], [0.0, 1.0, -1.0], [1.0, 0.0, 1.0]])
    W2 = np.array([[2.0, -1.0], [3.0, 4.0], [5.0, 6.0]])
    net.set_params({"W1": W1, "b1": np.array([0.5, -1.0, 0.0]),
                    "W2": W2, "b2": np.array([0.1, 0.0])})
    x, y = np.array([[1.0, 2.0, -1.0]]), np.array([[1.0, 1.0]])
    hidden, out = net.backward_trace(x, y, loss="mse")
    np.testing.assert_allclose(hidden["z"], [[0.5, 0.0, -1.0]])
    np.testing.assert_allclose(hidden["a"], [[0.5, 0.0, 0.0]])
    np.testing.assert_allclose(out["z"], [[1.1, -0.5]])
    np.testing.assert_allclose(out["delta"], [[0.1, -1.5]])
    np.testing.assert_allclose(hidden["delta"], [[1.7, 0.0, 0.0]])
    np.testing.assert_allclose(hidden["dW"], [[1.7, 0, 0], [3.4, 0, 0], [-1.7, 0, 0]])
    np.testing.assert_allclose(out["dW"], [[0.05, -0.75], [0, 0], [0, 0]])
    np.testing.assert_allclose(out["db"], [0.1, -1.5])


def test_backward_trace_with_dropout_keeps_the_pass_masks_and_generator(rng):
    """Training mode with dropout: the δ's belong to the masks of the gradient pass, and the
    generator ends where loss_and_gradients alone leaves it."""
    net = Network([2, 8, 8, 2], activation="tanh", dropout=0.5, seed=4)
    twin = Network([2, 8, 8, 2], activation="tanh", dropout=0.5, seed=4)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, 10)
    trace = net.backward_trace(X, y, training=True)
    _, grads = twin.loss_and_gradients(X, y, training=True)
    np.testing.assert_array_equal(net.rng_state, twin.rng_state)
    for l, ((dW, db), layer) in enumerate(zip(data_gradients(net, trace, X, 0, 0), trace,
                                              strict=True), start=1):
        np.testing.assert_array_equal(layer["dW"], grads[f"W{l}"])
        np.testing.assert_allclose(dW, grads[f"W{l}"], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, grads[f"b{l}"], rtol=1e-10, atol=1e-14)
    dropped = trace[0]["mask"] == 0.0
    assert dropped.any()
    # a dropped unit passes nothing back: the δ of the layer below is 0 there
    assert np.all(trace[0]["delta"][dropped] == 0.0)


def test_no_hidden_layer(rng):
    net = Network([2, 3], seed=0)
    X, y = rng.normal(size=(4, 2)), rng.integers(0, 3, 4)
    (only,) = net.backward_trace(X, y)
    np.testing.assert_allclose(only["dW"], X.T @ only["delta"], rtol=1e-12)


def test_user_mistakes_give_one_line_errors(rng):
    net = Network([2, 3, 2], batch_norm=True, seed=0)
    with pytest.raises(ValueError, match=r"X: must have shape \(n, 2\)"):
        net.forward_trace(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="batch_norm"):
        net.forward_trace(np.zeros((1, 2)), training=True)
    with pytest.raises(ValueError, match="theta/stats"):
        forward_trace(net, np.zeros((3, 2)), theta=np.zeros(3))
    with pytest.raises(ValueError, match="class labels"):
        net.backward_trace(np.zeros((2, 2)), np.array([0, 5]))
