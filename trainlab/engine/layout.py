"""Where every tensor of a network lives in the flat buffers the kernels share.

All learned parameters sit in one flat vector ``theta`` (gradients in one of the same shape),
so an optimizer step is one loop over memory and a layer is a reshaped slice. Batch-norm
running statistics live in a second flat vector ``stats``. One row of the integer table
``lt`` describes one dense layer (columns below); ``-1`` marks a part the layer does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.engine.names import ACTIVATION_CODE

# Columns of the layer table.
FAN_IN, DENSE_W, OUT_W, ACT, OFF_W, OFF_B, OFF_GAMMA, OFF_BETA, OFF_MEAN, OFF_VAR = range(10)
CUM_H, CUM_A, PIECES = 10, 11, 12
N_COLS = 13


@dataclass(frozen=True)
class Tensor:
    name: str
    shape: tuple[int, ...]
    offset: int
    learned: bool   # in theta (True) or in stats (False)
    is_weight: bool  # a dense weight matrix W_l: penalties and weight decay apply

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))


def build_layout(sizes: list[int], activations: list[str], batch_norm: bool, pieces: int):
    """Return (layer table, tensors, n_theta, n_stats, h_units, a_units).

    ``sizes`` = [d0, d1, …, dL]; ``activations`` has one name per hidden layer. A maxout layer
    of width d computes ``pieces·d`` dense outputs. ``h_units`` and ``a_units`` are the
    per-row widths of the pre-activation and activation workspaces.
    """
    n_layers = len(sizes) - 1
    lt = np.full((n_layers, N_COLS), -1, dtype=np.int64)
    tensors: list[Tensor] = []
    n_theta = n_stats = 0
    cum_h = 0
    cum_a = sizes[0]  # activation workspace starts with the input batch A_0
    for l in range(n_layers):
        hidden = l < n_layers - 1
        act = activations[l] if hidden else None
        k = pieces if act == "maxout" else 1
        fan_in, out_w = sizes[l], sizes[l + 1]
        dense_w = k * out_w
        lt[l, FAN_IN], lt[l, DENSE_W], lt[l, OUT_W], lt[l, PIECES] = fan_in, dense_w, out_w, k
        lt[l, ACT] = ACTIVATION_CODE[act] if hidden else -1
        lt[l, OFF_W] = n_theta
        tensors.append(Tensor(f"W{l + 1}", (fan_in, dense_w), n_theta, True, True))
        n_theta += fan_in * dense_w
        lt[l, OFF_B] = n_theta
        tensors.append(Tensor(f"b{l + 1}", (dense_w,), n_theta, True, False))
        n_theta += dense_w
        if hidden and batch_norm:
            for part, offset in (("gamma", OFF_GAMMA), ("beta", OFF_BETA)):  # trained
                lt[l, offset] = n_theta
                tensors.append(Tensor(f"bn{l + 1}_{part}", (dense_w,), n_theta, True, False))
                n_theta += dense_w
            for part, offset in (("mean", OFF_MEAN), ("var", OFF_VAR)):  # running statistics
                lt[l, offset] = n_stats
                tensors.append(Tensor(f"bn{l + 1}_{part}", (dense_w,), n_stats, False, False))
                n_stats += dense_w
        lt[l, CUM_H] = cum_h
        cum_h += dense_w
        lt[l, CUM_A] = cum_a if hidden else -1
        if hidden:
            cum_a += out_w
    return lt, tensors, n_theta, n_stats, cum_h, cum_a
