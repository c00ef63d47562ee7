"""The main window driven like a user would: presets, files, training, runs, closing."""

from __future__ import annotations

import json

import pytest

from trainlab.presets import load_preset, preset_to_dict

from .helpers import curve_count, tiny_preset

RUN_TIMEOUT = 120_000  # the first run of a session may compile the engine


def wait_idle(qtbot, window, timeout=RUN_TIMEOUT):
    qtbot.waitUntil(lambda: window.controller.state == "idle", timeout=timeout)


def train_to_end(qtbot, window, preset=None):
    if preset is not None:
        window.model.load(preset)
    with qtbot.waitSignal(window.controller.finished, timeout=RUN_TIMEOUT):
        assert window.start_run()
    wait_idle(qtbot, window)
    return window.session.runs.entries[window.session.runs.current]


def test_title_shows_name_and_changes(window):
    window.model.load(tiny_preset())
    assert window.windowTitle() == "Tiny spirals — TrainLab"
    window.config_panel.field("training.epochs").editor.setValue(9)
    assert window.windowTitle() == "Tiny spirals* — TrainLab"


def test_save_then_open_round_trip_is_exact(window, tmp_path):
    window.model.load(tiny_preset())
    panel = window.config_panel
    panel.field("optimizer.name").editor.setCurrentIndex(
        panel.field("optimizer.name").editor.findData("lamb"))
    panel.field("optimizer.weight_decay").editor.setText("0.03")
    panel.field("optimizer.weight_decay").editor.textEdited.emit("0.03")
    panel.field("model.hidden").add_layer()
    shown = window.model.data
    path = tmp_path / "mine.json"
    assert window.files.save_to(path)
    assert not window.model.dirty and "*" not in window.windowTitle()
    on_disk = json.loads(path.read_text())
    assert on_disk == preset_to_dict(load_preset(path)) == shown

    window.files.new_preset()
    assert window.model.data != shown
    assert window.files.open_preset(path)
    assert window.model.data == shown
    assert panel.field("optimizer.weight_decay").editor.text() == "0.03"
    assert window.settings.recent_files()[0] == path.resolve()


def test_unsaved_changes_ask_before_opening_another(window, tmp_path):
    path = tmp_path / "a.json"
    window.model.load(tiny_preset())
    window.files.save_to(path)
    window.config_panel.field("seed").editor.setValue(5)
    window.answers = ["cancel"]
    assert not window.files.open_preset(path)
    assert window.model.get("seed") == 5
    window.answers = ["discard"]
    assert window.files.open_preset(path)
    assert window.model.get("seed") == 0


def test_bad_preset_file_is_explained_not_raised(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "trainlab-preset", "version": 1, "optimizer": {"lr": -1}}')
    assert not window.files.open_preset(bad)
    title, text = window.messages[-1]
    assert "optimizer.lr" in text and "bad.json" in text
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert not window.files.open_preset(broken)


def test_invalid_value_disables_train_and_shows_message(qtbot, window):
    lr = window.config_panel.field("optimizer.lr")
    lr.editor.setText("-1")
    lr.editor.textEdited.emit("-1")
    assert not window.run_controls.train_button.isEnabled()
    assert "must be > 0" in lr.error
    lr.editor.setText("0.01")
    lr.editor.textEdited.emit("0.01")
    assert window.run_controls.train_button.isEnabled()


def test_train_tiny_preset_to_the_end(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset())
    assert entry.status == "finished"
    assert len(entry.history) == 5 + 1  # row 0 plus one per epoch
    for plot in ("loss", "metric", "lr", "w_norm", "g_norm"):
        curves = window.plots.curves(plot)
        assert curves, plot
        for curve in curves:  # one point per epoch, row 0 included
            assert len(curve.xData) == 6, plot
    assert curve_count(window.plots, "loss") == 2  # train and validation
    assert window.data_view.boundary_image() is not None
    assert window.run_controls.progress.value() == 1000
    assert "train loss" in window.run_controls.status_line.text()
    assert window.run_controls.progress.format() == "epoch 5 / 5"
    assert window.runs_panel.table.item(0, window.runs_panel.STATUS_COLUMN).text() == "finished"
    assert not window.config_panel.lock_label.isVisibleTo(window)


def test_pause_resume_step_and_stop(qtbot, window):
    window.model.load(tiny_preset(training__epochs=200))
    window.run_controls.step_epoch()  # from idle: start paused, train one epoch
    assert window.controller.state == "paused"
    qtbot.waitUntil(lambda: window.controller.deliveries > 0, timeout=RUN_TIMEOUT)
    qtbot.wait(200)
    entry = window.session.runs.entries[window.session.runs.current]
    assert len(entry.history) == 2  # row 0 and the stepped epoch, then it waits
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


def test_two_runs_overlay(qtbot, window):
    train_to_end(qtbot, window, tiny_preset())
    sgd = tiny_preset(optimizer__name="sgd", optimizer__lr=0.1)
    train_to_end(qtbot, window, sgd)
    assert window.session.runs.visible_ids() == [1, 2]
    assert curve_count(window.plots, "loss") == 4  # train and validation of each run
    assert curve_count(window.plots, "lr") == 2
    labels = " ".join(window.plots.legend_labels("loss"))
    assert "#1 adam" in labels and "#2 sgd" in labels
    names = [window.runs_panel.table.item(r, 1).text() for r in range(2)]
    assert names[0].startswith("#1 adam") and names[1].startswith("#2 sgd")
    window.runs_panel.set_ticked(1, False)
    assert window.session.runs.visible_ids() == [2]
    assert curve_count(window.plots, "lr") == 1


