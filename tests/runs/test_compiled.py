"""Short epochs run many to a compiled call; the run must be the one-epoch-at-a-time run.

Every case is trained with compiled epochs forced on (whatever the epoch length) and with
them off (``RunOptions(compiled_epochs=False, pipeline=False)``), and must agree bit for bit:
history (but the shared-out ``seconds``), weights, best weights, status, message, test
metrics; progress reports must still come once per epoch with that epoch's weights.
"""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

import trainlab.runs.compiled as compiled
import trainlab.runs.evaluation as evaluation
from trainlab.runs.control import RunControl
from trainlab.runs.loop import train
from trainlab.runs.options import RunOptions

from .helpers import (
    EpochLog,
    assert_same_run,
    forward,
    preset,
    same_params,
    train_in_thread,
    weight_names,
)

MOONS = preset(data={"source": "moons", "n_samples": 120, "noise": 0.25},
               model={"hidden": [10, 8], "activation": "tanh"},
               optimizer={"name": "adam", "lr": 0.02},
               training={"epochs": 40, "batch_size": 16})

CASES = {
    "finished": MOONS,
    "dropout_bn_momentum": preset(MOONS, model={"dropout": 0.2, "batch_norm": True},
                                  optimizer={"name": "momentum", "lr": 0.05}),
    "penalties_clip_step_schedule": preset(
        MOONS, regularization={"l1": 0.001, "l2": 0.01, "clip_norm": 0.5},
        schedule={"name": "step", "step_size": 7, "gamma": 0.5, "warmup_epochs": 3}),
    "early_stopped_restore": preset(MOONS, optimizer={"lr": 0.5}, training={
        "epochs": 300, "early_stopping": {"enabled": True, "patience": 3}}),
    "early_stopped_keep_last": preset(MOONS, optimizer={"lr": 0.5}, training={
        "epochs": 300, "early_stopping": {"enabled": True, "patience": 3,
                                          "restore_best": False}}),
    "no_validation_split": preset(MOONS, data={"split": {"train": 0.8, "val": 0.0,
                                                         "test": 0.2}},
                                  training={"early_stopping": {"enabled": True,
                                                               "patience": 4}}),
    "diverged": preset(data={"source": "line", "n_samples": 100}, model={"hidden": [4]},
                       loss={"name": "mse"}, optimizer={"name": "sgd", "lr": 3.0},
                       training={"epochs": 200, "batch_size": 8}),
    "regression_huber": preset(data={"source": "sine", "n_samples": 100},
                               model={"hidden": [8]}, loss={"name": "huber"},
                               training={"epochs": 25, "batch_size": 10}),
    "float32": preset(MOONS, training={"dtype": "float32"}),
    "plateau_schedule": preset(MOONS, optimizer={"lr": 0.3},
                               schedule={"name": "plateau", "patience": 1, "factor": 0.5}),
}


@dataclasses.dataclass
class Calls:
    """What a run with compiled epochs did: compiled calls, work handed to the second
    thread; and how it was asked to run."""

    mode: str
    options: RunOptions
    compiled: int = 0
    handed: int = 0


@pytest.fixture(params=["measured_inline", "measured_alongside"])
def calls(request, monkeypatch):
    """Compiled epochs from the first epoch on, their rows measured in the same call or in
    the second thread while the next call trains; counts the compiled calls."""
    monkeypatch.setattr(compiled, "COMPILED_EPOCH_SECONDS", float("inf"))
    if request.param == "measured_alongside":
        monkeypatch.setattr(evaluation, "cpus_available", lambda: 2)
    count = Calls(request.param, RunOptions(pipeline=request.param == "measured_alongside"))
    original_run = compiled.CompiledEpochs.run
    original_async = evaluation.EpochPipeline.run_async

    def counting(self, *args, **kwargs):
        count.compiled += 1
        return original_run(self, *args, **kwargs)

    def handing(self, *args):
        count.handed += 1
        return original_async(self, *args)

    monkeypatch.setattr(compiled.CompiledEpochs, "run", counting)
    monkeypatch.setattr(evaluation.EpochPipeline, "run_async", handing)
    return count


