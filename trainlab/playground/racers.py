"""Racers: one point moving over a surface, one update at a time.

:class:`GradientRacer` feeds a gradient to the engine's own :class:`~trainlab.engine.Optimizer`
(the compiled update that trains networks, ``optimizers_kernel.optimizer_update``): the
analytic gradient of the objective, or (``kind == "finite_difference"``) its central
differences g_k = (F(p + ε·e_k) − F(p − ε·e_k))/2ε. The point is handed to the optimizer as one
weight tensor named ``W1``, so AdamW's decoupled decay and LAMB's λ_wd apply to it, exactly as
``torch.optim`` treats a single parameter tensor. :class:`RandomPerturbationRacer` is the
lectures' "learning by trials": draw δ ~ N(0, σ²I), keep p + δ when F falls.

The objective F is the surface plus the optional penalties of SPEC §4 (λ₁·Σ|p| and
(λ₂/2)·Σp², gradients λ₁·sign(p) and λ₂·p). Gradient noise σ_g adds N(0, σ_g²I) to every
gradient. Schedules count updates: update t (from 0) uses η = schedule.lr(t), and the plateau
schedule observes F after each update. Random draws come from a generator seeded per racer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.catalog.names import Hyper
from trainlab.engine import Optimizer, Schedule
from trainlab.playground.surfaces import Surface

#: A point farther than this from the origin (or a non-finite value) ends a racer: diverged.
DIVERGED = 1e8


class Objective:
    """F(p) = f(p) + λ₁·Σ|p| + (λ₂/2)·Σp² (SPEC §4's penalties), with its gradient."""

    def __init__(self, surface: Surface, l1: float = 0.0, l2: float = 0.0):
        self.surface, self.l1, self.l2 = surface, float(l1), float(l2)

    def value(self, point) -> float:
        p = np.asarray(point, dtype=np.float64)
        return self.surface.loss(p) + self.l1 * np.abs(p).sum() + 0.5 * self.l2 * (p @ p)

    def grad(self, point) -> np.ndarray:
        p = np.asarray(point, dtype=np.float64)
        return self.surface.grad(p) + self.l1 * np.sign(p) + self.l2 * p

    def minima(self) -> np.ndarray:
        """The surface's minima moved by the penalty: proximal gradient descent from each
        (p ← S(p − η·∇g(p), η·λ₁) with g = f + (λ₂/2)·Σp² and S the soft threshold, η
        halved until g falls enough), which lands exactly on an axis where L1 puts it."""
        minima = self.surface.minima()
        if self.l1 == 0 and self.l2 == 0:
            return minima
        found = [_proximal_descent(self, m) for m in minima]
        found.sort(key=self.value)
        return np.array(found).reshape(-1, self.surface.dims)


def _proximal_descent(objective: Objective, start, iterations: int = 5000) -> np.ndarray:
    def smooth(p):
        return objective.surface.loss(p) + 0.5 * objective.l2 * (p @ p)

    p, eta = np.array(start, dtype=np.float64), 1.0
    for _ in range(iterations):
        g = objective.surface.grad(p) + objective.l2 * p
        while True:  # backtracking: the quadratic model must bound g at the new point
            z = p - eta * g
            new = np.sign(z) * np.maximum(np.abs(z) - eta * objective.l1, 0.0)
            d = new - p
            if smooth(new) <= smooth(p) + g @ d + (d @ d) / (2 * eta) + 1e-15 or eta < 1e-12:
                break
            eta /= 2
        p = new
        if np.abs(d).max() < 1e-13:
            break
    return p


@dataclass
class RacerState:
    """What the arrows at a racer's head show, after its latest update (None before any):
    the gradient it used (with noise), its momentum buffer (momentum: b; rmsprop with μ > 0:
    b; adam, adamw, lamb: the first moment m; None for the others) and the step taken."""

    gradient: np.ndarray | None = None
    momentum: np.ndarray | None = None
    step: np.ndarray | None = None
    lr: float | None = None


class Racer:
    """A label, a start, the path so far (``points``, ``losses``) and :meth:`step`."""

    def __init__(self, label: str, objective: Objective, start, schedule: Schedule,
                 seed: tuple[int, ...]):
        self.label, self.objective, self.schedule = label, objective, schedule
        self.seed = seed
        self.reset(start)

    def reset(self, start=None) -> None:
        if start is not None:
            self.start = np.array(start, dtype=np.float64)
        self.point = self.start.copy()
        self.points = [self.point.copy()]
        self.losses = [self.objective.value(self.point)]
        self.state = RacerState()
        self.diverged_at: int | None = None
        self.rng = np.random.default_rng(list(self.seed))
        self.schedule.reset()

    @property
    def updates(self) -> int:
        return len(self.points) - 1

    @property
    def done(self) -> bool:
        return self.diverged_at is not None

    def step(self) -> None:
        """One update (nothing once diverged)."""
        if self.done:
            return
        t = self.updates
        before = self.point.copy()
        with np.errstate(all="ignore"):
            self._update(t, self.schedule.lr(t))
            loss = self.objective.value(self.point)
        self.state.step = self.point - before
        self.points.append(self.point.copy())
        self.losses.append(loss)
        if not (np.isfinite(loss) and np.all(np.abs(self.point) < DIVERGED)):
            self.diverged_at = t + 1
        else:
            self.schedule.observe(t, loss)

    def _update(self, t: int, lr: float) -> None:
        raise NotImplementedError

    def path(self) -> tuple[np.ndarray, np.ndarray]:
        """(points, losses) so far: ``updates + 1`` rows, the start first."""
        return np.array(self.points), np.array(self.losses)


class GradientRacer(Racer):
    """An engine optimizer fed the objective's gradient (analytic or finite differences)."""

    def __init__(self, label, objective, start, schedule, seed, optimizer: Optimizer,
                 noise: float = 0.0, fd_eps: float | None = None):
        self.optimizer, self.noise, self.fd_eps = optimizer, float(noise), fd_eps
        super().__init__(label, objective, start, schedule, seed)

    def reset(self, start=None) -> None:
        super().reset(start)
        self.optimizer.reset()

    def gradient(self, point) -> np.ndarray:
        """∇F at ``point``, or its central differences when ``fd_eps`` is set."""
        if self.fd_eps is None:
            return self.objective.grad(point)
        return finite_difference_gradient(self.objective.value, point, self.fd_eps)

    def _update(self, t: int, lr: float) -> None:
        g = self.gradient(self.point)
        if self.noise > 0:
            g = g + self.noise * self.rng.standard_normal(g.size)
        self.optimizer.lr = lr
        self.optimizer.step({"W1": self.point}, {"W1": g})  # the point moves in place
        self.state.gradient, self.state.lr = g, lr
        self.state.momentum = self._momentum()

    def _momentum(self) -> np.ndarray | None:
        opt = self.optimizer
        s1, s2, _ = opt.state_for(self.point.size, self.point.dtype)
        if opt.name == "momentum" or opt.name in ("adam", "adamw", "lamb"):
            return s1.copy()
        if opt.name == "rmsprop" and opt.hyper[Hyper.MU] > 0:  # b lives in s2
            return s2.copy()
        return None


def finite_difference_gradient(f, point, eps: float) -> np.ndarray:
    """g_k = (f(p + ε·e_k) − f(p − ε·e_k)) / 2ε for every coordinate k."""
    p = np.asarray(point, dtype=np.float64)
    g = np.empty(p.size)
    for k in range(p.size):
        e = np.zeros(p.size)
        e[k] = eps
        g[k] = (f(p + e) - f(p - e)) / (2 * eps)
    return g


class RandomPerturbationRacer(Racer):
    """Learning by trials: δ ~ N(0, σ_t²·I) with σ_t = σ·η(t)/η₀ (the schedule scales the
    trial size); p ← p + δ when F(p + δ) < F(p), else p stays."""

    def __init__(self, label, objective, start, schedule, seed, sigma: float):
        self.sigma = float(sigma)
        super().__init__(label, objective, start, schedule, seed)

    def _update(self, t: int, lr: float) -> None:
        sigma = self.sigma * lr / self.schedule.lr0
        trial = self.point + sigma * self.rng.standard_normal(self.point.size)
        if self.objective.value(trial) < self.objective.value(self.point):
            self.point = trial
        self.state.lr = sigma
