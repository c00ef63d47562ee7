"""The weights of every epoch of a run, for replay (``weights_history.npz``).

:class:`WeightHistory` keeps a copy of the weights at each recorded epoch (row 0: the initial
weights) within a memory budget. When the next copy would exceed it, every other kept epoch
is dropped and only every 2nd (then 4th, …) epoch is kept from then on, so the kept epochs
stay evenly spaced over the run; the latest epoch is always kept.
"""

from __future__ import annotations

import numpy as np

#: Bytes of weight copies a run keeps by default (``RunOptions.history_budget``).
HISTORY_BUDGET = 256 * 1024 * 1024


class WeightHistory:
    """Weight copies ``(theta, stats)`` by epoch, thinned evenly to ``budget`` bytes."""

    def __init__(self, budget: int = HISTORY_BUDGET):
        self.budget = int(budget)
        self.stride = 1
        self._kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._latest: tuple[int, tuple[np.ndarray, np.ndarray]] | None = None
        self._stacked: tuple = (None, None)  # (stack_of, what it gave) until the next change

    def add(self, epoch: int, weights: tuple[np.ndarray, np.ndarray]) -> None:
        """The weights at the end of ``epoch`` (copies the caller no longer changes)."""
        size = weights[0].nbytes + weights[1].nbytes
        self._stacked = (None, None)
        self._latest = (epoch, weights)
        if epoch % self.stride:
            return
        while self._kept and (len(self._kept) + 2) * size > self.budget and self.stride < 2**62:
            self.stride *= 2
            self._kept = {e: w for e, w in self._kept.items() if e % self.stride == 0}
            if epoch % self.stride:
                return
        self._kept[epoch] = weights

    def truncate(self, epoch: int) -> None:
        """Forget the epochs after ``epoch`` (undone)."""
        self._stacked = (None, None)
        self._kept = {e: w for e, w in self._kept.items() if e <= epoch}
        if self._latest is not None and self._latest[0] > epoch:
            self._latest = None

    def epochs(self) -> np.ndarray:
        kept = dict(self._kept)
        if self._latest is not None:
            kept.setdefault(*self._latest)
        return np.array(sorted(kept), dtype=np.int64)

    def stacked(self, stack_of) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(epochs, {name: array stacked over them}); ``stack_of(copies)`` names the stacked
        weight copies (a list, in epoch order) by parameter. Asked again with the same
        ``stack_of`` and nothing added, it returns the same arrays (treat them as read-only)."""
        if self._stacked[0] is stack_of:
            return self._stacked[1]
        kept = dict(self._kept)
        if self._latest is not None:
            kept.setdefault(*self._latest)
        epochs = sorted(kept)
        out = (np.array(epochs, dtype=np.int64), stack_of([kept[e] for e in epochs]) if epochs
               else {})
        self._stacked = (stack_of, out)
        return out
