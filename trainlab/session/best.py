"""The best epoch of a run so far and early stopping's patience counter, read from its history
the way the run judges its epochs: the monitored loss is the validation loss (the training loss
without a validation split); an epoch improves on the best when its loss is lower by more than
``min_delta`` (by anything when early stopping is off); the counter is the number of epochs
since the last improvement."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class BestEpoch:
    epoch: int                 # as in metrics.csv: the first trained epoch is 1
    loss: float
    monitored: str             # "val_loss" or "train_loss"
    since: int                 # epochs since the best one
    patience: int | None       # early stopping's patience, None when it is off


def best_epoch(history: Any, rows: int | None, early_stopping: dict | None) -> BestEpoch | None:
    """The best trained epoch among the first ``rows`` rows of ``history`` (all: None), or
    None before the first trained epoch."""
    n = len(history["epoch"]) if rows is None else rows
    if n < 2:
        return None
    es = early_stopping or {}
    enabled = bool(es.get("enabled"))
    delta = float(es.get("min_delta") or 0.0) if enabled else 0.0
    val = np.asarray(history["val_loss"][1:n], dtype=float) if "val_loss" in history else None
    if val is not None and np.isfinite(val).any():
        column, losses = "val_loss", val
    else:
        column, losses = "train_loss", np.asarray(history["train_loss"][1:n], dtype=float)
    best, best_i = math.inf, None
    if delta == 0.0:
        finite = np.where(np.isfinite(losses), losses, np.inf)
        i = int(np.argmin(finite))  # the first of equal minima, as a strict "<" keeps it
        if np.isfinite(finite[i]):
            best, best_i = float(finite[i]), i
    else:
        for i, loss in enumerate(losses):
            if loss < best - delta:
                best, best_i = float(loss), i
    if best_i is None:
        return None
    epochs = history["epoch"]
    return BestEpoch(epoch=int(epochs[best_i + 1]), loss=best, monitored=column,
                     since=len(losses) - 1 - best_i,
                     patience=int(es["patience"]) if enabled else None)


def best_text(best: BestEpoch) -> str:
    """'best: epoch 41' and, with early stopping, '· no better for 3 of 10 epochs'."""
    text = f"best: epoch {best.epoch}"
    if best.patience is not None:
        text += f" · no better for {best.since} of {best.patience}"
    return text
