"""A tiny counter-based generator (SplitMix64) for dropout masks and shuffles in compiled code.

Numba's own ``np.random`` keeps one hidden state per thread, which would make a run depend on
which thread trains it. SplitMix64 keeps its whole state in one uint64 that the Network owns,
so masks are a pure function of the run's seed and the order of the draws.
"""

import numpy as np

from trainlab.engine._jit import jit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@jit
def next_uniform(state):
    """Advance ``state[0]`` and return a float64 uniform on [0, 1)."""
    state[0] = state[0] + _GOLDEN
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * _TO_UNIT


@jit
def shuffle_in_place(order, state):
    """Fisher-Yates over ``order`` with the generator ``state`` (every permutation alike, up
    to the 2⁻⁵³ granularity of the uniform draw)."""
    for i in range(order.size - 1, 0, -1):
        j = int(next_uniform(state) * (i + 1))
        tmp = order[i]
        order[i] = order[j]
        order[j] = tmp


def seed_state(seed: int) -> np.ndarray:
    """The generator state for a run seed (a one-element uint64 array)."""
    mixed = np.random.SeedSequence([int(seed), 0x7A1]).generate_state(1, dtype=np.uint64)
    return np.asarray(mixed, dtype=np.uint64).copy()
