"""Optimizers (SPEC §6) as small engine objects; the math lives in ``optimizers_kernel``.

An :class:`Optimizer` holds its hyperparameters and its state (zeros at the start). Use it on a
:class:`~trainlab.engine.Network` or on a plain dict of arrays::

    opt = Optimizer("adam", lr=0.01)
    loss, grads = net.loss_and_gradients(X, y, loss="cross_entropy")
    opt.step(net, grads)                 # or opt.step(params_dict, grads), updated in place

``opt.lr`` may be changed between steps (that is what schedules do). Only weight matrices
(names ``W1``, ``W2``, …) get AdamW/LAMB weight decay. Gradient clipping (SPEC §5) is
``clip_norm`` here, applied before the update.
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.catalog.knobs import default
from trainlab.catalog.names import OPTIMIZER_CODE, OPTIMIZERS, Hyper, check_name
from trainlab.engine.optimizers_kernel import clip_by_norm, clip_global_norm, optimizer_update


def _check_unit(name: str, value: float, allow_zero: bool = True) -> float:
    ok = (0.0 <= value < 1.0) if allow_zero else (0.0 < value < 1.0)
    if not ok:
        raise ValueError(f"{name}: must be in [0, 1), got {value}")
    return float(value)


class Optimizer:
    """One of sgd, momentum, adagrad, rmsprop, adam, adamw, lamb.

    Parameters and where they apply: ``lr`` η (all); ``momentum`` μ (momentum; rmsprop: > 0
    adds a momentum buffer); ``nesterov`` (momentum); ``beta1``, ``beta2`` (adam, adamw,
    lamb); ``eps`` ε; ``rho`` ρ (rmsprop); ``weight_decay`` λ_wd (adamw, lamb; weights only).
    Defaults are PyTorch's, from the catalog (``trainlab.catalog.knobs``); those of
    ``momentum`` and ``eps`` depend on the optimizer (None: that default).
    """

    def __init__(self, name: str = "sgd", lr: float = default("optimizer.lr"), *,
                 momentum: float | None = None, nesterov: bool = default("optimizer.nesterov"),
                 beta1: float = default("optimizer.beta1"),
                 beta2: float = default("optimizer.beta2"), eps: float | None = None,
                 rho: float = default("optimizer.rho"),
                 weight_decay: float = default("optimizer.weight_decay"),
                 clip_norm: float | None = default("regularization.clip_norm")):
        self.name = check_name("optimizer", name, OPTIMIZERS)
        self.code = OPTIMIZER_CODE[name]
        if momentum is None:
            momentum = default("optimizer.momentum", name)
        if eps is None:
            eps = default("optimizer.eps", name)
        if not eps > 0:
            raise ValueError(f"eps: must be > 0, got {eps}")
        if weight_decay < 0:
            raise ValueError(f"weight_decay: must be >= 0, got {weight_decay}")
        if clip_norm is not None and not clip_norm > 0:
            raise ValueError(f"clip_norm: must be > 0 or None, got {clip_norm}")
        if not (lr > 0 and np.isfinite(lr)):
            raise ValueError(f"lr: must be > 0, got {lr}")
        self.hyper = np.zeros(len(Hyper))
        self.lr = lr
        self.hyper[Hyper.MU] = _check_unit("momentum", momentum)
        self.hyper[Hyper.NESTEROV] = 1.0 if nesterov else 0.0
        self.hyper[Hyper.BETA1] = _check_unit("beta1", beta1)
        self.hyper[Hyper.BETA2] = _check_unit("beta2", beta2)
        self.hyper[Hyper.EPS] = eps
        self.hyper[Hyper.RHO] = _check_unit("rho", rho)
        self.hyper[Hyper.WD] = weight_decay
        self.clip_norm = clip_norm
        self.t = np.zeros(1, dtype=np.int64)  # step count (shared with the kernels)
        self._state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def lr(self) -> float:
        return float(self.hyper[Hyper.LR])

    @lr.setter
    def lr(self, value: float) -> None:
        # a schedule may reach exactly 0 (cosine, polynomial at e >= T)
        if not (value >= 0 and np.isfinite(value)):
            raise ValueError(f"lr: must be >= 0, got {value}")
        self.hyper[Hyper.LR] = value

    @property
    def steps(self) -> int:
        return int(self.t[0])

    def reset(self) -> None:
        self.t[0] = 0
        self._state = None

    def state_for(self, n: int, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The three state vectors (allocated on first use, zeros)."""
        if self._state is None or self._state[0].size != n or self._state[0].dtype != dtype:
            self._state = (np.zeros(n, dtype), np.zeros(n, dtype), np.zeros(n, dtype))
        return self._state

    def step(self, target, grads: dict[str, np.ndarray]) -> None:
        """One update of ``target`` (a Network, or a dict name → array, in place)."""
        from trainlab.engine.network import Network

        if isinstance(target, Network):
            theta = target.theta
            flat_grad = target.flatten_grads(grads)
            tensors = target.tensor_table
        else:
            names = list(target)
            if set(grads) != set(names):
                raise ValueError(f"grads: keys {sorted(grads)} do not match {sorted(names)}")
            dtype = np.result_type(*[np.asarray(target[k]).dtype for k in names])
            sizes = [np.asarray(target[k]).size for k in names]
            offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
            theta = np.concatenate([np.asarray(target[k], dtype).ravel() for k in names])
            flat_grad = np.concatenate(
                [np.asarray(grads[k], dtype).ravel() for k in names]).astype(dtype)
            tensors = np.array([[offsets[i], sizes[i], 1 if k.startswith("W") else 0]
                                for i, k in enumerate(names)], dtype=np.int64).reshape(-1, 3)
        s1, s2, s3 = self.state_for(theta.size, theta.dtype)
        if isinstance(target, Network):  # the norm summed as the training kernels sum it
            from trainlab.engine.kernels import grad_sumsq

            clip_by_norm(flat_grad, self.clip_norm or 0.0,
                         math.sqrt(grad_sumsq(flat_grad, target.lt)))
        else:
            clip_global_norm(flat_grad, self.clip_norm or 0.0)
        self.t[0] += 1
        optimizer_update(self.code, theta, flat_grad, s1, s2, s3, self.hyper,
                         int(self.t[0]), tensors)
        if not isinstance(target, Network):
            for i, k in enumerate(names):
                target[k][...] = theta[offsets[i]:offsets[i + 1]].reshape(np.shape(target[k]))
