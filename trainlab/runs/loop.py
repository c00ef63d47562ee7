"""The training loop of SPEC §10: a preset in, a history (and a run directory) out.

No Qt here. The GUI runs :func:`train` in a worker thread with a callback and a
:class:`~trainlab.runs.control.RunControl`; the CLI runs it with a progress printer.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from trainlab.data import Scaler, Splits, kfold_indices
from trainlab.runs.control import RunControl
from trainlab.runs.fit import Fit, RunHooks
from trainlab.runs.options import RunOptions, blas_limit
from trainlab.runs.prepared import PreparedRun, prepare
from trainlab.runs.progress import RunResult
from trainlab.runs.recorder import RunRecorder
from trainlab.runs.records import new_run_dir


def train(preset, out_dir=None, callback=None, control: RunControl | None = None, *,
          epochs: int | None = None, save_data: bool = False, write_files: bool = True,
          overwrite: bool = False, options: RunOptions | None = None,
          on_fold=None) -> RunResult:
    """Train a preset per SPEC §10; return a :class:`RunResult`.

    * ``preset``: a :class:`~trainlab.runs.prepared.PreparedRun` (see
      :func:`~trainlab.runs.prepared.prepare`), or a path, a dict or a Preset, prepared here.
    * ``out_dir``: the run directory (created); ``None`` → a new folder under the user's data
      directory. ``write_files=False`` writes nothing (the GUI's quick runs, tests).
    * ``callback(progress)``: called in this thread with a :class:`Progress` after row 0, at
      least once per epoch, and within long epochs about every 50 ms; last with event "end".
    * ``control``: a :class:`RunControl` to pause, resume, single-step or stop from another
      thread; its flag is polled by the compiled kernels between steps.
    * ``epochs`` overrides ``training.epochs``; ``save_data`` writes ``data.npz``.
    * ``overwrite``: a folder that holds an earlier run is emptied of that run's files
      (:mod:`~trainlab.runs.runfolder`); without it, such a folder is refused.
    * ``options``: how the run uses the machine (:class:`RunOptions`); ``None`` → the
      defaults, with the environment's ``TRAINLAB_COMPILED_EPOCHS`` / ``TRAINLAB_PIPELINE``.

    Bad presets raise :class:`~trainlab.presets.PresetError`, bad data
    :class:`~trainlab.data.DataError` (both ``ValueError``), before anything is trained; a
    folder another run is writing :class:`~trainlab.runs.runfolder.RunFolderInUse`, one that
    holds a run :class:`~trainlab.runs.runfolder.RunFolderHoldsRun`, a full disk
    :class:`~trainlab.runs.runfolder.DiskFull` (each with ``.path`` and a one-line message).

    A stop during k-fold cross-validation ends the run ``"stopped"``; ``kfold`` then reports
    the completed folds only, with ``"partial": true``. ``on_fold(kfold)`` is called in this
    thread when the folds start and after each one, with the k-fold results so far (see
    :func:`cross_validate`).
    """
    run = prepare(preset, epochs=epochs)
    options = options if options is not None else RunOptions.from_env()
    control = control or RunControl()
    run_dir = None
    if write_files:
        run_dir = Path(out_dir) if out_dir else new_run_dir(run.name)
    with RunRecorder(run_dir, save_data, overwrite) as recorder, \
            blas_limit(options.threads_for(run)):
        fit = Fit(run, RunHooks(callback, control, recorder), options)
        result = fit.run()
        if run.preset.data.kfold and result.status in ("finished", "early_stopped") \
                and not control.stopped:
            kfold = result.extra["kfold"] = fit.summary["kfold"] = \
                cross_validate(run, control, options, on_fold)
            if kfold["partial"]:
                result.status = fit.summary["status"] = "stopped"
                result.message = fit.summary["message"] = (
                    f"{result.message} Stopped by the user during k-fold cross-validation, "
                    f"after {kfold['folds_completed']} of {kfold['k']} folds.")
        recorder.summary(fit.summary)
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
        with np.errstate(over="ignore", invalid="ignore"):  # checked by with_splits
            scaler = Scaler(splits.scaler.kind).fit(X[tr])
            X_train, X_val = scaler.transform(X[tr]), scaler.transform(X[va])
        folds.append(dataclasses.replace(
            splits, X_train=X_train, y_train=y[tr], X_val=X_val, y_val=y[va],
            X_test=X[:0], y_test=y[:0], scaler=scaler))
    return folds


def cross_validate(run: PreparedRun, control: RunControl | None = None,
                   options: RunOptions | None = None, on_fold=None) -> dict:
    """Train once per fold; the mean and standard deviation of the final validation metric.

    A stop (``control``) ends it early: a fold the stop cut short is left out, the figures are
    those of the completed folds (None without any), and ``partial`` is true.
    ``on_fold(results so far)``: before the first fold and after each (progress for a view)."""
    p, splits = run.preset, run.splits
    metric = "val_acc" if splits.task == "classification" else "val_r2"
    control = control or RunControl()
    hooks = RunHooks(None, control, RunRecorder(None))
    values, losses = [], []

    def stats(xs):
        return (float(np.mean(xs)), float(np.std(xs))) if xs else (None, None)

    def results() -> dict:
        (mean, std), (loss_mean, loss_std) = stats(values), stats(losses)
        return {"k": p.data.kfold, "metric": metric, "values": list(values), "mean": mean,
                "std": std, "val_loss_mean": loss_mean, "val_loss_std": loss_std,
                "val_loss_values": list(losses), "partial": len(values) < p.data.kfold,
                "folds_completed": len(values)}

    if on_fold is not None:
        on_fold(results())
    for fold in kfold_splits(splits, p.data.kfold, p.seed):
        if control.stopped:
            break
        r = Fit(run.with_splits(fold), hooks, options or RunOptions()).run()
        if r.status == "stopped" or control.stopped:
            break
        values.append(float(r.history[metric][-1]))
        losses.append(float(r.history["val_loss"][-1]))
        if on_fold is not None:
            on_fold(results())
    return results()
