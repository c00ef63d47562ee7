"""The x axis of the curves (no Qt here): epochs, optimizer updates or seconds of training.

A history has one row per epoch (row 0: the initial weights) and a ``seconds`` column; the
updates done by the end of each epoch are known from the run's reports (and, for a finished or
opened run, from the length of its mini-batch losses). :class:`StepAnchors` keeps those pairs
and interpolates between them (exact while the steps per epoch stay the same, which only a
live change of the batch size alters).

Mini-batch step ``i`` (1-based) lies inside epoch ``e`` when ``steps(e-1) < i <= steps(e)``;
its position on the epoch axis is ``e - 1 + (i - steps(e-1)) / (steps(e) - steps(e-1))``, a
linear interpolation of the anchors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: The choices of the curves' x axis, with the axis label of each.
X_AXES = {"epochs": "epoch", "updates": "update", "seconds": "seconds of training"}


class StepAnchors:
    """``(epoch, total updates)`` pairs of one run, from (0, 0) on."""

    def __init__(self):
        self.epochs: list[int] = [0]
        self.steps: list[int] = [0]
        self.per_epoch: float | None = None  # the latest steps per epoch, to extrapolate

    def note(self, epoch: int, total_steps: int, steps_per_epoch: int | None = None) -> None:
        """The run had done ``total_steps`` updates when ``epoch`` epochs were done."""
        if steps_per_epoch:
            self.per_epoch = float(steps_per_epoch)
        if epoch <= self.epochs[-1]:
            if epoch == self.epochs[-1] and epoch > 0:
                self.steps[-1] = max(self.steps[-1], int(total_steps))
            return
        self.epochs.append(int(epoch))
        self.steps.append(int(total_steps))

    def known(self) -> bool:
        return len(self.epochs) > 1 or self.per_epoch is not None

    def _slope(self) -> float:
        if self.per_epoch is not None:
            return self.per_epoch
        if len(self.epochs) > 1:
            return (self.steps[-1] - self.steps[0]) / (self.epochs[-1] - self.epochs[0])
        return 1.0

    def steps_at(self, epochs: np.ndarray) -> np.ndarray:
        """Updates done by the end of each of ``epochs`` (may be fractional)."""
        e = np.asarray(epochs, dtype=float)
        out = np.interp(e, self.epochs, self.steps)
        late = e > self.epochs[-1]
        out[late] = self.steps[-1] + (e[late] - self.epochs[-1]) * self._slope()
        return out

    def epoch_of_steps(self, steps: np.ndarray) -> np.ndarray:
        """Position on the epoch axis of update counts ``steps`` (the inverse of steps_at)."""
        s = np.asarray(steps, dtype=float)
        out = np.interp(s, self.steps, self.epochs)
        late = s > self.steps[-1]
        out[late] = self.epochs[-1] + (s[late] - self.steps[-1]) / max(self._slope(), 1e-12)
        return out


def anchors_from_length(epochs: int, n_steps: int) -> StepAnchors:
    """Anchors of a finished run that did ``n_steps`` updates in ``epochs`` epochs."""
    anchors = StepAnchors()
    if epochs > 0 and n_steps > 0:
        anchors.note(epochs, n_steps)
    return anchors


def seconds_at(history: Any, epochs: np.ndarray) -> np.ndarray:
    """Seconds of training at (possibly fractional) epoch positions, from the history."""
    n = len(history["epoch"]) if "epoch" in history else 0
    if n == 0:
        return np.zeros(len(epochs))
    rows = np.asarray(history["epoch"], dtype=float)[:n]
    secs = np.asarray(history["seconds"], dtype=float)[:n]
    ok = np.isfinite(rows) & np.isfinite(secs)
    if not ok.any():
        return np.asarray(epochs, dtype=float)
    return np.interp(np.asarray(epochs, dtype=float), rows[ok], secs[ok])


def x_of_epochs(mode: str, epochs: np.ndarray, history: Any,
                anchors: StepAnchors | None) -> np.ndarray:
    """The x values of epoch positions ``epochs`` on axis ``mode`` (one of :data:`X_AXES`)."""
    epochs = np.asarray(epochs, dtype=float)
    if mode == "updates" and anchors is not None and anchors.known():
        return anchors.steps_at(epochs)
    if mode == "seconds" and history is not None and "seconds" in history:
        return seconds_at(history, epochs)
    return epochs


def batch_x(mode: str, steps: Any, history: Any, anchors: StepAnchors | None) -> np.ndarray:
    """The x values of mini-batch steps ``steps`` (numbers from 1; an int n: 1..n) on axis
    ``mode``."""
    if np.ndim(steps) == 0:
        steps = np.arange(1, int(steps) + 1, dtype=float)
    steps = np.asarray(steps, dtype=float)
    if mode == "updates":
        return steps
    if anchors is None or not anchors.known():
        return steps  # no way to place them on another axis
    epochs = anchors.epoch_of_steps(steps)
    return x_of_epochs(mode, epochs, history, None)
