"""RunControl from another thread: stop, pause/resume, single epochs; and the callback's events.

Each test runs :func:`train` in a worker thread (as the GUI does) and steers it from the test's
thread, observing the run only through the callback. Nothing waits on the clock: "nothing moves
while paused" is read once :meth:`RunControl.wait_parked` says the loop waits on its condition,
and "a stop is prompt" is counted in optimizer steps taken after the stop was asked.
"""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest

from trainlab.runs.control import RunControl
from trainlab.runs.loop import train

from .helpers import preset, same_params

QUICK = preset(data={"source": "moons", "n_samples": 80}, model={"hidden": [8]},
               optimizer={"name": "adam", "lr": 0.01},
               training={"epochs": 40, "batch_size": 4})  # 56 training rows: 14 steps/epoch
ENDLESS = preset(QUICK, training={"epochs": 1_000_000})
#: One epoch of 420 000 single-row steps: a stop must not wait for its end.
LONG_EPOCH = preset(data={"source": "moons", "n_samples": 600_000}, model={"hidden": [32, 32]},
                    optimizer={"name": "sgd", "lr": 0.01},
                    training={"epochs": 3, "batch_size": 1})
WAIT = 60  # seconds a wait may take on a very busy machine before the test fails (a hang guard)


class Worker:
    """train() in a thread; the callback's reports collected for the test thread.

    ``hold_at=(event, epoch)`` holds the training thread inside that report until the test
    thread calls :meth:`release`, so the test acts at a known step count."""

    def __init__(self, data, control, callback=True, pause_at=None, hold_at=None):
        self.control = control
        self.pause_at = pause_at  # pause from the callback itself: no race with a fast run
        self.hold_at = hold_at
        self.held = threading.Event()     # the training thread waits in the held report
        self.released = threading.Event()
        self.events: list[tuple[str, int, str]] = []
        self.steps = 0  # optimizer steps done at the last report
        self.cond = threading.Condition()
        self.result = None
        self.error = None
        self._data, self._callback = data, callback
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            self.result = train(self._data, control=self.control, write_files=False,
                                callback=self._report if self._callback else None)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            self.error = error
        finally:
            with self.cond:
                self.cond.notify_all()

    def _report(self, progress):
        if progress.event == "epoch" and progress.epoch == self.pause_at:
            self.control.pause()
        with self.cond:
            self.events.append((progress.event, progress.epoch, progress.status))
            self.steps = progress.total_steps
            self.cond.notify_all()
        if self.hold_at is not None and not self.held.is_set() and (
                progress.event, progress.epoch) == self.hold_at:
            self.held.set()
            assert self.released.wait(WAIT)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.control.stop()
        self.released.set()
        self.thread.join(timeout=WAIT)
        assert not self.thread.is_alive()

    def hold(self) -> None:
        """Until the training thread waits in the report named by ``hold_at``."""
        assert self.held.wait(WAIT), f"never reached {self.hold_at}; events: {self.events[-5:]}"

    def release(self) -> None:
        self.released.set()

    def wait_for(self, predicate, timeout=WAIT):
        with self.cond:
            ok = self.cond.wait_for(lambda: predicate(self) or not self.thread.is_alive(),
                                    timeout)
        assert ok and predicate(self), f"timed out; events so far: {self.events[-5:]}"

    def parked(self) -> int:
        """Until the run waits paused with everything reported; the epochs reported."""
        assert self.control.wait_parked(WAIT)
        assert not self.control.run_over and self.thread.is_alive()
        return self.epoch

    @property
    def epoch(self) -> int:
        """Epochs reported done so far."""
        with self.cond:
            return max((e for kind, e, _ in self.events if kind == "epoch"), default=0)

    def finish(self, timeout=WAIT):
        self.thread.join(timeout)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.result


def same_history(a, b):
    for name in a.history.columns:
        if name != "seconds":
            np.testing.assert_array_equal(a.history[name], b.history[name], err_msg=name)


def test_stop_ends_the_run_at_once_with_status_stopped():
    control = RunControl()
    with Worker(ENDLESS, control, hold_at=("epoch", 2)) as w:
        w.hold()  # the training thread waits inside epoch 2's report
        asked_at = w.steps
        control.stop()
        w.release()
        result = w.finish()
    assert result.status == "stopped"
    assert len(result.history) - 1 == 2  # not one epoch more
    assert len(result.batch_loss) == asked_at == 2 * 14  # not one step more
    assert re.search(r"epoch \d+", result.message)
    assert w.events[-1] == ("end", 2, "stopped")


def test_stop_in_the_middle_of_a_long_epoch():
    control = RunControl()
    with Worker(LONG_EPOCH, control, hold_at=("chunk", 0)) as w:
        w.hold()  # inside epoch 1, between two compiled chunks of steps
        asked_at = w.steps
        control.stop()
        w.release()
        result = w.finish()
    assert result.status == "stopped"
    assert len(result.history) == 1  # the interrupted epoch left no row
    assert 0 < asked_at < 420_000
    assert len(result.batch_loss) - asked_at <= 1  # within one step of the stop


