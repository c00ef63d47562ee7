"""The network view, distributions, backprop steps and activation functions in the window:
what the diagram shows when a run trains, what a click shows, a weight edited by hand (it
reaches a paused run, and only the view of a finished one), wide inputs stay bounded."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt

from trainlab.gui.network_view.diagram import edge_width
from trainlab.gui.network_view.panel import NetworkPanel
from trainlab.runs.loop import train
from trainlab.session.network_model import MAP_GRID, MAX_SHOWN, NetworkInspector, network_for

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end, wait_idle


def trained_panel(qtbot, window):
    """The network view of a window that trained the tiny preset."""
    window.inside.open("Network")
    train_to_end(qtbot, window, tiny_preset())
    panel = window.inside.network
    qtbot.waitUntil(lambda: panel.inspector is not None)
    return panel


def test_diagram_follows_a_training_run(qtbot, window):
    inside = window.inside
    inside.open("Network")
    inside.open("Distributions")
    entry = train_to_end(qtbot, window, tiny_preset(training__epochs=8))
    panel = inside.network
    qtbot.waitUntil(lambda: panel.refreshes > 0 and inside.model is not None)
    ins = inside.inspector
    final = entry.result.params_final
    np.testing.assert_array_equal(ins.net.params["W1"], final["W1"])
    # each edge's pen is as wide as its (final) weight says
    for (layer, i, j), edge in panel.diagram.edges.items():
        w = final[f"W{layer + 1}"][i, j]
        assert edge.weight == w and edge.pen().widthF() == edge_width(w)
    # the inputs are a plane: each unit a picture of the grid, hidden unit 1's tip its range
    assert ins.on_plane and ins.values()[1].shape == (MAP_GRID * MAP_GRID, 4)  # thinned grid
    assert not panel.diagram.units[(1, 0)].pixmap().isNull()
    assert panel.diagram.units[(0, 0)].toolTip().startswith("x1")
    # distributions were collected and drawn: the median band is the median of the weights
    epochs, bands = inside.model.bands(0, "weights")
    assert len(epochs) >= 1 and epochs[-1] == 8
    np.testing.assert_allclose(bands[-1, 4], np.median(final["W1"]))
    assert inside.distributions.refreshes > 0
    np.testing.assert_allclose(inside.distributions.band_values()[:, 4], bands[:, 4])


def test_a_run_finished_with_the_view_closed_shows_its_kept_epochs_when_opened(qtbot, window):
    inside = window.inside
    entry = train_to_end(qtbot, window, tiny_preset(training__epochs=6))
    panel = inside.network
    assert panel.inspector is None  # nothing was stacked or drawn for a closed view
    inside.open("Network")
    qtbot.waitUntil(lambda: panel.inspector is not None and panel.slider.maximum() > 0)
    epochs, stacked = entry.result.weights_history
    assert list(epochs) == list(range(7)) and panel.slider.maximum() == 6
    assert panel.slider.value() == 6
    np.testing.assert_array_equal(inside.inspector.net.params["W1"],
                                  entry.result.params_final["W1"])
    panel.slider.setValue(0)  # the initial weights
    np.testing.assert_array_equal(inside.inspector.net.params["W1"], stacked["W1"][0])
    assert not np.array_equal(stacked["W1"][0], stacked["W1"][6])


def test_click_a_unit_shows_it_large_and_an_edit_moves_its_map(qtbot, window):
    panel = trained_panel(qtbot, window)
    item = panel.diagram.units[(1, 2)]
    point = panel.diagram.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(panel.diagram.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert "hidden 1" in panel.caption.text() and "h1.3" in panel.caption.text()
    assert panel.large.pixmap().width() == 220
    before = panel.inspector.unit_map(1, 2).copy()
    panel.can_edit = lambda: "view"
    panel.edit_edge(0, 0, 2)
    panel.value.setValue(3.0)
    with qtbot.waitSignal(panel.weightEdited) as signal:
        panel.apply.click()
    assert signal.args == ["W1", 0, 2, 3.0]
    assert panel.diagram.edges[(0, 0, 2)].pen().widthF() == edge_width(3.0)
    assert not np.array_equal(panel.inspector.unit_map(1, 2), before)


def double_click_edge(qtbot, panel, key) -> None:
    """Double-click the diagram's edge ``key`` (layer, i, j) where no other item covers it."""
    diagram = panel.diagram
    edge = diagram.edges[key]
    line = edge.line()
    for t in np.linspace(0.1, 0.9, 17):
        point = diagram.mapFromScene(edge.mapToScene(line.pointAt(float(t))))
        if diagram.itemAt(point) is edge:
            qtbot.mouseDClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=point)
            return
    raise AssertionError(f"edge {key} is covered everywhere")


