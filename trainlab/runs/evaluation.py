"""What a history row measures (SPEC §10), computed from a copy of the weights.

An epoch's row needs the loss and accuracy/R² of whole splits in evaluation mode, the weight
norms and the penalty. All of it is a pure function of the weights at the end of the epoch,
so it can run in a second thread while the next epoch trains (see :class:`EpochPipeline`):
the numbers are the same bit for bit, whichever thread computes them.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from trainlab.engine import Network, epochs, kernels
from trainlab.engine.names import LOSS_CODE
from trainlab.engine.trace import UnitCounter
from trainlab.runs.health import HealthMeter

#: Rows per compiled evaluation call.
EVAL_ROWS = 1024
#: Pipelining pays when an epoch's steps and its evaluation each take at least this long
#: (seconds); below it, handing work to the other thread costs more than it saves.
PIPELINE_MIN_SECONDS = 4e-4


#: A copy of a network's weights at some point of a run: (theta, stats).
WeightCopy = tuple[np.ndarray, np.ndarray]


def copy_weights(net: Network) -> WeightCopy:
    return net.theta.copy(), net.stats.copy()


def restore_weights(net: Network, weights: WeightCopy) -> None:
    net.theta[:] = weights[0]
    net.stats[:] = weights[1]


def params_of(net: Network, weights: WeightCopy) -> dict[str, np.ndarray]:
    """``net.params`` as they were at ``weights`` (the network is left as it is)."""
    current = copy_weights(net)
    restore_weights(net, weights)
    params = net.params
    restore_weights(net, current)
    return params


def params_of_rows(net: Network, theta_rows: np.ndarray, stats_rows: np.ndarray
                   ) -> dict[str, np.ndarray]:
    """``net.params`` of each row of ``theta_rows`` / ``stats_rows`` (weight copies stacked
    on the first axis), by name: one slice of the rows per parameter, views where NumPy can
    (no copy), so they share the rows' memory."""
    rows = {True: theta_rows, False: stats_rows}
    n = theta_rows.shape[0]
    return {t.name: rows[t.learned][:, t.offset:t.offset + t.size].reshape(n, *t.shape)
            for t in net.tensors}


class SplitEvaluator:
    """Loss and accuracy (classification) or mean R² (regression) of one split, in
    evaluation mode, for any weights laid out like ``net``'s. Owns its buffers, so it may run
    in another thread while ``net`` trains."""

    def __init__(self, net: Network, X, y, loss: str, smoothing: float, task: str):
        self.net, self.task = net, task
        self.n = 0 if X is None else X.shape[0]
        if self.n == 0:
            return
        self.X = net.check_inputs(X)
        self.Y = net.check_targets(y, self.n, loss)
        self.code, self.smoothing = LOSS_CODE[loss], float(smoothing)
        self.metric = np.zeros(self.Y.shape[1] + 1)
        self.rows, self.ws = net.new_workspace(min(self.n, EVAL_ROWS))
        self.rng = net.rng_state.copy()  # evaluation draws nothing; a private copy anyway
        if task == "regression":
            Y64 = self.Y.astype(np.float64)
            self.sst = ((Y64 - Y64.mean(axis=0)) ** 2).sum(axis=0)

    def __call__(self, theta: np.ndarray, stats: np.ndarray) -> tuple[float, float]:
        if self.n == 0:
            return math.nan, math.nan
        self.metric[:] = 0.0
        ws = self.ws
        total = kernels.evaluate(self.X, self.Y, self.code, self.smoothing, theta, stats,
                                 self.net.lt, self.rows, self.net.p_drop, self.rng,
                                 ws.floats, ws.arg, ws.Yb, self.metric)
        return total / self.n, self.metric_value(self.metric)

    def metric_value(self, metric: np.ndarray) -> float:
        """Accuracy (classification) or the mean R² over outputs (regression) from the
        accumulators the loss kernel fills: correct predictions, or Σ(ŷ − y)² per output."""
        if self.task == "classification":
            return metric[0] / self.n
        sse = metric[: self.Y.shape[1]]
        r2 = [1.0 - e / t if t > 0 else (1.0 if e == 0 else 0.0)
              for e, t in zip(sse, self.sst, strict=True)]
        return float(np.mean(r2))


