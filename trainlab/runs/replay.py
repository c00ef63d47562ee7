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


#: Bytes of rows a weight history starts with (then doubled as the run goes on).
FIRST_BYTES = 1024 * 1024


class WeightHistory:
    """Weight copies ``(theta, stats)`` by epoch, thinned evenly to ``budget`` bytes.

    The kept copies are rows of two arrays (theta, stats) that grow by doubling, so that a
    run's whole history is already stacked when it ends: :meth:`stacked` cuts it by parameter
    without copying."""

    def __init__(self, budget: int = HISTORY_BUDGET, epochs: int | None = None):
        """``epochs``: how many the run plans (the rows then never outgrow it)."""
        self.budget = int(budget)
        self.planned = None if epochs is None else int(epochs) + 1  # with the initial weights
        self.stride = 1
        self._epochs = np.zeros(0, dtype=np.int64)
        self._rows: tuple[np.ndarray, np.ndarray] | None = None  # (theta rows, stats rows)
        self._n = 0  # rows kept
        self._latest: tuple[int, tuple[np.ndarray, np.ndarray]] | None = None
        self._stacked: tuple = (None, None)  # (stack_of, what it gave) until the next change

    def add(self, epoch: int, weights: tuple[np.ndarray, np.ndarray]) -> None:
        """The weights at the end of ``epoch`` (later epochs come later; the history keeps
        its own copy of the ones it keeps)."""
        size = weights[0].nbytes + weights[1].nbytes
        self._stacked = (None, None)
        self._latest = (epoch, weights)
        if epoch % self.stride:
            return
        while self._n and (self._n + 2) * size > self.budget and self.stride < 2**62:
            self.stride *= 2
            self._keep(self._epochs[:self._n] % self.stride == 0)
            if epoch % self.stride:
                return
        self._room(self._n + 2, weights, size)  # a spare row for the latest epoch
        theta, stats = self._rows
        theta[self._n], stats[self._n] = weights
        self._epochs[self._n] = epoch
        self._n += 1

    def add_rows(self, epochs: np.ndarray, theta_rows: np.ndarray,
                 stats_rows: np.ndarray) -> None:
        """:meth:`add` of each epoch in order, the weights given as rows (copied where kept)."""
        n = len(epochs)
        if n == 0:
            return
        size = theta_rows[0].nbytes + stats_rows[0].nbytes
        keep = np.flatnonzero(epochs % self.stride == 0)
        if (self._n + keep.size + 1) * size > self.budget:  # the history thins within them
            for i in range(n):
                self.add(int(epochs[i]), (theta_rows[i], stats_rows[i]))
        elif keep.size:
            self._room(self._n + keep.size + 1, (theta_rows[0], stats_rows[0]), size)
            theta, stats = self._rows
            end = self._n + keep.size
            if keep.size == n:  # every one kept: no gathering copy
                theta[self._n:end], stats[self._n:end] = theta_rows, stats_rows
            else:
                theta[self._n:end], stats[self._n:end] = theta_rows[keep], stats_rows[keep]
            self._epochs[self._n:end] = epochs[keep]
            self._n = end
        self._stacked = (None, None)
        self._latest = (int(epochs[-1]), (theta_rows[-1].copy(), stats_rows[-1].copy()))

    def _room(self, rows: int, weights, size: int) -> None:
        have = 0 if self._rows is None else self._rows[0].shape[0]
        if rows <= have:
            return
        most = self.budget // size + 2 if size else rows  # rows the budget can ever hold
        if self.planned is not None:
            most = min(most, self.planned + 1)  # and a spare row
        cap = 2 * have if have else FIRST_BYTES // max(size, 1)  # a MB at first
        cap = max(rows, min(cap, most))
        fresh = (np.empty((cap, weights[0].size), weights[0].dtype),
                 np.empty((cap, weights[1].size), weights[1].dtype))
        epochs = np.zeros(cap, dtype=np.int64)
        if self._rows is not None:
            for old, new in zip(self._rows, fresh, strict=True):
                new[:self._n] = old[:self._n]
            epochs[:self._n] = self._epochs[:self._n]
        self._rows, self._epochs = fresh, epochs

    def _keep(self, which: np.ndarray) -> None:
        """Only the kept rows where ``which`` (into new arrays: what was handed out stays)."""
        idx = np.flatnonzero(which)
        fresh = tuple(np.empty_like(r) for r in self._rows)
        for old, new in zip(self._rows, fresh, strict=True):
            new[:idx.size] = old[idx]
        epochs = np.zeros_like(self._epochs)
        epochs[:idx.size] = self._epochs[idx]
        self._rows, self._epochs, self._n = fresh, epochs, idx.size

    def truncate(self, epoch: int) -> None:
        """Forget the epochs after ``epoch`` (undone)."""
        self._stacked = (None, None)
        if self._n and self._epochs[self._n - 1] > epoch:
            self._keep(self._epochs[:self._n] <= epoch)
        if self._latest is not None and self._latest[0] > epoch:
            self._latest = None

    def _latest_extra(self) -> bool:
        """The latest epoch is not a kept row (it fell between two kept ones)."""
        return self._latest is not None and (
            self._n == 0 or self._latest[0] != self._epochs[self._n - 1])

    def epochs(self) -> np.ndarray:
        kept = self._epochs[:self._n]
        if self._latest_extra():
            kept = np.append(kept, self._latest[0])
        return np.array(kept, dtype=np.int64)

    def stacked(self, stack_of) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(epochs, {name: array stacked over them}); ``stack_of(theta_rows, stats_rows)``
        names the columns of the stacked weight copies (one row per kept epoch, in epoch
        order) by parameter. Asked again with the same ``stack_of`` and nothing added, it
        returns the same arrays. They may be views of the history's own rows: treat them as
        read-only, and as valid until the next :meth:`add`."""
        if self._stacked[0] is stack_of:
            return self._stacked[1]
        n = self._n
        if self._latest_extra():  # into the spare row
            epoch, weights = self._latest
            if self._rows is None:
                self._room(1, weights, weights[0].nbytes + weights[1].nbytes)
            self._rows[0][n], self._rows[1][n] = weights
            self._epochs[n] = epoch
            n += 1
        epochs = np.array(self._epochs[:n], dtype=np.int64)
        out = (epochs, stack_of(self._rows[0][:n], self._rows[1][:n]) if n else {})
        self._stacked = (stack_of, out)
        return out
