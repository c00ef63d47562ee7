"""The View menu's look: zoom (Ctrl+= / Ctrl+-), the high-contrast scheme and presentation
mode (F11), a view of :class:`~trainlab.session.view.ViewModel`.

Zoom scales everything a class reads: the window's text, the plots' ticks, labels, titles and
legends, line widths and points. Presentation mode shows the window full screen at a larger
zoom and folds the settings into a strip at the left edge that opens them on click.
Zoom and scheme are remembered in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QToolButton

from trainlab.gui.menus import fixed_toolbar, make_action
from trainlab.gui.plotting.look import set_look
from trainlab.gui.settings import Settings
from trainlab.gui.theme import apply_theme
from trainlab.session.view import ViewModel


class VerticalButton(QToolButton):
    """A tool button whose text runs bottom to top: the folded settings strip."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        size = super().sizeHint()
        return QSize(size.height(), size.width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        if self.underMouse():
            painter.fillRect(self.rect(), self.palette().midlight())
        painter.rotate(-90)
        painter.translate(-self.height(), 0)
        painter.drawText(0, 0, self.height(), self.width(), Qt.AlignmentFlag.AlignCenter,
                         self.text())
        painter.end()


class Presentation:
    """Zoom, colour scheme and presentation mode of ``window``: the actions of the View menu
    and what they change. ``views`` are restyled at each change (objects with ``restyle()``);
    ``runs`` (a RunsModel) is told to repaint its swatches when the scheme changes."""

    def __init__(self, window: QMainWindow, model: ViewModel, settings: Settings,
                 settings_dock: QDockWidget, views: list, runs=None):
        self.window = window
        self.model = model
        self.settings = settings
        self.settings_dock = settings_dock
        self.views = views
        self.runs = runs
        self._dock_was_visible = True
        self._was_maximized = False
        self._build_strip()
        self._build_actions()
        model.events.zoom_changed.connect(self._zoom_changed)
        model.events.theme_changed.connect(self._theme_changed)
        model.events.presentation_changed.connect(self._presentation_changed)
        self.apply()

    def _build_strip(self) -> None:
        self.strip = fixed_toolbar(self.window, "Settings strip", "settingsStrip",
                                   Qt.ToolBarArea.LeftToolBarArea)
        self.strip_button = VerticalButton()
        self.strip_button.setText("Settings  ▸")
        self.strip_button.setToolTip("Show or hide the settings")
        self.strip_button.clicked.connect(
            lambda: self.settings_dock.setVisible(not self.settings_dock.isVisible()))
        self.strip.addWidget(self.strip_button)
        self.strip.hide()

    def _build_actions(self) -> None:
        w, m = self.window, self.model
        self.presentation_action = make_action(
            w, "&Presentation", lambda on: m.set_presentation(on), Qt.Key.Key_F11,
            "Full screen, larger text and lines, the settings folded to a strip")
        self.presentation_action.setCheckable(True)
        self.zoom_in_action = make_action(w, "Zoom &In", m.zoom_in, None,
                                          "Larger text, ticks, legends, lines and points")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out_action = make_action(w, "Zoom &Out", m.zoom_out, "Ctrl+-",
                                           "Smaller text, ticks, legends, lines and points")
        self.zoom_reset_action = make_action(w, "&Normal Size", lambda: m.set_zoom(1.0),
                                             "Ctrl+0")
        self.contrast_action = make_action(
            w, "&High Contrast", lambda on: m.set_high_contrast(on), None,
            "Darker colours, thicker lines and black frames for a washed-out projector")
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(m.high_contrast)
        for action in self.actions:
            w.addAction(action)  # the shortcuts work with the menu bar hidden (full screen)

    @property
    def actions(self) -> list:
        """The View menu's entries, in order."""
        return [self.presentation_action, self.zoom_in_action, self.zoom_out_action,
                self.zoom_reset_action, self.contrast_action]

    # ---- the model's changes ----------------------------------------------------------------
    def apply(self) -> None:
        """Fonts, style sheet, plots and colours in the model's look."""
        set_look(self.model.zoom, self.model.high_contrast)
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, self.model.zoom, self.model.high_contrast)
        for view in self.views:
            view.restyle()

    def _zoom_changed(self, zoom: float) -> None:
        self.settings.set_zoom(zoom)
        self.apply()

    def _theme_changed(self, theme: str) -> None:
        self.settings.set_theme(theme)
        self.contrast_action.setChecked(self.model.high_contrast)
        self.apply()
        if self.runs is not None:
            for run_id in list(self.runs.entries):
                self.runs.changed(run_id)

    def _presentation_changed(self, on: bool) -> None:
        self.presentation_action.setChecked(on)
        w = self.window
        if on:
            self._was_maximized = w.isMaximized()
            self._dock_was_visible = self.settings_dock.isVisible()
            self.settings_dock.hide()
            self.strip.show()
            w.showFullScreen()
        else:
            self.strip.hide()
            self.settings_dock.setVisible(self._dock_was_visible)
            if self._was_maximized:
                w.showMaximized()
            else:
                w.showNormal()
