"""A worker: claim a waiting trial, train it as an ordinary run, report it; until none is left.

A trial's run directory is ``<out>/trials/<index>``, with the resolved ``preset.json`` that
``trainlab run`` re-runs bit for bit. What a trial gave (state, message, metrics, epochs,
seconds) is stored in the study itself, so results can be gathered from any machine.
"""

from __future__ import annotations

import math
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from optuna.trial import TrialState

from .definition import SweepDefinition
from .study import claim, open_storage, open_study, requeue

#: User attribute of a trial holding its outcome (a dict, see :class:`Outcome`).
OUTCOME_ATTR = "outcome"
#: The metrics a trial records, each at its last epoch and its best one.
CURVES = ("train_loss", "val_loss", "val_acc", "val_r2")


@dataclass
class Outcome:
    """How a trial ended. ``state``: complete, pruned, diverged, failed or interrupted."""

    state: str
    objective: float | None = None
    message: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    epochs: int = 0
    seconds: float = 0.0
    run_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def trial_dir(out_dir: Path, index: int) -> Path:
    return Path(out_dir) / "trials" / f"{index:04d}"


def curve_value(history, metric: str, at: str, direction: str) -> float:
    """The objective read from the epoch curves (epochs 1..E; row 0 is the initial net)."""
    values = np.asarray(history[metric][1:], dtype=float)
    if values.size == 0:
        return math.nan
    if at == "best":
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return math.nan
        return float(finite.min() if direction == "minimize" else finite.max())
    return float(values[-1])


def objective_value(definition: SweepDefinition, result) -> float:
    """The trial's objective: from the curves, or the k-fold mean."""
    o = definition.file.objective
    if o.metric not in result.history:
        raise ValueError(f"{o.metric} is not measured for {result.task} data")
    if o.at != "kfold":
        return curve_value(result.history, o.metric, o.at, definition.direction)
    kfold = result.extra.get("kfold")
    if not kfold:
        raise ValueError("no k-fold results (data.kfold is off for this trial)")
    return float(kfold["val_loss_mean"] if o.metric == "val_loss" else kfold["mean"])


def _metrics(result) -> dict[str, float]:
    found: dict[str, float] = {}
    for metric in CURVES:
        if metric in result.history and len(result.history) > 1:
            direction = "minimize" if metric.endswith("loss") else "maximize"
            found[f"{metric}_last"] = curve_value(result.history, metric, "last", direction)
            found[f"{metric}_best"] = curve_value(result.history, metric, "best", direction)
    found.update({k: float(v) for k, v in result.test_metrics.items()})  # test_loss, ...
    kfold = result.extra.get("kfold")
    if kfold:
        found[f"kfold_{kfold['metric']}_mean"] = kfold["mean"]
        found[f"kfold_{kfold['metric']}_std"] = kfold["std"]
    return found


def train_trial(definition: SweepDefinition, trial, values: dict[str, Any], out_dir: Path,
                stop=None) -> Outcome:
    """Train one trial's preset in its run directory; prune on the objective's epoch curve."""
    from trainlab.runs import RunControl, train

    index = int(trial.user_attrs["index"])
    run_dir = trial_dir(out_dir, index)
    shutil.rmtree(run_dir, ignore_errors=True)  # what an interrupted attempt left
    objective, pruning = definition.file.objective, definition.file.pruning
    control = RunControl()
    pruned = []

    def on_progress(p) -> None:
        if stop is not None and stop.is_set():
            control.stop()
        if not (pruning.enabled and p.event == "epoch" and objective.metric in p.history):
            return
        if p.epoch < pruning.n_warmup_epochs:
            return  # never judged there (each report is a write to the study)
        value = curve_value(p.history, objective.metric,
                            "best" if objective.at == "best" else "last", definition.direction)
        if math.isfinite(value):
            trial.report(value, p.epoch)
            if trial.should_prune():
                pruned.append(p.epoch)
                control.stop()

    start = time.perf_counter()
    try:
        preset = definition.trial_preset(index, values)
        result = train(preset, out_dir=run_dir, callback=on_progress, control=control)
    except Exception as error:  # a bad combination, data that cannot be loaded, ...
        lines = str(error).strip().splitlines() or [type(error).__name__]
        return Outcome("failed", message=" / ".join(lines)[:500],
                       seconds=time.perf_counter() - start, run_dir=str(run_dir))
    outcome = Outcome("complete", message=result.message, metrics=_metrics(result),
                      epochs=result.epochs, seconds=time.perf_counter() - start,
                      run_dir=str(run_dir))
    if pruned:
        outcome.state, outcome.message = "pruned", f"pruned at epoch {pruned[0]} (median rule)"
    elif result.status == "stopped":
        outcome.state = "interrupted"
    elif result.status == "diverged":
        outcome.state = "diverged"
    else:
        try:
            outcome.objective = objective_value(definition, result)
        except ValueError as error:
            outcome.state, outcome.message = "failed", str(error)
        if outcome.objective is not None and not math.isfinite(outcome.objective):
            outcome.state, outcome.message = "failed", "the objective is not a finite number"
    return outcome


def run_claimed(study, definition: SweepDefinition, trial, out_dir: Path, stop=None,
                evaluate=None) -> dict:
    """Evaluate a claimed trial and tell the study; return its outcome as a dict.

    ``evaluate(values) -> Outcome`` replaces training (the sampler tests use a formula).
    """
    values = {p.key: p.suggest(trial) for p in definition.parameters}
    if evaluate is None:
        outcome = train_trial(definition, trial, values, out_dir, stop)
    else:
        outcome = evaluate(values)
    trial.set_user_attr(OUTCOME_ATTR, outcome.to_dict())
    if outcome.state == "complete":
        study.tell(trial, outcome.objective)
    elif outcome.state == "pruned":
        study.tell(trial, state=TrialState.PRUNED)
    else:
        if outcome.state == "interrupted":
            trial.set_user_attr("interrupted", True)
        study.tell(trial, state=TrialState.FAIL)
        if outcome.state == "interrupted":  # to be run again, anew, with the same values
            fixed = {} if definition.file.method.name == "bayesian" else \
                {p.key: p.encode(values[p.key]) for p in definition.parameters}
            requeue(study, int(trial.user_attrs["index"]), fixed)
    return {"index": int(trial.user_attrs["index"]), "values": values, **outcome.to_dict()}


def work(study, storage, definition: SweepDefinition, out_dir: Path, stop=None,
         deadline: float | None = None, report=None, evaluate=None) -> int:
    """Run trials until none is waiting, ``stop`` is set or the deadline (time.time()) passes.
    ``report(row)`` is called after each trial. Returns the number of trials run."""
    done = 0
    while not (stop is not None and stop.is_set()):
        if deadline is not None and time.time() >= deadline:
            break
        trial = claim(study, storage)
        if trial is None:
            break
        row = run_claimed(study, definition, trial, out_dir, stop, evaluate)
        done += 1
        if report is not None:
            report(row)
    return done


def worker_process(url: str | None, folder: str, study_name: str, out_dir: str, stop, queue,
                   deadline: float | None) -> None:
    """Entry point of a worker process: Ctrl+C is the parent's to handle (it sets ``stop``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        storage = open_storage(url, Path(folder))
        study, definition = open_study(storage, study_name)
        work(study, storage, definition, Path(out_dir), stop, deadline,
             report=lambda row: queue.put(("trial", row)))
    except BaseException as error:  # reported to the parent, which prints it
        queue.put(("error", f"{type(error).__name__}: {error}"))
    finally:
        queue.put(("exit", None))
