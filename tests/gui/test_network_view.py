"""The network view, distributions, backprop steps and activation functions in the window:
what the diagram shows when a run trains, what a click shows, wide inputs stay bounded."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from trainlab.gui.network_view.diagram import edge_width
from trainlab.gui.network_view.panel import NetworkPanel
from trainlab.session.network_model import MAP_GRID, MAX_SHOWN, NetworkInspector

from .helpers import tiny_preset, train_to_end


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


def test_click_a_unit_shows_it_large_and_an_edit_moves_its_map(qtbot, window):
    panel = trained_panel(qtbot, window)
    item = panel.diagram.units[(1, 2)]
    point = panel.diagram.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(panel.diagram.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert "hidden 1" in panel.caption.text() and "h1.3" in panel.caption.text()
    assert panel.large.pixmap().width() == 220
    before = panel.inspector.unit_map(1, 2).copy()
    panel.can_edit = lambda: True
    panel.edit_edge(0, 0, 2)
    panel.value.setValue(3.0)
    with qtbot.waitSignal(panel.weightEdited) as signal:
        panel.apply.click()
    assert signal.args == ["W1[0, 2]", 3.0]
    assert panel.diagram.edges[(0, 0, 2)].pen().widthF() == edge_width(3.0)
    assert not np.array_equal(panel.inspector.unit_map(1, 2), before)


def test_edits_need_a_paused_run(qtbot, window):
    panel = trained_panel(qtbot, window)
    panel.edit_edge(0, 0, 0)      # the run is over, not paused
    assert "Pause" in panel.edit_label.text() and not panel.apply.isEnabled()


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
