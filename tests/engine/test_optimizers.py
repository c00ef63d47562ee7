"""Optimizers (SPEC §6) and gradient clipping (SPEC §5) against a plain NumPy re-statement of
the SPEC formulas, step by step over whole trajectories.

The reference below never calls the engine's optimizer: it is SPEC §6 written out with NumPy,
one tensor at a time, with the SPEC's (PyTorch's) defaults spelled out here.
"""

import numpy as np
import pytest

from trainlab.engine import Network, Optimizer

STEPS = 50
TOL = dict(rtol=1e-12, atol=1e-12)


class ReferenceOptimizer:
    """SPEC §5 + §6, written plainly. State per tensor name, zeros at the start; t from 1."""

    def __init__(self, name, lr=0.01, momentum=None, nesterov=False, beta1=0.9, beta2=0.999,
                 eps=None, rho=0.99, weight_decay=0.01, clip_norm=None):
        self.name, self.lr = name, lr
        # SPEC §6 defaults: μ = 0.9 for momentum, 0 for rmsprop; ε = 1e-10 adagrad, else 1e-8.
        self.mu = momentum if momentum is not None else (0.0 if name == "rmsprop" else 0.9)
        self.eps = eps if eps is not None else (1e-10 if name == "adagrad" else 1e-8)
        self.nesterov, self.beta1, self.beta2 = nesterov, beta1, beta2
        self.rho, self.wd, self.clip = rho, weight_decay, clip_norm
        self.t = 0
        self.state = {}

    def _zeros(self, key, like):
        if key not in self.state:
            self.state[key] = np.zeros_like(like)
        return self.state[key]

    def step(self, params, grads):
        g = {k: np.array(v, dtype=np.float64) for k, v in grads.items()}
        if self.clip is not None:  # g ← g·min(1, c/(‖g‖₂ + 1e-6)), all tensors together
            norm = np.sqrt(sum(float(np.sum(v * v)) for v in g.values()))
            g = {k: v * min(1.0, self.clip / (norm + 1e-6)) for k, v in g.items()}
        self.t += 1
        t, lr, eps = self.t, self.lr, self.eps
        for k in g:
            theta, gk = params[k], g[k]
            is_weight = k.startswith("W")
            if self.name == "sgd":
                theta -= lr * gk
            elif self.name == "momentum":
                b = self._zeros(("b", k), gk)
                b[...] = self.mu * b + gk
                d = gk + self.mu * b if self.nesterov else b
                theta -= lr * d
            elif self.name == "adagrad":
                s = self._zeros(("s", k), gk)
                s += gk ** 2
                theta -= lr * gk / (np.sqrt(s) + eps)
            elif self.name == "rmsprop":
                v = self._zeros(("v", k), gk)
                v[...] = self.rho * v + (1 - self.rho) * gk ** 2
                if self.mu > 0:
                    b = self._zeros(("b", k), gk)
                    b[...] = self.mu * b + gk / (np.sqrt(v) + eps)
                    theta -= lr * b
                else:
                    theta -= lr * gk / (np.sqrt(v) + eps)
            else:  # adam, adamw, lamb
                m = self._zeros(("m", k), gk)
                v = self._zeros(("v", k), gk)
                m[...] = self.beta1 * m + (1 - self.beta1) * gk
                v[...] = self.beta2 * v + (1 - self.beta2) * gk ** 2
                m_hat = m / (1 - self.beta1 ** t)
                v_hat = v / (1 - self.beta2 ** t)
                if self.name == "adam":
                    theta -= lr * m_hat / (np.sqrt(v_hat) + eps)
                elif self.name == "adamw":
                    if is_weight:
                        theta *= 1 - lr * self.wd
                    theta -= lr * m_hat / (np.sqrt(v_hat) + eps)
                else:  # lamb
                    r = m_hat / (np.sqrt(v_hat) + eps) + (self.wd * theta if is_weight else 0.0)
                    nt, nr = np.linalg.norm(theta), np.linalg.norm(r)
                    trust = nt / nr if nt > 0 and nr > 0 else 1.0
                    theta -= lr * trust * r


CASES = [
    ("sgd", {"lr": 0.05}),
    ("momentum", {"lr": 0.02}),
    ("momentum", {"lr": 0.02, "nesterov": True}),
    ("momentum", {"lr": 0.03, "momentum": 0.5, "nesterov": True}),
    ("momentum", {"lr": 0.03, "momentum": 0.0}),
    ("adagrad", {"lr": 0.1}),
    ("adagrad", {"lr": 0.1, "eps": 1e-6}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "momentum": 0.8}),
    ("rmsprop", {"lr": 0.01, "rho": 0.9, "eps": 1e-6, "momentum": 0.5}),
    ("adam", {"lr": 0.01}),
    ("adam", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
    ("adamw", {"lr": 0.01}),
    ("adamw", {"lr": 0.02, "weight_decay": 0.1, "beta2": 0.95}),
    ("lamb", {"lr": 0.01}),
    ("lamb", {"lr": 0.02, "weight_decay": 0.1, "beta1": 0.85}),
]
CASE_IDS = [name + "-" + "-".join(f"{k}={v}" for k, v in kw.items()) for name, kw in CASES]


