"""A finished run's loss landscape: :func:`compute_landscape` → :class:`Landscape`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.engine import Network
from trainlab.landscape import grid as g
from trainlab.landscape.directions import (
    NORMALIZATIONS,
    flat_history,
    pca_directions,
    project,
    random_directions,
)
from trainlab.landscape.source import (
    HISTORY_FILE,
    LandscapeError,
    RunWeights,
    as_history,
    from_result,
    from_run_dir,
)
from trainlab.runs.build import build_network
from trainlab.runs.options import blas_limit, blas_threads
from trainlab.runs.records import save_npz

DIRECTIONS = ("pca", "random")
GRID_RANGE = (3, 401)


@dataclass
class Landscape:
    """Losses around a run's final weights θ_final.

    ``loss[i, j]`` (and ``val_loss``) is the loss at θ_final + alphas[i]·d₁ + betas[j]·d₂, with
    ``dir1``/``dir2`` the directions by parameter name; ``path`` (epochs × 2) the kept epochs
    projected on the plane (PCA directions only; empty for random ones), ``path_epochs`` their
    epoch numbers, ``explained`` the share of the trajectory's variance each PCA direction
    holds (nan for random ones). The 1-D view: ``loss_1d`` (``val_loss_1d``) at
    θ(t) = (1 − t)·θ_initial + t·θ_final. Validation losses are None without a validation
    split.
    """

    directions: str
    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray | None
    dir1: dict[str, np.ndarray]
    dir2: dict[str, np.ndarray]
    path: np.ndarray
    path_epochs: np.ndarray
    explained: np.ndarray
    t: np.ndarray
    loss_1d: np.ndarray
    val_loss_1d: np.ndarray | None
    label: str = ""

    def arrays(self) -> dict[str, np.ndarray]:
        """The landscape as the arrays of ``landscape.npz``."""
        out = {"alphas": self.alphas, "betas": self.betas, "loss": self.loss,
               "path": self.path, "path_epochs": self.path_epochs,
               "explained": self.explained, "t": self.t, "loss_1d": self.loss_1d,
               "directions": np.array(self.directions)}
        if self.val_loss is not None:
            out["val_loss"] = self.val_loss
            out["val_loss_1d"] = self.val_loss_1d
        for prefix, d in (("dir1", self.dir1), ("dir2", self.dir2)):
            out.update({f"{prefix}/{name}": value for name, value in d.items()})
        return out

    def save(self, path) -> Path:
        path = Path(path)
        save_npz(path, self.arrays())
        return path


def compute_landscape(run_dir_or_result, grid: int = 41, directions: str = "pca",
                      seed: int = 0, progress: g.ProgressFn | None = None, *,
                      history: dict[str, np.ndarray] | None = None,
                      normalization: str = "layer",
                      extent: tuple[float, float, float, float] | None = None) -> Landscape:
    """The 1-D and 2-D loss landscapes of a finished run.

    * ``run_dir_or_result``: a run directory, or a :class:`~trainlab.runs.RunResult` (with
      ``history``, the kept weights by name plus ``epochs``, for PCA directions; by default
      the result's own ``weights_history``).
    * ``grid``: points per axis of the 2-D grid (the 1-D curve gets 4·(grid − 1) + 1).
    * ``directions``: ``"pca"`` (the run's trajectory; needs the weights history) or
      ``"random"`` (seeded with ``seed``, ``normalization`` "layer" or "filter"; needs only
      the final weights); see :mod:`trainlab.landscape.directions`.
    * ``extent``: (α_min, α_max, β_min, β_max); default: around the path (PCA), ±1 (random).
    * ``progress(done, total)``: called after each batch of cells; returning False stops
      with :class:`~trainlab.landscape.grid.Cancelled`.

    A run that cannot give the landscape raises :class:`LandscapeError` (one line); a preset
    or data problem the preset layer's ``ValueError``.
    """
    if directions not in DIRECTIONS:
        raise LandscapeError(f"directions: must be one of {', '.join(DIRECTIONS)}, "
                             f"got {directions!r}")
    if normalization not in NORMALIZATIONS:
        raise LandscapeError(f"normalization: must be one of {', '.join(NORMALIZATIONS)}, "
                             f"got {normalization!r}")
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) \
            or not GRID_RANGE[0] <= grid <= GRID_RANGE[1]:
        raise LandscapeError(f"grid: must be an integer from {GRID_RANGE[0]} to "
                             f"{GRID_RANGE[1]}, got {grid!r}")
    if isinstance(run_dir_or_result, RunWeights):
        source = run_dir_or_result
    elif isinstance(run_dir_or_result, (str, Path)):
        source = from_run_dir(run_dir_or_result)
    else:
        source = from_result(run_dir_or_result, history)
    if history is not None:
        source.history = as_history(history)
    # the run's BLAS thread rule: threads that spin-wait on a small net's tiny matrices
    # (and on the SVD of its trajectory) slow it down several times on a busy machine
    with blas_limit(blas_threads(source.run)):
        return _compute(source, int(grid), directions, seed, progress, normalization, extent)


def _compute(source: RunWeights, grid: int, directions: str, seed: int,
             progress: g.ProgressFn | None, normalization: str, extent) -> Landscape:
    net = build_network(source.run)
    initial, final = _weights(net, source.initial, "initial"), _weights(net, source.final,
                                                                         "final")
    if not np.isfinite(final[0]).all():
        raise LandscapeError(f"{source.label}: the final weights are not finite (the run "
                             "diverged); a landscape needs finite weights")
    if directions == "pca":
        d1, d2, explained, path, path_epochs = _pca(net, source, final[0])
    else:
        d1, d2 = random_directions(net, final[0], seed, normalization)
        explained = np.full(2, np.nan)
        path, path_epochs = np.zeros((0, 2)), np.zeros(0, np.int64)
    a0, a1, b0, b1 = extent if extent is not None else (
        g.path_extent(path) if directions == "pca" else g.RANDOM_EXTENT)
    alphas, betas = np.linspace(a0, a1, grid), np.linspace(b0, b1, grid)
    t = g.interpolation_t(grid)
    p = source.run.preset
    meter = g.LossMeter(net, source.run.splits, p.loss.name, p.loss.label_smoothing)
    counter = g.Counter(t.size + alphas.size * betas.size, progress)
    var_mask = _variance_mask(net)
    loss_1d, val_1d = g.interpolation(meter, t, initial, final, var_mask, counter)
    loss, val = g.plane(meter, alphas, betas, final, d1, d2, counter)
    keep_val = meter.has_val
    return Landscape(directions, alphas, betas, loss, val if keep_val else None,
                     net.unflatten(d1), net.unflatten(d2), path, path_epochs, explained, t,
                     loss_1d, val_1d if keep_val else None, source.label)


def _weights(net: Network, params: dict[str, np.ndarray], which: str) -> tuple:
    """(theta, stats) of a weights dict in ``net``'s layout."""
    try:
        net.set_params({k: v for k, v in params.items() if k != "epochs"})
    except ValueError as error:
        raise LandscapeError(f"weights_{which}: do not fit the run's network ({error})") \
            from None
    return net.theta.copy(), net.stats.copy()


def _pca(net: Network, source: RunWeights, final: np.ndarray):
    if source.history is None:
        raise LandscapeError(
            f"{source.label}: no {HISTORY_FILE}; trajectory-PCA directions need the run's "
            "per-epoch weights (train with 'trainlab run --save-history'), or use random "
            "directions")
    try:
        H = flat_history(net, source.history)
        if not np.isfinite(H).all():
            raise ValueError("the weights history holds non-finite weights (a diverged run)")
        d1, d2, explained = pca_directions(H, final)
    except ValueError as error:
        raise LandscapeError(f"{source.label}: {error}") from None
    epochs = source.history.get("epochs")
    epochs = np.arange(H.shape[0]) if epochs is None else np.asarray(epochs, np.int64)
    if epochs.shape != (H.shape[0],):
        raise LandscapeError(f"{source.label}: weights history: 'epochs' must hold one number "
                             f"per kept epoch ({H.shape[0]}), got shape {epochs.shape}")
    return d1, d2, explained, project(H, final, d1, d2), epochs


def _variance_mask(net: Network) -> np.ndarray:
    """Which entries of ``net.stats`` are running variances."""
    mask = np.zeros(net.stats.size, bool)
    for t in net.tensors:
        if not t.learned and t.name.endswith("_var"):
            mask[t.offset:t.offset + t.size] = True
    return mask
