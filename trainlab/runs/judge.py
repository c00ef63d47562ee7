"""The decisions a run takes on its history rows (SPEC §10): divergence, early stopping, and
the loss the plateau schedule observes. Pure: numbers in, a :class:`Verdict` out."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

#: ``Verdict.status`` of an epoch the run goes on after.
GO_ON = "running"


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What an epoch's row decides: ``status`` is ``"running"``, ``"diverged"`` or
    ``"early_stopped"`` (then ``message`` says why); ``improved``: a new best epoch."""

    status: str = GO_ON
    message: str = ""
    improved: bool = False

    @property
    def ends(self) -> bool:
        return self.status != GO_ON


_BETTER, _SAME = Verdict(improved=True), Verdict()  # the verdicts of most epochs (frozen)


def diverged_in_steps(epoch: int, lr: float) -> Verdict:
    """A step of ``epoch`` met a non-finite loss or gradient (the step was not applied)."""
    return Verdict("diverged", f"Training diverged in epoch {epoch}: the loss or a gradient "
                               f"became infinite or NaN (learning rate {lr:g}). Try a smaller "
                               "learning rate, gradient clipping, or input scaling.")


def judge_start(train_loss: float, penalty: float, finite_weights: bool = True) -> Verdict:
    """Row 0: the initial weights must give a finite loss and penalty. The scaled data are
    known to be finite (:func:`~trainlab.runs.diagnosis.check_scaled_splits`), so the message
    blames the term that is not finite: the weights themselves, the penalty, or the data loss
    (inputs through the initial weights)."""
    if math.isfinite(train_loss) and math.isfinite(penalty) and finite_weights:
        return Verdict()
    if not finite_weights:
        cause = ("the initial weights themselves are infinite or NaN. Try a smaller init scale "
                 "or another initialization.")
    elif not math.isfinite(penalty):
        cause = ("the penalty (l1·Σ|w| + ½·l2·Σw²) is infinite with the initial weights. Try "
                 "a smaller regularization.l1 / l2 or a smaller init scale.")
    else:
        cause = ("the data loss is infinite or NaN with the initial weights (the scaled data "
                 "and the penalty are finite): the initial weights are too large for these "
                 "inputs. Try a smaller init scale or another initialization.")
    return Verdict("diverged", f"The loss is not a finite number even before training: {cause}")


class EpochJudge:
    """Judges each epoch's row in turn. The monitored loss is the validation loss (the
    training loss without a validation split); it goes to ``observe(epoch - 1, loss)`` (the
    schedule's plateau observation) and counts for early stopping: an improvement is a drop
    by more than ``min_delta`` (any drop when early stopping is off)."""

    def __init__(self, early_stopping, has_validation: bool,
                 observe: Callable[[int, float], None] | None = None):
        self.es, self.has_validation, self.observe = early_stopping, has_validation, observe
        self.best_loss, self.best_epoch, self.bad_epochs = math.inf, None, 0

    def __call__(self, epoch: int, lr: float, train_loss: float, val_loss: float,
                 finite_weights: bool) -> Verdict:
        if not (math.isfinite(train_loss) and finite_weights):
            return Verdict("diverged", f"Training diverged in epoch {epoch}: the weights or the "
                                       f"loss became infinite or NaN (learning rate {lr:g}). "
                                       "Try a smaller learning rate, gradient clipping, or "
                                       "input scaling.")
        es = self.es
        monitored = val_loss if self.has_validation else train_loss
        if self.observe is not None:
            self.observe(epoch - 1, monitored)
        improved = monitored < self.best_loss - (es.min_delta if es.enabled else 0.0)
        if improved:
            self.best_loss, self.best_epoch, self.bad_epochs = monitored, epoch, 0
        else:
            self.bad_epochs += 1
        if es.enabled and self.bad_epochs >= es.patience:
            which = "validation" if self.has_validation else "training"
            return Verdict("early_stopped",
                           f"Early stopping after epoch {epoch}: the {which} loss has not "
                           f"improved for {es.patience} epochs (best at epoch "
                           f"{self.best_epoch}).", improved)
        return _BETTER if improved else _SAME
