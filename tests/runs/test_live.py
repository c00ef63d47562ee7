"""Pacing and live changes: single updates, mini-batch losses, changes recorded in the
preset and reproduced bit for bit, the weight history, the Pacer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainlab.catalog import KNOBS
from trainlab.presets import PresetError, validate_preset
from trainlab.runs.control import RunControl
from trainlab.runs.loop import train
from trainlab.runs.options import RunOptions
from trainlab.runs.pacing import SPEEDS, Pacer, speed_named
from trainlab.runs.replay import WeightHistory

from .helpers import assert_same_run, preset, same_params, train_in_thread, train_with_pause

QUICK = preset(data={"source": "moons", "n_samples": 80}, model={"hidden": [8]},
               optimizer={"name": "adam", "lr": 0.01}, schedule={"name": "cosine", "T": 30},
               training={"epochs": 30, "batch_size": 16})  # 56 training rows: 4 steps/epoch
WAIT = 60  # seconds a wait may take on a very busy machine before the test fails


class Steps:
    """A callback keeping the last report's step counter and batch losses."""

    def __init__(self):
        self.total, self.losses, self.changes = 0, None, []

    def __call__(self, p):
        self.total, self.losses, self.changes = p.total_steps, p.batch_loss, p.changes


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "one_at_a_time"])
def test_step_update_trains_exactly_one_optimizer_step(compiled):
    control, seen = RunControl(paused=True), Steps()
    options = RunOptions(compiled_epochs=compiled)
    thread, out = train_in_thread(QUICK, control, seen, options)
    assert control.wait_parked(WAIT)
    assert seen.total == 0 and len(seen.losses) == 0
    for expected in range(1, 7):  # across the end of the first epoch (4 steps)
        control.step_update()
        assert control.wait_parked(WAIT)
        assert seen.total == expected and len(seen.losses) == expected
    control.step_epoch()  # finishes epoch 2 (steps 7, 8)
    assert control.wait_parked(WAIT)
    assert seen.total == 8
    control.resume()
    thread.join(WAIT)
    stepped = out["result"]
    plain = train(QUICK, write_files=False, options=options)
    assert_same_run(stepped, plain)
    np.testing.assert_array_equal(stepped.batch_loss, plain.batch_loss)


def test_a_parked_run_does_not_move_and_stop_ends_it_without_another_step():
    control, seen = RunControl(), Steps()
    thread, out = train_in_thread(preset(QUICK, training={"epochs": 1_000_000}), control,
                                  seen)
    control.pause()
    assert control.wait_parked(WAIT)
    held = seen.total
    control.stop()
    thread.join(WAIT)
    result = out["result"]
    assert result.status == "stopped"
    assert len(result.batch_loss) == held  # not one step after the pause


def test_batch_losses_are_the_mini_batch_losses_before_each_update(tmp_path):
    # full batch, no dropout: a step's mini-batch loss is the epoch row's training loss of
    # the weights before it, i.e. the previous row's
    full = preset(QUICK, training={"epochs": 5, "batch_size": 1000})
    result = train(full, out_dir=tmp_path / "run")
    assert result.batch_loss.dtype == np.float32 and result.batch_loss.shape == (5,)
    np.testing.assert_allclose(result.batch_loss, result.history["train_loss"][:-1],
                               rtol=1e-6)
    saved = np.load(tmp_path / "run" / "batch_loss.npy", allow_pickle=False)
    np.testing.assert_array_equal(saved, result.batch_loss)
    mini = train(QUICK, write_files=False)
    assert mini.batch_loss.shape == (30 * 4,)


