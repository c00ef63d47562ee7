"""The per-epoch record of a run: one row per evaluation, row 0 for the initial weights."""

from __future__ import annotations

import numpy as np

from trainlab.runs.health import health_columns


def history_columns(n_layers: int, task: str) -> list[str]:
    """Column names in metrics.csv order for a net with `n_layers` dense layers.

    `task` is "classification" (accuracy columns) or "regression" (R² columns).
    """
    metric = "acc" if task == "classification" else "r2"
    return (
        ["epoch", "lr", "train_loss", "val_loss", f"train_{metric}", f"val_{metric}", "penalty"]
        + [f"w_norm_{l}" for l in range(1, n_layers + 1)]
        + [f"g_norm_{l}" for l in range(1, n_layers + 1)]
        + ["seconds"]
        + health_columns(n_layers)  # dead_l, saturated_l, zero_w_l (trainlab.runs.health)
    )


class History:
    """Preallocated, growing columns of floats (NaN where a value does not apply).

    ``history["train_loss"]`` is a read-only view of the rows recorded so far; ``len(history)``
    is the number of rows. Appending never moves the rows already there in a way a reader can
    see: a reader that holds an old view keeps valid data.
    """

    def __init__(self, columns: list[str], capacity: int = 128):
        self.columns = list(columns)
        self._index = {name: i for i, name in enumerate(self.columns)}
        self._data = np.full((max(int(capacity), 1), len(self.columns)), np.nan)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def __getitem__(self, name: str) -> np.ndarray:
        view = self._data[: self._n, self._index[name]]
        view.flags.writeable = False
        return view

    def append(self, row: dict[str, float]) -> None:
        unknown = set(row) - set(self._index)
        if unknown:
            raise KeyError(f"unknown history columns: {sorted(unknown)}")
        self._room(self._n + 1)
        for name, value in row.items():
            self._data[self._n, self._index[name]] = value
        self._n += 1

    def extend(self, rows: np.ndarray) -> None:
        """Whole rows at once: an array with one column per column of the history, in order."""
        k = rows.shape[0]
        if rows.ndim != 2 or rows.shape[1] != len(self.columns):
            raise ValueError(f"rows of {len(self.columns)} columns expected, got {rows.shape}")
        need = self._n + k
        self._room(need)
        self._data[self._n:need] = rows
        self._n = need

    def _room(self, rows: int) -> None:
        """Room for ``rows`` rows, doubling (into a new array: views handed out stay)."""
        if rows > self._data.shape[0]:
            grown = np.full((max(rows, 2 * self._data.shape[0]), len(self.columns)), np.nan)
            grown[: self._n] = self._data[: self._n]
            self._data = grown

    def column_index(self, name: str) -> int:
        return self._index[name]

    def row(self, i: int) -> dict[str, float]:
        return {name: float(self._data[i, j]) for j, name in enumerate(self.columns)}

    def as_dict(self) -> dict[str, np.ndarray]:
        """A copy of every column."""
        return {name: self._data[: self._n, j].copy() for j, name in enumerate(self.columns)}

    @classmethod
    def from_dict(cls, columns: dict[str, np.ndarray]) -> History:
        names = list(columns)
        n = len(next(iter(columns.values()))) if columns else 0
        history = cls(names, capacity=max(n, 1))
        for j, name in enumerate(names):
            history._data[:n, j] = np.asarray(columns[name], dtype=float)
        history._n = n
        return history


class BatchLosses:
    """The data loss of every optimizer step's mini-batch (before its update), in step order:
    a growing float32 array. ``array()`` is a read-only view of the losses so far."""

    def __init__(self, capacity: int = 1024):
        self._data = np.zeros(max(int(capacity), 1), dtype=np.float32)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def extend(self, values: np.ndarray) -> None:
        n = self._n + values.size
        if n > self._data.size:
            grown = np.zeros(max(n, 2 * self._data.size), dtype=np.float32)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        with np.errstate(over="ignore"):  # a diverging run's losses become inf in float32
            self._data[self._n:n] = values
        self._n = n

    def truncate(self, n: int) -> None:
        """Forget the losses of steps past the first ``n`` (steps undone)."""
        self._n = min(self._n, max(int(n), 0))

    def array(self) -> np.ndarray:
        view = self._data[: self._n]
        view.flags.writeable = False
        return view
