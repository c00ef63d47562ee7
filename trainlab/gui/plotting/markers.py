"""Words and marks drawn into the plots about the current run: a line at the best epoch with
early stopping's patience counter on the loss plot, and a note on the gradient plot when every
gradient is exactly zero (nothing to draw on a log scale)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from trainlab.gui import colors
from trainlab.gui.plotting.curves import columns_of, n_rows
from trainlab.gui.plotting.look import LOOK
from trainlab.gui.plotting.style import LEGEND_PT
from trainlab.session.best import BestEpoch, best_epoch, best_text

ZERO_GRADIENTS = ("All gradients are exactly 0: every unit of a layer starts equal\n"
                  "(e.g. zero initialization), so none can learn anything different.")


#: Where along the best-epoch line its words stand (0 = bottom, 1 = top), by the legend's
#: corner.
LABEL_UNDER_LEGEND = 0.3
LABEL_OVER_LEGEND = 0.7


class RunMarkers:
    """The marks of one run in ``loss_plot`` and ``g_norm_plot``."""

    def __init__(self, loss_plot: pg.PlotWidget, g_norm_plot: pg.PlotWidget):
        self.best_line = pg.InfiniteLine(angle=90, movable=False, label="",
                                         labelOpts={"position": LABEL_UNDER_LEGEND})
        self.best_line.setZValue(20)
        self.best_line.hide()
        loss_plot.addItem(self.best_line, ignoreBounds=True)
        self._loss_item = loss_plot.getPlotItem()
        self._loss_view = self._loss_item.getViewBox()
        self.zero_note = pg.TextItem(ZERO_GRADIENTS, color=colors.INK, anchor=(0.5, 0.5))
        self.zero_note.setParentItem(g_norm_plot.getPlotItem().getViewBox())
        self.zero_note.hide()
        self._g_view = g_norm_plot.getPlotItem().getViewBox()
        self._g_view.sigResized.connect(self._center_note)
        self.best: BestEpoch | None = None
        self.restyle()

    def restyle(self) -> None:
        pen = pg.mkPen(colors.INK, width=LOOK.px(1.5), style=QtCore.Qt.PenStyle.DashLine)
        self.best_line.setPen(pen)
        font = self.best_line.label.textItem.font()
        font.setPointSize(LOOK.pt(LEGEND_PT))
        self.best_line.label.setFont(font)
        self.best_line.label.setColor(colors.INK)
        self.zero_note.setFont(font)

    def update(self, history: Any, rows: int | None, early_stopping: dict | None) -> None:
        """Marks from the run's first ``rows`` rows (None: all)."""
        self.best = best = best_epoch(history, rows, early_stopping) if history is not None \
            else None
        self.best_line.setVisible(best is not None)
        if best is not None:
            self.best_line.setValue(best.epoch)
            self.best_line.label.setFormat(best_text(best))
            # The words on the side of the line with more room: left of a late best epoch.
            x0, x1 = self._loss_view.viewRange()[0]
            late = best.epoch > (x0 + x1) / 2
            label = self.best_line.label
            label.anchors = [(1.0, 0.5), (1.0, 0.5)] if late else [(0.0, 0.5), (0.0, 0.5)]
            # ... and at the height the legend leaves free: low under a legend in a top
            # corner, high over one in a bottom corner (a short plot has room for both only
            # apart).
            label.setPosition(LABEL_UNDER_LEGEND if self._legend_on_top() else LABEL_OVER_LEGEND)
            label.updatePosition()
        self.zero_note.setVisible(_all_gradients_zero(history, rows))
        self._center_note()

    def _legend_on_top(self) -> bool:
        legend = getattr(self._loss_item, "legend", None)
        if legend is None or not legend.isVisible():
            return True
        offset = legend.opts.get("offset") or (0, 1)
        return offset[1] >= 0  # pyqtgraph: a positive y offset is from the top edge

    def clear(self) -> None:
        self.best = None
        self.best_line.hide()
        self.zero_note.hide()

    def _center_note(self, *args) -> None:
        rect = self._g_view.boundingRect()
        self.zero_note.setPos(rect.center())


def _all_gradients_zero(history: Any, rows: int | None) -> bool:
    if history is None:
        return False
    names = [c for c in columns_of(history) if c.startswith("g_norm_")]
    n = n_rows(history) if rows is None else rows
    if not names or n < 2:
        return False
    g = np.array([np.asarray(history[c][1:n], dtype=float) for c in names])
    return bool(np.isfinite(g).any() and np.all(g[np.isfinite(g)] == 0.0))
