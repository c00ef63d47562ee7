"""One training run of SPEC §10, epoch by epoch: the steps, the rows, the decisions.

:class:`Fit` drives a built network through its epochs and returns a :class:`RunResult`. It
chooses how to run them (README, "How a run uses the machine"): long epochs one at a time,
with progress reports from within and, where it helps, each epoch's row measured in a second
thread while the next one trains; short epochs many to a compiled call. Every way records
the same rows, bit for bit, through :meth:`Fit.conclude`, which also makes the decisions
(divergence, early stopping, the plateau schedule's observation).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from trainlab.data import Splits
from trainlab.engine import Network, Optimizer, Schedule
from trainlab.engine.trainer import StepRunner
from trainlab.presets import Preset
from trainlab.runs.compiled import COMPILED_EPOCH_SECONDS, CompiledEpochs
from trainlab.runs.control import RunControl
from trainlab.runs.evaluation import (
    EpochEnd,
    EpochPipeline,
    Measurement,
    RowMeasurer,
    Snapshot,
    SplitEvaluator,
    restore,
    snapshot,
)
from trainlab.runs.history import History, history_columns
from trainlab.runs.progress import Progress, RunResult
from trainlab.runs.records import MetricsWriter, save_npz, write_json

#: Within an epoch, the callback hears from the loop at most this often (seconds).
CHUNK_SECONDS = 0.05


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


def params_of(net: Network, snap: Snapshot) -> dict[str, np.ndarray]:
    """``net.params`` as they were at ``snap``."""
    current = snapshot(net)
    restore(net, snap)
    params = net.params
    restore(net, current)
    return params


class Fit:
    """A run of a preset's training on built parts; :meth:`run` trains and returns."""

    def __init__(self, p: Preset, resolved: dict, splits: Splits, run_dir: Path | None,
                 callback, control: RunControl, save_data: bool, opened: list | None,
                 net: Network, opt: Optimizer, schedule: Schedule, pipeline_ok: bool):
        self.p, self.resolved, self.splits, self.run_dir = p, resolved, splits, run_dir
        self.callback, self.control = callback, control
        self.net, self.opt, self.schedule = net, opt, schedule
        self.task = splits.task
        self.loss, smoothing = p.loss.name, p.loss.label_smoothing
        self.reg, self.tr = p.regularization, p.training
        self.es = self.tr.early_stopping
        self.L = net.n_layers
        reg, tr = self.reg, self.tr

        X_train = net.check_inputs(splits.X_train, "X_train")
        Y_train = net.check_targets(splits.y_train, X_train.shape[0], self.loss)
        self.runner = StepRunner(net, opt, X_train, Y_train, self.loss, tr.batch_size, reg.l1,
                                 reg.l2, smoothing, shuffle=tr.shuffle,
                                 shuffle_seed=np.random.SeedSequence([p.seed, 2]),
                                 flag=control.flag)
        self.eval_train = SplitEvaluator(net, splits.X_train, splits.y_train, self.loss,
                                         smoothing, self.task)
        self.eval_val = SplitEvaluator(net, splits.X_val, splits.y_val, self.loss, smoothing,
                                       self.task)
        self.measure = RowMeasurer(net, self.eval_train, self.eval_val, reg.l1, reg.l2)
        self.metric = "acc" if self.task == "classification" else "r2"
        columns = history_columns(self.L, self.task)
        # grows by doubling: a million planned epochs must not reserve a million rows up front
        self.history = History(columns, capacity=min(tr.epochs + 1, 1024))

        self.writer = None
        if run_dir is not None:
            write_json(run_dir / "preset.json", resolved)
            save_npz(run_dir / "weights_initial.npz", net.params)
            if save_data:
                save_npz(run_dir / "data.npz", {
                    "X_train": splits.X_train, "y_train": splits.y_train,
                    "X_val": splits.X_val, "y_val": splits.y_val, "X_test": splits.X_test,
                    "y_test": splits.y_test})
            self.writer = MetricsWriter(run_dir / "metrics.csv", columns)
            if opened is not None:
                opened.append(self.writer)

        self.params_initial = net.params
        self.t_train = 0.0  # seconds spent training (pauses excluded)
        self.total_steps = 0
        self.epoch = 0      # epochs recorded (and, one at a time, epochs whose steps are done)
        self.status, self.message = "finished", ""
        self.best_loss, self.best_epoch, self.best_snap, self.bad_epochs = math.inf, None, None, 0
        self.pending: EpochEnd | None = None  # evaluated while the next epoch trains
        # Evaluating an epoch while the next one trains (when that helps: see EpochPipeline)
        # changes nothing but the time: only a schedule that reads the validation loss
        # (plateau) would need it before the next epoch starts.
        self.pipeline = EpochPipeline(enabled=pipeline_ok and p.schedule.name != "plateau")
        # Epochs too short for a Python round trip each run many to a compiled call; a
        # schedule that reads the monitored loss (plateau) gets one epoch per call.
        self.compiled_allowed = os.environ.get("TRAINLAB_COMPILED_EPOCHS", "1") != "0"
        self.one_per_call = p.schedule.name == "plateau"

    # ---- rows, reports, decisions -----------------------------------------------------
    def record(self, end: EpochEnd, m: Measurement) -> dict:
        metric = self.metric
        row = {"epoch": end.epoch, "lr": end.lr, "train_loss": m.train_loss,
               "val_loss": m.val_loss, f"train_{metric}": m.train_metric,
               f"val_{metric}": m.val_metric, "penalty": m.penalty, "seconds": end.seconds}
        for l in range(self.L):
            row[f"w_norm_{l + 1}"] = m.w_norms[l]
            row[f"g_norm_{l + 1}"] = end.g_norms[l]
        self.history.append(row)
        if self.writer:
            self.writer.write(row)
        return row

    def report(self, event: str, epoch: int, status: str = "running", message: str = "",
               snap: Snapshot | None = None) -> None:
        """Call back; ``snap``: the weights the report is about (an epoch's end) when the
        network has moved on since (pipelined or compiled epochs)."""
        if self.callback is None:
            return
        net, loss = self.net, self.loss
        if snap is None:
            predict, params = (lambda X: net.predict(X, loss)), (lambda: net.params)
        else:
            predict = lambda X: net.predict_with(X, snap[0], snap[1], loss)  # noqa: E731
            params = lambda: params_of(net, snap)  # noqa: E731
        r, t = self.runner, self.t_train
        self.callback(Progress(
            event=event, epoch=epoch, epochs=self.tr.epochs, step=r.next_batch,
            steps_per_epoch=r.steps_per_epoch, total_steps=self.total_steps,
            history=self.history, steps_per_second=self.total_steps / t if t > 0 else 0.0,
            elapsed=t, status=status, message=message, predict=predict, params=params))

    def conclude(self, end: EpochEnd) -> bool:
        """Record a finished epoch's row; False when the run ends with it."""
        es = self.es
        if end.measurement is not None:
            m = end.measurement
        elif end.future is not None:
            m = end.future.result()
        else:
            m = self.pipeline.measure_now(self.measure, end)
        row = self.record(end, m)
        if not (math.isfinite(row["train_loss"]) and m.finite_weights):
            self.status = "diverged"
            self.message = (f"Training diverged in epoch {end.epoch}: the weights or the loss "
                            f"became infinite or NaN (learning rate {end.lr:g}). Try a smaller "
                            "learning rate, gradient clipping, or input scaling.")
            self.report("epoch", end.epoch, snap=end.snap)
            return False
        monitored = row["val_loss"] if self.eval_val.n else row["train_loss"]
        self.schedule.observe(end.epoch - 1, monitored)
        if monitored < self.best_loss - (es.min_delta if es.enabled else 0.0):
            self.best_loss, self.best_epoch, self.bad_epochs = monitored, end.epoch, 0
            if es.enabled:
                self.best_snap = end.snap
        else:
            self.bad_epochs += 1
        self.report("epoch", end.epoch, snap=end.snap)
        if es.enabled and self.bad_epochs >= es.patience:
            self.status = "early_stopped"
            self.message = (f"Early stopping after epoch {end.epoch}: the "
                            f"{'validation' if self.eval_val.n else 'training'} loss has not "
                            f"improved for {es.patience} epochs (best at epoch "
                            f"{self.best_epoch}).")
            return False
        return True

    def settle(self) -> bool:
        """Record the pending epoch. If the run ends with it, the steps taken since are
        undone (weights, counters), as if the next epoch had never started."""
        if self.pending is None:
            return True
        end, self.pending = self.pending, None
        if self.conclude(end):
            return True
        restore(self.net, end.snap)
        self.t_train, self.total_steps, self.epoch = end.seconds, end.total_steps, end.epoch
        return False

    def _diverged_in_steps(self, lr: float) -> None:
        self.status = "diverged"
        self.message = (f"Training diverged in epoch {self.epoch + 1}: the loss or a gradient "
                        f"became infinite or NaN (learning rate {lr:g}). Try a smaller "
                        "learning rate, gradient clipping, or input scaling.")

    # ---- the run ------------------------------------------------------------------------
    def run(self) -> RunResult:
        start = EpochEnd(0, self.schedule.lr(0), np.full(self.L, np.nan), snapshot(self.net),
                         0.0, 0)
        row0 = self.record(start, self.pipeline.measure_now(self.measure, start))
        self.report("start", 0)
        if not all(math.isfinite(row0[k]) for k in ("train_loss", "penalty")):
            self.status = "diverged"
            self.message = ("The loss is not a finite number even before training: the "
                            "initial weights are too large. Try a smaller init scale or "
                            "another initialization.")
        try:
            self.one_at_a_time()
        finally:
            self.pipeline.close()
        return self.finish()

    def one_at_a_time(self) -> None:
        """Epochs one by one (with progress from within long ones); the rest of the run goes
        to :meth:`compiled` as soon as an epoch proves short."""
        control, runner, opt, tr = self.control, self.runner, self.opt, self.tr
        pipeline = self.pipeline
        chunk = runner.steps_per_epoch if self.callback is None else 16
        while self.status == "finished" and self.epoch < tr.epochs:
            eta = self.schedule.lr(self.epoch)
            opt.lr = eta
            runner.start_epoch()
            t_epoch = self.t_train
            while not runner.epoch_done:
                if control.paused and not self.settle():  # show the last epoch while paused
                    return
                if control.paused and not control.wait_while_paused():
                    break
                if control.stopped:
                    break
                t0 = time.perf_counter()
                done = runner.run(chunk)
                dt = time.perf_counter() - t0
                self.t_train += dt
                self.total_steps += done
                if runner.diverged:
                    break
                if self.callback is not None and done:
                    # aim each compiled call at ~CHUNK_SECONDS of work
                    rate = done / max(dt, 1e-9)
                    chunk = int(min(max(rate * CHUNK_SECONDS, 1), 1_000_000))
                    if not runner.epoch_done:
                        self.report("chunk", self.epoch)
            if not self.settle() or control.stopped:
                return
            if runner.diverged:
                self._diverged_in_steps(eta)
                return
            self.epoch += 1
            pipeline.train_seconds = self.t_train - t_epoch
            end = EpochEnd(self.epoch, eta,
                           runner.gnorm_acc / max(runner.steps_per_epoch, 1),
                           snapshot(self.net), self.t_train, self.total_steps)
            control.epoch_done()  # a granted single step ends with this epoch's steps
            if self.compiled_allowed and pipeline.train_seconds < COMPILED_EPOCH_SECONDS:
                if self.conclude(end):
                    self.compiled()  # short epochs: the rest of the run, many to a call
                return
            if self.epoch < tr.epochs and not control.paused and pipeline.worth_it():
                pipeline.submit(self.measure, end)
                self.pending = end
            elif not self.conclude(end):
                return

    def compiled(self) -> None:
        """Train the remaining epochs with :class:`CompiledEpochs`; the rows it returns go
        through :meth:`conclude` one by one, as if each epoch had run on its own, and what
        was trained past the epoch a run ends with (early stopping, divergence, a stop asked
        for by a report) is undone. Where the pipeline may run, one call's epochs are
        measured in the second thread while the next call trains."""
        control, runner, net, tr = self.control, self.runner, self.net, self.tr
        pipeline = self.pipeline
        overlap = pipeline.enabled and not self.one_per_call
        ce = CompiledEpochs(runner, self.eval_train, self.eval_val, self.reg.l1, self.reg.l2,
                            slots=2 if overlap else 1)
        spe = runner.steps_per_epoch
        n_call = 1  # epochs per call, grown to about CHUNK_SECONDS of work
        trained = self.epoch  # epochs whose steps are done (recorded, and any ahead)
        clock, clock_steps = self.t_train, self.total_steps  # all training, ahead included
        queue: list[_Call] = []  # calls whose rows are not recorded yet, oldest first

        def record(keep: int = 0) -> bool:
            """Record the rows of all queued calls but the newest ``keep``; False when the
            run ended on one of them (what was trained after it is undone)."""
            nonlocal trained, clock, clock_steps
            stop_seen = control.stopped  # a stop asked for while training, not by a report
            while len(queue) > keep:
                c = queue.pop(0)
                if c.future is not None:
                    c.future.result()
                for k in range(c.done):
                    upto = (k + 1) * spe - c.offset
                    end = EpochEnd(self.epoch + 1, float(c.lrs[k]), ce.g_norms(k, c.slot),
                                   ce.snapshot(k, c.slot), c.t0 + c.dt * upto / max(c.steps, 1),
                                   c.steps0 + upto, measurement=ce.measurement(k, c.slot))
                    self.epoch += 1
                    self.t_train, self.total_steps = end.seconds, end.total_steps
                    if self.conclude(end) and not (control.stopped and not stop_seen):
                        continue
                    # the run ends with this epoch, as it would one epoch at a time
                    restore(net, end.snap)
                    trained, clock, clock_steps = self.epoch, end.seconds, end.total_steps
                    queue.clear()
                    return False
            self.t_train, self.total_steps = clock, clock_steps
            return True

        while self.status == "finished":
            if control.stopped or trained >= tr.epochs:
                record()
                return
            if control.paused:  # what was trained is on screen while the run waits
                if not record() or not control.wait_while_paused() or control.stopped:
                    return
            n = 1 if self.one_per_call or control.paused \
                else min(n_call, tr.epochs - trained, ce.max_epochs)
            lrs = np.array([self.schedule.lr(e) for e in range(trained, trained + n)])
            slot = (queue[-1].slot + 1) % 2 if queue else 0
            offset = int(ce.pos[0]) if ce.in_epoch else 0  # steps already done in epoch 1
            t0 = time.perf_counter()
            done = ce.run(lrs, slot)
            dt = time.perf_counter() - t0
            steps = done * spe - offset + (int(ce.pos[0]) if ce.in_epoch else 0)
            call = _Call(slot, done, lrs, offset, clock, dt, clock_steps, steps)
            clock, clock_steps = clock + dt, clock_steps + steps
            trained += done
            for _ in range(done):
                control.epoch_done()  # a granted single epoch ends with its steps
            if overlap and done:  # measured while the next call trains
                call.future = pipeline.run_async(ce.measure, slot, done)
            elif done:
                ce.measure(slot, done)
            queue.append(call)
            if not record(keep=1 if overlap else 0):
                return
            self.opt.lr = float(lrs[min(done, n - 1)])
            if runner.diverged:
                if record():
                    self._diverged_in_steps(self.opt.lr)
                return
            if ce.in_epoch:
                self.report("chunk", self.epoch)
            if done == n and dt > 0:  # at most doubling: a pause lands early in a run
                n_call = int(min(max(done / dt * CHUNK_SECONDS, 1), 2 * n, 100_000))

    def finish(self) -> RunResult:
        """Status message, best weights, test metrics, the run directory's last files."""
        es, net, epoch = self.es, self.net, self.epoch
        if self.status == "finished" and self.control.stopped and epoch < self.tr.epochs:
            self.status = "stopped"
            self.message = f"Stopped by the user during epoch {epoch + 1}."
        if self.status == "finished":
            self.message = f"Finished {epoch} epoch{'s' if epoch != 1 else ''}."

        params_best = None
        if es.enabled and self.best_snap is not None:
            params_best = params_of(net, self.best_snap)
            if es.restore_best:
                restore(net, self.best_snap)
                self.message += f" Restored the weights of epoch {self.best_epoch}."
        params_final = net.params

        splits, task = self.splits, self.task
        test_metrics: dict[str, float] = {}
        eval_test = SplitEvaluator(net, splits.X_test, splits.y_test, self.loss,
                                   self.p.loss.label_smoothing, task)
        if eval_test.n and self.status != "diverged":
            tl, tm = eval_test(net.theta, net.stats)
            test_metrics = {"test_loss": tl, f"test_{self.metric}": tm}

        t, steps = self.t_train, self.total_steps
        if self.writer:
            self.writer.close()
            save_npz(self.run_dir / "weights_final.npz", params_final)
            if params_best is not None:
                save_npz(self.run_dir / "weights_best.npz", params_best)
            write_json(self.run_dir / "summary.json", {
                "status": self.status, "message": self.message, "epochs": epoch,
                "best_epoch": self.best_epoch, "test_metrics": test_metrics, "seconds": t,
                "steps": steps, "steps_per_second": steps / t if t > 0 else None,
                "task": task, "data": splits.name})
        self.report("end", epoch, self.status, self.message)
        return RunResult(status=self.status, message=self.message, history=self.history,
                         params_initial=self.params_initial, params_final=params_final,
                         params_best=params_best, best_epoch=self.best_epoch,
                         test_metrics=test_metrics, seconds=t,
                         preset=copy.deepcopy(self.resolved), out_dir=self.run_dir, task=task,
                         dataset=splits)
