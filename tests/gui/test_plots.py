"""PlotsPanel (trainlab/gui/plots.py) and the export helpers (trainlab/gui/export.py).

Real widgets, offscreen: each test drives the panel through its public API and checks what the
plots then hold.
"""

import csv
import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui

from trainlab.gui import colors
from trainlab.gui.export import (
    export_history_csv,
    export_plot_svg,
    export_weights_npz,
    export_widget_png,
)
from trainlab.gui.plots import (
    PLOT_NAMES,
    VAL_TINT,
    PlotsPanel,
    _dash_mask,
    configure_pyqtgraph,
    emptiest_corner,
    follow_y,
    log_tick_label,
    nice_ceil,
    peak_decimate,
)
from trainlab.runs.history import History, history_columns


def make_history(rows=10, layers=2, task="classification", val=True, seed=0):
    """A History like the loop writes: row 0 initial weights, g_norm NaN at row 0."""
    rng = np.random.default_rng(seed)
    metric = "acc" if task == "classification" else "r2"
    h = History(history_columns(layers, task))
    for e in range(rows):
        row = {
            "epoch": e,
            "lr": 0.1,
            "train_loss": 1.0 / (e + 1),
            "val_loss": 1.2 / (e + 1) if val else np.nan,
            f"train_{metric}": 0.5 + 0.04 * e,
            f"val_{metric}": 0.45 + 0.04 * e if val else np.nan,
            "penalty": 0.0,
            "seconds": 0.01 * e,
        }
        for layer in range(1, layers + 1):
            row[f"w_norm_{layer}"] = layer + 0.1 * e + 0.01 * rng.random()
            row[f"g_norm_{layer}"] = np.nan if e == 0 else 10.0**-layer
        h.append(row)
    return h


@pytest.fixture
def panel(qtbot):
    configure_pyqtgraph()
    widget = PlotsPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    return widget


def n_points(item):
    x, y = item.getData()
    return 0 if x is None else len(x)


def pen_color(item):
    return item.opts["pen"].color().name()


def test_set_run_draws_train_and_validation_loss(panel):
    panel.set_run("a", "SGD lr=0.1", make_history(10), "classification")
    assert panel.curve_count("loss") == 2
    assert [n_points(c) for c in panel.curves("loss")] == [10, 10]
    assert panel.curve_count("metric") == 2
    assert panel.curve_count("lr") == 1
    assert panel.curve_count("w_norm") == 2
    assert panel.curve_count("g_norm") == 2
    assert panel.legend_labels("loss") == ["train", "validation"]
    assert panel.plot_widget("loss").getPlotItem().getAxis("bottom").labelText == "epoch"


def test_validation_all_nan_draws_one_loss_curve(panel):
    panel.set_run("a", "run", make_history(10, val=False), "classification")
    assert panel.curve_count("loss") == 1
    assert panel.curve_count("metric") == 1
    assert panel.legend_labels("loss") == ["train"]


def test_nan_inside_a_column_breaks_the_curve_but_keeps_it(panel):
    data = make_history(10).as_dict()
    data["val_loss"][3] = np.nan
    panel.set_run("a", "run", data, "classification")  # a plain dict works too
    assert panel.curve_count("loss") == 2
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
    assert panel.curve_count("loss") == 0


def test_regression_run_plots_r2(panel):
    panel.set_run("r", "reg", make_history(6, task="regression"), "regression")
    assert panel.curve_count("metric") == 2
    assert panel.title("metric") == "R²"


def test_default_shows_the_current_run_only(panel):
    panel.set_run("a", "A", make_history(5), "classification")
    panel.set_run("b", "B", make_history(7), "classification")
    assert panel.current() == "b"  # a new run becomes current
    assert panel.curve_count("loss") == 2
    assert [n_points(c) for c in panel.curves("loss")] == [7, 7]
    panel.set_current("a")
    assert [n_points(c) for c in panel.curves("loss")] == [5, 5]


def test_overlay_of_two_runs(panel):
    panel.set_run("a", "SGD lr=0.1", make_history(10, layers=2), "classification")
    panel.set_run("b", "Adam lr=0.01", make_history(8, layers=2, seed=1), "classification")
    panel.set_visible_runs(["a", "b"])
    assert panel.curve_count("loss") == 4
    # One legend row per run: its name (training curve, in its hue) beside "val".
    assert panel.legend_labels("loss") == ["SGD lr=0.1", "val", "Adam lr=0.01", "val"]
    assert panel.legend_labels("lr") == []  # the loss legend keys the hues
    assert panel.curve_count("lr") == 2
    # Layers of every run, keyed by dash in the legend.
    assert panel.curve_count("w_norm") == 4
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
    assert panel.curve_count("loss") == 2
    assert panel.legend_labels("loss") == ["train", "validation"]
    panel.clear()
    assert all(panel.curve_count(name) == 0 for name in PLOT_NAMES)
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


