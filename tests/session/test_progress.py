"""Run time and the status line (trainlab/session/progress.py)."""

import math

from trainlab.session.progress import RunClock, rate, short_time, status_text


class Clock:
    def __init__(self):
        self.now = 10.0

    def __call__(self):
        return self.now


def test_the_run_clock_leaves_pauses_out():
    clock = Clock()
    run = RunClock(clock)
    clock.now += 2.0
    run.state("paused")
    clock.now += 5.0
    assert run.seconds() == 2.0  # time stands still while paused
    run.state("running")
    clock.now += 1.5
    assert run.seconds() == 3.5
    run.state("running")  # no pause to end: nothing changes
    assert run.seconds() == 3.5


def test_short_times_and_rates():
    assert [short_time(s) for s in (-1, 4.24, 59.9, 61, 3599)] == [
        "0.0 s", "4.2 s", "59.9 s", "1:01", "59:59"]
    assert [rate(r) for r in (950, 12_345, 1_500_000)] == ["950", "12k", "1.5M"]


def test_status_text_of_a_classification_run_falls_back_to_training_accuracy():
    history = {"train_loss": [1.0, 0.31], "val_loss": [1.2, math.nan],
               "train_acc": [0.5, 0.91], "val_acc": [0.4, math.nan]}
    text = status_text(history, 2, "classification", 12_000, 4.2)
    assert text == "train loss 0.31 · acc 91.0% · 12k steps/s · 4.2 s"


def test_status_text_of_a_regression_run_and_of_no_rows():
    history = {"train_loss": [0.5], "val_loss": [0.25], "train_r2": [0.5], "val_r2": [0.75]}
    assert status_text(history, 1, "regression", 10, 0.0) == (
        "train loss 0.5 · val loss 0.25 · R² 0.750 · 10 steps/s · 0.0 s")
    assert status_text(history, 0, "regression", 10, 0.0) == "10 steps/s · 0.0 s"