def boundary_of(view, preset, params):
    """The boundary the data view draws for the net with ``params`` (drawn and read back)."""
    net = network_for(preset, params)
    view.set_grid_predictions(net.predict(view.grid_inputs(), loss=preset["loss"]["name"]))
    return view.boundary_image()


def paused_after(qtbot, window, epochs: int = 1, updates: int = 0):
    """A 200-epoch run started paused, stepped ``epochs`` epochs and ``updates`` updates, its
    network view showing where it waits: (entry, panel)."""
    inside = window.inside
    inside.open("Network")
    window.model.load(tiny_preset(training__epochs=200))
    window.run_controls.step_epoch()  # start paused, one epoch
    for _ in range(epochs - 1):
        assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
        window.run_controls.step_epoch()
    for _ in range(updates):
        assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
        window.run_controls.step_update()
    assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
    entry = window.session.runs.entries[window.session.runs.current]
    panel = inside.network
    qtbot.waitUntil(lambda: not window.controller.frame_waiting
                    and inside._at is not None and inside._at[0] == epochs
                    and (inside._at[1] == updates or not updates)
                    and panel.status.text() == f"live · epoch {epochs}", timeout=RUN_TIMEOUT)
    return entry, panel


def test_a_weight_edited_in_a_paused_run_reaches_the_run_and_its_preset(qtbot, window):
    entry, panel = paused_after(qtbot, window)
    view = window.data_view
    at_1 = panel.inspector.params()
    double_click_edge(qtbot, panel, (0, 0, 2))
    assert panel.edit_label.text() == "w from x1 to h1.3" and panel.apply.isEnabled()
    panel.value.setValue(2.5)
    panel.apply.click()
    assert window.inside.sent == [{"W1": [[0, 2, 2.5]]}]
    assert window.notices.current() == ("W1[0, 2] = 2.5: the run goes on from this weight with "
                                        "epoch 2 (recorded in its preset's changes).")
    # the maps and the decision boundary show the edited weight at once, and keep it while
    # the run waits
    assert panel.inspector.params()["W1"][0, 2] == 2.5
    edited = dict(at_1, W1=at_1["W1"].copy())
    edited["W1"][0, 2] = 2.5
    shown = view.boundary_image()
    window.run_display._catch_up()  # as a pause's later redraw does
    np.testing.assert_array_equal(view.boundary_image(), shown)
    np.testing.assert_array_equal(shown, boundary_of(view, entry.preset, edited))
    assert not np.array_equal(shown, boundary_of(view, entry.preset, at_1))

    window.run_controls.step_epoch()  # epoch 2 trains from the edited weight
    qtbot.waitUntil(lambda: len(entry.history) == 3, timeout=RUN_TIMEOUT)
    qtbot.waitUntil(lambda: window.timeline.marks.change_labels() == ["W1[0, 2] = 2.5"],
                    timeout=RUN_TIMEOUT)
    window.run_controls.stop()
    wait_idle(qtbot, window)
    change = {"epoch": 2, "weights": {"W1": [[0, 2, 2.5]]}}
    result = entry.result
    assert result.preset["changes"] == [change]
    assert json.loads((entry.out_dir / "preset.json").read_text())["changes"] == [change]
    assert not (entry.out_dir / "weight_edits.jsonl").exists()
    # the preset as saved trains the same two epochs, bit for bit; without the edit, not
    again = train(entry.out_dir / "preset.json", epochs=2, write_files=False)
    plain = train(tiny_preset(), epochs=2, write_files=False)
    for name, value in result.params_final.items():
        np.testing.assert_array_equal(again.params_final[name], value, err_msg=name)
    np.testing.assert_array_equal(again.history["train_loss"], result.history["train_loss"])
    assert not np.array_equal(plain.params_final["W1"], result.params_final["W1"])