# ---- (a) a fixed quadratic over a dict of tensors ------------------------------------------
class Quadratic:
    """f(θ) = ½ θᵀAθ − bᵀθ over θ = (W1 (3×2) flattened, b1 (2,)); ∇f = Aθ − b."""

    def __init__(self, scale=1.0, seed=0):
        rng = np.random.default_rng(seed)
        M = rng.normal(size=(8, 8))
        self.A = scale * (M @ M.T / 8 + 0.5 * np.eye(8))
        self.b = scale * rng.normal(size=8)
        self.start = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=2)}

    def grads(self, p):
        theta = np.concatenate([p["W1"].ravel(), p["b1"]])
        g = self.A @ theta - self.b
        return {"W1": g[:6].reshape(3, 2), "b1": g[6:]}

    def fresh(self):
        return {k: v.copy() for k, v in self.start.items()}


def run_quadratic(name, kw, quad, lrs=None):
    opt, ref = Optimizer(name, **kw), ReferenceOptimizer(name, **kw)
    p_eng, p_ref = quad.fresh(), quad.fresh()
    for step in range(STEPS):
        if lrs is not None:
            opt.lr = ref.lr = lrs[step]
        opt.step(p_eng, quad.grads(p_eng))
        ref.step(p_ref, quad.grads(p_ref))
        for k in p_ref:
            np.testing.assert_allclose(p_eng[k], p_ref[k], **TOL,
                                       err_msg=f"{name} {kw}: {k} after step {step + 1}")
    assert opt.steps == STEPS
    return p_eng


@pytest.mark.parametrize("name, kw", CASES, ids=CASE_IDS)
def test_quadratic_trajectory_matches_spec(name, kw):
    quad = Quadratic()
    final = run_quadratic(name, kw, quad)
    assert not np.allclose(final["W1"], quad.start["W1"])  # the optimizer really moved


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw",
                                  "lamb"])
def test_defaults_on_tiny_gradients(name):
    """With gradients ~1e-8 the ε in the denominator matters, so only the SPEC defaults
    (ε = 1e-10 adagrad, 1e-8 others; μ = 0.9 momentum, 0 rmsprop; λ_wd = 0.01) agree."""
    run_quadratic(name, {"lr": 0.01}, Quadratic(scale=1e-8, seed=1))


def test_default_hyperparameters_explicitly():
    """First steps worked by hand from the SPEC defaults."""
    g = 1e-9

    def first_steps(name, n=1):
        p = {"b1": np.array([1.0])}
        opt = Optimizer(name, lr=0.1)
        for _ in range(n):
            opt.step(p, {"b1": np.array([g])})
        return p["b1"][0]

    # adagrad: s = g², step = η·g/(g + 1e-10)
    assert first_steps("adagrad") == pytest.approx(1 - 0.1 * g / (g + 1e-10), rel=1e-15)
    # adam: m̂ = g, v̂ = g², step = η·g/(g + 1e-8)
    assert first_steps("adam") == pytest.approx(1 - 0.1 * g / (g + 1e-8), rel=1e-15)
    # rmsprop: v = 0.01·g², step = η·g/(0.1·g + 1e-8), no momentum: two equal steps
    one = 0.1 * g / (np.sqrt(0.01 * g * g) + 1e-8)
    v2 = 0.99 * 0.01 * g * g + 0.01 * g * g
    two = one + 0.1 * g / (np.sqrt(v2) + 1e-8)
    assert first_steps("rmsprop", 2) == pytest.approx(1 - two, rel=1e-15)
    # momentum μ = 0.9: b₁ = g, b₂ = 1.9·g
    assert first_steps("momentum", 2) == pytest.approx(1 - 0.1 * (g + 1.9 * g), rel=1e-15)


@pytest.mark.parametrize("name, kw", CASES, ids=CASE_IDS)
def test_changing_lr_between_steps_takes_effect(name, kw):
    lrs = [kw["lr"] * (0.25, 1.0, 3.0)[s % 3] for s in range(STEPS)]
    run_quadratic(name, kw, Quadratic(seed=2), lrs=lrs)


