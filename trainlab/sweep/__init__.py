"""Hyperparameter search: grid, random and Bayesian (Optuna's TPE) over a base preset.

A sweep file names the base preset, the preset keys to search, the method, the objective and
the budget (:mod:`.model`; ``resources/sweep.schema.json``). :class:`Sweep` runs its trials,
each an ordinary run, in worker processes that share an Optuna study (an embedded journal file
by default, or any database Optuna supports, so machines can join). No Qt here.

>>> from trainlab.sweep import Sweep                                   # doctest: +SKIP
>>> s = Sweep("resources/sweeps/moons_grid.json", "sweeps/grid")
>>> rows = s.run(jobs=2, callback=lambda p: print(p.done, p.total, p.best))

Names load on first use, so that ``trainlab`` starts without importing Optuna.
"""

from importlib import import_module

_HOMES = {
    "Sweep": "runner",
    "SweepProgress": "runner",
    "study_name_for": "runner",
    "SweepDefinition": "definition",
    "load_sweep": "definition",
    "SweepError": "errors",
    "SweepFile": "model",
    "fold_table": "folds",
    "json_schema": "schema",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'trainlab.sweep' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