def test_stop_without_a_callback_is_polled_by_the_kernel(monkeypatch):
    """Without a callback a whole epoch is one compiled call; the kernel itself must notice
    the stop flag between steps."""
    import trainlab.runs.fit as fit

    calls = []
    in_kernel = threading.Event()

    class Runner(fit.StepRunner):
        def run(self, max_steps):
            calls.append(max_steps)
            in_kernel.set()
            return super().run(max_steps)

    monkeypatch.setattr(fit, "StepRunner", Runner)
    control = RunControl()
    with Worker(LONG_EPOCH, control, callback=False) as w:
        assert in_kernel.wait(WAIT)
        control.stop()
        result = w.finish()
    assert result.status == "stopped"
    assert len(calls) == 1 and len(result.history) == 1  # stopped inside that one call
    assert len(result.batch_loss) < 420_000  # the epoch's steps were not all taken


def test_pause_holds_the_run_and_resume_finishes_every_epoch():
    control = RunControl()
    with Worker(QUICK, control, pause_at=2) as w:
        held = w.parked()  # the loop waits on its condition: nothing can move until resume
        assert 2 <= held < 40
        assert w.steps == held * 14  # every epoch trained before the pause is reported
        control.resume()
        result = w.finish()
    assert result.status == "finished"
    assert len(result.history) == 41
    # pausing changes nothing in the numbers
    plain = train(QUICK, write_files=False)
    same_history(result, plain)
    assert same_params(result.params_final, plain.params_final)


def test_step_epoch_advances_exactly_one_epoch_at_a_time():
    control = RunControl(paused=True)
    with Worker(QUICK, control) as w:
        assert w.parked() == 0  # paused from the start: row 0 only
        assert [kind for kind, _, _ in w.events] == ["start"]
        for expected in (1, 2, 3):
            control.step_epoch()
            assert w.parked() == expected
            assert w.steps == expected * 14
        control.resume()
        result = w.finish()
    assert result.status == "finished" and len(result.history) == 41
    plain = train(QUICK, write_files=False)
    same_history(result, plain)
    assert same_params(result.params_final, plain.params_final)


def test_step_epoch_while_running_finishes_the_epoch_then_pauses():
    control = RunControl()
    with Worker(ENDLESS, control) as w:
        w.wait_for(lambda w: w.epoch >= 1)
        control.step_epoch()
        held = w.parked()
        assert held >= 1 and w.steps == held * 14  # a whole epoch, no step of the next
        control.stop()
        result = w.finish()
    assert result.status == "stopped"
    assert len(result.history) - 1 == held and len(result.batch_loss) == held * 14


def test_stop_while_paused():
    control = RunControl()
    with Worker(ENDLESS, control) as w:
        w.wait_for(lambda w: w.epoch >= 1)
        control.pause()
        held = w.parked()
        asked_at = w.steps
        control.stop()
        result = w.finish()
    assert result.status == "stopped"
    assert len(result.history) - 1 == held  # no epoch after the stop
    assert len(result.batch_loss) == asked_at  # not one step


@pytest.mark.parametrize("data, status", [
    (preset(QUICK, training={"epochs": 5}), "finished"),
    (preset(QUICK, training={"epochs": 300, "early_stopping": {"enabled": True,
                                                              "patience": 2}}),
     "early_stopped"),
    (preset(data={"source": "line", "n_samples": 60}, model={"hidden": []},
            loss={"name": "mse"}, optimizer={"name": "sgd", "lr": 1e6},
            training={"epochs": 500, "batch_size": 100}), "diverged"),
], ids=["finished", "early_stopped", "diverged"])
def test_callback_hears_start_every_epoch_and_end(data, status):
    events = []

    def callback(progress):
        events.append(progress.event)
        epochs.append(progress.epoch)
        rows.append(len(progress.history))
        if progress.event == "end":
            final.append((progress.status, progress.message))

    epochs, rows, final = [], [], []
    result = train(data, callback=callback, write_files=False)
    assert result.status == status
    assert events[0] == "start" and epochs[0] == 0 and rows[0] == 1
    assert events[-1] == "end" and events.count("end") == 1
    assert final == [(result.status, result.message)]
    assert set(events) <= {"start", "chunk", "epoch", "end"}
    reported = [e for kind, e in zip(events, epochs, strict=True) if kind == "epoch"]
    done = len(result.history) - 1
    # at least one "epoch" report per completed epoch, in order, each after its row exists
    assert sorted(set(reported)) == list(range(1, done + 1))
    assert reported == sorted(reported)
    for kind, e, n in zip(events, epochs, rows, strict=True):
        if kind == "epoch":
            assert n == e + 1


def test_progress_can_predict_with_the_current_network():
    seen = []

    def callback(progress):
        if progress.event == "epoch":
            P = progress.predict(np.zeros((3, 2)))
            seen.append(P)
            assert progress.total_steps == progress.epoch * progress.steps_per_epoch

    train(preset(QUICK, training={"epochs": 3}), callback=callback, write_files=False)
    assert len(seen) == 3
    for P in seen:
        assert P.shape == (3, 2)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)  # class probabilities
