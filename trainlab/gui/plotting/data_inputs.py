"""What the data view computes, without Qt: its mode, class probabilities, confusion counts,
and which inputs it draws (the raw inputs when the net sees features computed from them)."""

from __future__ import annotations

from typing import Any

import numpy as np


def pick_mode(task: str, n_inputs: int) -> str:
    if task == "classification":
        return "boundary" if n_inputs == 2 else "confusion"
    return "fit_curve" if n_inputs == 1 else "pred_vs_true"


def class_probabilities(P: Any) -> np.ndarray:
    """``(n, K)`` probabilities; a single column (or a 1-D array) is P(class 1) of a binary net."""
    P = np.asarray(P, dtype=float)
    if P.ndim == 1:
        P = P[:, None]
    if P.shape[1] == 1:
        return np.column_stack([1.0 - P[:, 0], P[:, 0]])
    return P


def confusion_counts(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """``C[i, j]`` = number of samples of true class ``i`` predicted as class ``j``."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return counts


def as_2d(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    return y[:, None] if y.ndim == 1 else y


def padded_range(values: np.ndarray, margin: float) -> tuple[float, float]:
    """The finite values' range widened by ``margin`` of it on each side."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    span = hi - lo if hi > lo else 1.0
    return lo - margin * span, hi + margin * span


def as_rows(X: Any) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return X.reshape(len(X), -1) if X.ndim != 2 else X


def shows_raw(splits: Any) -> bool:
    """Whether the net sees computed features of the raw inputs (then the raw plane is drawn)."""
    return getattr(splits, "features", None) is not None and \
        getattr(splits, "raw_inputs", None) is not None


def shown_inputs(splits: Any, index: int) -> np.ndarray:
    """The inputs drawn of split ``index`` (0 train, 1 validation): the raw ones with
    computed features, else the net's."""
    if shows_raw(splits):
        return as_rows(splits.raw_inputs[index])
    return as_rows((splits.X_train, splits.X_val)[index])


def net_inputs(splits: Any, X: np.ndarray) -> np.ndarray:
    """The net's inputs at points ``X`` of the plane or line drawn."""
    return np.asarray(splits.inputs_from_raw(X)) if shows_raw(splits) else np.array(X, copy=True)
