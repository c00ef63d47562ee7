"""The sampler layer on a cheap formula instead of training: TPE against seeded random search."""

from __future__ import annotations

import math

import numpy as np
from optuna.storages import InMemoryStorage

from trainlab.sweep import load_sweep
from trainlab.sweep.study import create_study
from trainlab.sweep.worker import Outcome, work

from .helpers import sweep

TRIALS = 40
SPACE = {"optimizer.lr": {"low": 1e-5, "high": 1.0, "log": True},
         "model.dropout": {"low": 0.0, "high": 0.9},
         "regularization.l2": {"low": 1e-6, "high": 1.0, "log": True},
         "optimizer.momentum": {"low": 0.0, "high": 0.99}}


def bowl(values: dict) -> Outcome:
    """A smooth valley in 4 dimensions, lowest (0) at lr = 10^-2.5, dropout = 0.3,
    l2 = 10^-4 and momentum = 0.9 (each axis scaled to matter about as much)."""
    v = values
    value = ((math.log10(v["optimizer.lr"]) + 2.5) ** 2 / 4
             + 6 * ((v["model.dropout"] - 0.3) / 0.9) ** 2
             + (math.log10(v["regularization.l2"]) + 4) ** 2 / 6
             + 6 * (v["optimizer.momentum"] - 0.9) ** 2)
    return Outcome("complete", objective=value)


def best_found(method: dict, tmp_path) -> float:
    definition = load_sweep(sweep(
        name=f"bowl {method}",
        parameters=SPACE, method=method))
    storage = InMemoryStorage()
    study, _ = create_study(storage, "bowl", definition)
    assert work(study, storage, definition, tmp_path, evaluate=bowl) == TRIALS
    return study.best_value


def test_tpe_finds_lower_values_than_random_search_on_the_same_budget(tmp_path):
    tpe, rnd = [], []
    for seed in range(8):
        tpe.append(best_found({"name": "bayesian", "n_trials": TRIALS, "seed": seed,
                               "n_startup_trials": 10}, tmp_path))
        rnd.append(best_found({"name": "random", "n_trials": TRIALS, "seed": seed}, tmp_path))
    wins = sum(t < r for t, r in zip(tpe, rnd, strict=True))
    # A sign test: 7 or 8 wins of 8 has probability 9/256 < 4 % if neither were better.
    assert wins >= 7, (tpe, rnd)
    assert np.median(tpe) < np.median(rnd) / 2


def test_bayesian_trials_are_reproducible_with_one_worker(tmp_path):
    method = {"name": "bayesian", "n_trials": TRIALS, "seed": 5, "n_startup_trials": 10}
    assert best_found(method, tmp_path) == best_found(method, tmp_path)
