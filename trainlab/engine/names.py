"""The vocabulary of the engine: every name a preset, the CLI or the GUI may use.

Plain Python (no Numba), so that validation code can import it cheaply. The integer codes are
what the compiled kernels branch on.
"""

from __future__ import annotations

import difflib

ACTIVATIONS = (
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu", "softplus",
    "maxout",
)
INITS = (
    "auto", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal",
    "uniform", "normal", "zeros",
)
LOSSES = ("mse", "mae", "huber", "bce", "cross_entropy")
REGRESSION_LOSSES = ("mse", "mae", "huber")
CLASSIFICATION_LOSSES = ("bce", "cross_entropy")
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw", "lamb")
SCHEDULES = (
    "constant", "step", "exponential", "inverse_sqrt", "inverse_time", "polynomial", "cosine",
    "plateau",
)
DTYPES = ("float64", "float32")

ACTIVATION_CODE = {name: i for i, name in enumerate(ACTIVATIONS)}
LOSS_CODE = {name: i for i, name in enumerate(LOSSES)}
OPTIMIZER_CODE = {name: i for i, name in enumerate(OPTIMIZERS)}

#: Activations for which ``init="auto"`` picks he_normal (SPEC §3); xavier_uniform otherwise.
RELU_FAMILY = ("relu", "leaky_relu", "elu")


def did_you_mean(value: str, allowed: tuple[str, ...] | list[str]) -> str:
    """`" did you mean 'relu'?"` when `value` is close to one allowed name, else `""`."""
    close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.6)
    return f" did you mean '{close[0]}'?" if close else ""


def check_name(kind: str, value: str, allowed: tuple[str, ...]) -> str:
    """Return `value` if allowed, else raise a ValueError naming the argument and the choices."""
    if value in allowed:
        return value
    hint = did_you_mean(value, allowed)
    suffix = ";" + hint if hint else ""
    raise ValueError(f"{kind}: {value!r} is not one of {', '.join(allowed)}{suffix}")
