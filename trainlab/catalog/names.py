"""Every name list of TrainLab, the integer codes the compiled kernels branch on, and the
helpers that check a name against its list.

The kernel codes are :class:`~enum.IntEnum` classes; each name tuple is derived from its enum
(``ACTIVATIONS`` is the enum's members, lower-cased, in code order), so a name and its code
cannot drift apart. The kernels compare against the members themselves
(``code == ActivationCode.MAXOUT``), which Numba folds to constants at compile time. Callers
pass plain ints (``ACTIVATION_CODE[name]``): an enum member passed in would make Numba compile
a second specialization.

Numba keeps compiled kernels on disk; ``trainlab/engine/_jit.py`` includes this file in the
stamp that decides whether a cached kernel is stale, so a changed code recompiles them.
"""

from __future__ import annotations

import difflib
import re
from enum import IntEnum


class ActivationCode(IntEnum):
    """Hidden-layer activations (SPEC §2); the kernels in ``engine/activations.py``."""

    IDENTITY = 0
    SIGMOID = 1
    TANH = 2
    RELU = 3
    LEAKY_RELU = 4
    ELU = 5
    SWISH = 6
    GELU = 7
    SOFTPLUS = 8
    MAXOUT = 9
    STEP = 10


class LossCode(IntEnum):
    """Data losses (SPEC §4); the kernels in ``engine/losses.py``."""

    MSE = 0
    MAE = 1
    HUBER = 2
    BCE = 3
    CROSS_ENTROPY = 4


class OptimizerCode(IntEnum):
    """Update rules (SPEC §6); the kernel in ``engine/optimizers_kernel.py``."""

    SGD = 0
    MOMENTUM = 1
    ADAGRAD = 2
    RMSPROP = 3
    ADAM = 4
    ADAMW = 5
    LAMB = 6


class Hyper(IntEnum):
    """Slots of an optimizer's ``hyper`` vector, which the update kernel reads:
    η, μ, nesterov (1/0), β₁, β₂, ε, ρ, λ_wd."""

    LR = 0
    MU = 1
    NESTEROV = 2
    BETA1 = 3
    BETA2 = 4
    EPS = 5
    RHO = 6
    WD = 7


def enum_names(codes: type[IntEnum]) -> tuple[str, ...]:
    """The lower-case names of an enum's members, in code order."""
    return tuple(member.name.lower() for member in sorted(codes))


def enum_codes(codes: type[IntEnum]) -> dict[str, int]:
    """Name → plain int code (what callers hand to the kernels)."""
    return {member.name.lower(): int(member) for member in codes}


ACTIVATIONS = enum_names(ActivationCode)
LOSSES = enum_names(LossCode)
OPTIMIZERS = enum_names(OptimizerCode)
ACTIVATION_CODE = enum_codes(ActivationCode)
LOSS_CODE = enum_codes(LossCode)
OPTIMIZER_CODE = enum_codes(OptimizerCode)

INITS = (
    "auto", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal",
    "uniform", "normal", "zeros",
)
SCHEDULES = (
    "constant", "step", "exponential", "inverse_sqrt", "inverse_time", "polynomial", "cosine",
    "plateau", "inverse_power",
)
DTYPES = ("float64", "float32")
#: what a schedule counts: epochs, or optimizer updates (the decks' ηᵗ)
SCHEDULE_UNITS = ("epoch", "step")
#: inverted dropout (masks of 1/(1−p) or 0), or the decks' form scaled by 1 − p at test time
DROPOUT_MODES = ("inverted", "scale_at_test")

REGRESSION_LOSSES = ("mse", "mae", "huber")
CLASSIFICATION_LOSSES = ("bce", "cross_entropy")
#: Activations for which ``init="auto"`` picks he_normal (SPEC §3); xavier_uniform otherwise.
RELU_FAMILY = ("relu", "leaky_relu", "elu")
#: Inits that draw with the ``init_scale`` s.
SCALED_INITS = ("uniform", "normal")


def closest_name(value, allowed) -> str | None:
    """The one allowed name `value` is close to (a likely typo), or None."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(value, allowed) -> str:
    """`" did you mean 'relu'?"` when `value` is close to one allowed name, else `""`."""
    close = closest_name(value, allowed)
    return f" did you mean '{close}'?" if close else ""


def check_name(kind: str, value: str, allowed: tuple[str, ...]) -> str:
    """Return `value` if allowed, else raise a ValueError naming the argument and the choices."""
    if value in allowed:
        return value
    hint = did_you_mean(value, allowed)
    suffix = ";" + hint if hint else ""
    raise ValueError(f"{kind}: {value!r} is not one of {', '.join(allowed)}{suffix}")


def slug(text: str) -> str:
    """'Two spirals, Adam' -> 'two-spirals-adam': a name made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "run"
