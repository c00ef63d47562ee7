"""Evaluating an epoch in a second thread while the next one trains changes nothing but time.

Every run here is made twice, pipelined (forced on, whatever the epoch length) and plainly
sequential (``RunOptions(pipeline=False)``), and must agree bit for bit: history, weights, status,
message, best epoch, test metrics and the files of the run directory. The early-stopping and
divergence cases are the ones where the pipeline has trained an epoch too many and must undo
it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import trainlab.runs.evaluation as evaluation
from trainlab.runs.control import RunControl
from trainlab.runs.loop import train
from trainlab.runs.options import RunOptions

from .helpers import (
    EpochLog,
    assert_same_run,
    metrics_rows,
    preset,
    train_in_thread,
)

MOONS = preset(data={"source": "moons", "n_samples": 300, "noise": 0.25},
               model={"hidden": [12, 12], "activation": "tanh"},
               optimizer={"name": "adam", "lr": 0.02},
               training={"epochs": 12, "batch_size": 16})
WAIT = 60  # seconds a wait may take on a very busy machine before the test fails (a hang guard)

CASES = {
    "finished": MOONS,
    "dropout_bn": preset(MOONS, model={"dropout": 0.2, "batch_norm": True}),
    "early_stopped_restore": preset(MOONS, optimizer={"lr": 0.5}, training={
        "epochs": 200, "early_stopping": {"enabled": True, "patience": 2}}),
    "early_stopped_keep_last": preset(MOONS, optimizer={"lr": 0.5}, training={
        "epochs": 200, "early_stopping": {"enabled": True, "patience": 2,
                                          "restore_best": False}}),
    "diverged": preset(data={"source": "line", "n_samples": 200}, model={"hidden": [4]},
                       loss={"name": "mse"}, optimizer={"name": "sgd", "lr": 3.0},
                       training={"epochs": 200, "batch_size": 8}),
    "regression": preset(data={"source": "sine", "n_samples": 200}, model={"hidden": [8]},
                         loss={"name": "mse"}, training={"epochs": 6, "batch_size": 10}),
}


@pytest.fixture
def submits(monkeypatch):
    """Force the pipeline on for every epoch (one epoch per call); count the epochs it
    evaluated in the background."""
    monkeypatch.setattr(evaluation, "PIPELINE_MIN_SECONDS", 0.0)
    monkeypatch.setattr(evaluation, "cpus_available", lambda: 2)
    count = [0]
    original = evaluation.EpochPipeline.submit

    def counting(self, measure, end):
        count[0] += 1
        return original(self, measure, end)

    monkeypatch.setattr(evaluation.EpochPipeline, "submit", counting)
    return count


PIPED = RunOptions(compiled_epochs=False)  # epochs one at a time here
SEQUENTIAL = RunOptions(compiled_epochs=False, pipeline=False)


def train_piped(data, **kw):
    return train(data, options=PIPED, **kw)


def sequential(data, **kw):
    return train(data, options=SEQUENTIAL, **kw)


@pytest.mark.parametrize("name", list(CASES))
def test_pipelined_run_equals_the_sequential_one(name, submits):
    data = CASES[name]
    piped = train_piped(data, write_files=False)
    assert submits[0] > 0  # the pipeline really ran
    plain = sequential(data, write_files=False)
    assert_same_run(piped, plain)
    expected = {"finished": "finished", "dropout_bn": "finished", "regression": "finished",
                "diverged": "diverged"}.get(name, "early_stopped")
    assert piped.status == expected
    if expected == "early_stopped":
        # the run ended inside the budget, so an epoch was trained ahead and undone
        assert piped.epochs < 200


def test_undone_epoch_leaves_the_weights_of_the_last_recorded_one(submits):
    """restore_best off: the final weights are those the last history row measured."""
    piped = train_piped(CASES["early_stopped_keep_last"], write_files=False)
    assert piped.status == "early_stopped"
    from trainlab.engine import Network

    ds = piped.dataset
    net = Network([2, 12, 12, 2], activation="tanh", seed=0)
    net.set_params(piped.params_final)
    P = net.predict(ds.X_train)
    loss = -np.mean(np.log(P[np.arange(len(ds.y_train)), ds.y_train.astype(int)]))
    assert loss == pytest.approx(piped.history["train_loss"][-1], rel=1e-10)


def test_run_files_match(submits, tmp_path):
    piped = train_piped(CASES["early_stopped_restore"], out_dir=tmp_path / "piped")
    plain = sequential(CASES["early_stopped_restore"], out_dir=tmp_path / "plain")
    assert submits[0] > 0
    header, rows_a = metrics_rows(piped.out_dir / "metrics.csv")
    _, rows_b = metrics_rows(plain.out_dir / "metrics.csv")
    keep = [j for j, h in enumerate(header) if h != "seconds"]
    assert [[r[j] for j in keep] for r in rows_a] == [[r[j] for j in keep] for r in rows_b]
    sa = json.loads((piped.out_dir / "summary.json").read_text())
    sb = json.loads((plain.out_dir / "summary.json").read_text())
    for key in ("status", "message", "epochs", "best_epoch", "steps", "test_metrics"):
        assert sa[key] == sb[key], key
    for name in ("weights_final.npz", "weights_best.npz"):
        with np.load(piped.out_dir / name) as za, np.load(plain.out_dir / name) as zb:
            assert all(np.array_equal(za[k], zb[k]) for k in za.files)


def test_plateau_schedule_is_never_pipelined(submits):
    data = preset(MOONS, schedule={"name": "plateau", "patience": 1, "factor": 0.5})
    piped = train_piped(data, write_files=False)
    assert submits[0] == 0
    assert_same_run(piped, sequential(data, write_files=False))


def test_callback_sees_each_epoch_row_when_reported(submits):
    seen = []

    def callback(progress):
        seen.append((progress.event, progress.epoch, len(progress.history)))

    result = train_piped(MOONS, callback=callback, write_files=False)
    assert submits[0] > 0
    epochs = [(e, n) for kind, e, n in seen if kind == "epoch"]
    assert [e for e, _ in epochs] == list(range(1, 13))
    assert all(n == e + 1 for e, n in epochs)
    assert seen[-1][0] == "end" and len(result.history) == 13


def test_pause_shows_the_last_epoch_and_resume_changes_nothing(submits):
    data = preset(MOONS, training={"epochs": 30})
    control = RunControl()
    rows = []

    def callback(progress):
        rows.append((progress.event, progress.epoch, len(progress.history)))
        if progress.event == "epoch" and progress.epoch == 3:
            control.pause()

    t, out = train_in_thread(data, control, callback, PIPED)
    assert control.wait_parked(WAIT) and not control.run_over
    held = list(rows)  # the loop waits on its condition: nothing moves until resume
    assert 3 <= held[-1][1] < 30
    # every epoch whose steps finished before the pause has its row on screen
    assert held[-1][2] >= 4
    control.resume()
    t.join(WAIT)
    assert_same_run(out["result"], sequential(data, write_files=False))


def test_single_epoch_steps_are_exact(submits):
    data = preset(MOONS, training={"epochs": 20})
    control = RunControl(paused=True)
    log = EpochLog()
    epochs = log.epochs
    t, out = train_in_thread(data, control, log, PIPED)
    for n in (1, 2, 3):
        control.step_epoch()
        assert control.wait_parked(WAIT) and not control.run_over
        assert epochs == list(range(1, n + 1))
    control.resume()
    t.join(WAIT)
    assert_same_run(out["result"], sequential(data, write_files=False))


def test_stop_keeps_every_recorded_epoch(submits):
    data = preset(MOONS, training={"epochs": 100_000})
    control = RunControl()

    def callback(progress):
        if progress.event == "epoch" and progress.epoch == 5:
            control.stop()

    result = train_piped(data, control=control, callback=callback, write_files=False)
    assert result.status == "stopped"
    assert result.epochs >= 5
    assert list(result.history["epoch"]) == list(range(result.epochs + 1))
