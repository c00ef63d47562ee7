"""Weight initialization (SPEC §3). Biases start at 0; batch norm γ=1, β=0, mean 0, var 1."""

from __future__ import annotations

import numpy as np

from trainlab.catalog.knobs import default
from trainlab.catalog.names import INITS, RELU_FAMILY, check_name


def resolve_init(init: str, activation: str) -> str:
    """``auto`` = he_normal for the relu family, xavier_uniform otherwise."""
    check_name("init", init, INITS)
    if init != "auto":
        return init
    return "he_normal" if activation in RELU_FAMILY else "xavier_uniform"


def draw_weights(init: str, fan_in: int, fan_out: int, rng: np.random.Generator,
                 scale: float = default("model.init_scale")) -> np.ndarray:
    """A (fan_in, fan_out) float64 matrix drawn by the named rule (not ``auto``)."""
    shape = (fan_in, fan_out)
    if init == "xavier_uniform":
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, shape)
    if init == "xavier_normal":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), shape)
    if init == "he_uniform":
        a = np.sqrt(6.0 / fan_in)
        return rng.uniform(-a, a, shape)
    if init == "he_normal":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
    if init == "lecun_normal":
        return rng.normal(0.0, np.sqrt(1.0 / fan_in), shape)
    if init == "uniform":
        return rng.uniform(-scale, scale, shape)
    if init == "normal":
        return rng.normal(0.0, scale, shape)
    if init == "zeros":
        return np.zeros(shape)
    raise ValueError(f"init: {init!r} is not one of {', '.join(INITS)}")
