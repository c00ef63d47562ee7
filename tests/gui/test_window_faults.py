"""What the window got wrong in front of a class, each tried as a teacher would."""

from __future__ import annotations

import numpy as np

from trainlab.session import MAX_AUTO_VISIBLE

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end, wait_idle


def test_the_overlay_cap_holds_after_many_trains(qtbot, window):
    window.model.load(tiny_preset())
    for n in range(1, 8):
        train_to_end(qtbot, window)
        drawn = window.plots.drawn_runs()
        assert len(drawn) == min(n, MAX_AUTO_VISIBLE)
        assert window.runs_panel.ticked_ids() == window.session.runs.visible_ids()


def test_colours_of_swatch_and_curve_agree_after_removing_runs(qtbot, window):
    window.model.load(tiny_preset())
    a, b = train_to_end(qtbot, window), train_to_end(qtbot, window)
    window._remove_runs([a.run_id, b.run_id])
    c = train_to_end(qtbot, window)
    swatch = window.runs_panel.table.item(0, 0).background().color().name()
    curve = window.plots.run_curves(c.run_id)["loss"][0]
    assert curve.opts["pen"].color().name() == swatch


def test_opening_other_data_takes_its_runs_off_the_plots_and_clear_runs(qtbot, window):
    iris = train_to_end(qtbot, window, tiny_preset(data__source="iris"))
    window.model.load(tiny_preset(data__source="line", loss__name="mse"))
    assert iris.run_id not in window.plots.drawn_runs()
    assert window.runs_panel.ticked_ids() == []
    assert window.runs_panel.table.rowCount() == 1  # kept in the table
    line = train_to_end(qtbot, window)
    assert window.plots.drawn_runs() == [line.run_id]
    assert window.plots.title("metric") == "R²"
    window.run_controls.clear_action.trigger()
    assert window.session.runs.entries == {}
    assert window.runs_panel.table.rowCount() == 0
    assert window.plots.drawn_runs() == []


