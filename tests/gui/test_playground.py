"""The playground page: examples drawn, steps against race(), the start moved by a click, a bad
expression's message, live sliders, the arrows and the 1-D tangent."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.gui.playground.mode import shipped_playgrounds
from trainlab.playground import Race, race
from trainlab.playground.files import load_playground, playground_to_dict

EXAMPLES = shipped_playgrounds()


@pytest.fixture
def panel(qtbot):
    from trainlab.gui.playground.panel import PlaygroundPanel
    from trainlab.gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    p = PlaygroundPanel()
    qtbot.addWidget(p)
    p.resize(1280, 720)
    p.show()
    return p


def bowl(**changes) -> dict:
    d = {"format": "trainlab-playground", "name": "bowl", "steps": 30,
         "surface": {"name": "bowl", "kappa": 10, "angle": 20},
         "racers": [{"optimizer": {"name": "sgd", "lr": 0.1}},
                    {"optimizer": {"name": "momentum", "lr": 0.05, "momentum": 0.9}},
                    {"optimizer": {"name": "adam", "lr": 0.1}}]}
    d.update(changes)
    return d


def heads(panel) -> np.ndarray:
    return np.array(panel.map.heads.getData()).T


def test_the_examples_are_shipped():
    assert len(EXAMPLES) >= 11


@pytest.mark.parametrize("name,path", EXAMPLES, ids=[p.stem for _, p in EXAMPLES])
def test_each_example_draws_its_racers(panel, qtbot, name, path):
    panel.session.load(path)
    n = len(load_playground(path).racers)
    assert len(panel.map._paths) == n
    assert len(panel.losses._curves) == n
    assert panel.losses.table.rowCount() == n
    assert panel.title.text().startswith(name)
    panel.step_button.click()
    # every head sits on the last point of its racer's path (x, and y or f(w) in 1-D)
    expected = [(p[-1, 0], p[-1, 1] if panel.session.dims == 2 else f[-1])
                for _, p, f in panel.session.paths()]
    np.testing.assert_allclose(heads(panel), np.array(expected))
    # a surface of two variables is drawn as contour lines
    if panel.session.dims == 2:
        assert panel.map.static.isVisible() and panel.map.static.levels >= 5


def test_a_step_moves_each_head_as_race_says(panel):
    panel.session.load(bowl())
    expected = race(bowl(steps=3))
    for k in range(1, 4):
        panel.step_button.click()
        assert panel.session.updates == k
        want = np.array([r.points[k] for r in expected.values()])
        np.testing.assert_array_equal(heads(panel), want)
    assert panel.count.text() == "update 3 / 30"
    panel.reset_button.click()
    np.testing.assert_array_equal(heads(panel),
                                  np.array([r.points[0] for r in expected.values()]))


def test_play_runs_to_the_end_and_stops(panel, qtbot):
    panel.session.load(bowl(steps=12))
    panel.speed.setValue(2000)
    panel.play_button.click()
    assert panel.playing
    qtbot.waitUntil(lambda: panel.session.finished and not panel.playing, timeout=10_000)
    assert panel.play_button.text() == "Play"
    final = np.array([r.points[-1] for r in race(bowl(steps=12)).values()])
    np.testing.assert_array_equal(heads(panel), final)


def test_a_click_on_the_map_moves_the_start(panel, qtbot):
    panel.session.load(bowl())
    panel.step_button.click()
    vb = panel.map.getPlotItem().vb
    qtbot.waitUntil(lambda: vb.width() > 100)
    from PySide6.QtCore import QPointF, Qt

    view_pos = panel.map.mapFromScene(vb.mapViewToScene(QPointF(2, -3)))
    qtbot.mouseClick(panel.map.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    qtbot.waitUntil(lambda: panel.session.updates == 0)
    start = np.array(panel.session.race.file.resolved_start())
    np.testing.assert_allclose(start, [2, -3], atol=0.05)  # one pixel of a 10-wide view
    np.testing.assert_array_equal(heads(panel), np.tile(start, (3, 1)))
    expected = race(bowl(start=list(start), steps=1))
    panel.step_button.click()
    np.testing.assert_array_equal(heads(panel), [r.points[1] for r in expected.values()])


def test_a_start_outside_the_view_is_refused(panel):
    panel.session.load(bowl())
    panel.map.click_at(50.0, 0.0)
    assert "outside the view" in panel.message.text()
    assert panel.session.race.file.resolved_start() == Race(bowl()).file.resolved_start()


def test_a_bad_expression_shows_its_error_under_the_field(panel):
    editor = panel.surface_editor
    assert not editor.set_expression("x^2 + foo*y")
    assert editor.error.isVisible()
    assert "unknown name 'foo'" in editor.error.text()
    assert panel.session.race.surface.name != "expression"
    assert editor.set_expression("x^2 + 4*y^2")
    assert not editor.error.isVisible()
    assert panel.session.race.surface.name == "expression"
    np.testing.assert_allclose(panel.session.race.surface.grad([1.0, 1.0]), [2.0, 8.0])


def test_a_slider_recomputes_the_path_at_once(panel):
    panel.session.load(bowl())
    for _ in range(5):
        panel.step_button.click()
    editor = panel.racers_editor
    editor.list.setCurrentRow(0)
    slider, label, knob = editor.sliders["lr"]
    slider.setValue(knob.position(0.3))
    lr = knob.value(knob.position(0.3))
    assert panel.session.data["racers"][0]["optimizer"]["lr"] == pytest.approx(lr)
    changed = bowl()
    changed["racers"][0]["optimizer"]["lr"] = lr
    expected = Race(changed).run(5)
    np.testing.assert_array_equal(panel.session.paths()[0][1], expected["sgd"].points[:6])
    np.testing.assert_array_equal(heads(panel)[0], expected["sgd"].points[5])
    assert panel.session.updates == 5
    # sliders that the chosen optimizer does not use are off
    assert not editor.sliders["beta1"][0].isEnabled()
    editor.list.setCurrentRow(2)
    assert editor.sliders["beta1"][0].isEnabled()


def test_arrows_show_the_gradient_buffer_and_step(panel):
    from trainlab.gui.playground.surface_view import arrow_vector

    panel.session.load(bowl())
    panel.racers_editor.list.setCurrentRow(1)  # momentum
    panel.step_button.click()
    racer = panel.session.race.racers[1]
    line, tip = panel.map._arrows["step"]
    x, y = line.getData()
    np.testing.assert_allclose([x[0], y[0]], racer.point)
    want = racer.point + arrow_vector("step", racer.state.step, 10.0)
    np.testing.assert_allclose([x[1], y[1]], want)
    assert panel.map._arrows["momentum"][1].isVisible()
    panel.arrow_boxes["momentum"].setChecked(False)
    assert not panel.map._arrows["momentum"][1].isVisible()


def test_arrow_lengths_are_clamped_and_point_downhill():
    from trainlab.gui.playground.surface_view import arrow_vector

    np.testing.assert_allclose(arrow_vector("gradient", np.array([100.0, 0.0]), 10.0),
                               [-2.0, 0.0])
    np.testing.assert_allclose(arrow_vector("step", np.array([0.0, 1e-6]), 10.0), [0.0, 0.3])
    np.testing.assert_allclose(arrow_vector("momentum", np.array([0.0, -1.0]), 10.0),
                               [0.0, 1.0])


def test_one_dimensional_mode_draws_the_tangent(panel):
    panel.session.load({"format": "trainlab-playground", "surface": {"name": "parabola", "a": 2},
                        "start": [1.5], "racers": [{"optimizer": {"name": "sgd", "lr": 0.1}}]})
    x, y = panel.map.tangent.getData()
    slope = (y[1] - y[0]) / (x[1] - x[0])
    assert slope == pytest.approx(3.0)  # f(w) = a/2·w², f′(1.5) = 2·1.5
    assert "step left" in panel.map.slope.toPlainText()


def test_racers_are_added_up_to_eight_and_removed(panel):
    panel.session.load(bowl())
    while panel.racers_editor.add_button.isEnabled():
        panel.racers_editor.add_button.click()
    assert len(panel.session.race.racers) == 8
    assert len(panel.map._paths) == 8
    panel.racers_editor.remove_button.click()
    assert len(panel.session.race.racers) == 7


def test_penalty_draws_the_region_through_the_penalized_minimum(panel):
    panel.session.load(bowl(regularization={"l2": 1.0},
                            surface={"name": "bowl", "kappa": 1, "center": [2.0, 1.0]}))
    point = panel.session.penalized_minimum()
    # F = ½|p − c|² + ½|p|² is lowest at c/2 (to one grid cell)
    np.testing.assert_allclose(point, [1.0, 0.5], atol=0.03)
    x, y = panel.map.region.getData()
    np.testing.assert_allclose(np.hypot(x, y), np.linalg.norm(point))


def test_saved_playground_reads_back(panel, tmp_path):
    panel.session.load(bowl())
    panel.racers_editor.set_value("lr", 0.2)
    path = panel.session.save(tmp_path / "mine.json")
    assert playground_to_dict(load_playground(path)) == panel.session.data


def test_the_map_is_painted_once_and_stays_under_its_coordinates(panel, qtbot):
    """The shading and contours are one image, painted once per view: steps repaint only the
    paths; the image sits where the surface is (dark at the bowl's minimum, light far up)."""
    from PySide6.QtCore import QPointF

    panel.session.load(bowl(surface={"name": "bowl", "kappa": 1, "angle": 0}))
    panel.shaded_box.setChecked(True)
    vb = panel.map.getPlotItem().vb
    qtbot.waitUntil(lambda: vb.width() > 100)
    panel.map.minima.hide()  # the star would cover the minimum
    image = panel.map.grab().toImage()
    renders = panel.map.static.renders
    assert renders >= 1
    for _ in range(3):
        panel.step_button.click()
        panel.map.grab()
    assert panel.map.static.renders == renders

    def lightness(x, y):
        pos = panel.map.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
        patch = [image.pixelColor(pos.x() + i, pos.y() + j).lightness()
                 for i in range(-4, 5) for j in range(-4, 5)]
        return float(np.median(patch))  # a contour line or a path may cross the point

    view = panel.session.race.view
    corner = lightness(view[0] + 0.2, view[3] - 0.2)
    # viridis: dark purple (lightness 42) at the minimum, green to yellow (145) far up
    assert lightness(0.0, 0.0) < 60 and corner > 120
