import numpy as np
import pytest

from trainlab.engine import Network


def jitter_biases(net: Network, rng: np.random.Generator) -> None:
    """Random biases (and BN γ, β) so no pre-activation sits exactly on a kink (relu at 0)."""
    p = net.params
    for name in net.learned_names:
        if not name.startswith("W"):
            p[name] = p[name] + rng.normal(0.0, 0.3, p[name].shape)
    net.set_params(p)


def finite_difference(net: Network, X, y, h=1e-6, **kw) -> dict:
    """Central differences of the objective (data loss + penalties), every learned parameter."""
    l1, l2 = kw.get("l1", 0.0), kw.get("l2", 0.0)

    def objective(params):
        net.set_params(params)
        loss, _ = net.loss_and_gradients(X, y, **kw)
        W = [v for k, v in params.items() if k.startswith("W")]
        return loss + l1 * sum(np.abs(w).sum() for w in W) + 0.5 * l2 * sum((w * w).sum()
                                                                           for w in W)

    base = net.params
    numeric = {}
    for name in net.learned_names:
        g = np.zeros_like(base[name])
        for idx in np.ndindex(g.shape):
            q = {k: v.copy() for k, v in base.items()}
            q[name][idx] += h
            up = objective(q)
            q[name][idx] -= 2 * h
            down = objective(q)
            g[idx] = (up - down) / (2 * h)
        numeric[name] = g
    net.set_params(base)
    return numeric


def relative_error(a: dict, b: dict) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖) over all parameters together."""
    va = np.concatenate([a[k].ravel() for k in sorted(a)])
    vb = np.concatenate([b[k].ravel() for k in sorted(a)])
    return float(np.linalg.norm(va - vb) / max(np.linalg.norm(va) + np.linalg.norm(vb), 1e-300))


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session", autouse=True)
def _engine_first(compiled_engine):
    """These tests train: the engine is compiled (or loaded) once, before the first."""