WAIT = 60  # seconds a wait may take on a very busy machine before the test fails (a hang guard)
ONE_AT_A_TIME = RunOptions(compiled_epochs=False, pipeline=False)


def one_at_a_time(data, **kw):
    return train(data, options=ONE_AT_A_TIME, **kw)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("with_callback", [False, True], ids=["headless", "callback"])
def test_compiled_epochs_give_the_same_run(name, with_callback, calls):
    data = CASES[name]
    kw = {"write_files": False, "callback": (lambda p: None) if with_callback else None}
    fast = train(data, options=calls.options, **kw)
    assert calls.compiled >= 1
    # measured alongside the next call's training, but for plateau (one epoch per call)
    assert (calls.handed > 0) == (calls.mode == "measured_alongside" and "plateau" not in name)
    assert_same_run(fast, one_at_a_time(data, **kw))
    if name.startswith("early"):
        assert fast.status == "early_stopped" and fast.epochs < 300
    if name == "diverged":
        assert fast.status == "diverged"
    if name == "plateau_schedule":
        assert len(set(fast.history["lr"])) > 1  # the schedule did cut η


def test_many_epochs_go_in_one_call(calls):
    result = train(preset(MOONS, training={"epochs": 400}), write_files=False,
                   options=calls.options)
    assert result.epochs == 400
    assert calls.compiled < 100  # not one call per epoch


def test_seconds_grow_with_the_steps(calls):
    result = train(MOONS, write_files=False, options=calls.options)
    s = np.asarray(result.history["seconds"])
    assert s[0] == 0.0 and np.all(np.diff(s) >= 0) and s[-1] > 0
    assert s[-1] == pytest.approx(result.seconds)


def test_each_epoch_report_carries_that_epochs_weights(calls):
    """The reports of a compiled call come after it, yet predict/params give the weights at
    the end of the reported epoch: their norms are that epoch's row."""
    seen = {}
    outputs = {}
    X = np.array([[0.3, -0.2], [1.0, 0.5]])

    def callback(progress):
        if progress.event == "epoch":
            seen[progress.epoch] = progress.params()
            outputs[progress.epoch] = progress.predict(X)
            assert len(progress.history) >= progress.epoch + 1

    result = train(MOONS, callback=callback, write_files=False, options=calls.options)
    assert sorted(seen) == list(range(1, 41))
    h = result.history
    for e, params in seen.items():
        for l, name in enumerate(weight_names(params), start=1):
            assert h[f"w_norm_{l}"][e] == pytest.approx(np.linalg.norm(params[name]),
                                                        rel=1e-12)
        logits = forward(params, X, "tanh")
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        np.testing.assert_allclose(outputs[e], z / z.sum(axis=1, keepdims=True), rtol=1e-10)
    assert same_params(seen[40], result.params_final)


def test_a_stop_from_a_callback_ends_at_the_reported_epoch(calls):
    control = RunControl()

    def callback(progress):
        if progress.event == "epoch" and progress.epoch == 7:
            control.stop()

    data = preset(MOONS, training={"epochs": 100_000})
    result = train(data, callback=callback, control=control, write_files=False,
                   options=calls.options)
    assert result.status == "stopped" and result.epochs == 7
    assert result.message == "Stopped by the user during epoch 8."
    plain = one_at_a_time(preset(MOONS, training={"epochs": 7}), write_files=False)
    assert same_params(result.params_final, plain.params_final)


def test_pause_resume_and_single_epochs(calls):
    # 3000 epochs of 53 steps: long enough (~1 s) that the pause lands before the end
    data = preset(MOONS, data={"n_samples": 1200}, training={"epochs": 3000})
    control = RunControl()
    log = EpochLog()
    epochs = log.epochs
    t, out = train_in_thread(data, control, log, calls.options)
    assert log.wait_for(5)
    control.pause()
    assert control.wait_parked(WAIT) and not control.run_over
    held = len(epochs)  # the loop waits on its condition: nothing moves until resume
    assert held < 3000 and epochs == list(range(1, held + 1))
    for _ in range(3):
        control.step_epoch()
        assert control.wait_parked(WAIT) and not control.run_over
        assert len(epochs) == held + 1  # exactly one more epoch
        held += 1
    control.resume()
    t.join(WAIT)
    result = out["result"]
    assert result.status == "finished"
    assert epochs == list(range(1, 3001))
    assert_same_run(result, one_at_a_time(data, write_files=False))


