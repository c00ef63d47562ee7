"""Numerical stability (SPEC §2 last line, §4): inputs and logits of ±1e4 give finite, correct
losses, activations and gradients."""

import numpy as np
import pytest

from trainlab.engine import Network

BIG = 1e4
ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu",
               "softplus", "maxout"]
LOSSES = ["mse", "mae", "huber", "bce", "cross_entropy"]

# f(x) and f'(x) at x = ±1e4, worked out by hand from SPEC §2 (exact in float64).
AT_PLUS = {"identity": (BIG, 1.0), "sigmoid": (1.0, 0.0), "tanh": (1.0, 0.0),
           "relu": (BIG, 1.0), "leaky_relu": (BIG, 1.0), "elu": (BIG, 1.0),
           "swish": (BIG, 1.0), "gelu": (BIG, 1.0), "softplus": (BIG, 1.0)}
AT_MINUS = {"identity": (-BIG, 1.0), "sigmoid": (0.0, 0.0), "tanh": (-1.0, 0.0),
            "relu": (0.0, 0.0), "leaky_relu": (-0.01 * BIG, 0.01), "elu": (-1.0, 0.0),
            "swish": (0.0, 0.0), "gelu": (0.0, 0.0), "softplus": (0.0, 0.0)}


def linear_net(W, b, **kw):
    """A net with no hidden layer: logits = X @ W + b."""
    W = np.asarray(W, dtype=float)
    net = Network([W.shape[0], W.shape[1]], **kw)
    net.set_params({"W1": W, "b1": np.asarray(b, dtype=float)})
    return net


def assert_all_finite(loss, grads):
    assert np.isfinite(loss)
    for k, g in grads.items():
        assert np.all(np.isfinite(g)), k


# ---- losses at logits ±1e4 -----------------------------------------------------------------
@pytest.mark.parametrize("z, y, want", [(BIG, 0, BIG), (BIG, 1, 0.0), (-BIG, 1, BIG),
                                        (-BIG, 0, 0.0)])
