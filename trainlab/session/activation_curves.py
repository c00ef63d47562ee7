"""The activation functions f and their slopes f′ as the engine computes them (its compiled
``activation_forward`` and ``activation_backward`` kernels on a line of inputs), with the
catalog's formula of each: the activation functions view, and the f′ of the backprop steps."""

from __future__ import annotations

import numpy as np

from trainlab.catalog.choices import CHOICE_HELP
from trainlab.engine.names import ACTIVATION_CODE, ACTIVATIONS

#: Activations that are a function of one number (maxout takes the maximum of k pieces).
PLOTTED = tuple(a for a in ACTIVATIONS if a != "maxout")


def formula(name: str) -> str:
    """The catalog's formula of an activation."""
    return CHOICE_HELP["model.activation"][name][1]


def curves(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f′(x)) of activation ``name`` by the engine's kernels."""
    if name not in PLOTTED:
        raise ValueError(f"activation: {name!r} is not a function of one number")
    from trainlab.engine.activations import activation_backward, activation_forward

    H = np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(-1, 1))
    F = np.empty_like(H)
    arg = np.zeros(H.shape, dtype=np.int64)
    code = ACTIVATION_CODE[name]
    activation_forward(code, H, F, arg, 1)
    dH = np.empty_like(H)
    activation_backward(code, H, F, np.ones_like(H), dH, arg, 1)
    return F[:, 0], dH[:, 0]


def slope(name: str, z: float) -> float:
    """f′(z) of one pre-activation."""
    return float(curves(name, np.array([z]))[1][0])
