"""Learning-rate schedules (SPEC §7): η for epoch e, with optional linear warm-up.

Usage, once per epoch::

    schedule = Schedule("step", lr=0.1, gamma=0.5, step_size=10)
    for e in range(epochs):
        eta = schedule.lr(e)            # every step of epoch e uses eta
        ...train...
        schedule.observe(e, val_loss)   # only `plateau` looks at it
"""

from __future__ import annotations

import math

from trainlab.catalog.knobs import default
from trainlab.catalog.names import SCHEDULE_UNITS, SCHEDULES, check_name

PLATEAU_THRESHOLD = 1e-4  # relative threshold, mode "min" (PyTorch ReduceLROnPlateau)


class Schedule:
    """η(e) per SPEC §7.

    Parameters (each used only by the schedules named):
    ``gamma`` (step, exponential), ``step_size`` s (step), ``decay`` k (inverse_time),
    ``power`` p and ``T`` (polynomial), ``power`` p (inverse_power), ``T`` and ``min_lr``
    η_min (cosine),
    ``factor``, ``patience``, ``cooldown``, ``min_lr`` (plateau), ``warmup_epochs`` W (all):
    for e < W, η = η₀·(e+1)/W; afterwards the schedule runs with e − W in place of e.
    ``per`` says what e counts: "epoch", or "step" (optimizer updates, from 0; W, s and T
    count updates too; not for plateau). :meth:`lr` takes the count either way.
    Defaults are the catalog's (``trainlab.catalog.knobs``).
    """

    def __init__(self, name: str = default("schedule.name"), lr: float = default("optimizer.lr"),
                 *, warmup_epochs: int = default("schedule.warmup_epochs"),
                 gamma: float = default("schedule.gamma"),
                 step_size: int = default("schedule.step_size"),
                 decay: float = default("schedule.decay"), power: float = default("schedule.power"),
                 T: int = default("schedule.T"), min_lr: float = default("schedule.min_lr"),
                 factor: float = default("schedule.factor"),
                 patience: int = default("schedule.patience"),
                 cooldown: int = default("schedule.cooldown"),
                 per: str = default("schedule.per")):
        self.name = check_name("schedule", name, SCHEDULES)
        self.per = check_name("per", per, SCHEDULE_UNITS)
        if per == "step" and name == "plateau":
            raise ValueError("per: the plateau schedule reads the validation loss once an "
                             "epoch; it cannot count updates (use per='epoch')")
        if not lr > 0:
            raise ValueError(f"lr: must be > 0, got {lr}")
        if warmup_epochs < 0:
            raise ValueError(f"warmup_epochs: must be >= 0, got {warmup_epochs}")
        if name == "step" and step_size < 1:
            raise ValueError(f"step_size: must be >= 1, got {step_size}")
        if name in ("polynomial", "cosine") and T < 1:
            raise ValueError(f"T: must be >= 1, got {T}")
        self.lr0 = float(lr)
        self.warmup_epochs = int(warmup_epochs)
        self.gamma, self.step_size, self.decay = float(gamma), int(step_size), float(decay)
        self.power, self.T, self.min_lr = float(power), int(T), float(min_lr)
        self.factor, self.patience, self.cooldown = float(factor), int(patience), int(cooldown)
        self.reset()

    def reset(self) -> None:
        self._plateau_lr = self.lr0
        self._best = math.inf
        self._bad_epochs = 0
        self._cooldown_left = 0

    def lr(self, e: int) -> float:
        """η for epoch e (0-based; update e with ``per="step"``)."""
        W = self.warmup_epochs
        if e < W:
            return self.lr0 * (e + 1) / W
        e -= W
        n, lr0 = self.name, self.lr0
        if n == "constant":
            return lr0
        if n == "step":
            return lr0 * self.gamma ** (e // self.step_size)
        if n == "exponential":
            return lr0 * self.gamma ** e
        if n == "inverse_sqrt":
            return lr0 / math.sqrt(e + 1)
        if n == "inverse_time":
            return lr0 / (1.0 + self.decay * e)
        if n == "polynomial":
            return lr0 * (1.0 - min(e, self.T) / self.T) ** self.power
        if n == "inverse_power":
            return lr0 / (1.0 + e) ** self.power
        if n == "cosine":
            return self.min_lr + (lr0 - self.min_lr) * (
                1.0 + math.cos(math.pi * min(e, self.T) / self.T)) / 2.0
        return self._plateau_lr  # plateau

    def observe(self, e: int, loss: float) -> None:
        """Feed the monitored loss of epoch e (only ``plateau`` uses it, after warm-up)."""
        if self.name != "plateau" or e < self.warmup_epochs:
            return
        if loss < self._best * (1.0 - PLATEAU_THRESHOLD):
            self._best = loss
            self._bad_epochs = 0
        else:
            self._bad_epochs += 1
        if self._cooldown_left > 0:
            self._cooldown_left -= 1
            self._bad_epochs = 0
        if self._bad_epochs > self.patience:
            self._plateau_lr = max(self._plateau_lr * self.factor, self.min_lr)
            self._cooldown_left = self.cooldown
            self._bad_epochs = 0
