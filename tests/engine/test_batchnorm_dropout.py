"""Batch normalization (SPEC §8) and inverted dropout (SPEC §9) against formulas written here.

Training-mode outputs are not returned by the public API, so they are read back exactly from
the mean-squared-error loss: with L(y) = mean((O − y)²) over B·K entries,
L(E_ij) − L(0) = (1 − 2·O_ij)/(B·K) for the one-hot target E_ij, so
O_ij = (1 − B·K·(L(E_ij) − L(0)))/2. (Batch norm in training mode without dropout is
deterministic, so every call sees the same O.)
"""

import numpy as np
import pytest

from trainlab.engine import Network

BN_EPS = 1e-5


def training_outputs(net, X):
    """The logits of a training-mode forward pass (no dropout), recovered from mse losses."""
    B, K = X.shape[0], net.sizes[-1]
    base, _ = net.loss_and_gradients(X, np.zeros((B, K)), loss="mse", training=True)
    O = np.empty((B, K))
    for i in range(B):
        for j in range(K):
            E = np.zeros((B, K))
            E[i, j] = 1.0
            Lij, _ = net.loss_and_gradients(X, E, loss="mse", training=True)
            O[i, j] = (1.0 - B * K * (Lij - base)) / 2.0
    return O


def random_bn_net(rng, sizes=(3, 4, 2), activation="identity"):
    net = Network(list(sizes), activation=activation, batch_norm=True, seed=2)
    p = net.params
    for k in net.learned_names:
        p[k] = rng.normal(0.0, 1.0, p[k].shape)
    p["bn1_gamma"] = rng.uniform(0.5, 2.0, p["bn1_gamma"].shape)
    net.set_params(p)
    return net


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_batch_norm_training_forward(activation, rng):
    """out = γ(Z−μ)/√(σ²+1e-5)+β with the batch mean and *biased* variance, before f."""
    net = random_bn_net(rng, activation=activation)
    X = rng.normal(1.0, 2.0, size=(6, 3))
    p = net.params
    Z = X @ p["W1"] + p["b1"]
    mu = Z.sum(axis=0) / 6
    var = ((Z - mu) ** 2).sum(axis=0) / 6  # biased: divide by B
    H = p["bn1_gamma"] * (Z - mu) / np.sqrt(var + BN_EPS) + p["bn1_beta"]
    A = H if activation == "identity" else np.tanh(H)
    want = A @ p["W2"] + p["b2"]
    np.testing.assert_allclose(training_outputs(net, X), want, rtol=1e-9, atol=1e-10)
    # the same with the unbiased variance would differ clearly
    var_u = ((Z - mu) ** 2).sum(axis=0) / 5
    H_u = p["bn1_gamma"] * (Z - mu) / np.sqrt(var_u + BN_EPS) + p["bn1_beta"]
    A_u = H_u if activation == "identity" else np.tanh(H_u)
    assert not np.allclose(A_u @ p["W2"] + p["b2"], want, rtol=1e-4)


def test_batch_norm_training_loss_matches(rng):
    net = random_bn_net(rng, sizes=(2, 5, 3), activation="relu")
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 3, 7)
    p = net.params
    Z = X @ p["W1"] + p["b1"]
    H = p["bn1_gamma"] * (Z - Z.mean(0)) / np.sqrt(Z.var(0) + BN_EPS) + p["bn1_beta"]
    O = np.maximum(H, 0) @ p["W2"] + p["b2"]
    lse = np.log(np.exp(O - O.max(1, keepdims=True)).sum(1)) + O.max(1)
    want = np.mean(lse - O[np.arange(7), y])
    loss, _ = net.loss_and_gradients(X, y, loss="cross_entropy", training=True)
    assert loss == pytest.approx(want, rel=1e-12)


