"""The epoch judge's decisions (SPEC §10) on hand-made rows, without the engine."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from trainlab.runs.judge import EpochJudge, diverged_in_steps, judge_start


def early_stopping(enabled=True, patience=2, min_delta=0.0):
    return SimpleNamespace(enabled=enabled, patience=patience, min_delta=min_delta)


def judge_losses(judge, val_losses, train_loss=1.0):
    """Judge epochs 1, 2, ... with these validation losses; the verdicts."""
    return [judge(e, 0.1, train_loss, v, True) for e, v in enumerate(val_losses, start=1)]


def test_early_stopping_after_patience_epochs_without_improvement():
    judge = EpochJudge(early_stopping(patience=2), has_validation=True)
    verdicts = judge_losses(judge, [1.0, 0.8, 0.9, 0.85])
    assert [v.improved for v in verdicts] == [True, True, False, False]
    assert [v.ends for v in verdicts] == [False, False, False, True]
    assert verdicts[-1].status == "early_stopped"
    assert verdicts[-1].message == ("Early stopping after epoch 4: the validation loss has not "
                                    "improved for 2 epochs (best at epoch 2).")
    assert (judge.best_epoch, judge.best_loss, judge.bad_epochs) == (2, 0.8, 2)


def test_an_improvement_must_beat_min_delta():
    judge = EpochJudge(early_stopping(patience=3, min_delta=0.1), has_validation=True)
    verdicts = judge_losses(judge, [1.0, 0.95, 0.91, 0.7])
    # 0.95 and 0.91 are within 0.1 of the best (1.0); 0.7 is not
    assert [v.improved for v in verdicts] == [True, False, False, True]
    assert judge.best_epoch == 4 and judge.bad_epochs == 0


def test_without_early_stopping_any_drop_counts_and_the_run_goes_on():
    judge = EpochJudge(early_stopping(enabled=False, patience=1, min_delta=0.5),
                       has_validation=True)
    verdicts = judge_losses(judge, [1.0, 0.99, 2.0, 3.0, 4.0])
    assert [v.improved for v in verdicts] == [True, True, False, False, False]
    assert not any(v.ends for v in verdicts)
    assert judge.best_epoch == 2


def test_without_a_validation_split_the_training_loss_is_monitored_and_observed():
    seen = []
    judge = EpochJudge(early_stopping(patience=1), has_validation=False,
                       observe=lambda e, loss: seen.append((e, loss)))
    v1 = judge(1, 0.1, 0.5, math.nan, True)
    v2 = judge(2, 0.1, 0.7, math.nan, True)
    assert seen == [(0, 0.5), (1, 0.7)]  # the schedule hears epoch - 1 and the loss
    assert v1.improved and v2.ends
    assert "the training loss has not improved for 1 epochs" in v2.message


@pytest.mark.parametrize("train_loss, finite", [(math.inf, True), (math.nan, True),
                                                (0.3, False)])
def test_a_non_finite_loss_or_weights_is_divergence(train_loss, finite):
    seen = []
    judge = EpochJudge(early_stopping(), True, observe=lambda e, loss: seen.append(e))
    verdict = judge(3, 0.25, train_loss, 0.3, finite)
    assert verdict.status == "diverged" and verdict.ends
    assert verdict.message.startswith("Training diverged in epoch 3: the weights or the loss")
    assert "learning rate 0.25" in verdict.message
    assert seen == []  # a diverged row is not observed by the schedule


def test_row_0_and_steps():
    assert not judge_start(0.7, 0.0).ends
    assert judge_start(math.inf, 0.0).status == "diverged"
    assert judge_start(0.7, math.nan).status == "diverged"
    v = diverged_in_steps(5, 3.0)
    assert v.status == "diverged" and v.message.startswith(
        "Training diverged in epoch 5: the loss or a gradient became infinite or NaN "
        "(learning rate 3)")
