"""RunController and TrainWorker (trainlab/gui/worker.py): progress reaches the window
coalesced, at most MAX_FPS redraws a second however often the engine reports."""

from __future__ import annotations

import sys
import time
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


def test_many_reports_in_one_frame_interval_cause_at_most_one_redraw(qtbot):
    controller = RunController()
    worker = TrainWorker({}, RunControl())
    controller._worker = worker  # as start() does, without running a thread
    worker.progressed.connect(controller._on_progress)
    frames = []
    controller.frame.connect(frames.append)

    for step in range(200):  # the engine reports far faster than the screen can draw
        worker._callback(progress(step))
    assert len(frames) <= 1
    first = len(frames)

    # The rest is delivered once, after the frame interval, as the newest snapshot only.
    qtbot.waitUntil(lambda: len(frames) == first + 1, timeout=1000)
    time.sleep(2.5 / worker_module.MAX_FPS)
    qtbot.wait(10)
    assert len(frames) == first + 1
    assert frames[-1].step == 199
    assert controller.deliveries == len(frames)


def test_redraws_stay_under_max_fps(qtbot):
    controller = RunController()
    worker = TrainWorker({}, RunControl())
    controller._worker = worker
    worker.progressed.connect(controller._on_progress)
    times = []
    controller.frame.connect(lambda frame: times.append(time.perf_counter()))
    start = time.perf_counter()
    step = 0
    while time.perf_counter() - start < 0.5:
        for _ in range(50):
            step += 1
            worker._callback(progress(step))
        qtbot.wait(1)
    assert len(times) <= 0.5 * worker_module.MAX_FPS + 2
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.9 / worker_module.MAX_FPS


def test_predictions_reach_the_window_once_and_at_most_a_few_times_a_second(qtbot):
    grid = np.zeros((4, 2))
    worker = TrainWorker({}, RunControl(), view_inputs=[grid])
    calls = []

    def predict(X):
        calls.append(len(X))
        return np.ones((len(X), 2))

    report = progress(0)
    report.predict = predict
    worker._callback(report)
    first = worker.take()
    assert first.predictions is not None and len(first.predictions[0]) == 4
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
