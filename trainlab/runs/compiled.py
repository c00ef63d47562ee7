"""Short epochs, many per compiled call (:func:`trainlab.engine.epochs.train_epochs`).

When epochs are short (under ``COMPILED_EPOCH_SECONDS`` of steps), the loop hands whole runs
of epochs to the engine and turns the rows it returns into history rows. The
numbers are those of the epoch-at-a-time path, bit for bit (the same kernels, in the same
order, on buffers of the same shapes); only the ``seconds`` column is shared out over the
epochs of a call in proportion to their steps, as the clock is read once per call.
"""

from __future__ import annotations

import numpy as np

from trainlab.engine import epochs as ek
from trainlab.engine.trainer import StepRunner
from trainlab.runs.evaluation import Measurement, RowMeasurer, SplitEvaluator

#: Epochs whose steps take less than this (seconds) run many to a compiled call; longer
#: ones one at a time, with progress reports from within the epoch.
COMPILED_EPOCH_SECONDS = 0.0125
#: Most weights (numbers) kept per call: one copy of the weights per epoch is kept.
SNAPSHOT_BUDGET = 1 << 20


class CompiledEpochs:
    """Buffers and state for :func:`train_epochs` over one run's training and validation
    splits: ``run`` a number of epochs into a slot, then read each completed one's
    :meth:`measurement`, :meth:`g_norms` and :meth:`snapshot` from it. With two slots, one
    slot's epochs can be measured (:meth:`measure`, in another thread) while the next
    epochs train into the other."""

    def __init__(self, runner: StepRunner, train: SplitEvaluator, val: SplitEvaluator,
                 l1: float, l2: float, slots: int = 1):
        net = runner.net
        self.runner, self.net = runner, net
        self.rows_of = RowMeasurer(net, train, val, l1, l2)
        self.L = net.n_layers
        self.pos = np.array([-1], dtype=np.int64)
        #: epochs per call that the weight copies allow
        self.max_epochs = max(1, SNAPSHOT_BUDGET // max(net.theta.size + net.stats.size, 1)
                              // slots)
        # per slot: rows, weights at the end of each epoch
        self.rows = [np.zeros((0, self.rows_of.width)) for _ in range(slots)]
        self.snap_theta = [np.zeros((0, net.theta.size), net.dtype) for _ in range(slots)]
        self.snap_stats = [np.zeros((0, net.stats.size), net.dtype) for _ in range(slots)]

    @property
    def in_epoch(self) -> bool:
        """An epoch was stopped between two steps and resumes on the next call."""
        return self.pos[0] >= 0

    def _room(self, slot: int, n: int) -> None:
        if self.rows[slot].shape[0] >= n:
            return
        net = self.net
        n = min(max(n, 2 * self.rows[slot].shape[0]), self.max_epochs)
        self.rows[slot] = np.zeros((n, self.rows[slot].shape[1]))
        self.snap_theta[slot] = np.zeros((n, net.theta.size), net.dtype)
        self.snap_stats[slot] = np.zeros((n, net.stats.size), net.dtype)

    def run(self, lrs: np.ndarray, slot: int = 0) -> int:
        """Up to ``len(lrs)`` epochs into ``slot``; returns how many completed. Their rows
        wait for :meth:`measure`."""
        r = self.runner
        if lrs.size > self.max_epochs:
            raise ValueError(f"lrs: at most {self.max_epochs} epochs per call")
        self._room(slot, lrs.size)
        done = r.epochs(lrs, self.rows[slot], self.snap_theta[slot], self.snap_stats[slot],
                        self.pos, 1 << 62, shuffle=r.shuffle)
        r.next_batch = int(self.pos[0]) if self.pos[0] >= 0 else r.steps_per_epoch
        return int(done)

    def measure(self, slot: int, n: int) -> None:
        """Fill the rows of the first ``n`` epochs of ``slot`` from their weights (releases
        the interpreter: may run in a second thread)."""
        self.rows_of.measure(n, self.snap_theta[slot], self.snap_stats[slot], self.rows[slot])

    def measurement(self, k: int, slot: int = 0) -> Measurement:
        """Row ``k`` of ``slot`` as a :class:`Measurement`."""
        return self.rows_of.measurement(self.rows[slot][k])

    def g_norms(self, k: int, slot: int = 0) -> np.ndarray:
        o = ek.R_REST + 2 * self.rows_of.M + self.L
        return self.rows[slot][k, o:o + self.L].copy()

    def snapshot(self, k: int, slot: int = 0):
        """(theta, stats) at the end of row ``k``'s epoch (copies)."""
        return self.snap_theta[slot][k].copy(), self.snap_stats[slot][k].copy()