def test_an_edit_within_an_epoch_waits_for_the_end_of_that_epoch(qtbot, window):
    entry, panel = paused_after(qtbot, window, epochs=1, updates=1)
    double_click_edge(qtbot, panel, (1, 3, 0))
    panel.value.setValue(-1.0)
    panel.apply.click()
    assert window.notices.current() == (
        "W2[3, 0] = -1: the run first finishes epoch 2 with the weights it has, then goes on "
        "from this weight with epoch 3 (recorded in its preset's changes).")
    window.run_controls.step_epoch()  # the rest of epoch 2, with the weights it had
    qtbot.waitUntil(lambda: len(entry.history) == 3, timeout=RUN_TIMEOUT)
    assert window.controller.control.wait_parked(RUN_TIMEOUT / 1000)
    assert window.live_changes.changes_of(entry) == []  # not in force yet
    window.run_controls.step_epoch()  # epoch 3 trains from the edited weight
    qtbot.waitUntil(lambda: window.timeline.marks.change_labels() == ["W2[3, 0] = -1"],
                    timeout=RUN_TIMEOUT)
    window.run_controls.stop()
    wait_idle(qtbot, window)
    assert entry.result.preset["changes"] == [{"epoch": 3, "weights": {"W2": [[3, 0, -1.0]]}}]


def test_a_running_run_cannot_be_edited_and_a_finished_one_only_in_its_view(qtbot, window):
    panel = trained_panel(qtbot, window)
    entry = window.session.runs.entries[window.session.runs.current]
    final = entry.result.params_final["W1"].copy()
    panel.edit_edge(0, 0, 0)      # the run is over: the view's copy only
    assert panel.edit_label.text() == "w from x1 to h1.1 (this view only: the run is over)"
    panel.value.setValue(1.5)
    panel.apply.click()
    assert panel.inspector.params()["W1"][0, 0] == 1.5
    assert window.notices.current() == ("W1[0, 0] = 1.5 in this view only: the run is over, "
                                        "its weights and files stay as trained.")
    assert window.inside.sent == [] and entry.result.preset["changes"] == []
    np.testing.assert_array_equal(entry.result.params_final["W1"], final)

    window.model.load(tiny_preset(training__epochs=1_000_000))
    assert window.start_run()
    qtbot.waitUntil(lambda: window.inside.inspector is not None, timeout=RUN_TIMEOUT)
    panel.edit_edge(0, 0, 0)      # running
    assert panel.edit_label.text() == "Pause the run to edit a weight."
    assert not panel.apply.isEnabled()
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_784_inputs_draw_a_bounded_diagram(qtbot):
    preset = tiny_preset(model__hidden=[64, 32])
    from trainlab.engine import Network

    params = Network([784, 64, 32, 10], seed=0).params
    X = np.random.default_rng(0).random((300, 784))
    panel = NetworkPanel()
    qtbot.addWidget(panel)
    panel.set_inspector(NetworkInspector(preset, params, None, X))
    # units, frames and edges of the first ten of each column, a few labels: no more
    n = MAX_SHOWN
    edges = n * n + n * n + n * n
    assert panel.diagram.item_count() <= 4 * (2 * n) + edges + 20
    assert any(label.text() == f"+{784 - n} more" for label in panel.diagram.labels)
    assert panel.inspector.values()[0].shape == (300, n)


def test_backprop_steps_in_the_window(qtbot, window):
    inside = window.inside
    inside.open("Network")
    inside.open("Backprop")
    train_to_end(qtbot, window, tiny_preset(model__hidden=[3]))
    qtbot.waitUntil(lambda: inside.inspector is not None)
    inside.step_through(5)
    view = inside.backprop
    assert view.title.text().startswith("Step 1 /") and not view.previous.isEnabled()
    steps = view.steps.steps
    view.next.click()
    assert "z1.1" in view.formula.text()
    view.go(len(steps) - 1)
    assert view.title.text().startswith(f"Step {len(steps)} / {len(steps)}: Backward: layer 1")
    delta = view.steps.trace[0]["delta"][0, 0]
    assert f"δ={delta:.3g}" in view.diagram.texts[(1, 0)].text()


def test_activation_functions_view_highlights_the_chosen_one(qtbot, window):
    view = window.inside.show_activations(["relu"])
    line, slope = view.items["relu"]
    assert line.opts["pen"].widthF() == 3.0 and view.items["tanh"][0].opacity() < 1
    assert "relu: f(x) = max(0,x)" in view.formulas.text()
    x, f = line.getData()
    np.testing.assert_array_equal(f, np.maximum(x, 0))