@dataclass
class Measurement:
    """The weight-dependent part of a history row."""

    train_loss: float
    train_metric: float
    val_loss: float
    val_metric: float
    penalty: float
    w_norms: np.ndarray
    finite_weights: bool
    #: unit health (``dead_l``, ``saturated_l``, ``zero_w_l``; :mod:`trainlab.runs.health`),
    #: where the measurer counts it
    health: dict[str, float] = dataclasses.field(default_factory=dict)


class RowMeasurer:
    """The weight-dependent part of history rows, for weights given as rows of
    ``snap_theta``/``snap_stats`` (weight copies), with the engine's
    :func:`~trainlab.engine.epochs.measure_epochs`
    (both splits in evaluation mode, penalty, ‖W_l‖, finite weights) and, with ``health``,
    the unit health of each row's weights on the training inputs (a
    :class:`~trainlab.runs.health.HealthMeter`'s figures, counted during the evaluation of
    the training split: no second pass). Owns its buffers: one instance measures in one
    thread at a time."""

    def __init__(self, net: Network, train: SplitEvaluator, val: SplitEvaluator,
                 l1: float, l2: float, health: bool = False):
        self.net, self.train, self.val = net, train, val
        self.health = HealthMeter(net) if health else None
        self.l1, self.l2 = float(l1), float(l2)
        # one workspace for both splits, chunked as each split's own evaluator chunks it
        # (min(n, EVAL_ROWS) rows), so the totals are summed in the same order
        self.Re, self.wse = net.new_workspace(min(max(train.n, val.n), EVAL_ROWS))
        self.rng = net.rng_state.copy()
        self.metric = np.zeros(train.metric.size)
        self.M, self.L = self.metric.size, net.n_layers
        if val.n:
            self.Xv, self.Yv = val.X, val.Y
        else:
            self.Xv = np.zeros((0, net.sizes[0]), net.dtype)
            self.Yv = np.zeros((0, train.Y.shape[1]), net.dtype)
        self._one = np.zeros((1, self.width))  # for __call__
        # without health: the counting arguments, unused (laid out as a counter's)
        self._no_counter = UnitCounter(net, np.zeros((net.n_layers - 1, 2)), 0.0)
        if self.health is not None:
            self._divisors = self.health.divisors(train.n)

    @property
    def width(self) -> int:
        return epochs.row_width(self.M, self.L)

    def measure(self, n: int, snap_theta, snap_stats, rows) -> np.ndarray | None:
        """Rows 0..n-1 of ``rows`` for the weights in rows 0..n-1 of the weight copies; with
        ``health``, returns their health figures (n × columns, a new array), else None."""
        t, wse, meter = self.train, self.wse, self.health
        counter = self._no_counter if meter is None else meter.counter
        counts = np.empty((n, 0 if meter is None else counter.size))
        epochs.measure_epochs(n, snap_theta, snap_stats, t.X, t.Y, self.Xv, self.Yv, t.code,
                              t.smoothing, self.l1, self.l2, self.net.lt, self.Re,
                              self.net.p_drop, self.rng, wse.floats, wse.arg, wse.Yb,
                              self.metric, rows, counter.layers, counter.w_eps, counter.amax,
                              counts)
        return None if meter is None else counts / self._divisors

    def parts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where a measured row (or each of an array of rows) keeps the training split's
        metric accumulators, the validation split's, ‖W_l‖ and the gradient norms."""
        M, L = self.M, self.L
        o = epochs.R_REST + 2 * M
        return (rows[..., epochs.R_REST:epochs.R_REST + M], rows[..., epochs.R_REST + M:o],
                rows[..., o:o + L], rows[..., o + L:o + 2 * L])

    def measurement(self, row: np.ndarray, health: np.ndarray | None = None) -> Measurement:
        """A measured row (and its health figures, if measured) as a :class:`Measurement`."""
        train, val, w_norms, _ = self.parts(row)
        tm = self.train.metric_value(train)
        vm = self.val.metric_value(val) if self.val.n else math.nan
        figures = {} if health is None or self.health is None else dict(
            zip(self.health.columns, health.tolist(), strict=True))
        return Measurement(float(row[epochs.R_TRAIN]), tm, float(row[epochs.R_VAL]), vm,
                           float(row[epochs.R_PENALTY]), w_norms.copy(),
                           bool(row[epochs.R_FINITE]), figures)

    def measurements(self, rows: np.ndarray, health: np.ndarray | None = None) -> Measurement:
        """Measured rows at once: a :class:`Measurement` whose fields are columns, one entry
        per row (``w_norms``: rows × layers; ``health``: name → column)."""
        train, val, w_norms, _ = self.parts(rows)
        tm = np.array([self.train.metric_value(r) for r in train])
        vm = np.array([self.val.metric_value(r) for r in val]) if self.val.n \
            else np.full(len(rows), math.nan)
        figures = {} if health is None or self.health is None else dict(
            zip(self.health.columns, health.T, strict=True))
        return Measurement(rows[:, epochs.R_TRAIN], tm, rows[:, epochs.R_VAL], vm,
                           rows[:, epochs.R_PENALTY], w_norms, rows[:, epochs.R_FINITE] != 0,
                           figures)

    def __call__(self, weights: WeightCopy) -> Measurement:
        theta, stats = weights
        health = self.measure(1, theta.reshape(1, -1), stats.reshape(1, -1), self._one)
        return self.measurement(self._one[0], None if health is None else health[0])