def test_stop_mid_epoch_is_prompt(calls, monkeypatch):
    """Epochs of 140 000 single-row steps: a stop asked while a compiled call trains epoch 2
    lands between two steps, not at the epoch's end."""
    data = preset(data={"source": "moons", "n_samples": 200_000}, model={"hidden": [64, 64]},
                  optimizer={"name": "sgd", "lr": 0.01},
                  training={"epochs": 20, "batch_size": 1})
    steps_per_epoch = 140_000
    control = RunControl()
    entering = threading.Event()  # a compiled call after epoch 1 is about to train
    counting = compiled.CompiledEpochs.run

    def run(self, *args, **kwargs):
        if control.flag[0] == 0 and log.epochs:
            entering.set()
        return counting(self, *args, **kwargs)

    monkeypatch.setattr(compiled.CompiledEpochs, "run", run)
    log = EpochLog()
    t, out = train_in_thread(data, control, log, calls.options)
    assert entering.wait(WAIT)
    control.stop()  # from the test thread while the kernel trains epoch 2
    t.join(WAIT)
    result = out["result"]
    assert result.status == "stopped" and result.epochs == 1
    assert result.message == "Stopped by the user during epoch 2."
    assert calls.compiled >= 1
    assert len(result.batch_loss) < 2 * steps_per_epoch  # epoch 2 was not trained out


def test_a_latest_only_listener_hears_each_calls_last_epoch_of_the_same_run():
    """``report_every_epoch=False`` (the window's option): fewer reports, the same run; the
    epochs reported still climb to the last one, each with that epoch's weights."""
    long = preset(MOONS, training={"epochs": 400})
    every, latest = EpochLog(), EpochLog()
    weights = {}

    def keep(progress):
        latest(progress)
        if progress.event == "epoch":
            weights[progress.epoch] = progress.params()["W1"].copy()

    a = train(long, write_files=False, callback=every)
    b = train(long, write_files=False, callback=keep,
              options=RunOptions(report_every_epoch=False))
    assert_same_run(a, b)
    assert every.epochs == list(range(1, 401))
    assert 0 < len(latest.epochs) < 400 and latest.epochs[-1] == 400
    assert latest.epochs == sorted(set(latest.epochs))
    history = b.weights_history
    for epoch, w1 in weights.items():
        np.testing.assert_array_equal(w1, history[1]["W1"][epoch])


@pytest.mark.parametrize("name", ["finished", "early_stopped_restore", "diverged"])
def test_a_calls_rows_recorded_as_a_block_write_the_same_files(name, calls, tmp_path):
    """Without a listener for each epoch, a call's rows go to the history, metrics.csv and
    the weight copies as one block: the files are those of the one-at-a-time run (but the
    shared-out ``seconds``), the weight history too."""
    from trainlab.runs.records import read_metrics

    data = CASES[name]
    options = dataclasses.replace(calls.options, save_history=True)
    fast = train(data, tmp_path / "fast", options=options)
    slow = train(data, tmp_path / "slow",
                 options=dataclasses.replace(ONE_AT_A_TIME, save_history=True))
    assert calls.compiled >= 1
    assert_same_run(fast, slow)
    a, b = read_metrics(tmp_path / "fast" / "metrics.csv"), read_metrics(
        tmp_path / "slow" / "metrics.csv")
    assert a.columns == b.columns and len(a) == len(b) == len(fast.history)
    for column in a.columns:
        if column != "seconds":
            np.testing.assert_array_equal(a[column], b[column], err_msg=column)
            np.testing.assert_array_equal(a[column], fast.history[column], err_msg=column)
    (ea, wa), (eb, wb) = fast.weights_history, slow.weights_history
    np.testing.assert_array_equal(ea, eb)
    assert ea[-1] == fast.epochs and list(wa) == list(wb)
    for key in wa:
        np.testing.assert_array_equal(wa[key], wb[key], err_msg=key)
    saved = np.load(tmp_path / "fast" / "weights_history.npz")
    np.testing.assert_array_equal(saved["epochs"], ea)
