"""Vertical marks at epochs on the curves: the live changes of the current run (a dotted line
with what changed, on the loss and accuracy plots) and the replay's cursor (a line on every
plot at the epoch the timeline shows)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore

from trainlab.gui.plotting.look import LOOK
from trainlab.gui.plotting.style import LEGEND_PT

#: The plots that carry the change marks (the ones a class reads).
CHANGE_PLOTS = ("loss", "metric")
CHANGE_COLOR = "#b3541e"   # a burnt orange, apart from the run hues and the best-epoch line
CURSOR_COLOR = "#555555"


def _line(color: str, style, label: str | None = None) -> pg.InfiniteLine:
    line = pg.InfiniteLine(angle=90, movable=False,
                           pen=pg.mkPen(color, width=LOOK.px(1.5), style=style),
                           label=label, labelOpts={"position": 0.3, "color": color,
                                                   "anchors": [(0, 0.5), (0, 0.5)]})
    if label is not None:
        font = line.label.textItem.font()
        font.setPointSize(LOOK.pt(LEGEND_PT))
        line.label.setFont(font)
    return line


class EpochMarks:
    """Change marks and a replay cursor in the plots ``widgets`` (plot name → PlotWidget)."""

    def __init__(self, widgets: dict[str, pg.PlotWidget]):
        self.widgets = widgets
        self.changes: list[tuple[str, pg.InfiniteLine]] = []
        self.cursors: dict[str, pg.InfiniteLine] = {}
        for name, widget in widgets.items():
            line = _line(CURSOR_COLOR, QtCore.Qt.PenStyle.SolidLine)
            line.setZValue(30)
            line.hide()
            widget.addItem(line, ignoreBounds=True)
            self.cursors[name] = line
        self.marked: list[tuple[float, str]] = []

    def set_changes(self, marks: list[tuple[float, str]]) -> None:
        """One mark per ``(x, label)``; the labels on the loss plot, lines on both."""
        if marks == self.marked:
            return
        self.marked = list(marks)
        for name, line in self.changes:
            self.widgets[name].removeItem(line)
        self.changes = []
        for x, label in marks:
            for name in CHANGE_PLOTS:
                line = _line(CHANGE_COLOR, QtCore.Qt.PenStyle.DashDotLine,
                             label if name == "loss" else None)
                line.setZValue(25)
                line.setValue(x)
                self.widgets[name].addItem(line, ignoreBounds=True)
                self.changes.append((name, line))

    def change_labels(self) -> list[str]:
        return [line.label.format for name, line in self.changes
                if getattr(line, "label", None) is not None]

    def set_cursor(self, x: float | None) -> None:
        """The replay cursor at ``x`` on every plot (None: hidden)."""
        for line in self.cursors.values():
            line.setVisible(x is not None)
            if x is not None:
                line.setValue(x)

    def cursor(self) -> float | None:
        line = next(iter(self.cursors.values()), None)
        return float(line.value()) if line is not None and line.isVisible() else None

    def restyle(self) -> None:
        marks, self.marked = self.marked, []
        self.set_changes(marks)
