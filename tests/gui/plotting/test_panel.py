"""PlotsPanel (trainlab/gui/plotting/panel.py): real widgets, offscreen; each test drives the
panel through its public API and checks what the plots then hold."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from trainlab.gui import colors
from trainlab.gui.plotting import PLOT_NAMES, PlotsPanel
from trainlab.gui.plotting.style import VAL_TINT
from trainlab.runs.history import History

from ..helpers import curve_count, make_history, shown


@pytest.fixture
def panel(qtbot):
    return shown(qtbot, PlotsPanel(), 900, 600)


def n_points(item):
    x, y = item.getData()
    return 0 if x is None else len(x)


def pen_color(item):
    return item.opts["pen"].color().name()


def test_set_run_draws_train_and_validation_loss(panel):
    panel.set_run("a", "SGD lr=0.1", make_history(10), "classification")
    assert curve_count(panel, "loss") == 2
    assert [n_points(c) for c in panel.curves("loss")] == [10, 10]
    assert curve_count(panel, "metric") == 2
    assert curve_count(panel, "lr") == 1
    assert curve_count(panel, "w_norm") == 2
    assert curve_count(panel, "g_norm") == 2
    assert panel.legend_labels("loss") == ["train", "validation"]
    assert panel.plot_widget("loss").getPlotItem().getAxis("bottom").labelText == "epoch"


def test_validation_all_nan_draws_one_loss_curve(panel):
    panel.set_run("a", "run", make_history(10, val=False), "classification")
    assert curve_count(panel, "loss") == 1
    assert curve_count(panel, "metric") == 1
    assert panel.legend_labels("loss") == ["train"]


def test_nan_inside_a_column_breaks_the_curve_but_keeps_it(panel):
    data = make_history(10).as_dict()
    data["val_loss"][3] = np.nan
    panel.set_run("a", "run", data, "classification")  # a plain dict works too
    assert curve_count(panel, "loss") == 2
    val = panel.curves("loss")[1]
    x, y = val.getData()
    assert len(x) == 10 and np.isnan(y[3]) and np.isfinite(np.delete(y, 3)).all()
    connect = val.opts["connect"]  # "finite", or dashes cut into the data (a bool array)
    assert isinstance(connect, str) and connect == "finite" or not connect[2:4].any()
    # g_norm is NaN at row 0: still a curve, with 9 finite points.
    assert all(np.isfinite(c.getData()[1]).sum() == 9 for c in panel.curves("g_norm"))


def test_update_run_grows_the_existing_curves(panel):
    h = make_history(10)
    short = History.from_dict({k: v[:4] for k, v in h.as_dict().items()})
    panel.set_run("a", "run", short, "classification")
    items_before = {name: list(panel.curves(name)) for name in PLOT_NAMES}
    plot_items_before = len(panel.plot_widget("loss").getPlotItem().items)
    assert [n_points(c) for c in panel.curves("loss")] == [4, 4]
    for i in range(4, 10):
        short.append(h.row(i))
        panel.update_run("a", short)
    assert [n_points(c) for c in panel.curves("loss")] == [10, 10]
    for name in PLOT_NAMES:  # same items, new data: no re-creation on the fast path
        assert panel.curves(name) == items_before[name]
    assert len(panel.plot_widget("loss").getPlotItem().items) == plot_items_before


def test_update_of_unknown_run_is_ignored(panel):
    panel.update_run("nobody", make_history(3))
    assert curve_count(panel, "loss") == 0


def test_regression_run_plots_r2(panel):
    panel.set_run("r", "reg", make_history(6, task="regression"), "regression")
    assert curve_count(panel, "metric") == 2
    assert panel.title("metric") == "R²"


def test_default_shows_the_current_run_only(panel):
    panel.set_run("a", "A", make_history(5), "classification")
    panel.set_run("b", "B", make_history(7), "classification")
    assert panel.current() == "b"  # a new run becomes current
    assert curve_count(panel, "loss") == 2
    assert [n_points(c) for c in panel.curves("loss")] == [7, 7]
    panel.set_current("a")
    assert [n_points(c) for c in panel.curves("loss")] == [5, 5]


def test_overlay_of_two_runs(panel):
    panel.set_run("a", "SGD lr=0.1", make_history(10, layers=2), "classification")
    panel.set_run("b", "Adam lr=0.01", make_history(8, layers=2, seed=1), "classification")
    panel.set_visible_runs(["a", "b"])
    assert curve_count(panel, "loss") == 4
    # One legend row per run: its name (training curve, in its hue) beside "val".
    assert panel.legend_labels("loss") == ["SGD lr=0.1", "val", "Adam lr=0.01", "val"]
    assert panel.legend_labels("lr") == []  # the loss legend keys the hues
    assert curve_count(panel, "lr") == 2
    # Layers of every run, keyed by dash in the legend.
    assert curve_count(panel, "w_norm") == 4
    assert panel.legend_labels("w_norm") == ["L1", "L2"]

    # Same run, same hue in every plot (validation in a lighter tint of it); runs differ.
    by_run = {}
    for run_id in ("a", "b"):
        curves = panel.run_curves(run_id)
        val = {pen_color(curves["loss"][1]), pen_color(curves["metric"][1])}
        hues = {pen_color(c) for items in curves.values() for c in items} - val
        assert len(hues) == 1 and len(val) == 1
        by_run[run_id] = hues.pop()
        assert val.pop() == colors.to_hex(*colors.tint(by_run[run_id], VAL_TINT))
    assert by_run["a"] != by_run["b"]
    assert by_run["a"] == QtGui.QColor(colors.categorical(0)).name()

    # The current run (b, the newest) is thicker and on top.
    a_loss = panel.run_curves("a")["loss"][0]
    b_loss = panel.run_curves("b")["loss"][0]
    assert b_loss.opts["pen"].widthF() > a_loss.opts["pen"].widthF()
    assert b_loss.zValue() > a_loss.zValue()


def test_changes_held_together_are_drawn_once_at_the_end(panel, monkeypatch):
    rebuilds = []
    original = panel._legends.rebuild
    monkeypatch.setattr(panel._legends, "rebuild", lambda: (rebuilds.append(1), original()))
    with panel.held():
        panel.set_run("a", "SGD lr=0.1", make_history(10, layers=2), "classification")
        panel.set_run("b", "Adam lr=0.01", make_history(8, layers=2, seed=1), "classification")
        panel.set_visible_runs(["a", "b"])
        panel.set_current("a")
        with panel.held():  # nested: still one redraw, at the outer end
            panel.set_visible_runs(["b", "a"])
        assert rebuilds == [] and panel.legend_labels("loss") == []
    assert len(rebuilds) == 1
    assert panel.legend_labels("loss") == ["Adam lr=0.01", "val", "SGD lr=0.1", "val"]
    a_loss, b_loss = panel.run_curves("a")["loss"][0], panel.run_curves("b")["loss"][0]
    assert a_loss.opts["pen"].widthF() > b_loss.opts["pen"].widthF()  # a is current
    assert a_loss.zValue() > b_loss.zValue()
    assert curve_count(panel, "loss") == 4


def test_single_run_layers_use_the_sequential_palette(panel):
    panel.set_run("a", "A", make_history(5, layers=3), "classification")
    expected = [QtGui.QColor(c).name() for c in colors.sequential(3)]
    assert [pen_color(c) for c in panel.curves("w_norm")] == expected
    assert panel.legend_labels("w_norm") == ["L1", "L2", "L3"]


def test_new_run_joins_an_overlay_and_unknown_runs_are_rejected(panel):
    panel.set_run("a", "A", make_history(5), "classification")
    panel.set_visible_runs(["a"])
    panel.set_run("b", "B", make_history(5), "classification")
    assert panel.drawn_runs() == ["a", "b"]
    with pytest.raises(KeyError):
        panel.set_visible_runs(["zzz"])


def test_remove_run_and_clear(panel):
    panel.set_run("a", "A", make_history(5), "classification")
    panel.set_run("b", "B", make_history(5), "classification")
    panel.set_visible_runs(["a", "b"])
    panel.remove_run("a")
    assert curve_count(panel, "loss") == 2
    assert panel.legend_labels("loss") == ["train", "validation"]
    panel.clear()
    assert all(curve_count(panel, name) == 0 for name in PLOT_NAMES)
    assert panel.legend_labels("loss") == []
    assert len(panel.plot_widget("loss").getPlotItem().items) == 0


def test_log_y_checkbox_switches_the_view_and_masks_non_positive_values(panel, qtbot):
    data = make_history(6).as_dict()
    data["train_loss"][2] = 0.0
    data["train_loss"][3] = -1.0
    panel.set_run("a", "A", data, "classification")
    vb = panel.plot_widget("loss").getPlotItem().getViewBox()
    assert not panel.log_y("loss") and not vb.state["logMode"][1]

    box = panel.log_checkbox("loss")
    qtbot.mouseClick(box, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(6, box.height() // 2))
    assert box.isChecked()
    assert panel.log_y("loss") and vb.state["logMode"][1]
    train = panel.curves("loss")[0]
    assert np.isnan(train.yData[2]) and np.isnan(train.yData[3])  # masked before log10
    assert np.isfinite(train.yData[[0, 1, 4, 5]]).all()
    panel.grab()  # paints without error

    box.setChecked(False)
    assert not vb.state["logMode"][1]
    assert train.yData[3] == -1.0  # linear again: the value is back


def test_gradient_norms_are_log_by_default(panel):
    assert panel.log_y("g_norm")
    assert panel.log_checkbox("g_norm").isChecked()
    assert panel.plot_widget("g_norm").getPlotItem().getViewBox().state["logMode"][1]
    assert not panel.log_y("w_norm")


def test_constant_learning_rate_is_drawn_against_zero(panel):
    panel.set_run("a", "A", make_history(10), "classification")  # η = 0.1 throughout
    (y0, y1) = panel.plot_widget("lr").getPlotItem().getViewBox().viewRange()[1]
    assert y0 <= 0.0 < 0.1 < y1 < 0.12  # not pyqtgraph's ±0.5 band around a flat line


def test_validation_curves_are_solid_thinner_and_lighter(panel):
    panel.set_run("a", "A", make_history(10), "classification")
    train, val = panel.curves("loss")
    assert val.opts["pen"].style() == QtCore.Qt.PenStyle.SolidLine
    assert val.opts["pen"].widthF() < train.opts["pen"].widthF()
    assert QtGui.QColor(pen_color(val)).lightness() > QtGui.QColor(pen_color(train)).lightness()


def test_long_noisy_dashed_curves_use_a_solid_pen(panel, qtbot):
    """Qt's dashed thick pens cost seconds per frame on long noisy curves; they must not
    be used there, yet an overlaid layer curve must still look dashed."""
    rng = np.random.default_rng(0)
    noisy = make_history(3000, layers=2).as_dict()
    noisy["w_norm_2"] = 1.0 + 0.5 * rng.random(3000)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_run("a", "A", noisy, "classification")
    panel.set_run("b", "B", make_history(10, layers=2), "classification")
    panel.set_visible_runs(["a", "b"])
    layer2 = panel.run_curves("a")["w_norm"][1]
    assert layer2.opts["pen"].style() == QtCore.Qt.PenStyle.SolidLine
    connect = layer2.opts["connect"]
    assert isinstance(connect, np.ndarray) and 0.2 < connect.mean() < 0.9
    # A short smooth one keeps Qt's exact dashes.
    short = panel.run_curves("b")["w_norm"][1]
    assert short.opts["pen"].style() == QtCore.Qt.PenStyle.CustomDashLine


def test_long_curves_are_decimated_to_two_points_per_pixel(panel, qtbot):
    rng = np.random.default_rng(1)
    data = make_history(20000, layers=1).as_dict()
    data["train_loss"] = 1.0 + rng.random(20000)
    data["train_loss"][12345] = 9.0  # a spike must survive decimation
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_run("a", "A", data, "classification")
    train = panel.curves("loss")[0]
    width = panel.plot_widget("loss").getPlotItem().getViewBox().width()
    assert n_points(train) <= 2 * max(width, 200) + 10
    assert np.nanmax(train.getData()[1]) == 9.0


def test_axes_are_not_redrawn_while_the_range_stays(panel, qtbot):
    """A frame that only adds points inside the current ranges must not re-generate the axes
    (their pictures and grid), only the curves."""
    panel.show()
    qtbot.waitExposed(panel)
    history = make_history(200)
    panel.set_run("a", "A", history, "classification")
    panel.grab()
    axis = panel.plot_widget("w_norm").getPlotItem().getAxis("bottom")
    before = axis.picture
    assert before is not None
    panel.update_run("a", history)
    panel.grab()
    assert axis.picture is before


def test_empty_plots_show_no_legend_box(panel):
    assert not any(panel.legend_shown(name) for name in PLOT_NAMES)
    panel.set_run("a", "A", make_history(5), "classification")
    assert panel.legend_shown("loss") and not panel.legend_shown("lr")


def test_panel_exports_png_and_svg(panel, tmp_path):
    panel.set_run("a", "A", make_history(10), "classification")
    png = panel.export_png(tmp_path / "plots.png")
    assert png.stat().st_size > 0 and not QtGui.QImage(str(png)).isNull()
    svgs = panel.export_svg(tmp_path / "plots.svg")
    assert [p.name for p in svgs] == [f"plots_{n}.svg" for n in PLOT_NAMES]
    for path in svgs:
        assert "<svg" in path.read_text()
    assert "Loss" in svgs[0].read_text()  # the title goes into the file
    assert not panel.plot_widget("loss").getPlotItem().titleLabel.isVisible()  # out again


def test_a_short_zoomed_layer_plot_keeps_its_x_axis_beside_its_legend(qtbot):
    """Three layers' legend rows beside a short plot zoomed up: the legend takes the height
    beside the x axis too, so the x axis keeps the height its labels need."""
    from trainlab.gui.plotting.look import set_look

    set_look(1.5, False)
    try:
        panel = PlotsPanel()
        panel.set_run("a", "A", make_history(20, layers=3), "classification")
        panel.restyle()
        shown(qtbot, panel, 900, 300).show()
        qtbot.waitExposed(panel)
        axis = panel.plot_widget("w_norm").getPlotItem().getAxis("bottom")
        legend = panel._legends["w_norm"]
        qtbot.waitUntil(lambda: legend.isVisible() and axis.geometry().height() > 0)
        assert panel.legend_labels("w_norm") == ["L1", "L2", "L3"]
        legend_height = legend.boundingRect().height()
        view_height = panel.plot_widget("w_norm").getPlotItem().getViewBox().height()
        widget = panel.plot_widget("w_norm")
        bottom = widget.mapFromScene(axis.mapToScene(axis.boundingRect().bottomLeft())).y()
        assert bottom <= widget.viewport().height() + 1  # the x axis is not cut off
        assert axis.geometry().height() >= axis.minimumHeight() - 0.5
        assert view_height < legend_height  # the case: the legend is taller than the plot area
    finally:
        set_look(1.0, False)


@pytest.mark.parametrize("corner", ["tr", "br"])
def test_the_best_epoch_words_stand_clear_of_the_loss_legend(qtbot, corner):
    """A small loss plot: the best epoch's words stand below a legend in a top corner and
    above one in a bottom corner, not on it."""
    from trainlab.gui.plotting.markers import RunMarkers
    from trainlab.gui.plotting.style import CORNER_OFFSETS

    panel = shown(qtbot, PlotsPanel(), 520, 400)
    panel.show()
    qtbot.waitExposed(panel)
    history = make_history(300, layers=2)
    panel.set_run("a", "A", history, "classification")
    markers = RunMarkers(panel.plot_widget("loss"), panel.plot_widget("g_norm"))
    legend = panel._legends["loss"]
    legend.setOffset(CORNER_OFFSETS[corner])
    markers.update(history, None, None)
    label = markers.best_line.label

    def words_rect():
        return label.mapRectToScene(label.boundingRect())

    # laid out: the words on one line beside the line
    qtbot.waitUntil(lambda: legend.isVisible() and 0 < words_rect().height() < 60)
    assert markers.best is not None
    words = words_rect()
    box = legend.mapRectToScene(legend.boundingRect())
    assert not words.intersects(box), (words, box)
    assert (words.top() > box.bottom()) == (corner == "tr")
