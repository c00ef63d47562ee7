"""The in-memory data set every source produces: features, targets and their names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainlab.data.errors import DataError

TASKS = ("classification", "regression")


@dataclass
class Dataset:
    """A whole data set before splitting.

    * ``X`` - features, float64 of shape ``(n, d)``.
    * ``y`` - classification: int64 labels ``0..K-1`` of shape ``(n,)``;
      regression: float64 of shape ``(n, m)`` (m = 1 for every built-in source).
    * ``n_classes`` - K for classification, 0 for regression.
    * ``class_names`` - one name per label (classification), ``[]`` for regression.
    * ``name`` - human-readable title, e.g. ``"two spirals"``.
    * ``features`` - the ``data.features`` setting that made ``X`` from ``raw_X`` (the source's
      own inputs, named ``raw_names``); None when ``X`` is the raw inputs (``raw_X`` None).

    Arrays are converted to the dtypes above on construction; inconsistent shapes raise
    :class:`DataError`.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int
    feature_names: list[str]
    target_name: str
    class_names: list[str] = field(default_factory=list)
    name: str = ""
    features: Any = None
    raw_X: np.ndarray | None = None
    raw_names: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.task not in TASKS:
            raise DataError(f"task: {self.task!r} is not one of {', '.join(TASKS)}")
        self.X = np.ascontiguousarray(self.X, dtype=np.float64)
        if self.X.ndim != 2:
            raise DataError(f"X must be 2-D (samples, features), got shape {self.X.shape}")
        n, d = self.X.shape
        if self.task == "classification":
            self.y = np.ascontiguousarray(self.y, dtype=np.int64)
            if self.y.ndim != 1:
                raise DataError(f"classification labels must be 1-D, got shape {self.y.shape}")
            self.n_classes = int(self.n_classes)
            if self.n_classes < 2:
                raise DataError(f"classification needs at least 2 classes, got {self.n_classes}")
            if self.y.size and (self.y.min() < 0 or self.y.max() >= self.n_classes):
                raise DataError(f"labels must lie in 0..{self.n_classes - 1}")
            if not self.class_names:
                self.class_names = [str(k) for k in range(self.n_classes)]
            self.class_names = [str(c) for c in self.class_names]
            if len(self.class_names) != self.n_classes:
                raise DataError(
                    f"{len(self.class_names)} class names for {self.n_classes} classes"
                )
        else:
            self.y = np.asarray(self.y, dtype=np.float64)
            if self.y.ndim == 1:
                self.y = self.y.reshape(-1, 1)
            if self.y.ndim != 2:
                raise DataError(f"regression targets must be (n, m), got shape {self.y.shape}")
            self.y = np.ascontiguousarray(self.y)
            self.n_classes = 0
            self.class_names = []
        if self.y.shape[0] != n:
            raise DataError(f"X has {n} rows but y has {self.y.shape[0]}")
        self.feature_names = [str(f) for f in self.feature_names]
        if len(self.feature_names) != d:
            raise DataError(f"{len(self.feature_names)} feature names for {d} features")

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])
