"""The main window's layout: the plots in the middle with a message banner above them, and
the settings, data and runs docks around them.

A mixin of :class:`~trainlab.gui.window.MainWindow` (it sets the widgets the rest of the
window uses: ``config_panel``, ``plots``, ``data_view``, ``runs_panel``, ``banner`` and the
docks); the run tool bar is built by :class:`~trainlab.gui.run_controls.RunControlsMixin`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.config_panel import ConfigPanel
from trainlab.gui.runs_panel import RunsPanel


class Banner(QFrame):
    """A message strip above the plots (errors stay until dismissed or the next run)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class CentralLayoutMixin:
    """Builds and sizes the window's widgets and docks."""

    def _build_widgets(self) -> None:
        from trainlab.gui.data_view import DataView
        from trainlab.gui.plotting import PlotsPanel

        self.config_panel = ConfigPanel(self.model)
        self.plots = PlotsPanel()
        self.data_view = DataView()
        self.runs_panel = RunsPanel()
        self.banner = Banner()

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 4, 6, 0)
        column.setSpacing(4)
        column.addWidget(self.banner)
        column.addWidget(self.plots, 1)
        self.setCentralWidget(central)

        area = Qt.DockWidgetArea
        self.settings_dock = self._dock("Settings", self.config_panel, area.LeftDockWidgetArea)
        self.data_dock = self._dock("Data", self.data_view, area.RightDockWidgetArea)
        self.data_view.setMinimumWidth(300)
        self.runs_dock = self._dock("Runs", self.runs_panel, area.BottomDockWidgetArea)
        # Settings and data take the full height; the runs table sits under the plots.
        self.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)
        self._build_run_toolbar()

    def _fit_to_screen(self) -> None:
        """First start: a 1600×1000 window, or the whole screen when that is smaller."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1600, 1000
        if screen is not None:
            width, height = min(width, screen.width()), min(height, screen.height())
            if screen.width() < self.minimumSizeHint().width() + 40:
                # A small laptop screen: the data view shares the left column with settings.
                self.tabifyDockWidget(self.settings_dock, self.data_dock)
                self.settings_dock.raise_()
        self.resize(width, height)
        if screen is not None:
            self.move(screen.x() + (screen.width() - self.width()) // 2,
                      screen.y() + (screen.height() - self.height()) // 2)

    def _default_dock_sizes(self) -> None:
        width = self.width()
        self.resizeDocks([self.settings_dock, self.data_dock],
                         [self.config_panel.minimumWidth(), max(300, int(width * 0.27))],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.runs_dock], [max(150, int(self.height() * 0.18))],
                         Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock
