"""Weights set by hand (RunControl.set_weights while paused, a preset's ``changes`` with
``weights``): checked like every preset key, set in the parameters the run trains at an epoch
boundary (the optimizer's state kept), recorded in the run's preset, and trained again from
that preset bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pytest

import trainlab.runs.evaluation as evaluation
from trainlab.engine import Network
from trainlab.presets import PresetError, validate_preset
from trainlab.runs.control import RunControl
from trainlab.runs.fit import Fit, RunHooks
from trainlab.runs.loop import train
from trainlab.runs.options import RunOptions
from trainlab.runs.prepared import prepare
from trainlab.runs.recorder import RunRecorder

from .helpers import assert_same_run, preset, train_in_thread, train_with_pause

QUICK = preset(data={"source": "moons", "n_samples": 80}, model={"hidden": [8]},
               optimizer={"name": "adam", "lr": 0.01},
               training={"epochs": 200, "batch_size": 16})  # 56 training rows: 4 steps/epoch
EDIT = {"W1": [[0, 3, 2.5]], "b2": [[1, -0.75]]}
WAIT = 60  # seconds a wait may take on a very busy machine before the test fails
MODES = pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "one_at_a_time"])


def changed(weights: dict, epoch: int = 3) -> dict:
    return preset(QUICK, changes=[{"epoch": epoch, "weights": weights}])


# ---- checked like every preset key ---------------------------------------------------------


@pytest.mark.parametrize("weights, says", [
    ({"W9": [[0, 1, 1.0]]},
     "changes.0.weights.W9: unknown parameter; did you mean 'W2'? (this network has W1, b1, "
     "W2, b2)"),
    ({"w1": [[0, 1, 1.0]]},
     "changes.0.weights.w1: unknown parameter; did you mean 'W1'? (this network has W1, b1, "
     "W2, b2)"),
    ({"W1": [[0, 8, 1.0]]},
     "changes.0.weights.W1.0: index [0, 8] is outside W1's shape (inputs, 8)"),
    ({"b1": [[-1, 1.0]]}, "changes.0.weights.b1.0: index [-1] is outside b1's shape (8,)"),
    ({"b1": [[0, float("nan")]]},
     "changes.0.weights.b1.0: the value must be a finite number, got NaN"),
    ({"W2": [[0, 1, float("inf")]]},
     "changes.0.weights.W2.0: the value must be a finite number, got Infinity"),
    ({"b1": [[0, 1, 2.0]]},
     "changes.0.weights.b1.0: an entry of b1 (shape (8,)) is [index, value], got [0, 1, 2.0]"),
    ({"W1": [[0.5, 1, 1.0]]},
     "changes.0.weights.W1.0: the indices of [row, column, value] must be whole numbers, got "
     "[0.5, 1]"),
    ({"W1": []}, "changes.0.weights.W1: must be a non-empty list of entries [row, column, "
                 "value]"),
    ({}, 'changes.0: sets nothing: give "set" (keys and values), "weights" (parameters and '
         'entries) or both'),
])
def test_a_weight_change_in_a_preset_is_checked(weights, says):
    with pytest.raises(PresetError) as error:
        validate_preset(changed(weights))
    assert str(error.value).splitlines() == [f"preset: {says}"]


def test_the_data_decides_the_input_and_output_widths_at_the_start_of_a_run():
    validate_preset(changed({"W1": [[2, 0, 1.0]], "W2": [[0, 2, 1.0]]}))  # widths unknown yet
    with pytest.raises(PresetError) as error:
        prepare(changed({"W1": [[2, 0, 1.0]], "W2": [[0, 2, 1.0]]}))  # moons: 2 in, 2 out
    assert str(error.value).splitlines() == [
        "preset: changes.0.weights.W1.0: index [2, 0] is outside W1's shape (2, 8)",
        "preset: changes.0.weights.W2.0: index [0, 2] is outside W2's shape (8, 2)"]


def test_set_weights_needs_a_paused_run_and_checks_names_indices_and_values():
    control = RunControl()
    with pytest.raises(ValueError, match="only while the run is paused"):
        control.set_weights(EDIT)
    with pytest.raises(ValueError, match="once the run has started"):
        RunControl(paused=True).set_weights(EDIT)
    control = RunControl(paused=True)
    thread, _ = train_in_thread(QUICK, control, None)
    try:
        assert control.wait_parked(WAIT)
        with pytest.raises(ValueError) as error:
            control.set_weights({"W9": [[0, 0, 1.0]], "W1": [[2, 0, 1.0]],
                                 "b2": [[0, float("inf")]]})
        assert str(error.value).splitlines() == [
            "W9: unknown parameter; did you mean 'W2'? (this network has W1, b1, W2, b2)",
            "W1.0: index [2, 0] is outside W1's shape (2, 8)",
            "b2.0: the value must be a finite number, got Infinity"]
        control.resume()
        with pytest.raises(ValueError, match="only while the run is paused"):
            control.set_weights(EDIT)
    finally:
        control.stop()
        thread.join(WAIT)


# ---- set in the parameters the run trains ------------------------------------------------------


def test_a_planned_weight_change_lands_in_the_trained_parameters_at_its_epoch():
    fit = Fit(prepare(changed(EDIT, epoch=3)),
              RunHooks(None, RunControl(), RunRecorder(None)), RunOptions())
    before = fit.net.params
    state = [s.copy() for s in fit.runner.state]
    assert fit.apply_changes(epoch=2) and fit.live.log == []  # not due yet
    assert fit.apply_changes(epoch=3)
    after = fit.net.params
    assert after["W1"][0, 3] == 2.5 and after["b2"][1] == -0.75
    after["W1"][0, 3], after["b2"][1] = before["W1"][0, 3], before["b2"][1]
    for name in before:  # nothing else moved
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)
    for kept, now in zip(state, fit.runner.state, strict=True):  # nor the optimizer's state
        np.testing.assert_array_equal(kept, now)
    assert fit.live.log == [{"epoch": 3, "weights": EDIT}]


@MODES
def test_the_epoch_after_the_edit_trains_from_the_edited_weight(compiled):
    """Full-batch SGD: one epoch is one step, so the weights after the epoch are the edited
    ones minus η times their gradient (recomputed here from the network's public call)."""
    lr = 0.1
    data = preset(QUICK, optimizer={"name": "sgd", "lr": lr, "momentum": 0.0},
                  training={"epochs": 6, "batch_size": 1000})
    control, seen = RunControl(paused=True), {}

    def callback(p):
        seen["params"], seen["changes"] = p.params(), p.changes

    thread, out = train_in_thread(data, control, callback, RunOptions(compiled_epochs=compiled))
    for _ in range(2):
        assert control.wait_parked(WAIT)
        control.step_epoch()
    assert control.wait_parked(WAIT)
    at_2 = seen["params"]
    control.set_weights(EDIT)
    control.step_epoch()
    assert control.wait_parked(WAIT)
    at_3 = seen["params"]
    assert seen["changes"] == [{"epoch": 3, "weights": EDIT}]
    control.resume()
    thread.join(WAIT)

    run = prepare(data)
    net = Network([2, 8, 2], seed=0)
    edited = dict(at_2)
    edited["W1"] = at_2["W1"].copy()
    edited["b2"] = at_2["b2"].copy()
    edited["W1"][0, 3], edited["b2"][1] = 2.5, -0.75
    net.set_params(edited)
    _, grads = net.loss_and_gradients(run.splits.X_train, run.splits.y_train)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(at_3[name], edited[name] - lr * grads[name], rtol=1e-12,
                                   atol=1e-15, err_msg=name)
    assert abs(at_3["W1"][0, 3] - 2.5) < 0.1 and abs(at_2["W1"][0, 3] - 2.5) > 0.5


def test_a_pipelined_run_records_the_epoch_measured_ahead_before_it_sets_the_weights(
        monkeypatch):
    monkeypatch.setattr(evaluation, "PIPELINE_MIN_SECONDS", 0.0)  # evaluate every epoch in
    monkeypatch.setattr(evaluation, "cpus_available", lambda: 2)  # the second thread
    submitted = []
    original = evaluation.EpochPipeline.submit
    monkeypatch.setattr(evaluation.EpochPipeline, "submit",
                        lambda self, measure, end: submitted.append(end.epoch)
                        or original(self, measure, end))
    data = preset(changed(EDIT, epoch=5), training={"epochs": 8})
    piped = train(data, write_files=False, options=RunOptions(compiled_epochs=False))
    assert 4 in submitted  # epoch 4 was measured while the weights were set for epoch 5
    plain = train(data, write_files=False,
                  options=RunOptions(compiled_epochs=False, pipeline=False))
    assert_same_run(piped, plain)
    unedited = train(preset(QUICK, training={"epochs": 8}), write_files=False)
    np.testing.assert_array_equal(piped.history["train_loss"][:5],
                                  unedited.history["train_loss"][:5])
    assert piped.history["train_loss"][5] != unedited.history["train_loss"][5]


# ---- recorded, and trained again bit for bit ---------------------------------------------------


@MODES
def test_a_weight_set_while_paused_is_recorded_and_the_written_preset_reproduces_the_run(
        tmp_path, compiled):
    options = RunOptions(compiled_epochs=compiled)
    live = train_with_pause(QUICK, lambda control: control.set_weights(EDIT), 10, options,
                            out_dir=tmp_path / "live")
    (entry,) = live.preset["changes"]
    e = entry["epoch"]
    assert entry == {"epoch": e, "weights": EDIT} and 11 <= e <= 200
    written = json.loads((tmp_path / "live" / "preset.json").read_text())
    assert written["changes"] == [entry]
    again = train(tmp_path / "live" / "preset.json", out_dir=tmp_path / "again",
                  options=options)
    assert_same_run(live, again)
    np.testing.assert_array_equal(live.batch_loss, again.batch_loss)
    assert json.loads((tmp_path / "again" / "preset.json").read_text())["changes"] == [entry]
    plain = train(QUICK, write_files=False, options=options)
    np.testing.assert_array_equal(live.history["train_loss"][:e], plain.history["train_loss"][:e])
    assert live.history["train_loss"][e] != plain.history["train_loss"][e]  # it took effect


@MODES
def test_a_weight_set_within_an_epoch_is_set_at_the_end_of_that_epoch(compiled):
    control, options = RunControl(paused=True), RunOptions(compiled_epochs=compiled)
    seen = {}

    def callback(p):
        seen["changes"], seen["steps"] = p.changes, p.total_steps

    data = preset(QUICK, training={"epochs": 6})
    thread, out = train_in_thread(data, control, callback, options)
    assert control.wait_parked(WAIT)
    control.step_epoch()
    for _ in range(2):  # two of epoch 2's four updates
        assert control.wait_parked(WAIT)
        control.step_update()
    assert control.wait_parked(WAIT)
    control.set_weights(EDIT)
    control.step_update()  # the third update of epoch 2: still the old weights
    assert control.wait_parked(WAIT)
    assert seen["steps"] == 7 and seen["changes"] == []
    control.step_update()  # the last update of epoch 2; the edit is set at its end
    assert control.wait_parked(WAIT)
    control.resume()
    thread.join(WAIT)
    live = out["result"]
    assert live.preset["changes"] == [{"epoch": 3, "weights": EDIT}]
    assert_same_run(live, train(live.preset, write_files=False, options=options))


def test_settings_and_weights_of_one_boundary_make_one_change_later_entries_winning(tmp_path):
    def act(control):
        control.set_weights(EDIT)
        control.change({"optimizer.lr": 0.001})
        control.set_weights({"W1": [[0, 3, -1.0], [1, 0, 0.5]]})

    live = train_with_pause(QUICK, act, 4, out_dir=tmp_path / "r")
    (entry,) = live.preset["changes"]
    assert entry == {"epoch": entry["epoch"], "set": {"optimizer.lr": 0.001},
                     "weights": {"W1": [[0, 3, -1.0], [1, 0, 0.5]], "b2": [[1, -0.75]]}}
    assert_same_run(live, train(tmp_path / "r" / "preset.json", write_files=False))
