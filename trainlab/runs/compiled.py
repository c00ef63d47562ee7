"""Short epochs, many per compiled call (:func:`trainlab.engine.epochs.train_epochs`).

When epochs are short (under ``COMPILED_EPOCH_SECONDS`` of steps), :class:`CompiledRun` hands
whole runs of epochs to the engine (buffers: :class:`CompiledEpochs`) and turns the rows it
returns into history rows. The numbers are those of the epoch-at-a-time path, bit for bit (the
same kernels, in the same order, on buffers of the same shapes); only the ``seconds`` column is
shared out over the epochs of a call in proportion to their steps, as the clock is read once
per call.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future

import numpy as np

from trainlab.engine.trainer import StepRunner
from trainlab.runs.evaluation import (
    EpochEnd,
    Measurement,
    RowMeasurer,
    SplitEvaluator,
    WeightCopy,
)
from trainlab.runs.judge import diverged_in_steps
from trainlab.runs.progress import CHUNK_SECONDS

#: Epochs whose steps take less than this (seconds) run many to a compiled call; longer
#: ones one at a time, with progress reports from within the epoch.
COMPILED_EPOCH_SECONDS = 0.0125
#: Most weights (numbers) kept per call: one copy of the weights per epoch is kept.
WEIGHT_COPY_BUDGET = 1 << 20


class CompiledEpochs:
    """Buffers and state for :func:`train_epochs` over one run's training and validation
    splits: ``run`` a number of epochs into a slot, then read each completed one's
    :meth:`measurement`, :meth:`g_norms` and :meth:`weights` from it. With two slots, one
    slot's epochs can be measured (:meth:`measure`, in another thread) while the next
    epochs train into the other."""

    def __init__(self, runner: StepRunner, train: SplitEvaluator, val: SplitEvaluator,
                 l1: float, l2: float, slots: int = 1):
        net = runner.net
        self.runner, self.net = runner, net
        self.rows_of = RowMeasurer(net, train, val, l1, l2, health=True)
        self.health: list[np.ndarray | None] = [None] * slots  # per slot: each row's health
        self.L = net.n_layers
        self.pos = np.array([-1], dtype=np.int64)
        #: epochs per call that the weight copies allow
        self.max_epochs = max(1, WEIGHT_COPY_BUDGET // max(net.theta.size + net.stats.size, 1)
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

    def run(self, lrs: np.ndarray, slot: int = 0, max_steps: int = 1 << 62) -> int:
        """Up to ``len(lrs)`` epochs (and ``max_steps`` optimizer steps) into ``slot``;
        returns how many completed. Their rows wait for :meth:`measure`."""
        r = self.runner
        if lrs.size > self.max_epochs:
            raise ValueError(f"lrs: at most {self.max_epochs} epochs per call")
        self._room(slot, lrs.size)
        done = r.epochs(lrs, self.rows[slot], self.snap_theta[slot], self.snap_stats[slot],
                        self.pos, max_steps, shuffle=r.shuffle)
        r.next_batch = int(self.pos[0]) if self.pos[0] >= 0 else r.steps_per_epoch
        return int(done)

    def measure(self, slot: int, n: int) -> None:
        """Fill the rows of the first ``n`` epochs of ``slot`` from their weights (releases
        the interpreter: may run in a second thread)."""
        self.health[slot] = self.rows_of.measure(n, self.snap_theta[slot],
                                                 self.snap_stats[slot], self.rows[slot])

    def measurement(self, k: int, slot: int = 0) -> Measurement:
        """Row ``k`` of ``slot`` as a :class:`Measurement`."""
        health = self.health[slot]
        return self.rows_of.measurement(self.rows[slot][k], None if health is None else health[k])

    def g_norms(self, k: int, slot: int = 0) -> np.ndarray:
        return self.rows_of.parts(self.rows[slot][k])[3].copy()

    def weights(self, k: int, slot: int = 0) -> WeightCopy:
        """(theta, stats) at the end of row ``k``'s epoch (copies)."""
        return self.snap_theta[slot][k].copy(), self.snap_stats[slot][k].copy()


def _cut(m: Measurement, n: int) -> Measurement:
    """The first ``n`` rows of a block of measurements."""
    return Measurement(m.train_loss[:n], m.train_metric[:n], m.val_loss[:n], m.val_metric[:n],
                       m.penalty[:n], m.w_norms[:n], m.finite_weights[:n],
                       {name: column[:n] for name, column in m.health.items()})


