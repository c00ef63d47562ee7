"""The Network's public surface (SPEC §1, §3, §4): parameter names and shapes, set_params,
initialization rules, seeds, dtypes, the forward pass and the loss links, all by hand."""

import numpy as np
import pytest

from trainlab.engine import Network

# ---- names and shapes (SPEC §1) --------------------------------------------------------------


def test_param_names_and_shapes_with_batch_norm():
    net = Network([3, 5, 4, 2], batch_norm=True)
    want = [("W1", (3, 5)), ("b1", (5,)), ("bn1_gamma", (5,)), ("bn1_beta", (5,)),
            ("bn1_mean", (5,)), ("bn1_var", (5,)),
            ("W2", (5, 4)), ("b2", (4,)), ("bn2_gamma", (4,)), ("bn2_beta", (4,)),
            ("bn2_mean", (4,)), ("bn2_var", (4,)),
            ("W3", (4, 2)), ("b3", (2,))]
    assert [(k, v.shape) for k, v in net.params.items()] == want
    assert net.learned_names == ["W1", "b1", "bn1_gamma", "bn1_beta", "W2", "b2",
                                 "bn2_gamma", "bn2_beta", "W3", "b3"]
    assert net.n_params == 3 * 5 + 5 * 3 + 5 * 4 + 4 * 3 + 4 * 2 + 2


def test_param_names_and_shapes_plain():
    net = Network([7, 2])
    assert {k: v.shape for k, v in net.params.items()} == {"W1": (7, 2), "b1": (2,)}
    net = Network([2, 6, 6, 6, 1])
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]


def test_maxout_layer_has_k_times_width_columns():
    net = Network([3, 4, 2], activation="maxout", maxout_pieces=3, batch_norm=True)
    p = net.params
    assert p["W1"].shape == (3, 12)
    assert p["b1"].shape == (12,)
    assert p["W2"].shape == (4, 2)


def test_initial_biases_and_batch_norm_state():
    p = Network([3, 5, 4, 2], batch_norm=True, seed=3).params
    for k, v in p.items():
        if k.startswith("b") and not k.startswith("bn"):
            np.testing.assert_array_equal(v, 0.0)
    for layer in (1, 2):
        np.testing.assert_array_equal(p[f"bn{layer}_gamma"], 1.0)
        np.testing.assert_array_equal(p[f"bn{layer}_beta"], 0.0)
        np.testing.assert_array_equal(p[f"bn{layer}_mean"], 0.0)
        np.testing.assert_array_equal(p[f"bn{layer}_var"], 1.0)


def test_params_are_copies_and_round_trip(rng):
    net = Network([2, 3, 2], batch_norm=True, seed=0)
    p = net.params
    p["W1"][...] = 99.0
    assert not np.any(net.params["W1"] == 99.0)
    new = {k: rng.normal(size=v.shape) for k, v in net.params.items()}
    net.set_params(new)
    for k, v in net.params.items():
        np.testing.assert_array_equal(v, new[k])


def test_set_params_validates_names_and_shapes():
    net = Network([2, 3, 2], batch_norm=True, seed=0)
    p = net.params
    with pytest.raises(ValueError, match="W9"):
        net.set_params({**p, "W9": np.zeros((2, 2))})
    bad = dict(p)
    bad["W2"] = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"W2.*\(3, 2\)"):
        net.set_params(bad)
    bad = dict(p)
    bad["b1"] = np.zeros(4)
    with pytest.raises(ValueError, match="b1"):
        net.set_params(bad)
    bad = dict(p)
    del bad["bn1_gamma"]
    with pytest.raises(ValueError, match="bn1_gamma"):
        net.set_params(bad)
    # nothing was changed by the failed calls
    for k, v in net.params.items():
        np.testing.assert_array_equal(v, p[k])
    # running statistics may be omitted
    learned = {k: p[k] for k in net.learned_names}
    net.set_params(learned)


# ---- initialization (SPEC §3), statistically -------------------------------------------------
FAN_IN, FAN_OUT = 400, 500


