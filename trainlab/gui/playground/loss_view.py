"""Beside the map: each racer's loss against the update (log y) and a small table of where
each racer is (its value and its distance to the nearest minimum).

On a log axis the plot shows f − f*, the height above the surface's lowest minimum, so that
surfaces whose minimum is not 0 (six-hump camel, a penalized bowl) still read as a descent to
zero; a surface without minima (the saddles) shows f itself on a linear axis.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.colors import categorical
from trainlab.gui.plotting.style import style_plot
from trainlab.session.playground import PlaygroundSession

FLOOR = 1e-16  # f − f* is drawn at least this high on the log axis


def _fmt(v: float) -> str:
    return f"{v:.4g}" if math.isfinite(v) else "–"


class LossView(QWidget):
    """The loss plot over the racers' table."""

    COLUMNS = ("Racer", "f", "to nearest min")

    def __init__(self, session: PlaygroundSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.plot = pg.PlotWidget()
        style_plot(self.plot, "update", "f − f*")
        self.plot.getPlotItem().setMenuEnabled(False)
        self._curves: list[pg.PlotDataItem] = []
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        session.events.loaded.connect(self.reset_axes)
        session.events.moved.connect(self._moved)
        self.live = False  # while the race plays, the panel refreshes this view ~10 times a second
        self.reset_axes()

    def _moved(self) -> None:
        if not self.live:
            self.update_view()

    def floor(self) -> float | None:
        """f* (the lowest minimum's value) when there is one, else None (linear axis)."""
        minima = self.session.minima()
        if not len(minima):
            return None
        return float(self.session.race.surface.loss(minima[0]))

    def reset_axes(self) -> None:
        log = self.floor() is not None
        self.plot.setLogMode(x=False, y=log)
        self.plot.setLabel("left", "f − f*  (log)" if log else "f")
        self.update_view()

    def update_view(self) -> None:
        paths = self.session.paths()
        while len(self._curves) < len(paths):
            pen = pg.mkPen(categorical(len(self._curves)), width=2.5)
            self._curves.append(self.plot.plot(pen=pen))
        while len(self._curves) > len(paths):
            self.plot.removeItem(self._curves.pop())
        low = self.floor()
        for curve, (_, _, losses) in zip(self._curves, paths, strict=True):
            y = losses if low is None else np.maximum(losses - low, FLOOR)
            curve.setData(np.arange(len(y)), y)
        self._fill_table()

    def _fill_table(self) -> None:
        rows = self.session.rows()
        self.table.setRowCount(len(rows))
        for r, (label, value, distance, diverged) in enumerate(rows):
            texts = (label + ("  (diverged)" if diverged else ""), _fmt(value), _fmt(distance))
            for c, text in enumerate(texts):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                item.setText(text)
            self.table.item(r, 0).setForeground(QBrush(QColor(categorical(r))))
