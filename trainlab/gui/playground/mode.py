"""The window's second mode, the optimizer playground, and the File menu for its files.

:class:`PlaygroundMode` adds View ▸ Playground (and a tool-bar switch): the playground page
takes the place of the plots and the docks step aside until training mode comes back. File ▸
Open and the Examples menu take both kinds of file, told apart by their ``"format"``; File ▸
Save in playground mode writes a playground file. The page is built on first use (its first
race loads the engine's optimizer kernels).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QToolBar

from trainlab.catalog.names import slug
from trainlab.gui.menus import add_examples_submenu, make_action
from trainlab.paths import json_format, resources_dir, shipped_examples
from trainlab.playground import PlaygroundError
from trainlab.playground.files import FORMAT as PLAYGROUND_FORMAT


def playground_dir() -> Path:
    return resources_dir() / "playground"


def shipped_playgrounds() -> list[tuple[str, Path]]:
    """(name, file) of the shipped playground examples, by file name."""
    return shipped_examples("playground")


def file_format(path: Path) -> str:
    """"playground" for a playground file, else "preset" (the preset reader judges it)."""
    return "playground" if json_format(path) == PLAYGROUND_FORMAT else "preset"


class PlaygroundMode:
    """The playground page of ``window`` and the switch between it and training."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.files = window.files
        self.panel = None
        self._docks_shown: dict = {}
        self.action = make_action(window, "&Playground", self.set_active, "Ctrl+Shift+P",
                                  "Optimizers racing over loss surfaces")
        self.action.setCheckable(True)
        self.toolbar = QToolBar("Mode")
        self.toolbar.setObjectName("modeToolBar")
        self.toolbar.addAction(self.action)
        window.addToolBar(self.toolbar)
        self._add_to_menus()
        self._take_space(getattr(window, "keys", None))

    def _take_space(self, keys) -> None:
        """Space (outside text fields) plays and pauses the race in playground mode and
        trains as before in training mode."""
        if keys is None:
            return
        train = keys.train

        def space() -> None:
            if self.active:
                self.panel.toggle()
            else:
                train()

        keys.train = space

    # ---- menus ---------------------------------------------------------------------------
    def _add_to_menus(self) -> None:
        for menu in self.window.menuBar().findChildren(QMenu):
            if menu.title() == "&View":
                menu.insertAction(menu.actions()[0] if menu.actions() else None, self.action)
        files = self.files
        for action, slot in ((files.open_action, self.open_dialog),
                             (files.save_action, self.save),
                             (files.save_as_action, self.save_as)):
            action.triggered.disconnect()
            action.triggered.connect(lambda checked=False, s=slot: s())
        add_examples_submenu(self.window, files.examples_menu, "&Playground",
                             shipped_playgrounds(), self.open_file)

    # ---- the mode ------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.panel is not None and self.panel.isVisible()

    def ensure_panel(self):
        if self.panel is None:
            from trainlab.gui.playground.panel import PlaygroundPanel

            self.panel = PlaygroundPanel()
            self.panel.hide()
            self.window.centralWidget().layout().addWidget(self.panel, 1)
        return self.panel

    def set_active(self, on: bool = True) -> None:
        """Playground mode on or off (the plots and docks come back as they were)."""
        w = self.window
        docks = (w.settings_dock, w.data_dock, w.runs_dock)
        if on and not self.active:
            panel = self.ensure_panel()
            self._docks_shown = {d: d.isVisible() for d in docks}
            for d in docks:
                d.hide()
            w.plots.hide()
            panel.show()
        elif not on and self.active:
            self.panel.set_playing(False)
            self.panel.hide()
            w.plots.show()
            for d in docks:
                d.setVisible(self._docks_shown.get(d, True))
        self.action.setChecked(on)

    # ---- files ---------------------------------------------------------------------------
    def open_dialog(self) -> None:
        start = self.window.settings.last_dir() or str(playground_dir())
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a preset or a playground", start,
            "TrainLab files (*.json);;All files (*)")
        if path:
            self.open_file(Path(path), ask=True)

    def open_file(self, path: Path, ask: bool = True) -> bool:
        """Open a preset (training mode) or a playground (playground mode), by its format."""
        path = Path(path)
        if file_format(path) == "preset":
            opened = self.files.open_preset(path, ask=ask)
            if opened:
                self.set_active(False)
            return opened
        panel = self.ensure_panel()
        try:
            panel.session.load(path)
        except PlaygroundError as error:
            self.files.warn("Cannot open playground", f"{path.name} cannot be used:\n" + "\n".join(
                f"• {k}: {m}" if k else f"• {m}" for k, m in error.problems[:12]))
            return False
        self.set_active(True)
        self.files.notices.status(f"Opened {path.name}.", 5000)
        return True

    def save(self) -> bool:
        if not self.active:
            return self.files.save()
        path = self.panel.session.path
        if path is None or Path(path).resolve().parent == playground_dir().resolve():
            return self.save_as()
        return self.save_to(path)

    def save_as(self) -> bool:
        if not self.active:
            return self.files.save_as()
        name = slug(self.panel.session.race.file.name)
        start = Path(self.window.settings.last_dir() or Path.home()) / f"{name}.json"
        path, _ = QFileDialog.getSaveFileName(self.window, "Save playground as", str(start),
                                              "TrainLab playgrounds (*.json)")
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        try:
            self.panel.session.save(path)
        except OSError as error:
            self.files.warn("Cannot save", f"{path}: {error.strerror or error}")
            return False
        self.files.notices.status(f"Saved {path.name}.", 5000)
        return True