def test_record_batch_loss_off_changes_no_number(tmp_path):
    off = train(preset(QUICK, training={"record_batch_loss": False}), out_dir=tmp_path / "r")
    on = train(QUICK, write_files=False)
    assert off.batch_loss is None and not (tmp_path / "r" / "batch_loss.npy").exists()
    assert_same_run(off, on)


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "one_at_a_time"])
def test_a_live_change_is_recorded_and_the_written_preset_reproduces_the_run(tmp_path,
                                                                             compiled):
    settings = {"optimizer.lr": 0.001, "training.batch_size": 8, "regularization.l2": 0.01,
                "schedule.name": "step", "schedule.step_size": 5}
    options = RunOptions(compiled_epochs=compiled)
    data = preset(QUICK, schedule={"T": 1000}, training={"epochs": 100})
    live = train_with_pause(data, lambda control: control.change(settings), 10, options)
    (entry,) = live.preset["changes"]
    e = entry["epoch"]
    assert entry == {"epoch": e, "set": settings} and 11 <= e <= 100
    lr = live.history["lr"]
    assert lr[e - 1] == pytest.approx(0.01 * 0.5 * (1 + np.cos(np.pi * (e - 2) / 1000)))
    # from epoch e on: the step schedule over the same epoch counter, η₀ = 0.001
    gamma = KNOBS["schedule.gamma"].default
    assert lr[e] == pytest.approx(0.001 * gamma ** ((e - 1) // 5))
    assert len(live.batch_loss) == (e - 1) * 4 + (101 - e) * 7  # 56 rows: batch 16 → 8
    path = tmp_path / "preset.json"
    path.write_text(json.dumps(live.preset))
    again = train(path, out_dir=tmp_path / "again", options=options)
    assert_same_run(live, again)
    np.testing.assert_array_equal(live.batch_loss, again.batch_loss)
    written = json.loads((tmp_path / "again" / "preset.json").read_text())
    assert written["changes"] == [entry]


def test_a_change_while_paused_applies_before_the_next_step():
    control, seen = RunControl(paused=True), Steps()
    thread, out = train_in_thread(QUICK, control, seen)
    assert control.wait_parked(WAIT)
    control.step_epoch()
    assert control.wait_parked(WAIT)
    control.change({"optimizer.lr": 0.5})
    control.step_update()
    assert control.wait_parked(WAIT)
    assert seen.changes == [{"epoch": 2, "set": {"optimizer.lr": 0.5}}]
    control.resume()
    thread.join(WAIT)
    assert out["result"].history["lr"][2] == pytest.approx(0.5 * 0.5 * (1 + np.cos(
        np.pi * 1 / 30)))


@pytest.mark.parametrize("settings, says", [
    ({"model.hidden": [3]}, "model.hidden: cannot change while a run goes"),
    ({"optimizer.lr": -1.0}, "optimizer.lr: must be > 0"),
    ({"optimizer.speed": 1}, "optimizer.speed: unknown key"),
    ({}, "non-empty dict"),
])
def test_a_bad_change_is_refused_to_the_caller(settings, says):
    control = RunControl()
    with pytest.raises(ValueError, match=says):
        control.change(settings)


def test_validate_checks_each_change():
    base = {"format": "trainlab-preset"}
    validate_preset(dict(base, changes=[{"epoch": 2, "set": {"optimizer.lr": 0.1}},
                                        {"epoch": 5, "set": {"model.dropout": 0.2}}]))
    with pytest.raises(PresetError) as error:
        validate_preset(dict(base, changes=[
            {"epoch": 4, "set": {"optimizer.lr": 0}},
            {"epoch": 4, "set": {"data.noise": 0.1}}]))
    text = str(error.value)
    assert "changes.0.set.optimizer.lr: must be > 0" in text
    assert "changes.1.epoch: must be greater than the epoch before (4), got 4" in text
    assert "changes.1.set: data.noise: cannot change while a run goes" in text


def test_weight_history_holds_every_epoch_and_loads_without_pickle(tmp_path):
    result = train(preset(QUICK, training={"epochs": 7}), out_dir=tmp_path / "r",
                   options=RunOptions(save_history=True))
    epochs, arrays = result.weights_history
    np.testing.assert_array_equal(epochs, np.arange(8))
    assert same_params({k: v[0] for k, v in arrays.items()}, result.params_initial)
    assert same_params({k: v[-1] for k, v in arrays.items()}, result.params_final)
    with np.load(tmp_path / "r" / "weights_history.npz", allow_pickle=False) as z:
        np.testing.assert_array_equal(z["epochs"], epochs)
        np.testing.assert_array_equal(z["W1"], arrays["W1"])
        assert z["W1"].shape == (8, *result.params_final["W1"].shape)


def test_weight_history_is_thinned_evenly_within_its_budget():
    one = (np.zeros(10), np.zeros(0))  # 80 bytes a copy
    history = WeightHistory(budget=80 * 10)
    for epoch in range(101):
        history.add(epoch, one)
    kept = history.epochs()
    assert kept.size * 80 <= 80 * 10
    steps = np.diff(kept[:-1])
    assert kept[0] == 0 and kept[-1] == 100 and np.all(steps == steps[0])



@pytest.mark.parametrize("budget", [80 * 10, 80 * 1000])  # thinned within blocks, and not
def test_weight_copies_added_as_blocks_are_those_added_one_by_one(budget):
    rng = np.random.default_rng(4)
    theta, stats = rng.normal(size=(301, 10)), np.zeros((301, 0))
    one_by_one, blocks = WeightHistory(budget), WeightHistory(budget)
    for epoch in range(301):
        one_by_one.add(epoch, (theta[epoch].copy(), stats[epoch]))
    start = 0
    for size in (1, 7, 40, 3, 100, 150):  # the calls of a run: 301 epochs in all
        rows = np.arange(start, start + size)
        blocks.add_rows(rows, theta[rows], stats[rows])
        start += size
    np.testing.assert_array_equal(blocks.epochs(), one_by_one.epochs())
    assert blocks.epochs()[-1] == 300
    stack = lambda t, s: {"W": t}  # noqa: E731
    np.testing.assert_array_equal(blocks.stacked(stack)[1]["W"],
                                  one_by_one.stacked(stack)[1]["W"])
    np.testing.assert_array_equal(blocks.stacked(stack)[1]["W"], theta[blocks.epochs()])
    theta[:] = np.nan  # the history keeps its own copies, the latest one included
    assert np.isfinite(blocks.stacked(stack)[1]["W"]).all()


def test_pacer_grants_updates_by_time_and_frames():
    per_second = Pacer(speed_named("1 update/s"))
    per_second.start(10.0)
    assert [per_second.grant(t) for t in (10.5, 11.0, 13.2, 13.9)] == [0, 1, 2, 0]
    per_frame = Pacer(speed_named("1 epoch per frame"))
    per_frame.start(0.0)
    assert [per_frame.grant(0.0) for _ in range(3)] == [1, 1, 1]
    assert Pacer(speed_named("fastest")).grant(5.0) == 0
    assert [s.label for s in SPEEDS][-1] == "fastest"
    with pytest.raises(ValueError, match="unknown"):
        speed_named("warp")


@pytest.mark.parametrize("label", ["1 update per frame", "1 epoch per frame"])
def test_a_paced_run_gives_the_same_history_and_weights(label):
    data = preset(QUICK, training={"epochs": 6})
    control, seen = RunControl(paused=True), Steps()
    thread, out = train_in_thread(data, control, seen)
    pacer = Pacer(speed_named(label))
    pacer.start(0.0)
    frames = 0
    while frames < 1000:
        assert control.wait_parked(WAIT)
        if control.run_over:
            break
        pacer.apply(control, now=0.0)  # one frame
        frames += 1
    thread.join(WAIT)
    assert frames == (6 * 4 if "update" in label else 6)
    paced = out["result"]
    plain = train(data, write_files=False)
    assert_same_run(paced, plain)
    np.testing.assert_array_equal(paced.batch_loss, plain.batch_loss)
