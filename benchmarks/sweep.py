"""How fast does a hyperparameter search run? Prints a table (not a test).

    python benchmarks/sweep.py                 # 24 trials of a small moons run, ~1 min on 2 cores
    python benchmarks/sweep.py --quick         # 8 trials, smoke run (numbers not meaningful)
    python benchmarks/sweep.py --json out.json

One random search (seed 0) over the learning rate (log), the L2 penalty (log) and the hidden
layer, each trial a 2-h-2 tanh net trained with Adam (batch 32) on moons points (default 1000,
200 epochs):

* TrainLab ``Sweep.run`` with one job (trials in this process, as ``trainlab sweep --jobs 1``)
  and with two jobs (two worker processes sharing the journal-file study): trials per minute
  over the whole call (study creation, process starts and result files included), and the
  per-trial overhead: ``(jobs × wall − plain) / trials``, where ``plain`` is the time of the
  same trials trained one after the other by ``trainlab.train(..., write_files=False)``. It
  holds the process start (two jobs), the study's reads and writes (each fsynced) and the run
  directory's files.
* Optuna + scikit-learn: the same random search written the usual way, ``optuna.create_study``
  with a seeded ``RandomSampler`` and ``MLPClassifier(solver="adam", batch_size=32,
  max_iter=epochs, tol=0, n_iter_no_change=epochs)`` fitted on TrainLab's exact scaled training
  split, scored by the validation log loss, one process. The same trial budget; the ratio is
  TrainLab's trials per minute over this one's.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
import time
import warnings
from pathlib import Path

SPACE = {
    "optimizer.lr": {"low": 0.001, "high": 0.1, "log": True},
    "regularization.l2": {"low": 1e-5, "high": 1e-2, "log": True},
    "model.hidden": {"choices": [[8], [16], [32]]},
}


def sweep_file(trials: int, epochs: int, points: int) -> dict:
    return {
        "format": "trainlab-sweep", "name": "benchmark random search",
        "base": {"format": "trainlab-preset", "name": "moons",
                 "data": {"source": "moons", "n_samples": points, "noise": 0.2},
                 "model": {"hidden": [16], "activation": "tanh"},
                 "optimizer": {"name": "adam", "lr": 0.01},
                 "training": {"epochs": epochs, "batch_size": 32}},
        "parameters": SPACE,
        "method": {"name": "random", "n_trials": trials, "seed": 0},
        "objective": {"metric": "val_loss", "at": "last"},
    }


def plain_runs(trials: int, epochs: int, points: int) -> float:
    """Seconds to train the same trials one after the other with ``trainlab.train`` alone (no
    study, no files): what a search costs beyond its runs is measured against this."""
    import trainlab
    from trainlab.sweep import load_sweep

    definition = load_sweep(sweep_file(trials, epochs, points))
    start = time.perf_counter()
    for index, values in enumerate(definition.trials()):
        trainlab.train(definition.trial_preset(index, values), write_files=False)
    return time.perf_counter() - start


def run_trainlab(trials: int, epochs: int, points: int, jobs: int, plain: float) -> dict:
    from trainlab.sweep import Sweep

    folder = Path(tempfile.mkdtemp(prefix="trainlab-bench-sweep-"))
    try:
        start = time.perf_counter()
        rows = Sweep(sweep_file(trials, epochs, points), folder).run(jobs=jobs)
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert len(rows) == trials and all(r["state"] == "complete" for r in rows)
    return {"wall": wall, "trials_per_minute": 60 * trials / wall,
            "overhead_per_trial": (jobs * wall - plain) / trials,
            "best": min(r["objective"] for r in rows)}


def run_sklearn(trials: int, epochs: int, points: int) -> dict:
    import numpy as np
    import optuna
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import log_loss
    from sklearn.neural_network import MLPClassifier

    from trainlab.runs import prepare

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    splits = prepare(sweep_file(trials, epochs, points)["base"]).splits
    hidden = [tuple(h) for h in SPACE["model.hidden"]["choices"]]

    def objective(trial) -> float:
        lr = trial.suggest_float("lr", 0.001, 0.1, log=True)
        l2 = trial.suggest_float("l2", 1e-5, 1e-2, log=True)
        layers = hidden[trial.suggest_categorical("hidden", list(range(len(hidden))))]
        net = MLPClassifier(layers, activation="tanh", solver="adam", alpha=l2, batch_size=32,
                            learning_rate_init=lr, max_iter=epochs, tol=0.0,
                            n_iter_no_change=epochs, random_state=trial.number)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            net.fit(splits.X_train, np.ravel(splits.y_train))
        return log_loss(np.ravel(splits.y_val), net.predict_proba(splits.X_val))

    start = time.perf_counter()
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(objective, n_trials=trials)
    wall = time.perf_counter() - start
    return {"wall": wall, "trials_per_minute": 60 * trials / wall, "best": study.best_value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=24)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--points", type=int, default=1000, help="moons points (70 %% train)")
    parser.add_argument("--quick", action="store_true", help="8 trials of 10 epochs")
    parser.add_argument("--no-sklearn", action="store_true", help="skip the Optuna + sklearn peer")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    trials, epochs = (8, 10) if args.quick else (args.trials, args.epochs)
    points = args.points

    from trainlab.engine import warmup

    warmup()  # compile (or load) the kernels first: a first compilation is not a sweep's cost
    plain = plain_runs(trials, epochs, points)
    found = {"trials": trials, "epochs": epochs, "points": points, "plain_runs_seconds": plain,
             "jobs1": run_trainlab(trials, epochs, points, 1, plain),
             "jobs2": run_trainlab(trials, epochs, points, 2, plain)}
    if not args.no_sklearn:
        found["sklearn"] = run_sklearn(trials, epochs, points)
    one, two, sk = found["jobs1"], found["jobs2"], found.get("sklearn")
    print(f"random search, {trials} trials of {epochs} epochs (moons, {points} points, Adam, "
          "batch 32)")
    print(f"{'':<28}{'wall s':>9}{'trials/min':>12}{'overhead s/trial':>18}{'best':>9}")
    for name, r in (("TrainLab --jobs 1", one), ("TrainLab --jobs 2", two),
                    ("Optuna + sklearn MLP", sk or {})):
        if not r:
            continue
        overhead = f"{r['overhead_per_trial']:.3f}" if "overhead_per_trial" in r else "-"
        print(f"{name:<28}{r['wall']:>9.2f}{r['trials_per_minute']:>12.1f}{overhead:>18}"
              f"{r['best']:>9.4f}")
    found["speedup_jobs2"] = two["trials_per_minute"] / one["trials_per_minute"]
    print(f"--jobs 2 / --jobs 1: {found['speedup_jobs2']:.2f}x trials per minute")
    if sk:
        found["ratio_vs_sklearn_jobs1"] = one["trials_per_minute"] / sk["trials_per_minute"]
        found["ratio_vs_sklearn_jobs2"] = two["trials_per_minute"] / sk["trials_per_minute"]
        print(f"TrainLab / Optuna + sklearn: {found['ratio_vs_sklearn_jobs1']:.1f}x (--jobs 1), "
              f"{found['ratio_vs_sklearn_jobs2']:.1f}x (--jobs 2)")
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    return 0 if all(math.isfinite(r["wall"]) for r in (one, two, sk or one)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