def test_a_paused_run_shows_its_latest_epoch(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    window.start_run()
    entry = window.session.runs.entries[window.session.runs.current]
    qtbot.waitUntil(lambda: entry.history is not None and len(entry.history) > 30,
                    timeout=RUN_TIMEOUT)
    window.run_controls.toggle_training()
    qtbot.waitUntil(lambda: window.controller.state == "paused")
    status = window.runs_panel.table.item(0, window.runs_panel.STATUS_COLUMN)
    qtbot.waitUntil(lambda: status.text() == "paused")
    # The run stops at an epoch's end; the last frame before it is shown.
    qtbot.waitUntil(lambda: window.run_controls.progress.format().startswith(
        f"epoch {len(entry.history) - 1:,} of"))
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_step_redraws_learning_rate_and_norms(qtbot, window):
    window.model.load(tiny_preset(data__source="line", loss__name="mse",
                                  training__epochs=50))
    rows = []
    for k in range(1, 8):
        window.run_controls.step_epoch()
        entry = window.session.runs.entries[window.session.runs.current]
        qtbot.waitUntil(lambda k=k, e=entry: e.history is not None and len(e.history) > k
                        and window.controller.state == "paused", timeout=RUN_TIMEOUT)
        rows.append(len(entry.history))
    for plot in ("lr", "w_norm"):
        qtbot.waitUntil(lambda p=plot: all(len(c.xData) == rows[-1]
                                           for c in window.plots.curves(p)))
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_best_epoch_and_patience_are_marked_on_the_loss_plot(qtbot, window):
    es = {"enabled": True, "patience": 50, "min_delta": 0.0, "restore_best": True}
    entry = train_to_end(qtbot, window, tiny_preset(training__epochs=20,
                                                    training__early_stopping=es))
    val = np.asarray(entry.history["val_loss"])[1:]
    best = window.run_plots.markers.best
    assert best.epoch == int(np.argmin(val)) + 1
    assert best.since == len(val) - best.epoch
    line = window.run_plots.markers.best_line
    assert line.isVisible() and line.value() == best.epoch
    assert f"no better for {best.since} of 50" in line.label.toPlainText()


def test_a_fresh_start_fits_the_screen(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import FRAME_ROOM, MainWindow

    w = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=None, restore=False)
    qtbot.addWidget(w)
    w.show()
    # A projector's 1024 × 768 holds the window, frame included (it used to need 1165 px).
    assert w.minimumSizeHint().width() <= 1024 - FRAME_ROOM[0]
    assert w.minimumSizeHint().height() <= 768 - FRAME_ROOM[1]
    screen = w.screen().availableGeometry()
    if w.minimumSizeHint().width() <= screen.width() - FRAME_ROOM[0]:
        assert w.width() <= screen.width() - FRAME_ROOM[0]
    assert w.height() <= screen.height() - FRAME_ROOM[1]


def test_feature_boxes_write_the_preset_and_the_boundary_is_drawn_on_the_raw_plane(
        qtbot, window):
    window.model.load(tiny_preset(data__source="circles", model__hidden=[]))
    features = window.config_panel.field("data.features")
    assert features.isVisibleTo(window.config_panel)
    assert not features.degree.isVisibleTo(features)
    features.boxes["x1"].setChecked(False)
    features.boxes["x2"].setChecked(False)
    features.boxes["x1^2"].setChecked(True)
    features.boxes["x2^2"].setChecked(True)
    assert window.session.draft.get("data.features") == ["x1^2", "x2^2"]
    entry = train_to_end(qtbot, window)
    splits = window.session.data.splits
    assert splits.feature_names == ["x1^2", "x2^2"]
    view = window.data_view
    assert view.mode() == "boundary"
    # The grid spans the raw plane (negative x1 too), and the net is asked about its features.
    grid = view.grid_inputs()
    raw = view._grid
    assert raw[:, 0].min() < 0
    assert np.allclose(grid, splits.inputs_from_raw(raw))
    net = entry.result
    assert net is not None and view.boundary_image() is not None
    labels = view.plot_widget().getPlotItem().getAxis("bottom").labelText
    assert "x1" in labels and "^" not in labels


def test_a_one_input_source_offers_a_polynomial_degree(qtbot, window):
    window.model.load(tiny_preset(data__source="line", loss__name="mse", model__hidden=[]))
    features = window.config_panel.field("data.features")
    qtbot.waitUntil(lambda: features.degree.isVisibleTo(features))
    assert not features.boxes["x1^2"].isVisibleTo(features)
    features.degree.setValue(3)
    assert window.session.draft.get("data.features") == {"polynomial": 3}
    features.degree.setValue(1)
    assert window.session.draft.get("data.features") is None
    window.model.load(tiny_preset(data__source="iris"))
    assert not features.isVisibleTo(window.config_panel)


def test_reset_draws_new_weights_on_the_same_data_and_new_data_changes_it(qtbot, window):
    window.model.load(tiny_preset(seed=3))
    data = window.session.data
    qtbot.waitUntil(lambda: data.splits is not None and data.key == data.wanted_key())
    before = window.session.data.splits.X_train.copy()
    window.run_controls.reset_action.trigger()
    draft = window.session.draft
    assert draft.get("seed") == 4 and draft.get("data.seed") == 3
    first = train_to_end(qtbot, window)
    assert np.array_equal(window.session.data.splits.X_train, before)
    assert first.preset["data"]["seed"] == 3 and first.preset["seed"] == 4
    window.run_controls.new_data_action.trigger()
    assert draft.get("data.seed") == 4 and draft.get("seed") == 4
    qtbot.waitUntil(lambda: window.session.data.splits is not None
                    and not np.array_equal(window.session.data.splits.X_train[:3], before[:3]))
    # Without data.seed a preset gives the numbers it always gave (the data follow seed).
    from trainlab.runs.prepared import prepare
    plain = prepare(tiny_preset(seed=3)).splits
    assert np.array_equal(plain.X_train, before)


def test_compared_runs_are_named_by_what_sets_them_apart(qtbot, window):
    base = dict(optimizer__name="momentum", optimizer__lr=0.05)
    a = train_to_end(qtbot, window, tiny_preset(optimizer__momentum=0.9, **base))
    b = train_to_end(qtbot, window, tiny_preset(optimizer__momentum=0.0, **base))
    assert a.name != b.name
    assert a.name.endswith("μ=0.9") and b.name.endswith("μ=0")
    window.run_plots.show_history(b.run_id)
    legend = " | ".join(window.plots.legend_labels("loss"))
    assert "μ=0.9" in legend and "μ=0 " in legend + " "
    table = window.runs_panel.table
    assert {table.item(r, 1).text() for r in range(table.rowCount())} >= {a.name, b.name}


def test_a_one_row_csv_is_refused_for_its_size_not_the_loss(qtbot, window, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("a,b,y\n1,2,0\n", encoding="utf-8")
    window.model.load(tiny_preset(data__source="csv", data__path=str(path)))
    field = window.config_panel.field("data.path")
    qtbot.waitUntil(lambda: "1 data row" in field.error, timeout=10_000)
    assert "loss" not in field.error


def test_png_export_holds_the_decision_boundary_beside_the_plots(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    train_to_end(qtbot, window, tiny_preset())
    view = window.data_view
    qtbot.waitUntil(lambda: view.boundary_image() is not None)
    path = window.run_files.export_to("png", tmp_path / "all.png")
    image = QImage(str(path))
    plots_width = window.plots.width()
    assert image.width() == plots_width + view.width()
    assert image.height() == max(window.plots.height(), view.height())
    # The right part is the data view as on screen: the boundary's tints, not white.
    shot = view.grab().toImage()
    for y in range(0, shot.height(), max(1, shot.height() // 20)):
        for x in range(0, shot.width(), max(1, shot.width() // 20)):
            assert image.pixel(plots_width + x, y) == shot.pixel(x, y)
    tints = {shot.pixel(x, shot.height() // 2) for x in range(shot.width())}
    assert len(tints) > 5


def test_a_growing_loss_is_drawn_on_a_log_axis(qtbot, window):
    from trainlab.presets import load_preset, preset_to_dict, shipped_presets

    train_to_end(qtbot, window, tiny_preset())
    assert not window.plots.log_y("loss")  # a falling loss stays linear
    path = next(p for _, p in shipped_presets() if p.stem == "lr_too_big")
    entry = train_to_end(qtbot, window, preset_to_dict(load_preset(path)))
    loss = np.asarray(entry.history["train_loss"], dtype=float)
    assert np.nanmax(loss[np.isfinite(loss)]) > 100 * loss[0]
    assert window.plots.log_y("loss") and window.plots.log_checkbox("loss").isChecked()
    # Unticked by hand, it stays unticked as the run's rows are drawn again.
    window.plots.log_checkbox("loss").setChecked(False)
    window.run_plots.show_history(entry.run_id)
    assert not window.plots.log_y("loss")


def drawn_matches(view, predict) -> bool:
    """Whether the boundary drawn is the picture of ``predict`` at the view's grid."""
    drawn = view.boundary_image()
    view.set_grid_predictions(predict(view.grid_inputs()))
    return drawn is not None and np.array_equal(drawn, view.boundary_image())


def test_the_boundary_follows_the_views_range(qtbot, window):
    from trainlab.session.network_model import network_for

    entry = train_to_end(qtbot, window, tiny_preset())
    view = window.data_view
    qtbot.waitUntil(lambda: view.boundary_image() is not None)
    net = network_for(entry.preset, entry.result.params_final)
    before = view.grid_inputs()
    view.plot_widget().getPlotItem().getViewBox().scaleBy((2.0, 2.0))  # as a resize can
    qtbot.waitUntil(lambda: not np.array_equal(view.grid_inputs(), before))
    (x0, x1), (y0, y1) = view.plot_widget().getPlotItem().getViewBox().viewRange()
    grid = view._grid
    assert np.allclose([grid[0, 0], grid[-1, 0], grid[0, 1], grid[-1, 1]], [x0, x1, y0, y1])
    rect = view._image.mapRectToParent(view._image.boundingRect())
    assert rect.left() < x0 and rect.right() > x1  # the picture covers the new range
    assert drawn_matches(view, lambda X: net.predict(X, entry.preset["loss"]["name"]))


def test_a_paused_runs_boundary_is_the_net_of_the_plotted_epoch(qtbot, window):
    from trainlab.session.network_model import network_for

    window.model.load(tiny_preset(training__epochs=100_000))
    window.start_run()
    entry = window.session.runs.entries[window.session.runs.current]
    qtbot.waitUntil(lambda: entry.history is not None and len(entry.history) > 30,
                    timeout=RUN_TIMEOUT)
    window.run_controls.toggle_training()
    qtbot.waitUntil(lambda: window.controller.state == "paused")
    assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
    report = window.run_display._report
    net = network_for(entry.preset, report.params())
    view = window.data_view
    loss = entry.preset["loss"]["name"]
    qtbot.waitUntil(lambda: drawn_matches(view, lambda X: net.predict(X, loss)))
    assert report.epoch == len(entry.history) - 1
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_run_folder_faults_and_a_full_disk_read_as_one_clear_message(qtbot, window, monkeypatch):
    import trainlab.runs.loop as loop
    from trainlab.runs.runfolder import DiskFull, RunFolderInUse

    window.model.load(tiny_preset())
    for fault, words in ((DiskFull(window.runs_dir / "a" / "metrics.csv"), "disk is full"),
                         (RunFolderInUse(window.runs_dir / "b"), "in use by another run")):
        def refuse(*args, fault=fault, **kwargs):
            raise fault

        monkeypatch.setattr(loop, "train", refuse)
        with qtbot.waitSignal(window.controller.failed, timeout=RUN_TIMEOUT):
            window.start_run()
        wait_idle(qtbot, window)
        shown = window.notices.current()
        assert words in shown and str(fault.path) in shown
        assert "Traceback" not in shown and "Error" not in shown and "\n" not in shown


def test_preset_problems_are_shown_escaped_on_one_line():
    from trainlab.gui.messages import friendly_error
    from trainlab.presets import PresetError

    text = friendly_error(PresetError([("data.x\x1b[31m", "bad\nline " + "y" * 5000)]))
    assert "\x1b" not in text and "\n" not in text and len(text) < 500


def test_a_large_csv_shows_progress_while_it_loads(qtbot, window, tmp_path):
    from tests.data.test_csv_progress import big_csv

    path = tmp_path / "big.csv"
    big_csv(path)
    said = []
    panel = window.config_panel
    original = panel.set_data_info
    panel.set_data_info = lambda text: (said.append(text), original(text))
    window.model.load(tiny_preset(data__source="csv", data__path=str(path),
                                  loss__name="mse"))
    qtbot.waitUntil(lambda: bool(said) and "samples" in said[-1], timeout=60_000)
    percents = [int(t.split()[-2]) for t in said if t.startswith("Loading the data… ")]
    assert percents and percents[-1] == 100 and percents == sorted(percents)


def test_a_linear_models_settings_fit_their_dock(qtbot, window):
    panel, host, dock = window.config_panel, window.config_panel.widget(), window.settings_dock
    for hidden in ([16, 16], []):
        window.model.load(tiny_preset(model__hidden=hidden))
        qtbot.waitUntil(lambda: host.width() <= panel.viewport().width()
                        and panel.width() <= dock.width())
        assert host.minimumSizeHint().width() <= panel.viewport().width()
        summary = panel.field("model.hidden").summary
        assert summary.mapTo(host, summary.rect().topRight()).x() <= panel.viewport().width()


def test_no_field_has_the_keys_after_the_unsaved_changes_dialog(qtbot, window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from trainlab.gui.preset_files import PresetFiles

    files = window.files
    files.ask_save_changes = PresetFiles.ask_save_changes.__get__(files)
    window.activateWindow()
    lr = window.config_panel.field("optimizer.lr").editor
    lr.setFocus()
    qtbot.keyClicks(lr, "5")
    assert window.session.draft.dirty
    asked = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Discard).click()

    QTimer.singleShot(0, answer)
    files.new_preset()
    assert asked and not window.session.draft.dirty
    qtbot.waitUntil(lambda: window.isActiveWindow() or QApplication.activeWindow() is None)
    QApplication.processEvents()
    assert not lr.hasFocus() and window.focusWidget() is not lr


def test_narrow_plots_show_a_title_that_fits(qtbot):
    from trainlab.gui.plotting import PlotsPanel
    from trainlab.gui.plotting.titles import SHORT_FORMS

    from .helpers import shown

    panel = shown(qtbot, PlotsPanel(), 1400, 700)
    panel.show()
    for width in (1400, 560):
        panel.resize(width, 700)
        for name, forms in SHORT_FORMS.items():
            label, check = panel._titles[name], panel.log_checkbox(name)

            def fits(label=label, check=check, forms=forms, width=width):
                text = label.text()
                return (text in forms and (text == forms[0] or width < 1400)
                        and label.fontMetrics().horizontalAdvance(text) <= label.width()
                        and label.geometry().right() < check.geometry().left())

            qtbot.waitUntil(fits)
    qtbot.waitUntil(lambda: panel.width() == 560 and all(
        panel._titles[n].text() != f[0] for n, f in SHORT_FORMS.items()))


def test_a_narrow_plots_legend_stacks_instead_of_running_off_the_plot(qtbot):
    from trainlab.gui.plotting import PlotsPanel

    from .helpers import make_history, shown

    panel = shown(qtbot, PlotsPanel(), 1400, 600)
    panel.show()
    panel.set_run(1, "#1 adam η=0.1 linear", make_history(), "classification")
    legend = panel._legends._legends["metric"]
    vb = panel.plot_widget("metric").getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: legend.columnCount == 2)  # room: side by side
    panel.resize(520, 600)
    qtbot.waitUntil(lambda: panel.width() == 520 and legend.columnCount == 1)
    assert legend.boundingRect().width() <= vb.width()