def test_running_statistics_update(rng):
    """mean ← 0.9·mean + 0.1·μ; var ← 0.9·var + 0.1·σ²·B/(B−1), once per training step."""
    net = random_bn_net(rng, sizes=(3, 4, 2))
    p = net.params
    np.testing.assert_array_equal(p["bn1_mean"], 0.0)
    np.testing.assert_array_equal(p["bn1_var"], 1.0)
    mean, var = np.zeros(4), np.ones(4)
    for B in (5, 8, 3):
        X = rng.normal(2.0, 3.0, size=(B, 3))
        Z = X @ p["W1"] + p["b1"]
        mu = Z.mean(axis=0)
        s2 = ((Z - mu) ** 2).sum(axis=0) / B
        mean = 0.9 * mean + 0.1 * mu
        var = 0.9 * var + 0.1 * s2 * B / (B - 1)
        net.loss_and_gradients(X, np.zeros((B, 2)), loss="mse", training=True,
                               update_stats=True)
        q = net.params
        np.testing.assert_allclose(q["bn1_mean"], mean, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(q["bn1_var"], var, rtol=1e-12)
    # the learned parameters are not touched by a forward pass
    np.testing.assert_array_equal(net.params["W1"], p["W1"])


def test_running_statistics_untouched_without_update(rng):
    net = random_bn_net(rng)
    X = rng.normal(size=(5, 3))
    before = net.params
    net.loss_and_gradients(X, np.zeros((5, 2)), loss="mse", training=True)
    net.loss_and_gradients(X, np.zeros((5, 2)), loss="mse", training=False)
    net.predict(X, loss="mse")
    after = net.params
    for k in ("bn1_mean", "bn1_var"):
        np.testing.assert_array_equal(after[k], before[k])


def test_evaluation_uses_running_statistics(rng):
    net = random_bn_net(rng, sizes=(3, 4, 2), activation="tanh")
    p = net.params
    p["bn1_mean"] = rng.normal(size=4)
    p["bn1_var"] = rng.uniform(0.2, 3.0, size=4)
    net.set_params(p)
    X = rng.normal(size=(9, 3))
    Z = X @ p["W1"] + p["b1"]
    H = p["bn1_gamma"] * (Z - p["bn1_mean"]) / np.sqrt(p["bn1_var"] + BN_EPS) + p["bn1_beta"]
    want = np.tanh(H) @ p["W2"] + p["b2"]
    np.testing.assert_allclose(net.predict(X, loss="mse"), want, rtol=1e-12, atol=1e-13)
    # evaluation is row by row: one row alone gives the same answer (and is allowed)
    np.testing.assert_allclose(net.predict(X[3:4], loss="mse"), want[3:4], rtol=1e-12)
    loss, _ = net.loss_and_gradients(X[:1], np.zeros((1, 2)), loss="mse", training=False)
    assert loss == pytest.approx(np.mean(want[0] ** 2), rel=1e-12)
    # eval-mode loss over all rows
    loss, _ = net.loss_and_gradients(X, np.zeros((9, 2)), loss="mse", training=False)
    assert loss == pytest.approx(np.mean(want ** 2), rel=1e-12)


def test_evaluation_with_stats_equal_to_batch_stats_equals_training(rng):
    """Setting running mean/var to the batch's μ and biased σ² makes eval = training."""
    net = random_bn_net(rng, sizes=(3, 4, 2), activation="sigmoid")
    X = rng.normal(size=(6, 3))
    p = net.params
    Z = X @ p["W1"] + p["b1"]
    p["bn1_mean"], p["bn1_var"] = Z.mean(0), Z.var(0)
    net.set_params(p)
    np.testing.assert_allclose(net.predict(X, loss="mse"), training_outputs(net, X),
                               rtol=1e-9, atol=1e-10)


# ---- dropout -----------------------------------------------------------------------------
def dropout_probe(p_drop, width, seed=0, activation="identity"):
    """A [3, width, 1] net: with one row and mse, ∂b2 = dO and ∂W2[j] = a_j·dO, so the
    dropped activations a = ∂W2/∂b2 are read exactly from the gradients."""
    net = Network([3, width, 1], activation=activation, dropout=p_drop, seed=seed)
    rng = np.random.default_rng(seed + 100)
    p = net.params
    p["b1"] = rng.normal(0.0, 1.0, width)  # no pre-activation is exactly 0
    p["W2"] = rng.normal(0.0, 1.0, (width, 1))
    net.set_params(p)
    return net


def dropped_activations(net, x):
    _, g = net.loss_and_gradients(x, np.array([[1e3]]), loss="mse", training=True)
    return g["W2"][:, 0] / g["b2"][0], g


@pytest.mark.parametrize("p_drop", [0.1, 0.5, 0.8])
def test_dropout_keep_rate_and_scaling(p_drop):
    width = 20000
    net = dropout_probe(p_drop, width)
    x = np.array([[0.3, -1.2, 0.7]])
    p = net.params
    z = (x @ p["W1"] + p["b1"])[0]  # identity activation: a = z before dropout
    a, g = dropped_activations(net, x)
    kept = a != 0.0
    # kept units are scaled by 1/(1−p); the others are exactly 0
    np.testing.assert_allclose(a[kept], z[kept] / (1 - p_drop), rtol=1e-12)
    # keep rate ≈ 1−p: Binomial(width, 1−p), within 5 standard deviations
    sd = np.sqrt(p_drop * (1 - p_drop) / width)
    assert abs(kept.mean() - (1 - p_drop)) < 5 * sd
    # backward uses the same mask: ∂W1[:, j] = x·dO·W2[j]·mask_j, mask_j ∈ {0, 1/(1−p)}
    mask = np.where(kept, 1 / (1 - p_drop), 0.0)
    dO = g["b2"][0]
    np.testing.assert_allclose(g["W1"], np.outer(x[0], dO * p["W2"][:, 0] * mask),
                               rtol=1e-12, atol=1e-15)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# f and f' written from SPEC §2 (f nonzero for every finite x, so the mask is readable)
NONLINEAR = {
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1, 0.01)),
    "elu": (lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
            lambda x: np.where(x > 0, 1, np.exp(np.minimum(x, 0)))),
    "swish": (lambda x: x * _sigmoid(x),
              lambda x: _sigmoid(x) * (1 + x * (1 - _sigmoid(x)))),
    "softplus": (lambda x: np.log1p(np.exp(x)), _sigmoid),
}


