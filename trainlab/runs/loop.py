"""The training loop of SPEC §10: a preset in, a history (and a run directory) out.

No Qt here. The GUI runs :func:`train` in a worker thread with a callback and a
:class:`~trainlab.runs.control.RunControl`; the CLI runs it with a progress printer.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import os
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from trainlab.data import DataError, Scaler, Splits, kfold_indices, load_dataset, make_splits
from trainlab.engine import Network, Optimizer, Schedule
from trainlab.engine.trainer import StepRunner
from trainlab.presets import (
    Preset,
    check_loss_for_data,
    load_preset,
    preset_to_dict,
    validate_preset,
)
from trainlab.runs.compiled import COMPILED_EPOCH_SECONDS, CompiledEpochs
from trainlab.runs.control import RunControl
from trainlab.runs.evaluation import (
    EpochEnd,
    EpochMeasurer,
    EpochPipeline,
    Measurement,
    Snapshot,
    SplitEvaluator,
    restore,
    snapshot,
)
from trainlab.runs.history import History, history_columns
from trainlab.runs.progress import Progress, RunResult
from trainlab.runs.records import MetricsWriter, new_run_dir, save_npz, write_json

#: Within an epoch, the callback hears from the loop at most this often (seconds).
CHUNK_SECONDS = 0.05


def resolve_preset(preset, epochs: int | None = None) -> Preset:
    """A path, a dict or a Preset → a validated Preset (``epochs`` overrides training.epochs)."""
    if isinstance(preset, (str, Path)):
        preset = load_preset(preset)
    elif isinstance(preset, dict):
        preset = validate_preset(preset)
    elif not isinstance(preset, Preset):
        raise TypeError(f"preset: expected a path, a dict or a Preset, got {type(preset).__name__}")
    if epochs is not None:
        path = preset.path
        data = preset_to_dict(preset)
        data["training"]["epochs"] = int(epochs)
        preset = validate_preset(data, source=str(path or "preset"))
        preset._path = path
    return preset


def prepare_data(preset) -> Splits:
    """The exact scaled splits a run of this preset trains on (data errors: DataError)."""
    p = resolve_preset(preset)
    d = preset_to_dict(p)["data"]
    base_dir = p.path.parent if p.path else None
    dataset = load_dataset(d, seed=p.seed, base_dir=base_dir)
    check_loss_for_data(p, dataset.task, dataset.n_classes)
    return make_splits(dataset, d["split"], d["scaling"], seed=p.seed)


def check_trainable(p: Preset, splits: Splits) -> None:
    """Raise DataError, before anything is written or trained, for what the engine would only
    refuse mid-run: batch norm with fewer than 2 training rows (in the run or in a k-fold
    fold), and more folds than train+validation rows."""
    n_train = splits.X_train.shape[0]
    if p.model.batch_norm and n_train < 2:
        raise DataError(
            f"data.split.train: batch norm needs at least 2 training rows, but the training "
            f"split has {n_train}; raise the train fraction or the number of rows, or turn "
            "batch norm off")
    k = p.data.kfold
    if k:
        n = n_train + splits.X_val.shape[0]
        if k > n:
            raise DataError(f"data.kfold: {k} folds need at least {k} rows of train + "
                            f"validation data, got {n}")
        if p.model.batch_norm and n - math.ceil(n / k) < 2:
            raise DataError(
                f"data.kfold: batch norm needs at least 2 training rows in every fold, but "
                f"{k} folds of {n} rows leave {n - math.ceil(n / k)}; use fewer folds, more "
                "rows, or turn batch norm off")


#: Weight matrices at least this large (fan_in × fan_out) are worth BLAS's threads.
BLAS_THREADED_SIZE = 65_536


def blas_threads(p: Preset, splits: Splits) -> int | None:
    """1 BLAS thread for small nets, BLAS's default (None) when a layer is large.

    Small matrices are far too small to split: OpenBLAS threads that spin-wait for work only
    slow each step and take the core a GUI thread needs. A 784-256-128-10 net, by contrast,
    runs 1.5-1.7x faster on two threads of a quiet 2-core machine (benchmarks/README.md).
    """
    sizes = [splits.n_features, *p.model.hidden, output_width(p, splits)]
    pieces = p.model.maxout_pieces if "maxout" in str(p.model.activation) else 1
    largest = max(a * b * pieces for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return None if largest >= BLAS_THREADED_SIZE else 1


def output_width(p: Preset, splits: Splits) -> int:
    if p.loss.name == "cross_entropy":
        return splits.n_classes
    if p.loss.name == "bce":
        return 1
    return splits.y_train.shape[1] if splits.y_train.ndim == 2 else 1


def build_network(p: Preset, splits: Splits) -> Network:
    m = p.model
    return Network([splits.n_features, *m.hidden, output_width(p, splits)],
                   activation=m.activation, init=m.init, batch_norm=m.batch_norm,
                   dropout=m.dropout, seed=p.seed, dtype=p.training.dtype,
                   maxout_pieces=m.maxout_pieces, init_scale=m.init_scale)


def build_optimizer(p: Preset) -> Optimizer:
    o = p.optimizer
    return Optimizer(o.name, o.lr, momentum=o.momentum, nesterov=o.nesterov, beta1=o.beta1,
                     beta2=o.beta2, eps=o.eps, rho=o.rho, weight_decay=o.weight_decay,
                     clip_norm=p.regularization.clip_norm)


def build_schedule(p: Preset) -> Schedule:
    s = p.schedule
    return Schedule(s.name, p.optimizer.lr, warmup_epochs=s.warmup_epochs, gamma=s.gamma,
                    step_size=s.step_size, decay=s.decay, power=s.power, T=s.T,
                    min_lr=s.min_lr, factor=s.factor, patience=s.patience, cooldown=s.cooldown)


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


def _params_of(net: Network, snap: Snapshot) -> dict[str, np.ndarray]:
    current = snapshot(net)
    restore(net, snap)
    params = net.params
    restore(net, current)
    return params


def train(preset, out_dir=None, callback=None, control: RunControl | None = None, *,
          epochs: int | None = None, save_data: bool = False, write_files: bool = True
          ) -> RunResult:
    """Train a preset (a path, a dict or a Preset) per SPEC §10; return a :class:`RunResult`.

    * ``out_dir``: the run directory (created); ``None`` → a new folder under the user's data
      directory. ``write_files=False`` writes nothing (the GUI's quick runs, tests).
    * ``callback(progress)``: called in this thread with a :class:`Progress` after row 0, at
      least once per epoch, and within long epochs about every 50 ms; last with event "end".
    * ``control``: a :class:`RunControl` to pause, resume, single-step or stop from another
      thread; its flag is polled by the compiled kernels between steps.
    * ``epochs`` overrides ``training.epochs``; ``save_data`` writes ``data.npz``.

    Bad presets raise :class:`~trainlab.presets.PresetError`, bad data
    :class:`~trainlab.data.DataError` (both ``ValueError``), before anything is trained.
    """
    p = resolve_preset(preset, epochs)
    resolved = preset_to_dict(p)
    splits = prepare_data(p)
    check_trainable(p, splits)
    control = control or RunControl()
    run_dir = None
    if write_files:
        run_dir = Path(out_dir) if out_dir else new_run_dir(p.name)
        run_dir.mkdir(parents=True, exist_ok=True)
    opened: list[MetricsWriter] = []  # closed below even when the run ends in an exception
    try:
        with threadpool_limits(limits=blas_threads(p, splits), user_api="blas"):
            result = _fit(p, resolved, splits, run_dir, callback, control, save_data, opened)
            if p.data.kfold and result.status in ("finished", "early_stopped") \
                    and not control.stopped:
                result.extra["kfold"] = cross_validate(p, splits, control)
                if run_dir is not None:
                    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
                    summary["kfold"] = result.extra["kfold"]
                    write_json(run_dir / "summary.json", summary)
    finally:
        for writer in opened:
            writer.close()
    return result


def kfold_splits(splits: Splits, k: int, seed: int) -> list[Splits]:
    """SPEC §11: k folds over train+validation; each fold's scaler is fitted on its own
    training rows; the test split is left out."""
    X = np.concatenate([splits.scaler.inverse_transform(splits.X_train),
                        splits.scaler.inverse_transform(splits.X_val)])
    y = np.concatenate([splits.y_train, splits.y_val])
    labels = y if splits.task == "classification" else None
    folds = []
    for tr, va in kfold_indices(len(X), k, seed, y=labels):
        scaler = Scaler(splits.scaler.kind).fit(X[tr])
        folds.append(dataclasses.replace(
            splits, X_train=scaler.transform(X[tr]), y_train=y[tr],
            X_val=scaler.transform(X[va]), y_val=y[va],
            X_test=X[:0], y_test=y[:0], scaler=scaler))
    return folds


def cross_validate(p: Preset, splits: Splits, control: RunControl | None = None) -> dict:
    """Train once per fold; the mean and standard deviation of the final validation metric."""
    metric = "val_acc" if splits.task == "classification" else "val_r2"
    resolved = preset_to_dict(p)
    values, losses = [], []
    for fold in kfold_splits(splits, p.data.kfold, p.seed):
        r = _fit(p, resolved, fold, None, None, control or RunControl(), False)
        values.append(float(r.history[metric][-1]))
        losses.append(float(r.history["val_loss"][-1]))
    return {"k": p.data.kfold, "metric": metric, "values": values,
            "mean": float(np.mean(values)), "std": float(np.std(values)),
            "val_loss_mean": float(np.mean(losses)), "val_loss_std": float(np.std(losses))}


def _fit(p: Preset, resolved: dict, splits: Splits, run_dir: Path | None, callback,
         control: RunControl, save_data: bool, opened: list | None = None) -> RunResult:
    task = splits.task
    net = build_network(p, splits)
    opt = build_optimizer(p)
    schedule = build_schedule(p)
    loss, smoothing = p.loss.name, p.loss.label_smoothing
    reg, tr = p.regularization, p.training
    es = tr.early_stopping
    L = net.n_layers

    X_train = net.check_inputs(splits.X_train, "X_train")
    Y_train = net.check_targets(splits.y_train, X_train.shape[0], loss)
    runner = StepRunner(net, opt, X_train, Y_train, loss, tr.batch_size, reg.l1, reg.l2,
                        smoothing, shuffle=tr.shuffle,
                        shuffle_seed=np.random.SeedSequence([p.seed, 2]), flag=control.flag)
    eval_train = SplitEvaluator(net, splits.X_train, splits.y_train, loss, smoothing, task)
    eval_val = SplitEvaluator(net, splits.X_val, splits.y_val, loss, smoothing, task)
    measure = EpochMeasurer(net, eval_train, eval_val, reg.l1, reg.l2)
    metric = "acc" if task == "classification" else "r2"
    columns = history_columns(L, task)
    # grows by doubling: a million planned epochs must not reserve a million rows up front
    history = History(columns, capacity=min(tr.epochs + 1, 1024))

    writer = None
    if run_dir is not None:
        write_json(run_dir / "preset.json", resolved)
        save_npz(run_dir / "weights_initial.npz", net.params)
        if save_data:
            save_npz(run_dir / "data.npz", {
                "X_train": splits.X_train, "y_train": splits.y_train, "X_val": splits.X_val,
                "y_val": splits.y_val, "X_test": splits.X_test, "y_test": splits.y_test})
        writer = MetricsWriter(run_dir / "metrics.csv", columns)
        if opened is not None:
            opened.append(writer)

    params_initial = net.params
    t_train = 0.0  # seconds spent training (pauses excluded)
    total_steps = 0

    def record(end: EpochEnd, m: Measurement) -> dict:
        row = {"epoch": end.epoch, "lr": end.lr, "train_loss": m.train_loss,
               "val_loss": m.val_loss, f"train_{metric}": m.train_metric,
               f"val_{metric}": m.val_metric, "penalty": m.penalty, "seconds": end.seconds}
        for l in range(L):
            row[f"w_norm_{l + 1}"] = m.w_norms[l]
            row[f"g_norm_{l + 1}"] = end.g_norms[l]
        history.append(row)
        if writer:
            writer.write(row)
        return row

    def report(event: str, epoch: int, status: str = "running", message: str = "",
               snap: Snapshot | None = None) -> None:
        """Call back; ``snap``: the weights the report is about (an epoch's end) when the
        network has moved on since (pipelined or compiled epochs)."""
        if callback is None:
            return
        if snap is None:
            predict, params = (lambda X: net.predict(X, loss)), (lambda: net.params)
        else:
            predict = lambda X: net.predict_with(X, snap[0], snap[1], loss)  # noqa: E731
            params = lambda: _params_of(net, snap)  # noqa: E731
        callback(Progress(
            event=event, epoch=epoch, epochs=tr.epochs, step=runner.next_batch,
            steps_per_epoch=runner.steps_per_epoch, total_steps=total_steps, history=history,
            steps_per_second=total_steps / t_train if t_train > 0 else 0.0, elapsed=t_train,
            status=status, message=message, predict=predict, params=params))

    # Evaluating an epoch while the next one trains (when that helps: see EpochPipeline)
    # changes nothing but the time: only a schedule that reads the validation loss (plateau)
    # would need it before the next epoch starts.
    pipeline = EpochPipeline(enabled=blas_threads(p, splits) == 1
                             and p.schedule.name != "plateau")
    start = EpochEnd(0, schedule.lr(0), np.full(L, np.nan), snapshot(net), 0.0, 0)
    row0 = record(start, pipeline.measure_now(measure, start))
    report("start", 0)
    status, message = "finished", ""
    if not all(math.isfinite(row0[k]) for k in ("train_loss", "penalty")):
        status = "diverged"
        message = ("The loss is not a finite number even before training: the initial weights "
                   "are too large. Try a smaller init scale or another initialization.")
    best_loss, best_epoch, best_snap, bad_epochs = math.inf, None, None, 0

    def conclude(end: EpochEnd) -> bool:
        """Record a finished epoch's row; False when the run ends with it."""
        nonlocal status, message, best_loss, best_epoch, best_snap, bad_epochs
        if end.measurement is not None:
            m = end.measurement
        elif end.future is not None:
            m = end.future.result()
        else:
            m = pipeline.measure_now(measure, end)
        row = record(end, m)
        if not (math.isfinite(row["train_loss"]) and m.finite_weights):
            status = "diverged"
            message = (f"Training diverged in epoch {end.epoch}: the weights or the loss "
                       f"became infinite or NaN (learning rate {end.lr:g}). Try a smaller "
                       "learning rate, gradient clipping, or input scaling.")
            report("epoch", end.epoch, snap=end.snap)
            return False
        monitored = row["val_loss"] if eval_val.n else row["train_loss"]
        schedule.observe(end.epoch - 1, monitored)
        if monitored < best_loss - (es.min_delta if es.enabled else 0.0):
            best_loss, best_epoch, bad_epochs = monitored, end.epoch, 0
            if es.enabled:
                best_snap = end.snap
        else:
            bad_epochs += 1
        report("epoch", end.epoch, snap=end.snap)
        if es.enabled and bad_epochs >= es.patience:
            status = "early_stopped"
            message = (f"Early stopping after epoch {end.epoch}: the "
                       f"{'validation' if eval_val.n else 'training'} loss has not improved "
                       f"for {es.patience} epochs (best at epoch {best_epoch}).")
            return False
        return True

    pending: EpochEnd | None = None  # an epoch being evaluated while the next one trains

    def settle() -> bool:
        """Record the pending epoch. If the run ends with it, the steps taken since are
        undone (weights, counters), as if the next epoch had never started."""
        nonlocal pending, t_train, total_steps, epoch
        if pending is None:
            return True
        end, pending = pending, None
        if conclude(end):
            return True
        restore(net, end.snap)
        t_train, total_steps, epoch = end.seconds, end.total_steps, end.epoch
        return False

    # Epochs too short for a Python round trip each run many to a compiled call; a schedule
    # that reads the monitored loss (plateau) gets one epoch per call, to look after each.
    compiled_allowed = os.environ.get("TRAINLAB_COMPILED_EPOCHS", "1") != "0"
    one_per_call = p.schedule.name == "plateau"

    def run_compiled() -> None:
        """Train the remaining epochs with :class:`CompiledEpochs`; the rows it returns go
        through ``conclude`` one by one, as if each epoch had run on its own, and what was
        trained past the epoch a run ends with (early stopping, divergence, a stop asked for
        by a report) is undone. Where the pipeline may run, one call's epochs are measured
        in the second thread while the next call trains."""
        nonlocal t_train, total_steps, epoch, status, message
        overlap = pipeline.enabled and not one_per_call
        ce = CompiledEpochs(runner, eval_train, eval_val, reg.l1, reg.l2,
                            slots=2 if overlap else 1)
        spe = runner.steps_per_epoch
        n_call = 1  # epochs per call, grown to about CHUNK_SECONDS of work
        trained = epoch  # epochs whose steps are done (the recorded ones, and any ahead)
        clock, clock_steps = t_train, total_steps  # all training so far, ahead included
        queue: list[_Call] = []  # calls whose rows are not recorded yet, oldest first

        def record(keep: int = 0) -> bool:
            """Record the rows of all queued calls but the newest ``keep``; False when the
            run ended on one of them (what was trained after it is undone)."""
            nonlocal t_train, total_steps, epoch, trained, clock, clock_steps
            stop_seen = control.stopped  # a stop asked for while training, not by a report
            while len(queue) > keep:
                c = queue.pop(0)
                if c.future is not None:
                    c.future.result()
                for k in range(c.done):
                    upto = (k + 1) * spe - c.offset
                    end = EpochEnd(epoch + 1, float(c.lrs[k]), ce.g_norms(k, c.slot),
                                   ce.snapshot(k, c.slot), c.t0 + c.dt * upto / max(c.steps, 1),
                                   c.steps0 + upto, measurement=ce.measurement(k, c.slot))
                    epoch += 1
                    t_train, total_steps = end.seconds, end.total_steps
                    if conclude(end) and not (control.stopped and not stop_seen):
                        continue
                    # the run ends with this epoch, as it would one epoch at a time
                    restore(net, end.snap)
                    trained, clock, clock_steps = epoch, end.seconds, end.total_steps
                    queue.clear()
                    return False
            t_train, total_steps = clock, clock_steps
            return True

        while status == "finished":
            if control.stopped or trained >= tr.epochs:
                record()
                return
            if control.paused:  # what was trained is on screen while the run waits
                if not record() or not control.wait_while_paused() or control.stopped:
                    return
            n = 1 if one_per_call or control.paused \
                else min(n_call, tr.epochs - trained, ce.max_epochs)
            lrs = np.array([schedule.lr(e) for e in range(trained, trained + n)])
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
            opt.lr = float(lrs[min(done, n - 1)])
            if runner.diverged:
                if not record():
                    return
                status = "diverged"
                message = (f"Training diverged in epoch {epoch + 1}: the loss or a gradient "
                           f"became infinite or NaN (learning rate {opt.lr:g}). Try a "
                           "smaller learning rate, gradient clipping, or input scaling.")
                return
            if ce.in_epoch:
                report("chunk", epoch)
            if done == n and dt > 0:  # at most doubling: a pause lands early in a run
                n_call = int(min(max(done / dt * CHUNK_SECONDS, 1), 2 * n, 100_000))

    chunk = runner.steps_per_epoch if callback is None else 16
    epoch = 0  # epochs whose steps are done
    try:
        while status == "finished" and epoch < tr.epochs:
            eta = schedule.lr(epoch)
            opt.lr = eta
            runner.start_epoch()
            t_epoch = t_train
            ended = False
            while not runner.epoch_done:
                if control.paused and not settle():  # show the last epoch while paused
                    ended = True
                    break
                if control.paused and not control.wait_while_paused():
                    break
                if control.stopped:
                    break
                t0 = time.perf_counter()
                done = runner.run(chunk)
                dt = time.perf_counter() - t0
                t_train += dt
                total_steps += done
                if runner.diverged:
                    break
                if callback is not None and done:
                    # aim each compiled call at ~CHUNK_SECONDS of work
                    rate = done / max(dt, 1e-9)
                    chunk = int(min(max(rate * CHUNK_SECONDS, 1), 1_000_000))
                    if not runner.epoch_done:
                        report("chunk", epoch)
            if ended or not settle():
                break
            if control.stopped:
                status = "stopped"
                message = f"Stopped by the user during epoch {epoch + 1}."
                break
            if runner.diverged:
                status = "diverged"
                message = (f"Training diverged in epoch {epoch + 1}: the loss or a gradient "
                           f"became infinite or NaN (learning rate {eta:g}). Try a smaller "
                           "learning rate, gradient clipping, or input scaling.")
                break
            epoch += 1
            pipeline.train_seconds = t_train - t_epoch
            end = EpochEnd(epoch, eta, runner.gnorm_acc / max(runner.steps_per_epoch, 1),
                           snapshot(net), t_train, total_steps)
            control.epoch_done()  # a granted single step ends with this epoch's steps
            if compiled_allowed and pipeline.train_seconds < COMPILED_EPOCH_SECONDS:
                if conclude(end):
                    run_compiled()  # short epochs: the rest of the run, many to a call
                break
            if epoch < tr.epochs and not control.paused and pipeline.worth_it():
                pipeline.submit(measure, end)
                pending = end
            elif not conclude(end):
                break
    finally:
        pipeline.close()
    if status == "finished" and control.stopped and epoch < tr.epochs:
        status = "stopped"
        message = f"Stopped by the user during epoch {epoch + 1}."
    if status == "finished":
        message = f"Finished {epoch} epoch{'s' if epoch != 1 else ''}."

    params_best = None
    if es.enabled and best_snap is not None:
        params_best = _params_of(net, best_snap)
        if es.restore_best:
            restore(net, best_snap)
            message += f" Restored the weights of epoch {best_epoch}."
    params_final = net.params

    test_metrics: dict[str, float] = {}
    eval_test = SplitEvaluator(net, splits.X_test, splits.y_test, loss, smoothing, task)
    if eval_test.n and status != "diverged":
        tl, tm = eval_test(net.theta, net.stats)
        test_metrics = {"test_loss": tl, f"test_{metric}": tm}

    if writer:
        writer.close()
        save_npz(run_dir / "weights_final.npz", params_final)
        if params_best is not None:
            save_npz(run_dir / "weights_best.npz", params_best)
        write_json(run_dir / "summary.json", {
            "status": status, "message": message, "epochs": epoch, "best_epoch": best_epoch,
            "test_metrics": test_metrics, "seconds": t_train, "steps": total_steps,
            "steps_per_second": total_steps / t_train if t_train > 0 else None,
            "task": task, "data": splits.name})
    report("end", epoch, status, message)
    return RunResult(status=status, message=message, history=history,
                     params_initial=params_initial, params_final=params_final,
                     params_best=params_best, best_epoch=best_epoch,
                     test_metrics=test_metrics, seconds=t_train, preset=copy.deepcopy(resolved),
                     out_dir=run_dir, task=task, dataset=splits)
