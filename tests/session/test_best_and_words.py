"""The best epoch and patience as the run judges them, and the status words."""

from __future__ import annotations

import numpy as np

from trainlab.session.best import best_epoch, best_text
from trainlab.session.progress import lr_words, progress_words


def _history(val):
    n = len(val)
    return {"epoch": np.arange(n), "val_loss": np.array(val, float),
            "train_loss": np.ones(n), "lr": np.full(n, 0.001)}


def test_best_epoch_counts_improvements_by_more_than_min_delta():
    h = _history([9, 5, 4, 4.5, 3.99, 4.2])
    es = {"enabled": True, "patience": 3, "min_delta": 0.05}
    best = best_epoch(h, None, es)
    assert (best.epoch, best.since, best.patience) == (2, 3, 3)  # 3.99 is not 0.05 better
    assert best_text(best) == "best: epoch 2 · no better for 3 of 3"
    off = best_epoch(h, None, None)
    assert (off.epoch, off.since, off.patience) == (4, 1, None)
    assert best_epoch(h, 1, None) is None  # row 0 alone: nothing trained yet


def test_progress_and_learning_rate_in_words():
    assert progress_words(41, 300) == "epoch 41 of 300"
    assert progress_words(41, 300, 12, 14) == "epoch 41 of 300 · update 12 of 14"
    assert progress_words(1200, 20000, 0, 14) == "epoch 1,200 of 20,000"
    assert lr_words(_history([1, 2]), 2) == "η = 0.001"
    assert lr_words(_history([1, 2]), 0) == ""
