"""The TrainLab engine: NumPy + Numba MLP numerics (SPEC §1-9). No Qt here.

    from trainlab.engine import Network, Optimizer, Schedule
"""

from trainlab.engine.names import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, SCHEDULES
from trainlab.engine.network import Network
from trainlab.engine.optimizers import Optimizer
from trainlab.engine.schedules import Schedule
from trainlab.engine.warmup import warmup

__all__ = ["ACTIVATIONS", "INITS", "LOSSES", "OPTIMIZERS", "SCHEDULES", "Network", "Optimizer",
           "Schedule", "warmup"]