def test_open_a_past_run_folder_and_overlay_it(qtbot, window, tmp_path):
    entry = train_to_end(qtbot, window, tiny_preset())
    assert entry.out_dir is not None and (entry.out_dir / "metrics.csv").exists()
    run_id = window.run_files.open_run(entry.out_dir)
    assert run_id == 2
    opened = window.session.runs.entries[run_id]
    assert len(opened.history) == len(entry.history)
    assert curve_count(window.plots, "lr") == 2
    assert window.run_files.open_run(tmp_path) is None  # not a run folder: a message, no exception
    assert "does not hold a TrainLab run" in window.banner.text


def test_close_during_training_stops_cleanly(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    window.start_run()
    qtbot.waitUntil(lambda: window.controller.deliveries > 1, timeout=RUN_TIMEOUT)
    entry = window.session.runs.entries[window.session.runs.current]
    assert window.close()
    assert window.controller.state == "idle"
    assert entry.status == "stopped"
    assert len(entry.history) >= 1


def test_reset_moves_to_new_initial_weights(window):
    seed = window.model.get("seed")
    window.run_controls.reset()
    assert window.model.get("seed") == seed + 1
    assert "seed" in window.statusBar().currentMessage()


def test_csv_error_is_shown_in_words(qtbot, window, tmp_path):
    bad = tmp_path / "data.csv"
    bad.write_text("a,b\n1,2\nx\n")
    d = tiny_preset()
    d["data"].update(source="csv", path=str(bad), target="b")
    window.model.load(d)
    qtbot.waitUntil(lambda: bool(window.model.data_problems), timeout=10_000)
    assert not window.run_controls.train_button.isEnabled()
    field = window.config_panel.field("data.path")
    message = next(iter(window.model.data_problems.values()))
    assert field.error or message in window.config_panel.problems_label.text()


def test_settings_persist_recent_files_and_last_preset(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    settings = Settings(tmp_path / "s.ini")
    path = tmp_path / "keep.json"
    w = MainWindow(settings=settings, runs_dir=None, restore=True)
    qtbot.addWidget(w)
    w.model.load(tiny_preset(name="Kept"))
    w.files.save_to(path)
    w.close()
    again = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=None, restore=True)
    qtbot.addWidget(again)
    assert again.model.name == "Kept" and again.model.path == path
    assert not again.model.dirty
    assert [a.text() for a in again.files.recent_menu.actions()][0] == "keep.json"


@pytest.mark.slow
def test_exports_write_files(qtbot, window, tmp_path):
    entry = train_to_end(qtbot, window, tiny_preset())
    for kind in ("png", "svg", "csv", "npz"):
        out = window.run_files.export_to(kind, tmp_path / f"out.{kind}", entry)
        assert out is not None and out.exists() and out.stat().st_size > 0, kind
    assert (tmp_path / "out_loss.svg").exists() and (tmp_path / "out_g_norm.svg").exists()
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    assert header.startswith("epoch,lr,train_loss")
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 1 + 6


def test_space_toggles_training(qtbot, window):
    from PySide6.QtCore import Qt

    window.model.load(tiny_preset(training__epochs=100_000))
    window.activateWindow()
    window.run_controls.train_action.trigger()  # what the Space shortcut does
    assert window.controller.state == "running"
    assert window.run_controls.train_action.shortcut().toString() == "Space"
    window.run_controls.train_action.trigger()
    assert window.controller.state == "paused"
    window.run_controls.stop()
    wait_idle(qtbot, window)
    assert window.run_controls.train_button.text() == "Train"
    assert Qt.Key.Key_Space  # the shortcut is bound window-wide


def test_diverged_run_is_explained_in_the_window(qtbot, window):
    preset = tiny_preset(data__source="line", loss__name="mse", model__activation="relu",
                         optimizer__name="sgd", optimizer__lr=50.0, training__epochs=50)
    entry = train_to_end(qtbot, window, preset)
    assert entry.status == "diverged"
    assert "diverged" in window.banner.text and "learning rate" in window.banner.text
    assert window.runs_panel.table.item(0, window.runs_panel.STATUS_COLUMN).text() == "diverged"


def test_every_example_opens_and_fills_the_fields(window):
    from trainlab.presets import shipped_presets

    examples = shipped_presets()
    assert examples
    for name, path in examples:
        assert window.files.open_preset(path), name
        assert window.model.data == preset_to_dict(load_preset(path)), name
        assert window.model.valid, (name, window.model.all_problems())
        assert window.windowTitle() == f"{window.model.name} — TrainLab"
    assert [a.text() for a in window.files.examples_menu.actions()] == [n for n, _ in examples]


@pytest.mark.parametrize("changes, mode", [
    ({"data__source": "iris"}, "confusion"),
    ({"data__source": "plane", "loss__name": "mse"}, "pred_vs_true"),
    ({"data__source": "line", "loss__name": "mse"}, "fit_curve"),
])
def test_data_view_follows_the_run_in_every_mode(qtbot, window, changes, mode):
    entry = train_to_end(qtbot, window, tiny_preset(**changes))
    assert entry.status == "finished"
    assert window.data_view.mode() == mode
    if mode == "confusion":
        counts = window.data_view.confusion_matrix()
        assert counts is not None and counts.sum() > 0


def test_kfold_run_finishes_in_the_window(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset(data__kfold=3))
    assert entry.status in ("finished", "early_stopped")
    assert len(entry.history) >= 2
