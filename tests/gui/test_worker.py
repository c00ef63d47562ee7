"""RunController and TrainWorker (trainlab/gui/worker.py): progress reaches the window
coalesced, at most MAX_FPS redraws a second however often the engine reports."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from trainlab.gui import worker as worker_module
from trainlab.gui.worker import RunController, TrainWorker
from trainlab.runs.control import RunControl


def progress(step: int) -> SimpleNamespace:
    """What the loop passes to the callback (only the fields the worker reads)."""
    return SimpleNamespace(event="chunk", epoch=0, epochs=10, step=step, steps_per_epoch=100,
                           total_steps=step, steps_per_second=1e5, elapsed=0.1, status="running",
                           message="", history=[], predict=None)


class FakeClock:
    """Seconds that move only when a test moves them."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def paced_controller(clock=None):
    """A RunController fed by a TrainWorker's callback, as start() wires them, without a
    training thread; the frames it emits are collected in ``frames``."""
    controller = RunController(clock=clock) if clock else RunController()
    worker = TrainWorker({}, RunControl())
    controller._worker = worker  # as start() does
    worker.progressed.connect(controller._on_progress)
    frames = []
    controller.frame.connect(frames.append)
    return controller, worker, frames


def test_many_reports_in_one_frame_interval_cause_at_most_one_redraw(qtbot):
    controller, worker, frames = paced_controller()
    for step in range(200):  # the engine reports far faster than the screen can draw
        worker._callback(progress(step))
    assert len(frames) <= 1
    first = len(frames)

    # The rest is delivered once, after the frame interval, as the newest frame only ...
    qtbot.waitUntil(lambda: len(frames) == first + 1, timeout=1000)
    assert frames[-1].step == 199
    assert controller.deliveries == len(frames)
    # ... and nothing is left to deliver: the slot is empty, so no later frame can come.
    assert worker.take() is None


def test_a_report_within_the_frame_interval_waits_for_it(qtbot):
    clock = FakeClock()
    controller, worker, frames = paced_controller(clock)
    worker._callback(progress(1))
    assert len(frames) == 1  # the first report is drawn at once
    clock.now += 0.5 / worker_module.MAX_FPS
    worker._callback(progress(2))
    assert len(frames) == 1  # too soon after the last frame: held back ...
    qtbot.waitUntil(lambda: len(frames) == 2, timeout=1000)  # ... until the timer delivers it
    assert frames[-1].step == 2
    clock.now += 1.5 / worker_module.MAX_FPS
    worker._callback(progress(3))
    assert len(frames) == 3  # a report after the interval is drawn at once


def _share(paced: bool) -> float:
    return worker_module.GUI_SHARE if paced else worker_module.FASTEST_GUI_SHARE


def _cap(paced: bool) -> float:
    return worker_module.MAX_FRAME_GAP if paced else worker_module.FASTEST_MAX_FRAME_GAP


@pytest.mark.parametrize("paced", [True, False], ids=["paced", "fastest"])
def test_a_slow_frame_gets_more_training_time_after_it(qtbot, paced):
    """A frame that costs c seconds starts the next one no sooner than c / share seconds
    after it started (capped at MAX_FRAME_GAP): drawing takes at most that share of the time,
    GUI_SHARE in a paced run, the smaller FASTEST_GUI_SHARE at "as fast as possible"."""
    assert worker_module.FASTEST_GUI_SHARE < worker_module.GUI_SHARE
    clock = FakeClock()
    controller, worker, frames = paced_controller(clock)
    controller.paced = paced
    cost = 0.4 * _share(paced)
    controller.frame.connect(lambda frame: setattr(clock, "now", clock.now + cost))
    start = clock.now
    worker._callback(progress(1))
    assert len(frames) == 1 and controller.frame_costs[-1] == pytest.approx(cost)
    gap = cost / _share(paced)  # 0.4 s, more than a frame interval at MAX_FPS
    assert 1.0 / worker_module.MAX_FPS < gap < _cap(paced)
    clock.now = start + 0.9 * gap
    worker._callback(progress(2))
    assert len(frames) == 1  # still inside the slow frame's gap
    clock.now = start + 1.1 * gap
    controller._on_progress()  # the next report after the gap
    assert len(frames) == 2


