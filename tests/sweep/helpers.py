"""Tiny sweeps for the tests: xor, 40 rows, a 2-4-2 net, a few epochs (a trial takes ~10 ms)."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

BASE = {
    "format": "trainlab-preset",
    "name": "tiny",
    "data": {"source": "xor", "n_samples": 40},
    "model": {"hidden": [4]},
    "optimizer": {"name": "adam", "lr": 0.01},
    "training": {"epochs": 6, "batch_size": 8},
}


def sweep(**changes) -> dict:
    """A 2 × 3 grid over the learning rate and the hidden layer, with ``changes`` on top."""
    data = {
        "format": "trainlab-sweep",
        "version": 1,
        "name": "tiny grid",
        "base": copy.deepcopy(BASE),
        "parameters": {"optimizer.lr": [0.003, 0.03], "model.hidden": [[2], [4], [6]]},
        "method": {"name": "grid"},
    }
    data.update(copy.deepcopy(changes))
    return data


def random_sweep(n_trials: int = 5, seed: int = 3) -> dict:
    return sweep(name="tiny random",
                 parameters={"optimizer.lr": {"low": 0.001, "high": 0.1, "log": True},
                             "model.hidden": {"choices": [[2], [4]]},
                             "training.batch_size": {"low": 4, "high": 16, "step": 4}},
                 method={"name": "random", "n_trials": n_trials, "seed": seed})


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def comparable(rows: list[dict]) -> list[dict]:
    """Result rows without what may differ between two runs of the same trials."""
    return [{k: v for k, v in row.items() if k not in ("seconds", "run_dir")} for row in rows]
