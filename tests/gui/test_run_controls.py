"""The run tool bar and its commands (trainlab/gui/run_controls.py), driven in the window."""

from __future__ import annotations

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end, wait_idle


def test_invalid_value_disables_train_and_shows_message(qtbot, window):
    lr = window.config_panel.field("optimizer.lr")
    lr.editor.setText("-1")
    lr.editor.textEdited.emit("-1")
    assert not window.run_controls.train_button.isEnabled()
    assert "must be > 0" in lr.error
    lr.editor.setText("0.01")
    lr.editor.textEdited.emit("0.01")
    assert window.run_controls.train_button.isEnabled()


def test_pause_resume_step_and_stop(qtbot, window):
    window.model.load(tiny_preset(training__epochs=200))
    window.run_controls.step_epoch()  # from idle: start paused, train one epoch
    assert window.controller.state == "paused"
    entry = window.session.runs.entries[window.session.runs.current]
    control = window.controller.control
    # Row 0 and the stepped epoch; then the granted epoch is used up (flag 1: the loop
    # returns between steps and waits while paused), so no third row can come.
    qtbot.waitUntil(lambda: entry.history is not None and len(entry.history) == 2
                    and control.flag[0] == 1, timeout=RUN_TIMEOUT)
    assert control.paused
    assert window.run_controls.train_button.text() == "Resume"
    window.run_controls.step_epoch()
    qtbot.waitUntil(lambda: len(entry.history) == 3, timeout=10_000)
    window.run_controls.toggle_training()  # resume
    assert window.controller.state == "running"
    assert window.run_controls.train_button.text() == "Pause"
    window.run_controls.toggle_training()  # pause
    assert window.controller.state == "paused"
    window.run_controls.stop()
    wait_idle(qtbot, window)
    assert entry.status == "stopped"
    assert 3 <= len(entry.history) < 201


def test_reset_moves_to_new_initial_weights(window):
    seed = window.model.get("seed")
    window.run_controls.reset()
    assert window.model.get("seed") == seed + 1
    assert "seed" in window.statusBar().currentMessage()


def test_f5_toggles_training(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    window.activateWindow()
    assert window.run_controls.train_action.shortcut().toString() == "F5"
    window.run_controls.train_action.trigger()  # what F5 does
    assert window.controller.state == "running"
    window.run_controls.train_action.trigger()
    assert window.controller.state == "paused"
    window.run_controls.stop()
    wait_idle(qtbot, window)
    assert window.run_controls.train_button.text() == "Train"


def test_kfold_run_finishes_in_the_window(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset(data__kfold=3))
    assert entry.status in ("finished", "early_stopped")
    assert len(entry.history) >= 2
