"""Trajectory PCA, normalized random directions and the projection, against their definitions."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.engine import Network
from trainlab.landscape.directions import (
    flat_history,
    pca_directions,
    project,
    random_directions,
)


def test_pca_of_a_trajectory_in_a_plane_recovers_the_plane_and_the_coordinates():
    rng = np.random.default_rng(3)
    P = 30
    u, v = np.linalg.qr(rng.standard_normal((P, 2)))[0].T    # orthonormal u, v
    final = rng.standard_normal(P)
    coords = np.array([[-3.0, -1.0], [-2.0, 0.5], [-1.0, 0.2], [-0.5, -0.1], [0.0, 0.0]])
    H = final + coords[:, :1] * u + coords[:, 1:] * v

    d1, d2, explained = pca_directions(H, final)

    assert d1 @ d1 == pytest.approx(1.0) and d2 @ d2 == pytest.approx(1.0)
    assert d1 @ d2 == pytest.approx(0.0, abs=1e-12)
    # the plane is the same: u and v have no part outside span(d1, d2)
    for w in (u, v):
        assert np.linalg.norm(w - (w @ d1) * d1 - (w @ d2) * d2) == pytest.approx(0, abs=1e-12)
    path = project(H, final, d1, d2)
    np.testing.assert_allclose(final + path[:, :1] * d1 + path[:, 1:] * d2, H, atol=1e-12)
    np.testing.assert_array_equal(path[-1], [0.0, 0.0])
    assert explained.sum() == pytest.approx(1.0)
    # σ₁² / Σσ²: the variance along d1 over the total
    M = H - final
    assert explained[0] == pytest.approx(((M @ d1) ** 2).sum() / (M ** 2).sum())
    assert np.all(path[0] <= 0)  # signs: the first epoch at the lower left


def test_pca_of_a_straight_run_is_still_an_orthonormal_pair():
    final = np.zeros(4)
    H = np.array([[2.0, 0, 0, 0], [0, 0, 0, 0]])  # the initial and the final weights only
    d1, d2, explained = pca_directions(H, final)
    np.testing.assert_allclose(d1, [-1, 0, 0, 0])
    assert d2 @ d2 == pytest.approx(1.0) and d1 @ d2 == pytest.approx(0.0)
    np.testing.assert_allclose(explained, [1.0, 0.0])


def test_pca_needs_two_epochs():
    with pytest.raises(ValueError, match="at least 2 kept epochs"):
        pca_directions(np.zeros((1, 5)), np.zeros(5))


def _net(batch_norm=False):
    return Network([3, 7, 5, 2], batch_norm=batch_norm, seed=1)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_random_directions_have_the_norm_of_each_weight_matrix(batch_norm):
    net = _net(batch_norm)
    d1, d2 = random_directions(net, net.theta, seed=5)
    params = net.params
    for d in (net.unflatten(d1), net.unflatten(d2)):
        for name, value in d.items():
            if name.startswith("W"):
                assert np.linalg.norm(value) == pytest.approx(np.linalg.norm(params[name]))
            else:  # biases, batch-norm scales and shifts: left where they are
                assert not value.any(), name
    assert not np.allclose(d1, d2)


def test_filter_normalized_directions_have_each_units_norm():
    net = _net()
    d1, _ = random_directions(net, net.theta, seed=2, normalization="filter")
    params = net.params
    for name, value in net.unflatten(d1).items():
        if name.startswith("W"):  # a column: one unit's incoming weights
            np.testing.assert_allclose(np.linalg.norm(value, axis=0),
                                       np.linalg.norm(params[name], axis=0))


def test_random_directions_follow_the_seed():
    net = _net()
    a, b = random_directions(net, net.theta, seed=4), random_directions(net, net.theta, seed=4)
    c = random_directions(net, net.theta, seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])


def test_unknown_normalization_is_refused():
    with pytest.raises(ValueError, match="normalization: must be one of layer, filter"):
        random_directions(_net(), _net().theta, seed=0, normalization="unit")


def test_flat_history_lays_epochs_out_like_theta():
    net = _net(batch_norm=True)
    first = net.params
    net.reinitialize(9)
    second = net.params
    history = {k: np.stack([first[k], second[k]]) for k in first}
    H = flat_history(net, history)
    np.testing.assert_array_equal(H[1], net.theta)
    net.set_params(first)
    np.testing.assert_array_equal(H[0], net.theta)


def test_flat_history_names_a_missing_or_misshapen_parameter():
    net = _net()
    history = {k: v[None] for k, v in net.params.items()}
    with pytest.raises(ValueError, match=r"missing \['b2'\]"):
        flat_history(net, {k: v for k, v in history.items() if k != "b2"})
    with pytest.raises(ValueError, match="W1 must have shape"):
        flat_history(net, dict(history, W1=np.zeros((1, 2, 7))))
