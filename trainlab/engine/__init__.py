"""The TrainLab engine: NumPy + Numba MLP numerics (SPEC §1-9). No Qt here.

    from trainlab.engine import Network, Optimizer, Schedule, warmup

The compiled parts load on first use, so ``trainlab.engine.names`` (the vocabulary that
validation code needs) imports without Numba.
"""

from trainlab.engine.names import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, SCHEDULES

__all__ = ["ACTIVATIONS", "INITS", "LOSSES", "OPTIMIZERS", "SCHEDULES", "Network", "Optimizer",
           "Schedule", "warmup"]

_LAZY = {
    "Network": "trainlab.engine.network",
    "Optimizer": "trainlab.engine.optimizers",
    "Schedule": "trainlab.engine.schedules",
    "warmup": "trainlab.engine.jit_warmup",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'trainlab.engine' has no attribute {name!r}")
