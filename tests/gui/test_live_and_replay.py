"""Live changes, the replay timeline and small multiples in the window
(trainlab/gui/live_changes.py, trainlab/gui/timeline.py, trainlab/gui/small_multiples.py)."""

from __future__ import annotations

import numpy as np

from trainlab.session.network_model import network_for

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end, wait_idle

SMALL = dict(training__epochs=5, training__batch_size=16)


def _expected_image(view, preset, params):
    """The boundary the data view draws for the net with ``params`` (drawn and read back)."""
    net = network_for(preset, params)
    P = net.predict(view.grid_inputs(), loss=preset["loss"]["name"])
    view.set_grid_predictions(P)
    return view.boundary_image()


def test_live_change_reaches_the_run_its_preset_and_the_curves(qtbot, window):
    panel = window.config_panel
    window.model.load(tiny_preset(training__epochs=200))
    window.run_controls.step_epoch()  # start paused, one epoch
    rid = window.session.runs.current
    control = window.controller.control
    entry = window.session.runs.entries[rid]
    qtbot.waitUntil(lambda: entry.history is not None and len(entry.history) == 2,
                    timeout=RUN_TIMEOUT)
    assert control.wait_parked(10)
    lr = panel.field("optimizer.lr")
    assert lr.isEnabled()
    assert not panel.field("data.n_samples").isEnabled()
    assert "Locked while a run exists" in panel.field("data.n_samples").toolTip()
    assert not panel.field("model.hidden").isEnabled()
    lr.editor.setText("0.001")
    lr.editor.textEdited.emit("0.001")
    assert window.live_changes.sent == [{"optimizer.lr": 0.001}]
    window.run_controls.step_epoch()  # the change comes into force with epoch 2
    qtbot.waitUntil(lambda: len(entry.history) == 3, timeout=10_000)
    qtbot.waitUntil(lambda: window.timeline.marks.change_labels() == ["η = 0.001"],
                    timeout=10_000)
    # The mark stands where the new value began: the end of epoch 1.
    assert [line.value() for name, line in window.timeline.marks.changes] == [1.0, 1.0]
    window.run_controls.stop()
    wait_idle(qtbot, window)
    result = entry.result
    assert result.preset["changes"] == [{"epoch": 2, "set": {"optimizer.lr": 0.001}}]
    np.testing.assert_allclose(np.asarray(entry.history["lr"])[1:3], [0.01, 0.001])
    assert window.timeline.marks.change_labels() == ["η = 0.001"]  # kept after the end
    assert panel.field("data.n_samples").isEnabled()


def test_a_structural_change_cannot_reach_the_run(qtbot, window):
    window.model.load(tiny_preset(training__epochs=200))
    window.run_controls.step_epoch()
    assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
    assert not window.live_changes.change({"model.hidden": [8]})
    assert window.banner.text.startswith("Not changed: model.hidden: cannot change")
    assert window.live_changes.sent == []
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_replay_draws_each_kept_epoch_with_its_weights(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset(**SMALL))
    timeline, view = window.timeline, window.data_view
    epochs, stacked = entry.result.weights_history
    assert list(epochs) == [0, 1, 2, 3, 4, 5]
    assert timeline.slider.isEnabled() and timeline.slider.maximum() == 5
    timeline.slider.setValue(0)
    np.testing.assert_array_equal(
        view.boundary_image(), _expected_image(view, entry.preset, entry.result.params_initial))
    assert timeline.marks.cursor() == 0.0
    timeline.slider.setValue(2)
    at_2 = {name: a[2] for name, a in stacked.items()}
    np.testing.assert_array_equal(view.boundary_image(),
                                  _expected_image(view, entry.preset, at_2))
    timeline.set_x_axis("updates")  # the cursor follows the x axis: 3 updates per epoch
    assert timeline.marks.cursor() == 6.0
    timeline.set_x_axis("epochs")
    timeline.slider.setValue(5)
    np.testing.assert_array_equal(
        view.boundary_image(), _expected_image(view, entry.preset, entry.result.params_final))
    # Play from the start runs through to the last kept epoch.
    timeline.slider.setValue(0)
    timeline.play_button.click()
    qtbot.waitUntil(lambda: timeline.slider.value() == 5 and not timeline.play_timer.isActive(),
                    timeout=10_000)


def test_replay_of_a_run_folder_with_its_weight_history(qtbot, window, tmp_path):
    from trainlab.runs import RunOptions
    from trainlab.runs.loop import train
    from trainlab.runs.records import load_run

    folder = tmp_path / "saved"
    train(tiny_preset(**SMALL), out_dir=folder, options=RunOptions(save_history=True))
    assert (folder / "weights_history.npz").is_file()
    rid = window.run_files.open_run(folder)
    window.session.runs.select(rid)
    timeline = window.timeline
    assert timeline.replay_run == rid and timeline.slider.maximum() == 5
    timeline.slider.setValue(0)
    record = load_run(folder)
    np.testing.assert_array_equal(
        window.data_view.boundary_image(),
        _expected_image(window.data_view, record.preset, record.weights("initial")))
    # Its mini-batch losses are on the loss plot too, and place it on the updates axis.
    assert timeline.trace.points == len(record.batch_loss)


def test_small_multiples_show_each_run_with_its_own_weights(qtbot, window):
    first = train_to_end(qtbot, window, tiny_preset(**SMALL))
    second = train_to_end(qtbot, window, tiny_preset(optimizer__lr=0.3, **SMALL))
    multiples = window.small_multiples
    multiples.action.trigger()
    assert multiples.active
    shown = [v for v in multiples.views if v.isVisibleTo(multiples.grid_widget)]
    assert len(shown) == 2
    for view, entry in zip(shown, (first, second), strict=True):
        np.testing.assert_array_equal(
            view.boundary_image(), _expected_image(view, entry.preset,
                                                   entry.result.params_final))
    assert not np.array_equal(shown[0].boundary_image(), shown[1].boundary_image())
    multiples.action.trigger()
    assert not multiples.active
