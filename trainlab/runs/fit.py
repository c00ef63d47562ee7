"""One training run of SPEC §10 on built parts: the rows, the reports, the end.

:class:`Fit` holds a run's state (network, clock, history, status) and records every epoch
through :meth:`Fit.conclude`, whichever strategy trained it (README, "How a run uses the
machine"): :class:`~trainlab.runs.stepwise.OneAtATime` (long epochs, progress from within,
rows measured in a second thread where it helps) or
:class:`~trainlab.runs.compiled.CompiledRun` (short epochs, many to a compiled call). The
decisions are the :class:`~trainlab.runs.judge.EpochJudge`'s; the files the
:class:`~trainlab.runs.recorder.RunRecorder`'s. Every way records the same rows, bit for bit.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable

import numpy as np

from trainlab.engine.trainer import StepRunner
from trainlab.runs.build import build_network, build_optimizer, build_schedule
from trainlab.runs.changes import LiveChanges, set_weights
from trainlab.runs.control import RunControl
from trainlab.runs.diagnosis import keep_finite_weights
from trainlab.runs.evaluation import (
    EpochEnd,
    EpochPipeline,
    Measurement,
    RowMeasurer,
    SplitEvaluator,
    WeightCopy,
    copy_weights,
    params_of,
    params_of_rows,
    restore_weights,
)
from trainlab.runs.history import BatchLosses, History, history_columns
from trainlab.runs.judge import EpochJudge, Verdict, judge_start
from trainlab.runs.options import RunOptions
from trainlab.runs.prepared import PreparedRun
from trainlab.runs.progress import Progress, RunResult
from trainlab.runs.recorder import RunRecorder
from trainlab.runs.records import save_npz, write_json
from trainlab.runs.replay import WeightHistory


@dataclasses.dataclass(frozen=True)
class RunHooks:
    """Who listens to a run and who steers it, and where it leaves its files."""

    callback: Callable[[Progress], None] | None
    control: RunControl
    recorder: RunRecorder


class Fit:
    """A run of a prepared preset; :meth:`run` trains and returns a :class:`RunResult`."""

    def __init__(self, run: PreparedRun, hooks: RunHooks, options: RunOptions):
        p, splits = run.preset, run.splits
        self.prepared, self.p, self.splits, self.options = run, p, splits, options
        self.callback, self.control, self.recorder = hooks.callback, hooks.control, hooks.recorder
        self.net = net = build_network(run)
        self.opt, self.schedule = build_optimizer(p), build_schedule(p)
        self.task, self.loss = run.task, p.loss.name
        self.reg, self.tr = p.regularization, p.training
        self.es = self.tr.early_stopping
        self.L = net.n_layers
        reg, tr, smoothing = self.reg, self.tr, p.loss.label_smoothing

        X_train = net.check_inputs(splits.X_train, "X_train")
        Y_train = net.check_targets(splits.y_train, X_train.shape[0], self.loss)
        self.batch_losses = BatchLosses() if tr.record_batch_loss else None
        self.runner = StepRunner(net, self.opt, X_train, Y_train, self.loss, tr.batch_size,
                                 reg.l1, reg.l2, smoothing, shuffle=tr.shuffle,
                                 shuffle_seed=np.random.SeedSequence([p.seed, 2]),
                                 flag=self.control.flag, batch_losses=self.batch_losses)
        self._count_updates()
        self.eval_train = SplitEvaluator(net, splits.X_train, splits.y_train, self.loss,
                                         smoothing, self.task)
        self.eval_val = SplitEvaluator(net, splits.X_val, splits.y_val, self.loss, smoothing,
                                       self.task)
        self.measure = RowMeasurer(net, self.eval_train, self.eval_val, reg.l1, reg.l2,
                                   health=True)
        self.measurers = [self.measure]  # every RowMeasurer of the run (live l1, l2)
        self.live = LiveChanges(run.resolved)
        self.control.validator = self.live.validate
        self.control.shapes = {t.name: t.shape for t in net.tensors if t.learned}
        self.weight_history = WeightHistory(options.history_budget, tr.epochs)
        #: the kept copies named by parameter (one object: the history caches what it gave)
        self.stack_of = functools.partial(params_of_rows, net)
        self.metric = "acc" if self.task == "classification" else "r2"
        columns = history_columns(self.L, self.task)
        # grows by doubling: a million planned epochs must not reserve a million rows up front
        self.history = History(columns, capacity=min(tr.epochs + 1, 1024))
        self.params_initial = net.params
        self.recorder.start(run.resolved, columns, self.params_initial, splits)

        self.judge = EpochJudge(self.es, bool(self.eval_val.n), self.schedule.observe)
        self.t_train = 0.0  # seconds spent training (pauses excluded)
        self.total_steps = 0
        self.epoch = 0      # epochs recorded (and, one at a time, epochs whose steps are done)
        self.status, self.message = "finished", ""
        self.best_weights: WeightCopy | None = None
        self.last_finite: tuple[int, WeightCopy] | None = None  # (epoch, its weights)
        self.pending: EpochEnd | None = None  # evaluated while the next epoch trains
        # Evaluating an epoch while the next one trains (when that helps: see EpochPipeline)
        # changes nothing but the time: only a schedule that reads the validation loss
        # (plateau) would need it before the next epoch starts.
        self.one_per_call = p.schedule.name == "plateau"
        self.pipeline = EpochPipeline(options.pipeline and options.threads_for(run) == 1
                                      and not self.one_per_call)
        self.summary: dict = {}

    def _count_updates(self) -> None:
        """A schedule counted in updates sets η per step (update t: η(t))."""
        per_step = self.schedule.per == "step"
        self.runner.step_lr = self.schedule.lr if per_step else None

    def epoch_lrs(self, epoch: int, n: int, offset: int = 0) -> np.ndarray:
        """η of epochs ``epoch`` … ``epoch + n − 1`` (their lr column): the schedule at the
        epoch or, counted in updates, at the epoch's first update (``offset`` updates of the
        first one are done already)."""
        s = self.schedule
        if s.per == "epoch":
            return np.array([s.lr(e) for e in range(epoch, epoch + n)])
        t0, spe = int(self.opt.t[0]) - offset, self.runner.steps_per_epoch
        return np.array([s.lr(t0 + i * spe) for i in range(n)])

    # ---- rows, reports, decisions -----------------------------------------------------
    def _row(self, epoch, lr, seconds, g_norms: np.ndarray, m: Measurement) -> dict:
        """A history row by column name; given columns (a block of epochs), rows at once."""
        metric = self.metric
        row = {"epoch": epoch, "lr": lr, "train_loss": m.train_loss,
               "val_loss": m.val_loss, f"train_{metric}": m.train_metric,
               f"val_{metric}": m.val_metric, "penalty": m.penalty, "seconds": seconds}
        for l in range(self.L):
            row[f"w_norm_{l + 1}"] = m.w_norms[..., l]
            row[f"g_norm_{l + 1}"] = g_norms[..., l]
        row.update(m.health)
        return row

    def record(self, end: EpochEnd, m: Measurement) -> dict:
        row = self._row(end.epoch, end.lr, end.seconds, end.g_norms, m)
        self.weight_history.add(end.epoch, end.weights)
        self.history.append(row)
        self.recorder.row(row)
        return row

    def record_rows(self, epochs: np.ndarray, lrs: np.ndarray, seconds: np.ndarray,
                    g_norms: np.ndarray, m: Measurement, weights: WeightCopy) -> None:
        """:meth:`record` of a block of epochs at once: ``m`` a block of measurements
        (:meth:`RowMeasurer.measurements`), ``g_norms`` epochs × layers, ``weights`` rows of
        weight copies."""
        block = np.full((len(epochs), len(self.history.columns)), np.nan)
        for name, column in self._row(epochs, lrs, seconds, g_norms, m).items():
            block[:, self.history.column_index(name)] = column
        self.weight_history.add_rows(epochs, *weights)
        self.history.extend(block)
        self.recorder.rows(block)

    def report(self, event: str, epoch: int, status: str = "running", message: str = "",
               weights: WeightCopy | None = None) -> None:
        """Call back; ``weights``: those the report is about (an epoch's end) when the
        network has moved on since (pipelined or compiled epochs)."""
        if self.callback is None:
            return
        net, loss = self.net, self.loss
        if weights is None:
            predict, params = (lambda X: net.predict(X, loss)), (lambda: net.params)
        else:
            predict = lambda X: net.predict_with(X, weights[0], weights[1], loss)  # noqa: E731
            params = lambda: params_of(net, weights)  # noqa: E731
        r, t = self.runner, self.t_train
        self.callback(Progress(
            event=event, epoch=epoch, epochs=self.tr.epochs, step=r.next_batch,
            steps_per_epoch=r.steps_per_epoch, total_steps=self.total_steps,
            history=self.history, steps_per_second=self.total_steps / t if t > 0 else 0.0,
            elapsed=t, status=status, message=message, predict=predict, params=params,
            batch_loss=None if self.batch_losses is None else self.batch_losses.array(),
            changes=list(self.live.log)))

    def end(self, verdict: Verdict) -> None:
        """The run ends with ``verdict``'s status and message."""
        self.status, self.message = verdict.status, verdict.message

    def conclude(self, end: EpochEnd, report: bool = True) -> bool:
        """Record a finished epoch's row and judge it; False when the run ends with it.
        ``report=False``: no callback for it, unless the run ends with it."""
        if end.measurement is not None:
            m = end.measurement
        elif end.future is not None:
            m = end.future.result()
        else:
            m = self.pipeline.measure_now(self.measure, end)
        row = self.record(end, m)
        if m.finite_weights:
            self.last_finite = end.epoch, end.weights
        verdict = self.judge(end.epoch, end.lr, row["train_loss"], row["val_loss"],
                             m.finite_weights)
        if verdict.improved and self.es.enabled:
            self.best_weights = end.weights
        if report or verdict.ends:
            self.report("epoch", end.epoch, weights=end.weights)
        if verdict.ends:
            self.end(verdict)
        return not verdict.ends

    def conclude_pending(self) -> bool:
        """Record the epoch measured in the second thread, if any. If the run ends with it,
        the steps taken since are undone (weights, counters), as if the next epoch had never
        started."""
        if self.pending is None:
            return True
        end, self.pending = self.pending, None
        if self.conclude(end):
            return True
        self.undo_to(end)
        return False

    def undo_to(self, end: EpochEnd) -> None:
        """Back to the end of ``end``'s epoch: what was trained after it is undone."""
        restore_weights(self.net, end.weights)
        self.t_train, self.total_steps, self.epoch = end.seconds, end.total_steps, end.epoch
        if self.batch_losses is not None:
            self.batch_losses.truncate(end.total_steps)

    # ---- live changes -------------------------------------------------------------------
    def apply_changes(self, before=None, epoch: int | None = None) -> bool:
        """At an epoch boundary (``self.epoch`` epochs trained): put the changes due with the
        next epoch in force (planned in the preset, or asked for through the control):
        settings, and weights set by hand into the parameters the run trains (the optimizer's
        state stays). ``before()`` first records what was trained ahead (rows measured with
        the old values and weights); False when the run ended on one of them."""
        asked = self.control.take_changes()
        epoch = self.epoch + 1 if epoch is None else epoch
        if not asked and self.live.next_planned() != epoch:
            return True
        if before is not None and not before():
            return False
        settings, weights = self.live.due(epoch, asked)
        if settings:
            self._apply_settings(settings)
        if weights:
            set_weights(self.net, weights)
        if self.recorder.run_dir is not None:  # the changes so far, should the run crash
            write_json(self.recorder.run_dir / "preset.json", self.resolved())
        return True

    def _apply_settings(self, settings: dict) -> None:
        p = self.live.apply(settings)
        self.p, self.reg, self.tr = p, p.regularization, p.training
        new = build_optimizer(p)
        self.opt.hyper[:] = new.hyper
        self.opt.clip_norm = new.clip_norm
        if any(k == "optimizer.lr" or k.startswith("schedule.") for k in settings):
            self.schedule = build_schedule(p)  # η₀ replaced; the same epoch counter
            self._count_updates()
            self.judge.observe = self.schedule.observe
            if p.schedule.name == "plateau":  # it reads each row before the next epoch
                self.one_per_call, self.pipeline.enabled = True, False
        r = self.runner
        r.l1, r.l2, r.smoothing = self.reg.l1, self.reg.l2, p.loss.label_smoothing
        for m in self.measurers:
            m.l1, m.l2 = self.reg.l1, self.reg.l2
        self.eval_train.smoothing = self.eval_val.smoothing = p.loss.label_smoothing
        self.net.dropout = p.model.dropout
        if "training.batch_size" in settings:
            r.set_batch_size(p.training.batch_size)
        self.es = self.judge.es = p.training.early_stopping

    # ---- the run ------------------------------------------------------------------------
    def run(self) -> RunResult:
        from trainlab.runs.stepwise import OneAtATime

        start = EpochEnd(0, self.schedule.lr(0), np.full(self.L, np.nan),
                         copy_weights(self.net), 0.0, 0)
        m0 = self.pipeline.measure_now(self.measure, start)
        row0 = self.record(start, m0)
        if m0.finite_weights:
            self.last_finite = 0, start.weights
        self.report("start", 0)
        verdict = judge_start(row0["train_loss"], row0["penalty"], m0.finite_weights)
        if verdict.ends:
            self.end(verdict)
        try:
            OneAtATime(self).run()
        finally:
            self.pipeline.close()
            self.control.ended()
        return self.finish()

    def finish(self) -> RunResult:
        """Status message, best weights, test metrics, the weight files; ``summary`` for
        ``summary.json``."""
        es, net, epoch = self.es, self.net, self.epoch
        if self.status == "finished" and self.control.stopped and epoch < self.tr.epochs:
            self.status = "stopped"
            self.message = f"Stopped by the user during epoch {epoch + 1}."
        if self.status == "finished":
            self.message = f"Finished {epoch} epoch{'s' if epoch != 1 else ''}."

        params_best = None
        if es.enabled and self.best_weights is not None:
            params_best = params_of(net, self.best_weights)
            if es.restore_best:
                restore_weights(net, self.best_weights)
                self.message += f" Restored the weights of epoch {self.judge.best_epoch}."
        final_weights = keep_finite_weights(self) if self.status == "diverged" else None
        params_final = net.params

        splits, task = self.splits, self.task
        test_metrics: dict[str, float] = {}
        eval_test = SplitEvaluator(net, splits.X_test, splits.y_test, self.loss,
                                   self.p.loss.label_smoothing, task)
        if eval_test.n and self.status != "diverged":
            tl, tm = eval_test(net.theta, net.stats)
            test_metrics = {"test_loss": tl, f"test_{self.metric}": tm}

        t, steps, best_epoch = self.t_train, self.total_steps, self.judge.best_epoch
        self.recorder.weights(params_final, params_best)
        self.summary = {
            "status": self.status, "message": self.message, "epochs": epoch,
            "best_epoch": best_epoch, "test_metrics": test_metrics, "seconds": t,
            "steps": steps, "steps_per_second": steps / t if t > 0 else None,
            "task": task, "data": splits.name}
        if final_weights:
            self.summary["final_weights"] = final_weights
        self.write_extras()
        self.report("end", epoch, self.status, self.message)
        return RunResult(status=self.status, message=self.message, history=self.history,
                         params_initial=self.params_initial, params_final=params_final,
                         params_best=params_best, best_epoch=best_epoch,
                         test_metrics=test_metrics, seconds=t,
                         preset=self.resolved(), out_dir=self.recorder.run_dir, task=task,
                         dataset=splits, batch_loss=self.batch_loss(),
                         weight_copies=(self.weight_history, self.stack_of))

    def resolved(self) -> dict:
        """The run's preset as it started, with the changes made (and still planned)."""
        return self.live.resolved(copy.deepcopy(self.prepared.resolved))

    def batch_loss(self) -> np.ndarray | None:
        return None if self.batch_losses is None else self.batch_losses.array().copy()

    def write_extras(self) -> None:
        """``batch_loss.npy``, ``weights_history.npz`` (on request) and, with changes made,
        ``preset.json`` again."""
        folder = self.recorder.run_dir
        if folder is None:
            return
        if self.live.log:
            write_json(folder / "preset.json", self.resolved())
        if self.batch_losses is not None:
            np.save(folder / "batch_loss.npy", self.batch_loss(), allow_pickle=False)
        if self.options.save_history:
            epochs, arrays = self.weight_history.stacked(self.stack_of)
            save_npz(folder / "weights_history.npz", {**arrays, "epochs": epochs})

