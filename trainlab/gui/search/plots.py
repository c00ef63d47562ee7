"""The Search window's pictures: the objective as a heat map over two parameters (the lecture's
dropout × learning-rate figure), parallel coordinates for more, and the loss curves of the best
trials overlaid. Each reads the rows of :meth:`trainlab.sweep.Sweep.results`; the numbers come
from :mod:`trainlab.session.search`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from trainlab.gui import colors
from trainlab.gui.plotting.style import style_plot
from trainlab.session import search as views

#: How many of the best trials have their loss curves drawn.
BEST_K = 5


def _label(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class HeatMap(pg.PlotWidget):
    """The objective of each (x, y) pair of values as a coloured cell with its number."""

    def __init__(self, parent=None):
        super().__init__(parent)
        style_plot(self, "", "", grid=False)
        self.image = pg.ImageItem()
        self.addItem(self.image)
        self.bar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False,
                                   width=12)
        self.bar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.grid = np.zeros((0, 0))
        self._texts: list[pg.TextItem] = []
        self.setMouseEnabled(False, False)

    def show_rows(self, rows: list[dict], x_key: str, y_key: str, domains: dict,
                  direction: str) -> None:
        xs, ys, grid = views.heat_map(rows, x_key, y_key, domains)
        self.grid = np.array(grid, dtype=float).reshape(len(ys), len(xs))
        for t in self._texts:
            self.removeItem(t)
        self._texts = []
        finite = self.grid[np.isfinite(self.grid)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        high = high if high > low else low + 1.0
        if finite.size:
            # The best cells are the bright ones whichever way the objective goes.
            cmap = pg.colormap.get("viridis")
            if direction == "minimize":
                cmap.reverse()
            self.bar.setColorMap(cmap)
            self.bar.setLevels((low, high))
        # ImageItem's first axis is x: the transpose puts y up the plot.
        self.image.setImage(self.grid.T, autoLevels=False)
        self.image.setRect(QtCore.QRectF(0, 0, len(xs), len(ys)))
        for j, _y in enumerate(ys):
            for i, _x in enumerate(xs):
                value = self.grid[j, i]
                share = (value - low) / (high - low) if math.isfinite(value) else 0.0
                bright = (share if direction == "maximize" else 1 - share) > 0.6  # yellow
                text = pg.TextItem("–" if not math.isfinite(value) else f"{value:.3g}",
                                   color="k" if bright else "w", anchor=(0.5, 0.5))
                text.setPos(i + 0.5, j + 0.5)
                self.addItem(text)
                self._texts.append(text)
        item = self.getPlotItem()
        item.getAxis("bottom").setTicks([[(i + 0.5, _label(x)) for i, x in enumerate(xs)]])
        item.getAxis("left").setTicks([[(j + 0.5, _label(y)) for j, y in enumerate(ys)]])
        item.setLabel("bottom", x_key)
        item.setLabel("left", y_key)
        self.setXRange(0, max(1, len(xs)), padding=0)
        self.setYRange(0, max(1, len(ys)), padding=0)


class ParallelPlot(pg.PlotWidget):
    """One vertical axis per parameter and one for the objective; one line per complete trial,
    coloured by its objective (bright = good). Log ranges are spaced in log."""

    def __init__(self, parent=None):
        super().__init__(parent)
        style_plot(self, "", "", grid=False)
        self.lines: list[pg.PlotDataItem] = []
        self.labels: list[str] = []
        self._extra: list = []
        self.setMouseEnabled(False, False)
        self.getPlotItem().hideAxis("left")

    def show_rows(self, rows: list[dict], domains: dict, direction: str) -> None:
        self.clear()
        self.lines, self._extra = [], []
        self.labels, lines = views.parallel_lines(rows, domains)
        n = len(self.labels)
        objectives = np.array([line["objective"] for line in lines], dtype=float)
        lo, hi = (objectives.min(), objectives.max()) if objectives.size else (0.0, 1.0)
        cmap = pg.colormap.get("viridis")
        order = sorted(lines, key=lambda line: line["objective"],
                       reverse=direction == "minimize")  # the best painted last, on top
        for line in order:
            share = 0.5 if hi == lo else (line["objective"] - lo) / (hi - lo)
            goodness = share if direction == "maximize" else 1 - share
            pen = pg.mkPen(cmap.map(goodness, mode="qcolor"), width=2)
            item = self.plot(list(range(n)), line["y"], pen=pen)
            self.lines.append(item)
        axis_pen = pg.mkPen("k", width=1)
        for i, key in enumerate(self.labels):
            self._extra.append(self.plot([i, i], [0, 1], pen=axis_pen))
            ticks = (views.axis_ticks(key, domains[key], rows) if key in domains else
                     [(0.0, f"{lo:.3g}"), (1.0, f"{hi:.3g}")])
            for pos, text in ticks:
                label = pg.TextItem(text, color="k", anchor=(0, 0.5))
                label.setPos(i + 0.03, pos)
                self.addItem(label)
            head = pg.TextItem(key, color="k", anchor=(0.5, 1))
            head.setPos(i, 1.08)
            self.addItem(head)
        self.getPlotItem().getAxis("bottom").setTicks([[(i, "") for i in range(n)]])
        self.setXRange(-0.45, n - 0.55, padding=0)  # room for the first axis title
        self.setYRange(-0.05, 1.12, padding=0)


class BestCurves(pg.PlotWidget):
    """The validation loss (dashed: training) of the best trials over the epochs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        style_plot(self, "epoch", "loss")
        self.legend = self.addLegend(offset=(-8, 8))
        self.drawn: list[int] = []

    def show_rows(self, rows: list[dict], direction: str, k: int = BEST_K) -> None:
        from trainlab.runs.records import read_metrics

        self.clear()
        self.legend.clear()
        self.drawn = []
        for i, row in enumerate(views.best_trials(rows, direction, k)):
            path = Path(row.get("run_dir") or "") / "metrics.csv"
            try:
                history = read_metrics(path)
            except (OSError, ValueError):
                continue
            color = colors.categorical(i)
            epochs = np.asarray(history["epoch"], dtype=float)
            self.plot(epochs, np.asarray(history["val_loss"], dtype=float),
                      pen=pg.mkPen(color, width=2),
                      name=f"trial {row['trial']} ({row['objective']:.3g})")
            self.plot(epochs, np.asarray(history["train_loss"], dtype=float),
                      pen=pg.mkPen(color, width=1, style=QtCore.Qt.PenStyle.DashLine))
            self.drawn.append(row["trial"])


def state_color(state: str) -> QtGui.QColor:
    """The background of a results row by its state."""
    return QtGui.QColor({"complete": "#e3f4e1", "pruned": "#fff3cd", "diverged": "#fde2e1",
                         "failed": "#f8d0d0"}.get(state, "#ffffff"))