def test_a_columns_pictures_are_each_units_own_picture(qtbot):
    from trainlab.gui.network_view.pictures import map_pixmap, map_pixmaps

    rng = np.random.default_rng(5)
    values = rng.normal(size=(9 * 9, 4)) * np.array([1.0, 10.0, 0.0, 1e-3])
    values[3, 0] = np.nan
    pictures = map_pixmaps(values, 9, 44)
    assert len(pictures) == 4
    for u in range(4):  # each unit on its own scale, as one picture at a time draws it
        assert pictures[u].toImage() == map_pixmap(values[:, u].reshape(9, 9), 44).toImage()


def test_an_edges_pen_changes_only_with_its_look_and_its_tip_says_the_weight(qtbot):
    from trainlab.gui.network_view.diagram import NetworkDiagram
    from trainlab.session.network_model import Column

    diagram = NetworkDiagram()
    qtbot.addWidget(diagram)
    diagram.set_columns([Column("inputs", "inputs", 1, ["x1"]),
                         Column("outputs", "outputs", 1, ["y"])])
    edge = diagram.edges[(0, 0, 0)]
    diagram.set_weights(0, np.array([[0.5]]))
    pen = edge.pen()
    assert pen.widthF() == edge_width(0.5) == 1.5
    diagram.set_weights(0, np.array([[0.51]]))  # the same quarter pixel: the pen stays
    assert edge.weight == 0.51 and edge.pen() == pen
    diagram.set_weights(0, np.array([[-0.51]]))  # the other sign: the other colour
    assert edge.pen().color() != pen.color() and edge.pen().widthF() == 1.5
    assert edge.tip().startswith("w = -0.51")



def test_inside_docks_that_would_push_the_window_past_its_screen_become_tabs_of_runs(
        qtbot, window):
    # the test window is at its least width: the views do not fit beside the Runs table
    before = window.minimumSizeHint().width()
    runs = window.runs_dock
    network, distributions = (next(d for d in window.inside.docks if d.windowTitle() == t)
                              for t in ("Network", "Distributions"))
    window.inside.open("Network")
    window.inside.open("Distributions")
    qtbot.waitUntil(lambda: {network, distributions} <= set(window.tabifiedDockWidgets(runs)))
    # the last one opened is the tab in front; the one behind it is not drawn
    qtbot.waitUntil(lambda: window.inside.in_sight(distributions)
                    and not window.inside.in_sight(network))
    assert window.minimumSizeHint().width() <= before + 40  # not the sum of the docks' widths
    assert window.width() <= max(window.screen().availableGeometry().width(),
                                 window.minimumSizeHint().width())


def test_inside_docks_stay_beside_the_runs_where_the_plots_have_room(qtbot, window):
    from PySide6.QtWidgets import QApplication

    window.resize(3200, window.height())  # the plots are wider than the two views together
    qtbot.waitUntil(lambda: window.centralWidget().width() > 1500)
    network = next(d for d in window.inside.docks if d.windowTitle() == "Network")
    window.inside.open("Network")
    qtbot.waitUntil(lambda: network.isVisible() and window.runs_dock.isVisible())
    for _ in range(3):  # the placing runs on the next turns of the event loop
        QApplication.processEvents()
    assert network not in window.tabifiedDockWidgets(window.runs_dock)
    assert window.inside.in_sight(network) and window.inside.in_sight(window.runs_dock)


def test_a_short_runs_distributions_come_from_its_kept_epochs(qtbot, window):
    from trainlab.gui.network_view import FINISHED_SAMPLES

    inside = window.inside
    inside.open("Distributions")
    entry = train_to_end(qtbot, window, tiny_preset(training__epochs=90))
    qtbot.waitUntil(lambda: inside.model is not None and len(inside.model.epochs) > 10)
    kept_epochs, stacked = entry.result.weights_history
    epochs, bands = inside.model.bands(0, "weights")
    # evenly over the run, first and last included, each epoch's own weights
    assert epochs[0] == 0 and epochs[-1] == 90 and len(epochs) == FINISHED_SAMPLES
    assert set(epochs.astype(int)) <= set(kept_epochs.tolist())
    for e, band in zip(epochs.astype(int), bands, strict=True):
        w1 = stacked["W1"][list(kept_epochs).index(e)]
        np.testing.assert_allclose(band[4], np.median(w1))
    assert inside.distributions.refreshes > 0
