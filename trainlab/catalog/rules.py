"""Rules between knobs: batch norm and batch rows, the loss against the task, output width.

Plain functions of plain values, so that the preset checks, the run layer, the engine and the
window ask the same question the same way.
"""

from __future__ import annotations

from trainlab.catalog.data import CLASSIFICATION, REGRESSION
from trainlab.catalog.names import CLASSIFICATION_LOSSES, REGRESSION_LOSSES

#: Batch norm divides by a batch's spread: a batch (and a training split, and every k-fold
#: training part) needs at least this many rows.
BATCH_NORM_MIN_ROWS = 2

#: The loss the window switches to when the data's task changes under a loss that cannot fit.
DEFAULT_LOSS = {CLASSIFICATION: "cross_entropy", REGRESSION: "mse"}


def batch_norm_fits(batch_norm: bool, rows: int) -> bool:
    """Whether a batch (or split) of `rows` rows can train a net with(out) batch norm."""
    return not batch_norm or rows >= BATCH_NORM_MIN_ROWS


def losses_for(task: str) -> tuple[str, ...]:
    """The losses that can train on data of `task`."""
    return REGRESSION_LOSSES if task == REGRESSION else CLASSIFICATION_LOSSES


def loss_mismatch(loss: str, task: str | None, n_classes: int | None, what: str) -> str:
    """Why `loss` cannot train on data of `task` with `n_classes` classes ('' when it can;
    None for what is not known yet). `what` names the data in the message ("'iris'")."""
    if task == REGRESSION and loss in CLASSIFICATION_LOSSES:
        return (
            f"'{loss}' needs a classification data set, but {what} is regression "
            f"(a numeric target); use one of {', '.join(REGRESSION_LOSSES)}"
        )
    if task == CLASSIFICATION and loss in REGRESSION_LOSSES:
        return (
            f"'{loss}' needs a regression data set, but {what} is classification; "
            "use cross_entropy (or bce for two classes)"
        )
    if task == CLASSIFICATION and n_classes is not None and n_classes < 2:
        return f"classification needs at least 2 classes, but {what} has {n_classes}"
    if loss == "bce" and task == CLASSIFICATION and n_classes not in (None, 2):
        return f"'bce' needs exactly 2 classes, but {what} has {n_classes}; use cross_entropy"
    return ""


def output_width(loss: str, n_classes: int, target_columns: int) -> int:
    """Units of the output layer the engine builds: one logit per class for cross-entropy,
    one logit for bce (two classes), one unit per target column for regression."""
    if loss == "cross_entropy":
        return int(n_classes)
    if loss == "bce":
        return 1
    return int(target_columns)