def test_log_axis_labels_only_one_two_five():
    labels = {v: log_tick_label(v) for v in (1.0, 0.9, 0.5, 0.3, 0.2, 0.01, 50.0, 1e-5, 2e-5)}
    assert labels == {
        1.0: "1", 0.9: "", 0.5: "0.5", 0.3: "", 0.2: "0.2", 0.01: "0.01", 50.0: "50",
        1e-5: "10⁻⁵", 2e-5: "2·10⁻⁵",
    }
    assert log_tick_label(10 ** np.log10(0.2)) == "0.2"  # float noise from the log mapping


def test_legend_avoids_the_crowded_corner():
    x = np.arange(10.0)
    rising = (x, x)  # bottom left to top right
    assert emptiest_corner([rising], (0.3, 0.3), ("tr", "br", "tl", "bl")) in ("br", "tl")
    assert emptiest_corner([], (0.3, 0.3), ("bl", "tr", "br", "tl")) == "bl"
    # A flat line at the top of the view leaves the bottom free.
    flat = (x, np.full(10, 0.1))
    view = [[0.0, 9.0], [0.0, 0.108]]
    assert emptiest_corner([flat], (0.3, 0.3), ("tr", "br", "tl", "bl"), view) == "br"


def test_dash_mask_cuts_dashes_along_the_arc_length():
    px = np.arange(121.0)  # a straight 120 px line, 1 px segments
    connect, length = _dash_mask(px, np.zeros_like(px), [8.0, 4.0])
    assert length == 120.0
    assert connect[:-1].mean() == pytest.approx(2 / 3, abs=0.02)
    assert connect[:8].all() and not connect[8:12].any() and connect[12:20].all()
    py = np.zeros_like(px)
    py[5] = np.nan  # a hole breaks the curve on both sides
    connect, _ = _dash_mask(px, py, [8.0, 4.0])
    assert not connect[4] and not connect[5]


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
    x, y = peak_decimate(np.arange(10.0), np.arange(10.0), 100)
    assert len(x) == 10  # short data is left alone


def test_ranges_follow_the_data_in_steps():
    assert [nice_ceil(v) for v in (0.5, 7, 10, 11, 130, 2600)] == [1, 8, 10, 12, 150, 3000]
    assert follow_y(0.1, 0.9, (0.0, 1.0)) == (0.0, 1.0)  # still fills the view: kept
    lo, hi = follow_y(0.1, 1.2, (0.0, 1.0))  # left it: re-fitted with a margin
    assert lo < 0.1 and 1.2 < hi < 1.4


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
    assert not any(panel._legends[name].isVisible() for name in PLOT_NAMES)
    panel.set_run("a", "A", make_history(5), "classification")
    assert panel._legends["loss"].isVisible() and not panel._legends["lr"].isVisible()


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


# ------------------------------------------------------------------------------ export.py


def test_history_csv_round_trip(tmp_path):
    h = make_history(5, val=False)
    path = export_history_csv(h, tmp_path / "metrics.csv")
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == h.columns
    assert len(rows) == 1 + len(h)
    for i, line in enumerate(rows[1:]):
        for name, text in zip(h.columns, line, strict=True):
            expected = float(h[name][i])
            value = float(text)
            assert (math.isnan(value) and math.isnan(expected)) or value == expected
    assert rows[1][0] == "0"  # epochs as integers
    # A plain dict works the same.
    export_history_csv(h.as_dict(), tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text() == path.read_text()


def test_weights_npz_round_trip_without_pickle(tmp_path):
    params = {"W1": np.arange(6.0).reshape(2, 3), "b1": np.zeros(3), "W2": np.ones((3, 1))}
    path = export_weights_npz(params, tmp_path / "weights")
    assert path.name == "weights.npz"
    with np.load(path, allow_pickle=False) as loaded:
        assert sorted(loaded.files) == sorted(params)
        for name, value in params.items():
            np.testing.assert_array_equal(loaded[name], value)


def test_widget_png_and_plot_svg(qtbot, tmp_path):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.plot([0, 1, 2], [3, 1, 2])
    png = export_widget_png(widget, tmp_path / "w.png")
    assert png.stat().st_size > 0
    svg = export_plot_svg(widget, tmp_path / "w.svg")
    assert "<svg" in svg.read_text()