def first_weights(init, activation="tanh", **kw):
    return Network([FAN_IN, FAN_OUT, 3], activation=activation, init=init, seed=21,
                   **kw).params["W1"]


def looks_normal(W, sd):
    """Sample std within 2 %, mean ≈ 0, and about 8.3 % beyond √3·sd (a uniform has none)."""
    assert W.std() == pytest.approx(sd, rel=0.02)
    assert abs(W.mean()) < 5 * sd / np.sqrt(W.size)
    tail = np.mean(np.abs(W) > np.sqrt(3) * sd)
    assert 0.075 < tail < 0.092  # 2·(1 − Φ(√3)) = 0.0833


def looks_uniform(W, a):
    """Inside [−a, a], reaching both ends, std a/√3, flat histogram."""
    assert np.abs(W).max() <= a
    assert W.max() > 0.999 * a and W.min() < -0.999 * a
    assert W.std() == pytest.approx(a / np.sqrt(3), rel=0.02)
    counts, _ = np.histogram(W, bins=10, range=(-a, a))
    assert counts.min() > 0.9 * W.size / 10


def test_init_xavier_uniform():
    looks_uniform(first_weights("xavier_uniform"), np.sqrt(6 / (FAN_IN + FAN_OUT)))


def test_init_xavier_normal():
    looks_normal(first_weights("xavier_normal"), np.sqrt(2 / (FAN_IN + FAN_OUT)))


def test_init_he_uniform():
    looks_uniform(first_weights("he_uniform"), np.sqrt(6 / FAN_IN))


def test_init_he_normal():
    looks_normal(first_weights("he_normal"), np.sqrt(2 / FAN_IN))


def test_init_lecun_normal():
    looks_normal(first_weights("lecun_normal"), np.sqrt(1 / FAN_IN))


@pytest.mark.parametrize("s", [0.05, 0.7])
def test_init_uniform_and_normal_with_scale(s):
    looks_uniform(first_weights("uniform", init_scale=s), s)
    looks_normal(first_weights("normal", init_scale=s), s)


def test_init_zeros():
    p = Network([4, 5, 3], init="zeros", batch_norm=True).params
    np.testing.assert_array_equal(p["W1"], 0.0)
    np.testing.assert_array_equal(p["W2"], 0.0)
    np.testing.assert_array_equal(p["bn1_gamma"], 1.0)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu"])
def test_auto_init_relu_family_is_he_normal(activation):
    looks_normal(first_weights("auto", activation), np.sqrt(2 / FAN_IN))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "identity", "swish", "gelu",
                                        "softplus"])
def test_auto_init_others_is_xavier_uniform(activation):
    looks_uniform(first_weights("auto", activation), np.sqrt(6 / (FAN_IN + FAN_OUT)))


def test_auto_init_follows_each_layers_activation():
    p = Network([300, 300, 300, 1], activation=["tanh", "relu"], init="auto", seed=4).params
    looks_uniform(p["W1"], np.sqrt(6 / 600))
    looks_normal(p["W2"], np.sqrt(2 / 300))


def test_init_is_determined_by_the_seed():
    a = Network([4, 8, 3], batch_norm=True, seed=5).params
    b = Network([4, 8, 3], batch_norm=True, seed=5).params
    c = Network([4, 8, 3], batch_norm=True, seed=6).params
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["W1"], c["W1"])
    assert not np.array_equal(a["W2"], c["W2"])
    net = Network([4, 8, 3], batch_norm=True, seed=6)
    net.reinitialize(5)
    for k in a:
        np.testing.assert_array_equal(net.params[k], a[k])


# ---- dtypes ----------------------------------------------------------------------------------
def test_float32_network(rng):
    n32 = Network([3, 6, 4, 3], activation="tanh", batch_norm=True, dtype="float32", seed=2)
    n64 = Network([3, 6, 4, 3], activation="tanh", batch_norm=True, dtype="float64", seed=2)
    assert all(v.dtype == np.float32 for v in n32.params.values())
    assert all(v.dtype == np.float64 for v in n64.params.values())
    n32.set_params(n64.params)
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 3, 10)
    P32, P64 = n32.predict(X), n64.predict(X)
    assert P32.dtype == np.float32
    np.testing.assert_allclose(P32, P64, rtol=1e-5, atol=1e-6)
    l32, g32 = n32.loss_and_gradients(X, y)
    l64, g64 = n64.loss_and_gradients(X, y)
    assert l32 == pytest.approx(l64, rel=1e-5)
    for k in g64:
        assert g32[k].dtype == np.float32
        np.testing.assert_allclose(g32[k], g64[k], rtol=1e-3, atol=1e-5)


