"""Tick labels of small plots: at least two on the epoch axis, labels on a log axis that spans
under a decade."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from trainlab.gui.plotting.axes import new_plot_widget, nice_step


def labels(axis: pg.AxisItem) -> list[str]:
    """The texts the axis draws (after layout)."""
    lo, hi = axis.range
    size = axis.geometry().width() if axis.orientation in ("bottom", "top") else \
        axis.geometry().height()
    out = []
    for _, values in axis.tickValues(lo, hi, size):
        out += [t for t in axis.tickStrings(values, axis.autoSIPrefixScale, 1.0) if t]
    return out


@pytest.mark.parametrize(("lo", "hi", "wanted"), [(1, 9, 2.5), (0, 300, 2.5), (0.3, 0.45, 3),
                                                  (0.31, 0.39, 3), (41, 44, 2.5)])
def test_a_nice_step_puts_two_multiples_in_the_range(lo, hi, wanted):
    step = nice_step(lo, hi, wanted)
    inside = np.floor(hi / step) - np.ceil(lo / step) + 1
    assert inside >= 2
    mantissa = step / 10.0 ** np.floor(np.log10(step) + 1e-9)
    assert round(mantissa) in (1, 2, 5)


def plot_widget(qtbot, width: int, height: int) -> pg.PlotWidget:
    """A plot widget of the panel's kind, shown at that size."""
    widget = new_plot_widget()
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget


def test_a_small_plot_shows_two_epoch_labels_and_a_short_log_range_is_labelled(qtbot):
    widget = plot_widget(qtbot, 150, 110)
    item = widget.getPlotItem()
    item.plot(np.arange(1, 10), np.linspace(0.45, 0.3, 9))
    item.setLogMode(y=True)
    item.setRange(xRange=(1, 9), yRange=(np.log10(0.3), np.log10(0.45)), padding=0)
    qtbot.waitUntil(lambda: item.getAxis("bottom").geometry().width() > 50)
    assert len(labels(item.getAxis("bottom"))) >= 2
    shown = labels(item.getAxis("left"))
    assert len(shown) >= 2
    assert all(0.3 <= float(t) <= 0.45 for t in shown)


def test_labels_of_a_short_zoomed_plot_do_not_stack_on_each_other(qtbot):
    """A diagnostics plot zoomed up for a projector: its y labels keep a line apart."""
    from PySide6 import QtGui

    widget = plot_widget(qtbot, 300, 110)
    item = widget.getPlotItem()
    font = QtGui.QFont()
    font.setPointSize(18)
    item.getAxis("left").setTickFont(font)
    item.plot(np.arange(300), np.full(300, 0.01))
    item.setRange(xRange=(0, 300), yRange=(0.0, 0.0105), padding=0)
    axis = item.getAxis("left")
    qtbot.waitUntil(lambda: axis.geometry().height() > 20)
    size = axis.geometry().height()
    (major, _), _ = axis.tickSpacing(0.0, 0.0105, size)
    line = QtGui.QFontMetricsF(font).height()
    assert major / 0.0105 * size >= 1.5 * line  # pixels between two labels
    assert labels(axis), "at least one label"