@dataclasses.dataclass
class _Call:
    """One call of compiled epochs whose rows are not recorded yet."""

    slot: int
    done: int            # epochs completed
    lrs: np.ndarray
    offset: int          # steps of its first epoch done by an earlier call
    t0: float            # training seconds before it
    dt: float            # its seconds
    steps0: int          # steps before it
    steps: int           # its steps
    future: Future | None = None  # its rows, measured in the second thread


class CompiledRun:
    """Trains the remaining epochs of ``fit`` (a :class:`~trainlab.runs.fit.Fit`) with
    :class:`CompiledEpochs`. The rows go through ``fit.conclude`` one by one, as if each
    epoch had run on its own, and what was trained past the epoch a run ends with (early
    stopping, divergence, a stop asked for by a report) is undone. Where the pipeline may
    run, one call's epochs are measured in the second thread while the next call trains."""

    def __init__(self, fit):
        self.fit = fit
        self.overlap = fit.pipeline.enabled and not fit.one_per_call
        self.ce = CompiledEpochs(fit.runner, fit.eval_train, fit.eval_val, fit.reg.l1,
                                 fit.reg.l2, slots=2 if self.overlap else 1)
        fit.measurers.append(self.ce.rows_of)
        self.trained = fit.epoch  # epochs whose steps are done (recorded, and any ahead)
        # all training, ahead included
        self.clock, self.clock_steps = fit.t_train, fit.total_steps
        self.queue: list[_Call] = []  # calls whose rows are not recorded yet, oldest first

    def record(self, keep: int = 0) -> bool:
        """Record the rows of all queued calls but the newest ``keep``; False when the run
        ended on one of them (what was trained after it is undone)."""
        fit, ce, queue = self.fit, self.ce, self.queue
        control, spe = fit.control, fit.runner.steps_per_epoch
        stop_seen = control.stopped  # a stop asked for while training, not by a report
        every = fit.options.report_every_epoch
        # Nobody hears of each epoch: a call's rows go to the history, the files and the
        # weight copies as one block (the same rows, without a row's worth of Python each).
        whole = not every or fit.callback is None
        while len(queue) > keep:
            c = queue.pop(0)
            if c.future is not None:
                c.future.result()
            if whole:
                if self._record_call(c, stop_seen):
                    continue
                queue.clear()
                return False
            for k in range(c.done):
                upto = (k + 1) * spe - c.offset
                end = EpochEnd(fit.epoch + 1, float(c.lrs[k]), ce.g_norms(k, c.slot),
                               ce.weights(k, c.slot), c.t0 + c.dt * upto / max(c.steps, 1),
                               c.steps0 + upto, measurement=ce.measurement(k, c.slot))
                fit.epoch += 1
                fit.t_train, fit.total_steps = end.seconds, end.total_steps
                if fit.conclude(end, every or k == c.done - 1) \
                        and not (control.stopped and not stop_seen):
                    continue
                # the run ends with this epoch, as it would one epoch at a time
                fit.undo_to(end)
                self.trained, self.clock, self.clock_steps = fit.epoch, end.seconds, \
                    end.total_steps
                queue.clear()
                return False
        fit.t_train, fit.total_steps = self.clock, self.clock_steps
        return True

    def _record_call(self, c: _Call, stop_seen: bool) -> bool:
        """Record a call's rows as a block: the epochs are judged one by one, as
        :meth:`Fit.conclude` would, and the rows up to the one the run ends with (if any) go
        in at once; the call is reported at its last recorded epoch. False when the run
        ended in it (what was trained after that epoch is undone)."""
        fit, ce, n = self.fit, self.ce, c.done
        if n == 0:
            return True
        rows = ce.rows[c.slot][:n]
        health = ce.health[c.slot]
        m = ce.rows_of.measurements(rows, None if health is None else health[:n])
        train_loss, val_loss = m.train_loss.tolist(), m.val_loss.tolist()
        finite = m.finite_weights.tolist()
        lrs = c.lrs[:n].tolist()
        first, judge, es = fit.epoch + 1, fit.judge, fit.es.enabled
        cut, verdict, improved, last_finite = n, None, None, None
        for k in range(n):
            if finite[k]:
                last_finite = k
            v = judge(first + k, lrs[k], train_loss[k], val_loss[k], finite[k])
            if v.improved and es:
                improved = k
            if v.ends:
                cut, verdict = k + 1, v
                break
        upto = np.arange(1, cut + 1) * fit.runner.steps_per_epoch - c.offset
        seconds = c.t0 + c.dt * upto / max(c.steps, 1)
        steps = c.steps0 + upto
        kept = slice(0, cut)
        fit.record_rows(np.arange(first, first + cut), c.lrs[kept], seconds,
                        ce.rows_of.parts(rows[kept])[3], _cut(m, cut),
                        (ce.snap_theta[c.slot][kept], ce.snap_stats[c.slot][kept]))
        if last_finite is not None:
            fit.last_finite = first + last_finite, ce.weights(last_finite, c.slot)
        if improved is not None:
            fit.best_weights = ce.weights(improved, c.slot)
        k = cut - 1
        end = EpochEnd(first + k, lrs[k], ce.g_norms(k, c.slot), ce.weights(k, c.slot),
                       float(seconds[k]), int(steps[k]))
        fit.epoch, fit.t_train, fit.total_steps = end.epoch, end.seconds, end.total_steps
        fit.report("epoch", end.epoch, weights=end.weights)
        if verdict is not None:
            fit.end(verdict)
        elif not (fit.control.stopped and not stop_seen):
            return True
        # the run ends with this epoch, as it would one epoch at a time
        fit.undo_to(end)
        self.trained, self.clock, self.clock_steps = fit.epoch, end.seconds, end.total_steps
        return False

    def run(self) -> None:
        fit, ce = self.fit, self.ce
        control, runner = fit.control, fit.runner
        n_call = 1  # epochs per call, grown to about CHUNK_SECONDS of work
        while fit.status == "finished":
            tr = fit.tr
            if control.stopped or self.trained >= tr.epochs:
                self.record()
                return
            if control.paused:  # what was trained is on screen while the run waits
                if not self.record():
                    return
                if ce.in_epoch:  # the last report was an epoch's end: say where it stands
                    fit.report("chunk", fit.epoch)
                if not control.wait_while_paused() or control.stopped:
                    return
            if not ce.in_epoch:  # an epoch boundary: changes due take effect
                if not fit.apply_changes(self.record, self.trained + 1):
                    return
                self.overlap = self.overlap and not fit.one_per_call
            spe = runner.steps_per_epoch
            n = 1 if fit.one_per_call or control.paused \
                else min(n_call, tr.epochs - self.trained, ce.max_epochs)
            planned = fit.live.next_planned()  # a call ends where a planned change begins
            if planned is not None and planned > self.trained + 1:
                n = min(n, planned - 1 - self.trained)
            slot = (self.queue[-1].slot + 1) % 2 if self.queue else 0
            offset = int(ce.pos[0]) if ce.in_epoch else 0  # steps already done in epoch 1
            lrs = fit.epoch_lrs(self.trained, n, offset)
            t0 = time.perf_counter()
            done = ce.run(lrs, slot, control.updates_granted() or 1 << 62)
            dt = time.perf_counter() - t0
            steps = done * spe - offset + (int(ce.pos[0]) if ce.in_epoch else 0)
            call = _Call(slot, done, lrs, offset, self.clock, dt, self.clock_steps, steps)
            self.clock, self.clock_steps = self.clock + dt, self.clock_steps + steps
            self.trained += done
            control.updates_done(steps)
            if done:
                control.epoch_done(done)  # a granted single epoch ends with its steps
            if self.overlap and done:  # measured while the next call trains
                call.future = fit.pipeline.run_async(ce.measure, slot, done)
            elif done:
                ce.measure(slot, done)
            self.queue.append(call)
            if not self.record(keep=1 if self.overlap else 0):
                return
            fit.opt.lr = float(lrs[min(done, n - 1)])
            if runner.diverged:
                if self.record():
                    fit.end(diverged_in_steps(fit.epoch + 1, fit.opt.lr))
                return
            if ce.in_epoch:
                fit.report("chunk", fit.epoch)
            if done == n and dt > 0:  # at most doubling: a pause lands early in a run
                n_call = int(min(max(done / dt * CHUNK_SECONDS, 1), 2 * n, 100_000))