# ---- (b) a small Network -----------------------------------------------------------------
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("name, kw", CASES, ids=CASE_IDS)
def test_network_trajectory_matches_spec(name, kw, batch_norm):
    """opt.step(net, grads) on a [2, 4, 3] net against the reference updating its own copy of
    the parameters with the same gradients (with batch norm, ∂b1 is pure rounding noise, so
    the gradients are shared rather than recomputed at the reference's parameters)."""
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 3, 10)
    net = Network([2, 4, 3], activation="tanh", batch_norm=batch_norm, seed=4)
    opt, ref = Optimizer(name, **kw), ReferenceOptimizer(name, **kw)
    p_ref, start = net.params, net.params
    for step in range(STEPS):
        _, grads = net.loss_and_gradients(X, y, loss="cross_entropy")
        opt.step(net, grads)
        ref.step(p_ref, grads)
        p_eng = net.params
        for k in p_ref:
            np.testing.assert_allclose(p_eng[k], p_ref[k], **TOL,
                                       err_msg=f"{name} {kw}: {k} after step {step + 1}")
    assert not np.allclose(net.params["W1"], start["W1"])  # the optimizer really moved


# ---- gradient clipping (SPEC §5) -----------------------------------------------------------
@pytest.mark.parametrize("clip", [1e-3, 0.5, 1e6])
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "lamb"])
def test_clip_norm_on_dict(name, clip):
    run_quadratic(name, {"lr": 0.02, "clip_norm": clip}, Quadratic(seed=3))


def test_clip_scales_all_tensors_together():
    """One SGD step with η = 1 moves θ by exactly the clipped gradient."""
    g = {"W1": np.array([[3.0, 0.0], [0.0, 0.0]]), "b1": np.array([4.0, 0.0])}  # ‖g‖ = 5
    for c, factor in [(1.0, 1.0 / (5 + 1e-6)), (10.0, 1.0), (5.0, 5.0 / (5 + 1e-6))]:
        p = {"W1": np.zeros((2, 2)), "b1": np.zeros(2)}
        Optimizer("sgd", lr=1.0, clip_norm=c).step(p, g)
        np.testing.assert_allclose(-p["W1"], g["W1"] * factor, rtol=1e-15, atol=0)
        np.testing.assert_allclose(-p["b1"], g["b1"] * factor, rtol=1e-15, atol=0)
        assert np.linalg.norm(np.concatenate([p["W1"].ravel(), p["b1"]])) <= c + 1e-12


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_clip_norm_on_network_with_batch_norm(name):
    """The global norm runs over every learned tensor, batch-norm γ and β included."""
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(12, 2)), rng.integers(0, 3, 12)
    net = Network([2, 5, 3], activation="relu", batch_norm=True, seed=5)
    kw = {"lr": 0.05, "clip_norm": 0.05}
    opt, ref = Optimizer(name, **kw), ReferenceOptimizer(name, **kw)
    p_ref = net.params
    for _ in range(10):
        _, grads = net.loss_and_gradients(X, y, loss="cross_entropy", l2=0.01)
        assert np.sqrt(sum(np.sum(v * v) for v in grads.values())) > kw["clip_norm"]
        opt.step(net, grads)
        ref.step(p_ref, grads)
        p_eng = net.params
        for k in p_ref:
            np.testing.assert_allclose(p_eng[k], p_ref[k], **TOL)


def test_step_does_not_modify_the_gradients():
    p = {"W1": np.ones((2, 2)), "b1": np.ones(2)}
    g = {"W1": np.full((2, 2), 10.0), "b1": np.full(2, 10.0)}
    Optimizer("adam", clip_norm=1.0).step(p, g)
    assert np.all(g["W1"] == 10.0) and np.all(g["b1"] == 10.0)


def test_weight_decay_only_on_weight_matrices():
    """Zero gradients: adamw shrinks W by (1 − η·λ) per step and leaves b alone."""
    p = {"W1": np.full((2, 2), 2.0), "b1": np.full(2, 2.0), "bn1_gamma": np.full(2, 2.0)}
    g = {k: np.zeros_like(v) for k, v in p.items()}
    opt = Optimizer("adamw", lr=0.1, weight_decay=0.2)
    for _ in range(3):
        opt.step(p, g)
    np.testing.assert_allclose(p["W1"], 2.0 * (1 - 0.1 * 0.2) ** 3, rtol=1e-15)
    assert np.all(p["b1"] == 2.0) and np.all(p["bn1_gamma"] == 2.0)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "adamw", "lamb"])
def test_zero_lr_leaves_parameters_alone(name):
    """A schedule may reach η = 0 (polynomial, cosine at e ≥ T): the step then moves nothing,
    weight decay included (it is scaled by η)."""
    quad = Quadratic(seed=4)
    p = quad.fresh()
    opt = Optimizer(name, lr=0.1)
    opt.lr = 0.0
    for _ in range(3):
        opt.step(p, quad.grads(p))
    for k in p:
        np.testing.assert_array_equal(p[k], quad.start[k])
