"""The window's menu bar, laid out from the actions of the parts that own them: the preset
files (:mod:`trainlab.gui.preset_files`), run folders and exports
(:mod:`trainlab.gui.run_files`) and the run controls (:mod:`trainlab.gui.run_controls`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QToolBar


def make_action(parent, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    """An action of ``parent`` that calls ``slot``, with an optional shortcut and tip."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


def add_examples_submenu(window, examples_menu, title: str, examples, open_file) -> None:
    """A submenu ``title`` of File ▸ Examples listing ``examples`` ((name, path) pairs), each
    opened with ``open_file(path)``; nothing when there are none."""
    if not examples:
        return
    examples_menu.addSeparator()
    sub = examples_menu.addMenu(title)
    for name, path in examples:
        sub.addAction(make_action(window, name, lambda checked=False, p=path: open_file(p)))
    examples_menu.setEnabled(True)


def fixed_toolbar(window: QMainWindow, title: str, name: str,
                  area: Qt.ToolBarArea) -> QToolBar:
    """A tool bar of ``window`` at ``area`` that stays where it is (neither moved nor floated);
    ``name`` keys it in the saved window layout."""
    bar = QToolBar(title)
    bar.setObjectName(name)
    bar.setMovable(False)
    bar.setFloatable(False)
    window.addToolBar(area, bar)
    return bar


def build_menus(window: QMainWindow, files, run_files, controls,
                docks: list[QDockWidget], view_actions: list | tuple = ()) -> None:
    """File (presets, run folders, export, quit), Run, View (the look, then the docks) and
    Help."""
    menu = window.menuBar().addMenu("&File")
    menu.addAction(files.new_action)
    menu.addAction(files.open_action)
    menu.addMenu(files.recent_menu)
    menu.addMenu(files.examples_menu)
    menu.addSeparator()
    menu.addAction(files.save_action)
    menu.addAction(files.save_as_action)
    menu.addSeparator()
    menu.addAction(run_files.open_run_action)
    export = menu.addMenu("&Export")
    for a in run_files.export_actions:
        export.addAction(a)
    menu.addSeparator()
    menu.addAction(make_action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit))

    run = window.menuBar().addMenu("&Run")
    for a in controls.actions:
        run.addAction(a)

    view = window.menuBar().addMenu("&View")
    for a in view_actions:
        view.addAction(a)
    if view_actions:
        view.addSeparator()
    for dock in docks:
        view.addAction(dock.toggleViewAction())

    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(make_action(window, "&About TrainLab", lambda: _about(window)))


def _about(window: QMainWindow) -> None:
    from trainlab import __version__

    QMessageBox.about(window, "About TrainLab",
                      f"TrainLab {__version__}\nA lab for training small neural networks by "
                      "point and click. The formulas follow PyTorch's documentation.")
