"""Pace and steps in the window: the speed box, Step one update, mini-batch losses on the
curves and the curves' x axis (trainlab/gui/speed.py, trainlab/gui/timeline.py)."""

from __future__ import annotations

import numpy as np

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end, wait_idle

#: 42 training rows in mini-batches of 16: 3 updates per epoch.
PACED = dict(training__epochs=3, training__batch_size=16)


def _columns(history):
    return {c: np.asarray(history[c], dtype=float) for c in history.columns if c != "seconds"}


def test_same_history_at_two_speeds_and_every_update_granted(qtbot, window):
    window.speed.set_speed("fastest")
    fast = train_to_end(qtbot, window, tiny_preset(**PACED))
    window.speed.set_speed("1 update per frame")
    assert window.controller.paced
    slow = train_to_end(qtbot, window, tiny_preset(**PACED))
    steps = len(slow.result.batch_loss)
    assert steps == 3 * 3
    # Paced: the run was stepped one update per frame, every one of them granted by the pace.
    assert window.speed.paced.granted == 0  # a new pace for the next run...
    assert window.speed.last_granted == steps  # ...after this run took exactly its steps
    a, b = _columns(fast.history), _columns(slow.history)
    assert a.keys() == b.keys()
    for column in a:
        np.testing.assert_array_equal(a[column], b[column], err_msg=column)
    np.testing.assert_array_equal(fast.result.batch_loss, slow.result.batch_loss)
    for name, w in fast.result.params_final.items():
        np.testing.assert_array_equal(w, slow.result.params_final[name])


def test_speed_is_remembered(qtbot, tmp_path, window):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    window.speed.box.setCurrentIndex(0)  # what a click on "1 update per second" does
    assert window.speed.speed.label == "1 update/s"
    assert window.speed.box.currentText() == "1 update per second"
    window.settings.sync()
    again = MainWindow(settings=Settings(tmp_path / "settings.ini"), runs_dir=tmp_path / "r",
                       restore=False)
    qtbot.addWidget(again)
    assert again.speed.speed.label == "1 update/s"
    assert again.controller.paced


def test_one_update_per_second_is_paced(qtbot, window):
    """At 1 update/s a run waits: after its first update it takes the next only a second
    later (read from the pace's own clock, moved by hand)."""
    now = [0.0]
    window.speed._clock = lambda: now[0]
    window.speed.set_speed("1 update/s")
    window.model.load(tiny_preset(training__epochs=50))
    assert window.start_run()
    timeline = window.timeline
    rid = window.session.runs.current
    qtbot.waitUntil(lambda: len(timeline.batch_losses.get(rid, ())) == 1, timeout=RUN_TIMEOUT)
    control = window.controller.control
    assert control.wait_parked(10)
    for _ in range(5):  # frames within the same second grant nothing
        window.speed.tick()
    assert window.speed.paced.granted == 1
    now[0] = 1.0
    qtbot.waitUntil(lambda: (window.speed.tick(), len(timeline.batch_losses[rid]))[1] == 2,
                    timeout=10_000)
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_step_one_update_moves_exactly_one_update(qtbot, window):
    controls = window.run_controls
    assert controls.step_update_action.shortcut().toString() == "F7"
    assert controls.step_action.shortcut().toString() == "F6"
    window.model.load(tiny_preset(training__epochs=20))
    controls.step_update_action.trigger()  # from idle: start paused, one update
    rid = window.session.runs.current
    losses = window.timeline.batch_losses
    control = window.controller.control
    for n in (1, 2, 3):
        qtbot.waitUntil(lambda n=n: len(losses.get(rid, ())) == n, timeout=RUN_TIMEOUT)
        assert control.wait_parked(10)
        qtbot.wait(0)  # deliver what the parked run reported
        assert len(losses[rid]) == n  # exactly one more, not two
        assert window.controller.state == "paused"
        controls.step_update_action.trigger()
    qtbot.waitUntil(lambda: len(losses[rid]) == 4, timeout=10_000)
    assert window.session.runs.entries[rid].history is not None
    controls.stop()
    wait_idle(qtbot, window)
    assert len(window.session.runs.entries[rid].result.batch_loss) == 4


def test_batch_losses_and_x_axis(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset(**PACED))
    losses = entry.result.batch_loss
    trace = window.timeline.trace
    assert trace.points == len(losses) == 9
    x, y = trace.data()
    # On the epoch axis, update i of 3 per epoch ends at i/3.
    np.testing.assert_allclose(x, np.arange(1, 10) / 3)
    np.testing.assert_allclose(y, losses.astype(float), rtol=1e-6)
    train_curve = window.plots.run_curves(entry.run_id)["loss"][0]
    window.timeline.x_box.setCurrentIndex(1)  # updates
    assert window.timeline.mode == "updates"
    cx, _ = train_curve.getData()
    np.testing.assert_allclose(cx, [0, 3, 6, 9])
    np.testing.assert_allclose(trace.data()[0], np.arange(1, 10))
    assert "update" in window.plots.plot_widget("loss").getPlotItem().getAxis("bottom").labelText
    window.timeline.set_x_axis("seconds")
    cx, _ = train_curve.getData()
    np.testing.assert_allclose(cx, np.asarray(entry.history["seconds"], dtype=float))
    window.timeline.set_x_axis("epochs")
    np.testing.assert_allclose(train_curve.getData()[0], [0, 1, 2, 3])
