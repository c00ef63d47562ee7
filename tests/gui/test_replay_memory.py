"""Run ▸ Replay Memory…: the budget of weight copies a run keeps for its replay reaches the
runs started afterwards, thins their kept epochs evenly, and is remembered."""

from __future__ import annotations

import numpy as np

from trainlab.gui.replay_memory import DEFAULT_MB, MB
from trainlab.gui.settings import Settings

from .helpers import tiny_preset, train_to_end

WIDE = {"model__hidden": [256, 256], "training__epochs": 40}  # ~0.5 MB of weights a copy


def _kept(entry):
    epochs, stacked = entry.result.weights_history
    size = sum(a[0].nbytes for a in stacked.values())
    return epochs, size


def test_the_replay_memory_thins_the_kept_epochs_of_the_next_runs(qtbot, window, tmp_path):
    assert window.replay_memory.megabytes == DEFAULT_MB
    epochs, _ = _kept(train_to_end(qtbot, window, tiny_preset(**WIDE)))
    assert list(epochs) == list(range(41))  # all of them fit in the default budget

    window.replay_memory.set_megabytes(8)
    assert window.controller.history_budget == 8 * MB
    epochs, size = _kept(train_to_end(qtbot, window, tiny_preset(**WIDE)))
    assert 16 * size > 8 * MB  # so every epoch would not fit
    assert (len(epochs) - 1) * size <= 8 * MB  # the kept ones do (the latest is always kept)
    assert epochs[0] == 0 and epochs[-1] == 40
    steps = np.diff(epochs[:-1])
    assert steps[0] > 1 and np.all(steps == steps[0])  # thinned evenly
    # remembered: a new window on the same settings file starts with it
    assert Settings(tmp_path / "settings.ini").replay_memory_mb(DEFAULT_MB) == 8


def test_the_setting_stays_within_its_range(window):
    window.replay_memory.set_megabytes(0)
    assert window.replay_memory.megabytes >= 1 and window.controller.history_budget >= MB
    window.replay_memory.set_megabytes(10**9)
    assert window.controller.history_budget == window.replay_memory.megabytes * MB < 10**9 * MB
