"""Qt-free models of pacing, the curves' x axis, live-change marks and replay
(trainlab/session/pace.py, timebase.py, live_marks.py, replay.py)."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.runs.pacing import speed_named
from trainlab.session.live_marks import change_label, change_marks
from trainlab.session.pace import PacedSteps, speed_or_default, speed_words
from trainlab.session.replay import Replay
from trainlab.session.timebase import StepAnchors, anchors_from_length, batch_x, x_of_epochs


class FakeControl:
    """Records what the pace grants; ``parked`` says whether the run waits."""

    def __init__(self):
        self.parked, self.run_over = True, False
        self.updates = self.epochs = 0

    def wait_parked(self, timeout=None):
        return self.parked

    def step_update(self):
        self.updates += 1

    def step_epoch(self):
        self.epochs += 1


def test_one_update_per_second_grants_at_that_rate():
    pace, control = PacedSteps(speed_named("1 update/s")), FakeControl()
    assert pace.tick(control, 10.0) == 1  # the first at once
    assert [pace.tick(control, t) for t in (10.2, 10.5, 10.99)] == [0, 0, 0]
    assert pace.tick(control, 11.0) == 1
    control.parked = False  # a step under way: nothing more, and no frame counted
    assert pace.tick(control, 12.5) == 0
    control.parked = True
    assert pace.tick(control, 13.0) == 2  # what fell due meanwhile
    assert control.updates == pace.granted == 4
    assert pace.tick(control, 14.0, ready=False) == 0  # the window has not drawn the last


def test_per_frame_speeds_grant_one_step_per_parked_frame():
    pace, control = PacedSteps(speed_named("1 epoch per frame")), FakeControl()
    for t in range(5):
        pace.tick(control, float(t))
    control.parked = False
    pace.tick(control, 6.0)
    assert control.epochs == 5 and control.updates == 0
    fastest = PacedSteps(speed_named("fastest"))
    assert not fastest.paced and fastest.tick(control, 1.0) == 0


def test_speed_words_and_unknown_labels():
    assert speed_words(speed_named("fastest")) == "as fast as possible"
    assert speed_words(speed_named("1 update/s")) == "1 update per second"
    assert speed_or_default("warp 9").fastest and speed_or_default(None).fastest


def test_anchors_place_epochs_and_mini_batches():
    anchors = StepAnchors()
    anchors.note(1, 3, 3)
    anchors.note(2, 6, 3)
    anchors.note(2, 6, 3)  # the same epoch again: nothing new
    np.testing.assert_allclose(anchors.steps_at([0, 0.5, 2, 4]), [0, 1.5, 6, 12])
    # Update i of 3 per epoch ends at i/3 on the epoch axis; later ones extrapolate.
    np.testing.assert_allclose(batch_x("epochs", 9, None, anchors), np.arange(1, 10) / 3)
    np.testing.assert_allclose(batch_x("updates", 4, None, anchors), [1, 2, 3, 4])
    history = {"epoch": np.array([0.0, 1, 2]), "seconds": np.array([0.0, 0.5, 2.5])}
    np.testing.assert_allclose(x_of_epochs("seconds", np.array([0, 1, 1.5, 2]), history, None),
                               [0, 0.5, 1.5, 2.5])
    np.testing.assert_allclose(batch_x("seconds", 3, history, anchors), [1 / 6, 1 / 3, 0.5])
    # A batch-size change: 3 updates in epoch 1, then 5 a epoch.
    changed = anchors_from_length(1, 3)
    changed.note(3, 13)
    np.testing.assert_allclose(changed.steps_at([1, 2, 3]), [3, 8, 13])
    np.testing.assert_allclose(changed.epoch_of_steps([3, 8, 13]), [1, 2, 3])


def test_unknown_updates_fall_back_to_epochs():
    np.testing.assert_allclose(x_of_epochs("updates", np.arange(3), None, StepAnchors()),
                               [0, 1, 2])


def test_change_marks_stand_where_the_new_values_began():
    changes = [{"epoch": 41, "set": {"optimizer.lr": 0.001}},
               {"epoch": 60, "set": {"optimizer.momentum": 0.5, "training.batch_size": 8}}]
    assert change_marks(changes) == [(40.0, "η = 0.001"), (59.0, "μ = 0.5, batch = 8")]
    assert change_label({"set": {"regularization.clip_norm": None}}) == "clip = off"
    assert change_marks(None) == []


def test_replay_gives_the_kept_epochs_weights_and_their_predictions():
    from trainlab.presets import default_preset, preset_to_dict

    preset = preset_to_dict(default_preset())
    preset["model"]["hidden"] = [3]
    rng = np.random.default_rng(0)
    stacked = {"W1": rng.normal(size=(3, 2, 3)), "b1": rng.normal(size=(3, 3)),
               "W2": rng.normal(size=(3, 3, 2)), "b2": rng.normal(size=(3, 2))}
    replay = Replay(preset, np.array([0, 2, 4]), stacked)
    assert len(replay) == 3 and replay.index_of(3) in (1, 2) and replay.index_of(9) == 2
    X = rng.normal(size=(5, 2))
    for i in range(3):
        W1, b1, W2, b2 = (stacked[n][i] for n in ("W1", "b1", "W2", "b2"))
        act = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[preset["model"]["activation"]]
        z = act(X @ W1 + b1) @ W2 + b2
        p = np.exp(z - z.max(1, keepdims=True))
        np.testing.assert_allclose(replay.predictor(i)(X), p / p.sum(1, keepdims=True),
                                   rtol=1e-10)
    with pytest.raises(ValueError, match="no kept epochs"):
        Replay(preset, np.array([], dtype=int), {})