def test_bce_at_huge_logits(z, y, want):
    """softplus(z) − y·z; ∂/∂z = σ(z) − y."""
    net = linear_net([[z]], [0.0])
    loss, g = net.loss_and_gradients(np.array([[1.0]]), np.array([y]), loss="bce")
    assert loss == want
    sig = 1.0 if z > 0 else 0.0
    assert g["b1"][0] == sig - y
    assert g["W1"][0, 0] == sig - y
    np.testing.assert_array_equal(net.predict(np.array([[1.0]]), loss="bce"), [[sig]])


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("target", [0, 1, 2])
def test_cross_entropy_at_huge_logits(target, smoothing):
    z = np.array([BIG, -BIG, 0.0])
    net = linear_net([z], np.zeros(3))
    loss, g = net.loss_and_gradients(np.array([[1.0]]), np.array([target]),
                                     loss="cross_entropy", label_smoothing=smoothing)
    # log-sum-exp(z) = 1e4 exactly in float64; loss = Σ q_k (lse − z_k)
    q = (1 - smoothing) * np.eye(3)[target] + smoothing / 3
    want = float(np.sum(q * (BIG - z)))
    assert loss == pytest.approx(want, rel=1e-15)
    np.testing.assert_allclose(g["b1"], np.array([1.0, 0.0, 0.0]) - q, rtol=1e-15, atol=0)
    P = net.predict(np.array([[1.0]]))
    np.testing.assert_array_equal(P, [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("loss, want, dwant", [
    ("mse", 4e8, -4e4),                # (2e4)²; ∂ = 2d
    ("mae", 2e4, -1.0),                # |d|; ∂ = sign(d)
    ("huber", 2e4 - 0.5, -1.0),        # δ(|d| − δ/2) with δ = 1; ∂ = δ·sign(d)
])
def test_regression_losses_at_huge_outputs(loss, want, dwant):
    net = linear_net([[-BIG]], [0.0])
    value, g = net.loss_and_gradients(np.array([[1.0]]), np.array([[BIG]]), loss=loss)
    assert value == want
    assert g["b1"][0] == dwant


# ---- activations at ±1e4 -------------------------------------------------------------------
def activation_probe(activation):
    """[1, 1, 1] net with W1 = 1, b1 = 0, W2 = 1, b2 = 0: output = f(x) (maxout: W1 = [1, −1],
    so f(x) = max(x, −x))."""
    net = Network([1, 1, 1], activation=activation, seed=0)
    W1 = np.array([[1.0, -1.0]]) if activation == "maxout" else np.array([[1.0]])
    net.set_params({"W1": W1, "b1": np.zeros(W1.shape[1]), "W2": np.array([[1.0]]),
                    "b2": np.zeros(1)})
    return net


@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["plus", "minus"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_value_and_slope_at_huge_inputs(activation, sign):
    net = activation_probe(activation)
    x = np.array([[sign * BIG]])
    out = net.predict(x, loss="mse")
    if activation == "maxout":
        f, df = BIG, np.array([1.0, 0.0]) if sign > 0 else np.array([0.0, 1.0])
    else:
        f, df = (AT_PLUS if sign > 0 else AT_MINUS)[activation]
    assert out[0, 0] == f
    # target f − 1 makes ∂loss/∂O = 2, so ∂b1 = 2·f'(x)·W2 = 2·f'(x) and ∂W1 = x·∂b1
    loss, g = net.loss_and_gradients(x, np.array([[f - 1.0]]), loss="mse")
    assert loss == 1.0
    assert_all_finite(loss, g)
    assert g["b2"][0] == 2.0
    np.testing.assert_array_equal(g["b1"], 2.0 * np.atleast_1d(df))
    np.testing.assert_array_equal(g["W1"][0], x[0, 0] * 2.0 * np.atleast_1d(df))


# ---- whole networks with huge weights --------------------------------------------------------
OUTPUTS = {"mse": 2, "mae": 2, "huber": 2, "bce": 1, "cross_entropy": 3}


def huge_net(activation, loss, batch_norm):
    """Hidden pre-activations and logits of order ±1e4 and beyond."""
    net = Network([2, 4, OUTPUTS[loss]], activation=activation, batch_norm=batch_norm, seed=1)
    rng = np.random.default_rng(5)
    p = net.params
    p["W1"] = np.sign(rng.normal(size=p["W1"].shape)) * BIG
    p["W2"] = np.sign(rng.normal(size=p["W2"].shape)) * BIG
    if batch_norm:
        p["bn1_gamma"] = np.full(p["bn1_gamma"].shape, BIG)
    net.set_params(p)
    return net


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_huge_weights_give_finite_losses_and_gradients(activation, loss, batch_norm):
    net = huge_net(activation, loss, batch_norm)
    X = np.array([[1.0, 0.3], [-1.0, 0.7], [0.5, -1.0], [-0.2, -0.9]])
    if loss in ("bce", "cross_entropy"):
        y = np.array([0, 1, 0, 1]) if loss == "bce" else np.array([0, 1, 2, 1])
    else:
        y = np.zeros((4, 2))
    for training in (True, False):
        value, g = net.loss_and_gradients(X, y, loss=loss, training=training, l1=0.1, l2=0.1,
                                          label_smoothing=0.1 if loss == "cross_entropy"
                                          else 0.0)
        assert_all_finite(value, g)
    P = net.predict(X, loss=loss)
    assert np.all(np.isfinite(P))
    if loss == "cross_entropy":
        np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)


# ---- accuracy of f(x) over many magnitudes ---------------------------------------------------
def _erf(x):
    from math import erf
    return np.vectorize(erf)(x)


# float64 references from SPEC §2 (NumPy's tanh, expm1, log1p are accurate to ~1 ulp)
REFERENCE = {
    "identity": lambda x: x,
    "sigmoid": lambda x: np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))),
                                  np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x)))),
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "swish": lambda x: x * REFERENCE["sigmoid"](x),
    "gelu": lambda x: x * 0.5 * (1 + _erf(x / np.sqrt(2))),
    "softplus": lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))),
}
MAGNITUDES = np.concatenate([np.logspace(-12, 1.5, 60), -np.logspace(-12, 1.5, 60)])


@pytest.mark.parametrize("activation", list(REFERENCE))
def test_activation_relative_accuracy(activation):
    """f(x) to a few ulp *relative* error for |x| from 1e-12 to 30 (float64 teaching runs must
    agree with PyTorch's float64 to many digits, also for tiny pre-activations)."""
    net = Network([1, 1, 1], activation=activation, seed=0)
    net.set_params({"W1": np.ones((1, 1)), "b1": np.zeros(1), "W2": np.ones((1, 1)),
                    "b2": np.zeros(1)})
    got = net.predict(MAGNITUDES.reshape(-1, 1), loss="mse")[:, 0]
    want = REFERENCE[activation](MAGNITUDES)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-300)
