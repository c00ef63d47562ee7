"""The two directions a 2-D landscape slice is spanned by (Li et al. 2018).

Weights are handled as the flat vector ``theta`` of a :class:`~trainlab.engine.Network` (every
learned parameter, laid out as the network lays it out); running batch-norm statistics are no
direction's business (they stay at their final values on a plane).

* **Trajectory PCA**: with θ_0 … θ_n the kept epochs' weights and θ_n the final ones, the
  rows θ_i − θ_n form a matrix M; its first two right singular vectors (SVD of M, no
  centring: the plane goes through θ_n) are the directions. They are orthonormal, so an
  epoch's coordinates are plain dot products, (d₁·(θ_i − θ_n), d₂·(θ_i − θ_n)), and the
  final epoch sits at (0, 0). Every learned parameter takes part, biases included, so the
  projected path is the run's own.
* **Random directions**: Gaussian draws rescaled to the size of the weights they perturb, so
  that a step of 1 along a direction is as large as the layer itself, whatever its scale.
  ``"layer"`` (the default for these dense nets): each weight matrix's direction has the
  matrix's Frobenius norm, ‖d_l‖ = ‖W_l‖. ``"filter"`` (Li et al.'s filter normalization,
  with a dense unit's incoming weights — a column of W_l — as its filter): every column has
  its column's norm. As in the paper, biases and batch-norm scales and shifts get a zero
  direction: they are few, and rescaled like weights they would dominate the picture.
"""

from __future__ import annotations

import numpy as np

from trainlab.engine import Network

NORMALIZATIONS = ("layer", "filter")


def flat_history(net: Network, history: dict[str, np.ndarray]) -> np.ndarray:
    """Stacked per-epoch weights by name (each ``(E, *shape)``) → an ``(E, n_theta)`` matrix,
    one row per epoch laid out like ``net.theta``."""
    learned = [t for t in net.tensors if t.learned]
    missing = [t.name for t in learned if t.name not in history]
    if missing:
        raise ValueError(f"weights history: missing {missing}")
    epochs = {np.asarray(history[t.name]).shape[0] for t in learned}
    if len(epochs) != 1:
        raise ValueError("weights history: the parameters hold different numbers of epochs")
    E = epochs.pop()
    H = np.empty((E, net.n_params), net.dtype)
    for t in learned:
        value = np.asarray(history[t.name])
        if value.shape[1:] != t.shape:
            raise ValueError(f"weights history: {t.name} must have shape (epochs, "
                             f"{', '.join(map(str, t.shape))}), got {value.shape}")
        H[:, t.offset:t.offset + t.size] = value.reshape(E, t.size)
    return H


def pca_directions(H: np.ndarray, final: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                              np.ndarray]:
    """(d₁, d₂, explained) from the trajectory ``H`` (epochs × n_theta) around ``final``.

    ``explained`` is each direction's share of Σ‖θ_i − θ_n‖² (σ_k² / Σσ²; 0 and 0 for a run
    that never moved). Signs are fixed so that the first kept epoch has coordinates ≤ 0:
    the path walks towards the origin from the lower left.
    """
    M = np.asarray(H, np.float64) - np.asarray(final, np.float64)
    if M.shape[0] < 2:
        raise ValueError("trajectory PCA needs at least 2 kept epochs of weights")
    if M.shape[1] < 2:
        raise ValueError("trajectory PCA needs a network with at least 2 parameters")
    _, s, Vt = np.linalg.svd(M, full_matrices=False)
    d = Vt[:2].copy()
    if d.shape[0] < 2:  # one epoch row left after the final: complete with any unit vector
        d = np.vstack([d, _orthogonal_unit(d[0])])
    for k in range(2):
        if d[k] @ M[0] > 0:
            d[k] = -d[k]
    total = float(np.sum(s ** 2))
    explained = np.zeros(2)
    if total > 0:
        explained[:min(2, s.size)] = s[:2] ** 2 / total
    return d[0], d[1], explained


def _orthogonal_unit(v: np.ndarray) -> np.ndarray:
    e = np.zeros_like(v)
    e[int(np.argmin(np.abs(v)))] = 1.0
    e -= (e @ v) * v
    return e / np.linalg.norm(e)


def random_direction(net: Network, final: np.ndarray, rng: np.random.Generator,
                     normalization: str = "layer") -> np.ndarray:
    """One random direction laid out like ``net.theta``, normalized against the weights
    ``final`` (see the module docstring); zero for biases and batch-norm parameters."""
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: must be one of {', '.join(NORMALIZATIONS)}, "
                         f"got {normalization!r}")
    d = np.zeros(net.n_params)
    for t in net.tensors:
        if not t.is_weight:
            continue
        W = np.asarray(final[t.offset:t.offset + t.size], np.float64).reshape(t.shape)
        g = rng.standard_normal(t.shape)
        if normalization == "layer":
            g *= np.linalg.norm(W) / max(np.linalg.norm(g), np.finfo(float).tiny)
        else:  # a column of W holds one unit's incoming weights: its filter
            g *= np.linalg.norm(W, axis=0) / np.maximum(np.linalg.norm(g, axis=0),
                                                         np.finfo(float).tiny)
        d[t.offset:t.offset + t.size] = g.ravel()
    return d


def random_directions(net: Network, final: np.ndarray, seed: int,
                      normalization: str = "layer") -> tuple[np.ndarray, np.ndarray]:
    """Two random directions from one generator seeded with ``seed`` (d₁ drawn first)."""
    rng = np.random.default_rng(seed)
    return (random_direction(net, final, rng, normalization),
            random_direction(net, final, rng, normalization))


def project(H: np.ndarray, final: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """Coordinates (epochs × 2) of the rows of ``H`` in the plane through ``final`` spanned by
    the orthonormal ``d1``, ``d2``."""
    M = np.asarray(H, np.float64) - np.asarray(final, np.float64)
    return np.column_stack([M @ d1, M @ d2])
