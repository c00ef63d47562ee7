"""Double-click a plot to let it fill its panel; double-click it again to bring the others
back."""

from __future__ import annotations

from collections.abc import Mapping

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets


class CellMaximizer(QtCore.QObject):
    """Watches double-clicks on the plots of ``cells`` (name → the widget that holds plot
    ``widgets[name]``) and hides or shows the other cells."""

    def __init__(self, cells: Mapping[str, QtWidgets.QWidget],
                 widgets: Mapping[str, pg.PlotWidget]):
        super().__init__()
        self._cells = dict(cells)
        self._names = {widget.viewport(): name for name, widget in widgets.items()}
        self.maximized: str | None = None
        for viewport in self._names:
            viewport.installEventFilter(self)

    def toggle(self, name: str) -> None:
        """Maximize plot ``name``, or restore all plots when it is the maximized one."""
        self.maximized = None if self.maximized == name else name
        for other, cell in self._cells.items():
            cell.setVisible(self.maximized in (None, other))

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        if (event.type() == QtCore.QEvent.Type.MouseButtonDblClick
                and event.button() == QtCore.Qt.MouseButton.LeftButton
                and watched in self._names):
            self.toggle(self._names[watched])
            return True
        return False