# ---- forward pass and links, by hand ---------------------------------------------------------
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def random_params(net, rng):
    p = {k: rng.normal(size=v.shape) for k, v in net.params.items()}
    net.set_params(p)
    return p


def test_dense_forward_no_hidden_layer(rng):
    net = Network([4, 3], seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(6, 4))
    Z = X @ p["W1"] + p["b1"]
    np.testing.assert_allclose(net.predict(X, loss="mse"), Z, rtol=1e-13, atol=1e-14)
    P = net.predict(X, loss="cross_entropy")
    np.testing.assert_allclose(P, softmax(Z), rtol=1e-12)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)


def test_bce_link_is_sigmoid(rng):
    net = Network([4, 1], seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(20, 4))
    z = X @ p["W1"] + p["b1"]
    P = net.predict(X, loss="bce")
    np.testing.assert_allclose(P, 1 / (1 + np.exp(-z)), rtol=1e-13)
    assert np.all((P > 0) & (P < 1))


def test_hidden_layers_with_per_layer_activations(rng):
    net = Network([3, 5, 4, 2], activation=["relu", "sigmoid"], seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(7, 3))
    A1 = np.maximum(X @ p["W1"] + p["b1"], 0)
    A2 = 1 / (1 + np.exp(-(A1 @ p["W2"] + p["b2"])))
    O = A2 @ p["W3"] + p["b3"]
    np.testing.assert_allclose(net.predict(X, loss="huber"), O, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(net.predict(X), softmax(O), rtol=1e-12)


@pytest.mark.parametrize("activation, f", [
    ("identity", lambda x: x),
    ("tanh", np.tanh),
    ("leaky_relu", lambda x: np.where(x > 0, x, 0.01 * x)),
    ("elu", lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    ("swish", lambda x: x / (1 + np.exp(-x))),
    ("softplus", lambda x: np.log1p(np.exp(x))),
])
def test_activation_forward(activation, f, rng):
    net = Network([3, 6, 2], activation=activation, seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(5, 3))
    O = f(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    np.testing.assert_allclose(net.predict(X, loss="mse"), O, rtol=1e-12, atol=1e-13)


def test_gelu_forward_uses_exact_erf(rng):
    from math import erf
    net = Network([2, 4, 1], activation="gelu", seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(5, 2))
    H = X @ p["W1"] + p["b1"]
    A = H * 0.5 * (1 + np.vectorize(erf)(H / np.sqrt(2)))
    np.testing.assert_allclose(net.predict(X, loss="mse"), A @ p["W2"] + p["b2"], rtol=1e-12)


def test_maxout_forward_groups_adjacent_columns(rng):
    """Unit j = max of columns j·k … j·k+k−1 (SPEC §2)."""
    k = 3
    net = Network([3, 4, 2], activation="maxout", maxout_pieces=k, seed=0)
    p = random_params(net, rng)
    X = rng.normal(size=(6, 3))
    H = X @ p["W1"] + p["b1"]
    A = np.stack([H[:, j * k:(j + 1) * k].max(axis=1) for j in range(4)], axis=1)
    np.testing.assert_allclose(net.predict(X, loss="mse"), A @ p["W2"] + p["b2"], rtol=1e-12)


def test_predict_many_rows_in_chunks(rng):
    """More rows than one compiled evaluation block; rows are independent."""
    net = Network([2, 5, 3], activation="tanh", batch_norm=True, seed=0)
    p = random_params(net, rng)
    p["bn1_var"] = np.abs(p["bn1_var"]) + 0.5
    net.set_params(p)
    X = rng.normal(size=(2500, 2))
    Z = X @ p["W1"] + p["b1"]
    H = p["bn1_gamma"] * (Z - p["bn1_mean"]) / np.sqrt(p["bn1_var"] + 1e-5) + p["bn1_beta"]
    O = np.tanh(H) @ p["W2"] + p["b2"]
    np.testing.assert_allclose(net.predict(X, loss="mse"), O, rtol=1e-12, atol=1e-13)


# ---- data losses (SPEC §4), by hand ----------------------------------------------------------
def logits_net(rng, d_out):
    net = Network([3, d_out], seed=0)
    p = random_params(net, rng)
    p["W1"] *= 2.0
    net.set_params(p)
    X = rng.normal(size=(9, 3))
    return net, X, X @ p["W1"] + p["b1"]


def test_regression_losses(rng):
    net, X, O = logits_net(rng, 2)
    Y = O + rng.normal(0, 2.0, size=O.shape)  # both huber branches
    d = O - Y
    assert np.any(np.abs(d) < 1) and np.any(np.abs(d) > 1)
    huber = np.where(np.abs(d) < 1, 0.5 * d * d, np.abs(d) - 0.5)
    for loss, want, dwant in [("mse", np.mean(d * d), 2 * d / d.size),
                              ("mae", np.mean(np.abs(d)), np.sign(d) / d.size),
                              ("huber", np.mean(huber), np.clip(d, -1, 1) / d.size)]:
        value, g = net.loss_and_gradients(X, Y, loss=loss)
        assert value == pytest.approx(want, rel=1e-13), loss
        np.testing.assert_allclose(g["b1"], dwant.sum(axis=0), rtol=1e-12, err_msg=loss)
        np.testing.assert_allclose(g["W1"], X.T @ dwant, rtol=1e-11, atol=1e-14, err_msg=loss)


def test_bce_loss(rng):
    net, X, O = logits_net(rng, 1)
    y = rng.integers(0, 2, len(X))
    z = O[:, 0]
    want = np.mean(np.log1p(np.exp(z)) - y * z)
    value, g = net.loss_and_gradients(X, y, loss="bce")
    assert value == pytest.approx(want, rel=1e-13)
    np.testing.assert_allclose(g["b1"][0], np.mean(1 / (1 + np.exp(-z)) - y), rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.5])
def test_cross_entropy_with_label_smoothing(alpha, rng):
    net, X, O = logits_net(rng, 4)
    y = rng.integers(0, 4, len(X))
    q = (1 - alpha) * np.eye(4)[y] + alpha / 4
    logp = np.log(softmax(O))
    want = np.mean(-(q * logp).sum(axis=1))
    value, g = net.loss_and_gradients(X, y, loss="cross_entropy", label_smoothing=alpha)
    assert value == pytest.approx(want, rel=1e-12)
    np.testing.assert_allclose(g["b1"], ((softmax(O) - q) / len(X)).sum(axis=0), rtol=1e-11,
                               atol=1e-15)


def test_class_targets_may_be_a_column(rng):
    net, X, _ = logits_net(rng, 3)
    y = rng.integers(0, 3, len(X))
    a, _ = net.loss_and_gradients(X, y)
    b, _ = net.loss_and_gradients(X, y.reshape(-1, 1).astype(float))
    assert a == b


def test_maxout_tie_goes_to_the_first_piece():
    """f' of maxout is 1 for the winning piece, the first one on ties, 0 for the others."""
    net = Network([1, 1, 1], activation="maxout", maxout_pieces=3, seed=0)
    net.set_params({"W1": np.array([[2.0, 2.0, 1.0]]), "b1": np.zeros(3),
                    "W2": np.ones((1, 1)), "b2": np.zeros(1)})
    X = np.array([[1.5]])
    assert net.predict(X, loss="mse")[0, 0] == 3.0
    _, g = net.loss_and_gradients(X, np.array([[2.0]]), loss="mse")  # ∂loss/∂O = 2
    np.testing.assert_array_equal(g["b1"], [2.0, 0.0, 0.0])
    np.testing.assert_array_equal(g["W1"], [[3.0, 0.0, 0.0]])
