"""Saving what the window shows (trainlab/gui/export.py): history CSV, weights NPZ, PNG, SVG."""

import csv
import math

import numpy as np
import pyqtgraph as pg

from trainlab.gui.export import (
    export_history_csv,
    export_plot_svg,
    export_weights_npz,
    export_widget_png,
)

from .helpers import make_history


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
