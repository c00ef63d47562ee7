"""What a history row measures (SPEC §10), computed from a snapshot of the weights.

An epoch's row needs the loss and accuracy/R² of whole splits in evaluation mode, the weight
norms and the penalty. All of it is a pure function of the weights at the end of the epoch,
so it can run in a second thread while the next epoch trains (see :class:`EpochPipeline`):
the numbers are the same bit for bit, whichever thread computes them.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from trainlab.engine import Network, kernels
from trainlab.engine.names import LOSS_CODE

#: Rows per compiled evaluation call.
EVAL_ROWS = 1024
#: Pipelining pays when an epoch's steps and its evaluation each take at least this long
#: (seconds); below it, handing work to the other thread costs more than it saves.
PIPELINE_MIN_SECONDS = 4e-4


Snapshot = tuple[np.ndarray, np.ndarray]  # (theta, stats), copies


def snapshot(net: Network) -> Snapshot:
    return net.theta.copy(), net.stats.copy()


def restore(net: Network, snap: Snapshot) -> None:
    net.theta[:] = snap[0]
    net.stats[:] = snap[1]


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
                                 self.net.lt, self.rows, self.net.dropout, self.rng,
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


class EpochMeasurer:
    """Measures a snapshot over the train and validation splits."""

    def __init__(self, net: Network, train: SplitEvaluator, val: SplitEvaluator,
                 l1: float, l2: float):
        self.lt = net.lt
        self.train, self.val = train, val
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, snap: Snapshot) -> Measurement:
        theta, stats = snap
        tl, ta = self.train(theta, stats)
        vl, va = self.val(theta, stats)
        norms = np.zeros(self.lt.shape[0])
        penalty = kernels.weight_stats(theta, self.lt, self.l1, self.l2, norms)
        return Measurement(tl, ta, vl, va, penalty, norms, bool(np.all(np.isfinite(theta))))


@dataclass
class EpochEnd:
    """An epoch whose steps are done: what its row needs, and where the run stood."""

    epoch: int
    lr: float
    g_norms: np.ndarray
    snap: Snapshot
    seconds: float        # training seconds at the end of this epoch
    total_steps: int
    future: Future | None = None
    eval_seconds: float = field(default=0.0)
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
    handover costs less than it saves. ``TRAINLAB_PIPELINE=0`` turns it off.
    """

    def __init__(self, enabled: bool):
        self.enabled = enabled and os.environ.get("TRAINLAB_PIPELINE", "1") != "0" \
            and cpus_available() >= 2
        self._pool: ThreadPoolExecutor | None = None
        self.train_seconds = math.inf  # of the last epoch's steps
        self.eval_seconds = 0.0        # of the last evaluation

    def worth_it(self) -> bool:
        return (self.enabled and self.train_seconds >= PIPELINE_MIN_SECONDS
                and self.eval_seconds >= PIPELINE_MIN_SECONDS)

    def submit(self, measure: EpochMeasurer, end: EpochEnd) -> None:
        end.future = self.run_async(self._timed, measure, end)

    def run_async(self, fn, *args) -> Future:
        """``fn(*args)`` in the second thread."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trainlab-eval")
        return self._pool.submit(fn, *args)

    def measure_now(self, measure: EpochMeasurer, end: EpochEnd) -> Measurement:
        return self._timed(measure, end)

    def _timed(self, measure: EpochMeasurer, end: EpochEnd) -> Measurement:
        t0 = time.perf_counter()
        m = measure(end.snap)
        end.eval_seconds = time.perf_counter() - t0
        self.eval_seconds = end.eval_seconds
        return m

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
