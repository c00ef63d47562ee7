"""Feature scaling fitted on the training split: X' = (X − offset) / scale, column by column."""

from __future__ import annotations

import numpy as np

from trainlab.catalog.data import SCALINGS
from trainlab.data.errors import DataError, check_choice

__all__ = ["SCALINGS", "Scaler"]


class Scaler:
    """Per-column affine scaling ``X' = (X − offset) / scale``.

    * ``standardize``: offset = column mean, scale = column standard deviation (population,
      ddof = 0); a constant column gets scale 1, so it becomes all zeros.
    * ``minmax``: offset = column minimum, scale = max − min, mapping the training range to
      [0, 1]; a constant column gets scale 1 (it becomes all zeros).
    * ``none``: offset 0, scale 1.

    ``offset`` and ``scale`` are float64 arrays of shape ``(d,)`` once :meth:`fit` has run.
    """

    def __init__(self, kind: str = "standardize"):
        self.kind = check_choice("data.scaling", kind, SCALINGS)
        self.offset: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def fit(self, X) -> Scaler:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[0] == 0:
            raise DataError(f"data.scaling: needs a 2-D array with at least one row, got {X.shape}")
        d = X.shape[1]
        if self.kind == "standardize":
            offset, scale = X.mean(axis=0), X.std(axis=0)
        elif self.kind == "minmax":
            offset = X.min(axis=0)
            scale = X.max(axis=0) - offset
        else:
            offset, scale = np.zeros(d), np.ones(d)
        self.offset = offset
        self.scale = np.where(scale > 0.0, scale, 1.0)
        return self

    def _fitted(self) -> tuple[np.ndarray, np.ndarray]:
        if self.offset is None or self.scale is None:
            raise RuntimeError("Scaler used before fit()")
        return self.offset, self.scale

    def transform(self, X) -> np.ndarray:
        offset, scale = self._fitted()
        return (np.asarray(X, dtype=np.float64) - offset) / scale

    def inverse_transform(self, X) -> np.ndarray:
        offset, scale = self._fitted()
        return np.asarray(X, dtype=np.float64) * scale + offset

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def to_dict(self) -> dict:
        """Plain lists, for saving next to a model's weights."""
        offset, scale = self._fitted()
        return {"kind": self.kind, "offset": offset.tolist(), "scale": scale.tolist()}

    @classmethod
    def from_dict(cls, state: dict) -> Scaler:
        scaler = cls(state["kind"])
        scaler.offset = np.asarray(state["offset"], dtype=np.float64)
        scaler.scale = np.asarray(state["scale"], dtype=np.float64)
        return scaler

    def __repr__(self) -> str:
        return f"Scaler({self.kind!r}, fitted={self.offset is not None})"
