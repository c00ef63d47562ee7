"""View ▸ Presentation, zoom, high contrast and maximized plots, on the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .helpers import make_history


@pytest.fixture(autouse=True)
def normal_look():
    yield
    from trainlab.gui.plotting.look import set_look

    set_look(1.0, False)  # the look is the process's: leave it as other tests expect it


def _tick_pt(window, plot="loss"):
    return window.plots.plot_widget(plot).getPlotItem().getAxis("left").style["tickFont"] \
        .pointSize()


def test_zoom_scales_fonts_lines_and_is_remembered(qtbot, window, tmp_path):
    from trainlab.gui.plotting.style import LINE_PX, TICK_PT
    from trainlab.gui.settings import Settings

    window.plots.set_run(1, "A", make_history(), "classification")
    app_pt = QApplication.instance().font().pointSizeF()
    assert _tick_pt(window) == TICK_PT
    window.presentation.zoom_in_action.trigger()
    window.presentation.zoom_in_action.trigger()
    assert window.view_model.zoom == 1.25
    assert _tick_pt(window) == round(TICK_PT * 1.25)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(app_pt * 1.25)
    assert window.plots._titles["loss"].font().pointSize() > 13
    curve = window.plots.curves("loss")[0]
    assert curve.opts["pen"].widthF() == pytest.approx(LINE_PX * 1.25)
    assert Settings(tmp_path / "settings.ini").zoom() == 1.25
    window.presentation.zoom_reset_action.trigger()
    assert QApplication.instance().font().pointSizeF() == pytest.approx(app_pt)
    assert _tick_pt(window) == TICK_PT


def test_presentation_goes_full_screen_and_folds_the_settings(qtbot, window):
    p = window.presentation
    assert p.presentation_action.shortcut().toString() == "F11"
    p.presentation_action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert window.view_model.zoom > 1.0
    assert not window.settings_dock.isVisible()
    assert p.strip.isVisible()
    qtbot.mouseClick(p.strip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.settings_dock.isVisible())
    qtbot.mouseClick(p.strip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.settings_dock.isVisible())
    p.presentation_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.settings_dock.isVisible() and not p.strip.isVisible()


def test_double_click_maximizes_a_plot_and_restores_it(qtbot, window):
    plots = window.plots
    viewport = plots.plot_widget("metric").viewport()
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton)
    assert plots.maximizer.maximized == "metric"
    assert [n for n, c in plots._cells.items() if c.isVisible()] == ["metric"]
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton)
    assert plots.maximizer.maximized is None
    assert all(c.isVisible() for c in plots._cells.values())


def test_high_contrast_recolours_curves_and_swatches_and_is_remembered(qtbot, window,
                                                                       tmp_path):
    from trainlab.gui import colors
    from trainlab.gui.settings import Settings

    entry = window.session.runs.open("a", {}, make_history(), "classification")
    window.presentation.contrast_action.trigger()
    assert window.view_model.high_contrast
    curve = window.plots.run_curves(entry.run_id)["loss"][0]
    hue = colors.HIGH_CONTRAST[entry.color]
    assert curve.opts["pen"].color().name() == hue
    swatch = window.runs_panel.table.item(0, 0).background().color().name()
    assert swatch == hue
    assert Settings(tmp_path / "settings.ini").theme() == "high_contrast"
    window.presentation.contrast_action.trigger()
    assert curve.opts["pen"].color().name() == colors.QUALITATIVE[entry.color]
