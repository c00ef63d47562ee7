"""The training loop of SPEC §10: a preset in, a history (and a run directory) out.

No Qt here. The GUI runs :func:`train` in a worker thread with a callback and a
:class:`~trainlab.runs.control.RunControl`; the CLI runs it with a progress printer.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from trainlab.data import DataError, Scaler, Splits, kfold_indices, load_dataset, make_splits
from trainlab.engine import Network, Optimizer, Schedule
from trainlab.engine.blas import load_kernel_blas
from trainlab.presets import (
    Preset,
    check_loss_for_data,
    load_preset,
    preset_to_dict,
    validate_preset,
)
from trainlab.runs.control import RunControl
from trainlab.runs.fit import Fit
from trainlab.runs.progress import RunResult
from trainlab.runs.records import MetricsWriter, new_run_dir, write_json


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
        load_kernel_blas()  # so that the limit reaches the kernels' BLAS too
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
    return Fit(p, resolved, splits, run_dir, callback, control, save_data, opened,
               build_network(p, splits), build_optimizer(p), build_schedule(p),
               pipeline_ok=blas_threads(p, splits) == 1).run()