@pytest.mark.parametrize("paced", [True, False], ids=["paced", "fastest"])
def test_a_very_slow_frame_still_lets_the_picture_follow(qtbot, paced):
    """A frame too slow for the share is followed by the next one after the cap
    (MAX_FRAME_GAP paced, FASTEST_MAX_FRAME_GAP at "as fast as possible"), not later."""
    assert worker_module.MAX_FRAME_GAP <= worker_module.FASTEST_MAX_FRAME_GAP
    clock = FakeClock()
    controller, worker, frames = paced_controller(clock)
    controller.paced = paced
    cost = 2.0 * _share(paced) * _cap(paced)  # its share would ask for twice the cap
    controller.frame.connect(lambda frame: setattr(clock, "now", clock.now + cost))
    start = clock.now
    worker._callback(progress(1))
    clock.now = start + 0.95 * _cap(paced)
    worker._callback(progress(2))
    assert len(frames) == 1
    clock.now = start + 1.05 * _cap(paced)
    controller._on_progress()
    assert len(frames) == 2


@pytest.mark.parametrize("paced", [True, False], ids=["paced", "fastest"])
def test_drawing_outside_frames_spaces_the_next_frames_too(qtbot, paced):
    """What the window spent on the run outside a frame (the network view's redraws) counts
    in the next frame's cost: frames and views together keep to the share."""
    clock = FakeClock()
    controller, worker, frames = paced_controller(clock)
    controller.paced = paced
    cost, spent = 0.08 * _share(paced), 0.32 * _share(paced)
    controller.frame.connect(lambda frame: setattr(clock, "now", clock.now + cost))
    controller.spent(spent)
    start = clock.now
    worker._callback(progress(1))
    assert controller.frame_costs[-1] == pytest.approx(cost + spent)
    gap = (cost + spent) / _share(paced)
    clock.now = start + 0.9 * gap
    worker._callback(progress(2))
    assert len(frames) == 1  # the frame's cost alone would have made it due long before
    clock.now = start + 1.1 * gap
    controller._on_progress()
    assert len(frames) == 2 and controller.frame_costs[-1] == pytest.approx(cost)  # taken once


def test_frame_costs_keep_only_the_latest(qtbot):
    clock = FakeClock()
    controller, worker, frames = paced_controller(clock)
    for step in range(worker_module.FRAME_RECORD + 10):
        clock.now += 1.0
        worker._callback(progress(step))
    assert len(frames) == worker_module.FRAME_RECORD + 10
    assert len(controller.frame_costs) == worker_module.FRAME_RECORD


def test_predictions_reach_the_window_once_and_at_most_a_few_times_a_second(qtbot):
    grid = np.zeros((4, 2))
    worker = TrainWorker({}, RunControl(), queries={"grid": grid})
    calls = []

    def predict(X):
        calls.append(len(X))
        return np.ones((len(X), 2))

    report = progress(0)
    report.predict = predict
    worker._callback(report)
    first = worker.take()
    assert first.predictions is not None and list(first.predictions) == ["grid"]
    assert len(first.predictions["grid"]) == 4
    for step in range(1, 50):  # within PREDICT_INTERVAL: no new forward pass
        report.step = step
        worker._callback(report)
    second = worker.take()
    assert second.step == 49
    assert second.predictions is None  # nothing new: the data view is not redrawn
    assert len(calls) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_training_thread_is_nicer_than_the_window():
    """The training thread lowers its own priority, and only its own."""
    import os
    import threading

    from trainlab.gui.worker import TRAINING_NICENESS, yield_to_the_window

    seen = {}

    def run():
        tid = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, tid)
        yield_to_the_window()
        seen["change"] = os.getpriority(os.PRIO_PROCESS, tid) - before

    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    t = threading.Thread(target=run)
    t.start()
    t.join()
    expected = min(TRAINING_NICENESS, 19 - main)  # nice tops out at 19
    assert seen["change"] == expected
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main


def test_new_queries_reach_a_going_run_whole_and_are_answered_by_name(qtbot):
    controller, worker, frames = paced_controller()
    controller.set_queries({"grid": np.zeros((3, 2))})
    assert worker.queries == {}  # no run going: nothing to tell
    controller._set_state("running")
    controller.set_queries({"train": np.zeros((5, 2)), "val": np.zeros((2, 2))})
    report = progress(0)
    report.predict = lambda X: np.full((len(X), 1), float(len(X)))
    worker._callback(report)
    qtbot.waitUntil(lambda: bool(frames))
    assert {name: p[0, 0] for name, p in frames[-1].predictions.items()} == {"train": 5.0,
                                                                        "val": 2.0}
