"""The distributions view (TensorBoard's): for the layer and kind chosen, the percentile bands
of the values over the epochs collected (min–max, ±1.5σ, ±1σ, ±0.5σ of a normal, the
median), and beside it the histogram of the latest epoch. Numbers from
:class:`~trainlab.session.distributions.Distributions`."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui import colors
from trainlab.gui.plotting.style import style_plot
from trainlab.session.distributions import KINDS, PERCENTILES


class DistributionsView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = None
        self.layer = QComboBox()
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.layer.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.bands_plot = pg.PlotWidget()
        style_plot(self.bands_plot, "epoch", "value")
        self.hist_plot = pg.PlotWidget()
        style_plot(self.hist_plot, "value", "count")
        self._curves = []
        self._fills = []
        base = colors.categorical(0)
        n = len(PERCENTILES)
        for k in range(n):
            self._curves.append(self.bands_plot.plot(pen=pg.mkPen(base, width=2 if k == n // 2
                                                                  else 0.5)))
        for k in range(n // 2):
            fill = pg.FillBetweenItem(self._curves[k], self._curves[n - 1 - k],
                                      brush=pg.mkBrush(*colors.rgb(base), 40 + 30 * k))
            self.bands_plot.addItem(fill)
            self._fills.append(fill)
        self.hist = self.hist_plot.plot(stepMode="center", fillLevel=0,
                                        brush=pg.mkBrush(*colors.rgb(base), 120),
                                        pen=pg.mkPen(base))
        self.note = QLabel("Train a network to collect distributions.")
        # one line, cut at the dock's edge (the whole text in its tip): a narrow dock neither
        # widens the window nor gives the plots' height to a wrapped note
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.layer)
        top.addWidget(QLabel("Values"))
        top.addWidget(self.kind)
        top.addWidget(self.note, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.bands_plot, 3)
        plots.addWidget(self.hist_plot, 2)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(plots, 1)
        self.refreshes = 0

    def set_model(self, model) -> None:
        self.model = model
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.addItems(model.layers)
        self.layer.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        if self.model is None or self.layer.currentIndex() < 0:
            return
        self.refreshes += 1
        layer, kind = self.layer.currentIndex(), self.kind.currentText()
        epochs, bands = self.model.bands(layer, kind)
        for k, curve in enumerate(self._curves):
            curve.setData(epochs, bands[:, k] if len(epochs) else [])
        counts, edges = self.model.histogram(layer, kind)
        self.hist.setData(edges, counts)
        last = f"epoch {int(epochs[-1])}" if len(epochs) else "no epoch yet"
        self.note.setText(f"{len(epochs)} epochs collected · histogram of {last}")
        self.note.setToolTip(self.note.text())

    def band_values(self) -> np.ndarray:
        """The bands as drawn (epochs × percentiles), for checks."""
        return np.column_stack([c.getData()[1] for c in self._curves])