@pytest.mark.parametrize("activation", list(NONLINEAR))
def test_dropout_after_nonlinear_activation(activation):
    """a = f(z)·mask/(1−p) forward; backward uses f'(z) of the *undropped* pre-activation:
    ∂W1[:, j] = x·dO·W2[j]·mask_j·f'(z_j)."""
    p_drop, width = 0.4, 3000
    f, df = NONLINEAR[activation]
    net = dropout_probe(p_drop, width, seed=3, activation=activation)
    x = np.array([[0.9, -0.4, 1.3]])
    p = net.params
    z = (x @ p["W1"] + p["b1"])[0]
    a, g = dropped_activations(net, x)
    kept = a != 0.0
    sd = np.sqrt(p_drop * (1 - p_drop) / width)
    assert abs(kept.mean() - (1 - p_drop)) < 5 * sd
    np.testing.assert_allclose(a[kept], f(z[kept]) / (1 - p_drop), rtol=1e-12)
    mask = np.where(kept, 1 / (1 - p_drop), 0.0)
    dO = g["b2"][0]
    np.testing.assert_allclose(g["b1"], dO * p["W2"][:, 0] * mask * df(z), rtol=1e-10,
                               atol=1e-15)
    np.testing.assert_allclose(g["W1"], np.outer(x[0], g["b1"]), rtol=1e-13, atol=1e-15)


def test_dropout_masks_drawn_anew_and_reproducible():
    x = np.array([[0.5, 0.1, -0.4]])

    def masks(net, n=3):
        return [dropped_activations(net, x)[0] != 0.0 for _ in range(n)]

    first = masks(dropout_probe(0.5, 500, seed=11))
    again = masks(dropout_probe(0.5, 500, seed=11))
    for m1, m2 in zip(first, again, strict=True):
        np.testing.assert_array_equal(m1, m2)          # same seed → same masks
    assert not np.array_equal(first[0], first[1])      # new mask for every batch
    assert not np.array_equal(first[1], first[2])
    # a different seed (same weights) gives different masks
    other = dropout_probe(0.5, 500, seed=12)
    other.set_params(dropout_probe(0.5, 500, seed=11).params)
    assert not np.array_equal(masks(other, 1)[0], first[0])
    # reinitialize(seed) restarts the mask sequence
    net = dropout_probe(0.5, 500, seed=11)
    weights = net.params
    masks(net, 2)
    net.reinitialize(11)
    net.set_params(weights)
    np.testing.assert_array_equal(masks(net, 1)[0], first[0])


@pytest.mark.parametrize("batch_norm", [False, True])
def test_no_dropout_in_evaluation(batch_norm, rng):
    net = Network([3, 6, 5, 2], activation="tanh", dropout=0.6, batch_norm=batch_norm, seed=9)
    plain = Network([3, 6, 5, 2], activation="tanh", dropout=0.0, batch_norm=batch_norm, seed=1)
    plain.set_params(net.params)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, 8)
    P1, P2 = net.predict(X), net.predict(X)
    np.testing.assert_array_equal(P1, P2)
    np.testing.assert_array_equal(P1, plain.predict(X))
    l1, g1 = net.loss_and_gradients(X, y, training=False)
    l2, g2 = plain.loss_and_gradients(X, y, training=False)
    assert l1 == l2
    for k in g1:
        np.testing.assert_array_equal(g1[k], g2[k])


def test_dropout_changes_training_outputs(rng):
    """Sanity: in training mode two calls see different masks, hence different losses."""
    net = Network([3, 50, 2], activation="tanh", dropout=0.5, seed=9)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, 8)
    a, _ = net.loss_and_gradients(X, y)
    b, _ = net.loss_and_gradients(X, y)
    assert a != b
