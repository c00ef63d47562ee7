"""Where a landscape's losses are measured, and the measuring itself.

* 1-D (Goodfellow et al. 2015): θ(t) = (1 − t)·θ_initial + t·θ_final for t ∈ [−0.5, 1.5]; the
  running batch-norm statistics are interpolated alike (variances clamped at 0 where t
  extrapolates), so t = 0 and t = 1 are exactly the run's first and last weights.
* 2-D: θ(α, β) = θ_final + α·d₁ + β·d₂, statistics held at their final values.

Losses are the run's own measure (the data loss of a whole split in evaluation mode, as a
history row's ``train_loss``/``val_loss``), computed by the run layer's compiled row kernel for
a batch of weight vectors per call: one Python round trip per chunk of cells, not per cell.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from trainlab.data import Splits
from trainlab.engine import Network
from trainlab.engine.epochs import R_TRAIN, R_VAL
from trainlab.runs.evaluation import RowMeasurer, SplitEvaluator

#: The interpolation's range of t.
T_RANGE = (-0.5, 1.5)
#: Weight vectors per compiled call are capped by this many bytes of them (and CHUNK_CELLS).
CHUNK_BYTES = 8 * 2 ** 20
CHUNK_CELLS = 256
#: Random directions span [−1, 1] on both axes (a step of 1 is the size of the layer).
RANDOM_EXTENT = (-1.0, 1.0, -1.0, 1.0)
#: A PCA grid covers the projected path and the origin plus this share of the span each side.
PATH_MARGIN = 0.25

#: Report (cells done, cells in all); returning False stops the computation.
ProgressFn = Callable[[int, int], "bool | None"]


class Cancelled(Exception):
    """The progress function asked to stop."""


def interpolation_t(grid: int) -> np.ndarray:
    """``4·(grid − 1) + 1`` values of t from −0.5 to 1.5, each a multiple of 1/(2·(grid − 1)):
    t = 0 and t = 1 are among them exactly."""
    q = max(int(grid) - 1, 2)
    return np.arange(-q, 3 * q + 1) / (2 * q)


def path_extent(path: np.ndarray) -> tuple[float, float, float, float]:
    """(α_min, α_max, β_min, β_max) around a projected path and the origin."""
    bounds = []
    for k in range(2):
        lo = min(float(path[:, k].min()) if path.size else 0.0, 0.0)
        hi = max(float(path[:, k].max()) if path.size else 0.0, 0.0)
        span = hi - lo if hi > lo else 1.0
        bounds += [lo - PATH_MARGIN * span, hi + PATH_MARGIN * span]
    return tuple(bounds)


class LossMeter:
    """Training and validation loss of many weight vectors of ``net``'s layout.

    ``measure(thetas, stats)``, with one weight vector per row, returns (train, val) losses
    (val is all nan without a validation split).
    """

    def __init__(self, net: Network, splits: Splits, loss: str, smoothing: float):
        train = SplitEvaluator(net, splits.X_train, splits.y_train, loss, smoothing,
                               splits.task)
        val = SplitEvaluator(net, splits.X_val, splits.y_val, loss, smoothing, splits.task)
        self.net, self.has_val = net, val.n > 0
        self._measurer = RowMeasurer(net, train, val, 0.0, 0.0)
        self.chunk = int(max(1, min(CHUNK_CELLS, CHUNK_BYTES // (8 * max(net.n_params, 1)))))

    def measure(self, thetas: np.ndarray, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = thetas.shape[0]
        dt = self.net.dtype
        rows = np.zeros((n, self._measurer.width))
        self._measurer.measure(n, np.ascontiguousarray(thetas, dt),
                               np.ascontiguousarray(stats, dt), rows)
        return rows[:, R_TRAIN].copy(), rows[:, R_VAL].copy()


class Counter:
    """Cells done out of ``total``, reported to a progress function after each chunk."""

    def __init__(self, total: int, progress: ProgressFn | None):
        self.done, self.total, self.progress = 0, total, progress

    def add(self, n: int) -> None:
        self.done += n
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise Cancelled


def sweep(meter: LossMeter, n: int, weights_of: Callable[[int, int], tuple],
          counter: Counter) -> tuple[np.ndarray, np.ndarray]:
    """Losses of ``n`` weight vectors, ``weights_of(start, stop)`` giving (thetas, stats) of
    vectors start..stop−1, a chunk at a time."""
    train, val = np.empty(n), np.empty(n)
    for start in range(0, n, meter.chunk):
        stop = min(n, start + meter.chunk)
        train[start:stop], val[start:stop] = meter.measure(*weights_of(start, stop))
        counter.add(stop - start)
    return train, val


def interpolation(meter: LossMeter, t: np.ndarray, initial: tuple, final: tuple,
                  var_mask: np.ndarray, counter: Counter) -> tuple[np.ndarray, np.ndarray]:
    """Losses along θ(t); ``initial``/``final`` are (theta, stats), ``var_mask`` marks the
    running variances among the statistics."""
    (theta0, stats0), (theta1, stats1) = initial, final

    def weights_of(start, stop):
        s = t[start:stop, None]
        stats = (1 - s) * stats0 + s * stats1
        stats[:, var_mask] = np.maximum(stats[:, var_mask], 0.0)
        return (1 - s) * theta0 + s * theta1, stats

    return sweep(meter, t.size, weights_of, counter)


def plane(meter: LossMeter, alphas: np.ndarray, betas: np.ndarray, final: tuple,
          d1: np.ndarray, d2: np.ndarray, counter: Counter) -> tuple[np.ndarray, np.ndarray]:
    """Losses on the grid θ_final + α·d₁ + β·d₂, as (len(alphas), len(betas)) arrays
    (``[i, j]`` at alphas[i], betas[j])."""
    theta, stats = final
    A, B = np.meshgrid(alphas, betas, indexing="ij")
    a, b = A.ravel(), B.ravel()

    def weights_of(start, stop):
        thetas = theta + a[start:stop, None] * d1 + b[start:stop, None] * d2
        return thetas, np.tile(stats, (stop - start, 1))

    train, val = sweep(meter, a.size, weights_of, counter)
    return train.reshape(A.shape), val.reshape(A.shape)