@dataclass
class EpochEnd:
    """An epoch whose steps are done: what its row needs, and where the run stood."""

    epoch: int
    lr: float
    g_norms: np.ndarray
    weights: WeightCopy   # at the end of this epoch
    seconds: float        # training seconds at the end of this epoch
    total_steps: int
    future: Future | None = None
    measurement: Measurement | None = None  # already measured (compiled epochs)


def cpus_available() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


class EpochPipeline:
    """Evaluates finished epochs in a second thread while the next one trains.

    Used only where it helps and changes nothing: two or more CPUs, BLAS on one thread (a
    large net keeps both cores for BLAS instead), a schedule that does not read the
    validation loss (plateau picks the next η from it), and epochs long enough that the
    handover costs less than it saves (``RunOptions.pipeline`` turns it off).
    """

    def __init__(self, enabled: bool):
        self.enabled = enabled and cpus_available() >= 2
        self._pool: ThreadPoolExecutor | None = None
        self.train_seconds = math.inf  # of the last epoch's steps
        self.eval_seconds = 0.0        # of the last evaluation

    def worth_it(self) -> bool:
        return (self.enabled and self.train_seconds >= PIPELINE_MIN_SECONDS
                and self.eval_seconds >= PIPELINE_MIN_SECONDS)

    def submit(self, measure: RowMeasurer, end: EpochEnd) -> None:
        end.future = self.run_async(self._timed, measure, end)

    def run_async(self, fn, *args) -> Future:
        """``fn(*args)`` in the second thread."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trainlab-eval")
        return self._pool.submit(fn, *args)

    def measure_now(self, measure: RowMeasurer, end: EpochEnd) -> Measurement:
        return self._timed(measure, end)

    def _timed(self, measure: RowMeasurer, end: EpochEnd) -> Measurement:
        t0 = time.perf_counter()
        m = measure(end.weights)
        self.eval_seconds = time.perf_counter() - t0
        return m

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
