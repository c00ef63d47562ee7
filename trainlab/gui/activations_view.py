"""The activation functions view: f (solid) and f′ (dashed) of every activation on one plot,
as the engine computes them, the chosen ones drawn bold, with each one's formula."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from trainlab.gui import colors
from trainlab.gui.plotting.style import add_legend, style_plot
from trainlab.session.activation_curves import PLOTTED, curves, formula

X_RANGE = (-4.0, 4.0)


class ActivationsView(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Activation functions")
        self.plot = pg.PlotWidget()
        style_plot(self.plot, "x", "f(x), f′(x)")
        self.legend = add_legend(self.plot, (8, 8))
        self.formulas = QLabel()
        self.formulas.setTextFormat(Qt.TextFormat.PlainText)
        self.formulas.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.plot, 1)
        box.addWidget(self.formulas)
        self.resize(760, 620)
        self.items: dict[str, tuple] = {}
        x = np.linspace(*X_RANGE, 401)
        for k, name in enumerate(PLOTTED):
            f, df = curves(name, x)
            color = colors.categorical(k)
            line = self.plot.plot(x, f, name=name, pen=pg.mkPen(color, width=1))
            slope = self.plot.plot(x, df, pen=pg.mkPen(color, width=1,
                                                       style=Qt.PenStyle.DashLine))
            self.items[name] = (line, slope)
        self.chosen: list[str] = []

    def set_chosen(self, names) -> None:
        """Draw ``names`` bold and opaque, the others thin and faint; list their formulas."""
        self.chosen = [n for n in dict.fromkeys(names) if n in self.items]
        for name, (line, slope) in self.items.items():
            on = name in self.chosen or not self.chosen
            for item in (line, slope):
                pen = item.opts["pen"]
                pen.setWidthF(3.0 if name in self.chosen else 1.0)
                item.setPen(pen)
                item.setOpacity(1.0 if on else 0.25)
        shown = self.chosen or list(self.items)
        self.formulas.setText("Solid: f, dashed: f′.\n" + "\n".join(
            f"{n}: {formula(n)}" for n in shown))
