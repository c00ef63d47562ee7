"""How the main window reaches the Search window: Run ▸ Search…, "Search over this" in the
context menu of every settings field, File ▸ Open of a sweep file (told apart from presets and
playgrounds by its ``"format"``) and the shipped searches under File ▸ Examples ▸ Search."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QMenu

from trainlab.gui.menus import add_examples_submenu, make_action
from trainlab.paths import json_format, shipped_examples, user_data_dir
from trainlab.session.search import SearchDraft

#: Settings that name a preset or point at a file: not searched over.
NOT_SEARCHED = ("name", "description", "data.path", "data.target")


def shipped_sweeps() -> list[tuple[str, Path]]:
    """(name, file) of the shipped example searches, by file name."""
    return shipped_examples("sweeps")


def is_sweep_file(path: Path) -> bool:
    return json_format(path) == "trainlab-sweep"


class _FieldMenus(QObject):
    """Adds "Search over this…" to the context menu of each settings field's editor."""

    def __init__(self, launcher: SearchLauncher):
        super().__init__(launcher.window)
        self.launcher = launcher
        self.paths: dict[QObject, str] = {}

    def watch(self, widget: QObject, path: str) -> None:
        self.paths[widget] = path
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() != QEvent.Type.ContextMenu or obj not in self.paths:
            return False
        path = self.paths[obj]
        editor = obj.findChild(QLineEdit) if isinstance(obj, QAbstractSpinBox) else obj
        menu = editor.createStandardContextMenu() if isinstance(editor, QLineEdit) else QMenu()
        menu.addSeparator()
        menu.addAction(f"Search over {path}…", lambda: self.launcher.search_over(path))
        menu.exec(event.globalPos())
        return True


class SearchLauncher:
    """The Search window of ``window`` (built on first use) and the ways to it."""

    def __init__(self, window):
        self.window = window
        self.search_window = None
        self.out_root = (Path(window.runs_dir).parent / "sweeps" if window.runs_dir
                         else user_data_dir() / "sweeps")
        self.action = make_action(window, "&Search…", self.show, None,
                                  "Search the settings: grid, random or Bayesian")
        self.field_menus = _FieldMenus(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # the search's thread ends with the app
        self._add_to_menus()
        self._hook_fields()
        self._take_open()

    # ---- registration ---------------------------------------------------------------------
    def _add_to_menus(self) -> None:
        for menu in self.window.menuBar().findChildren(QMenu):
            if menu.title() == "&Run":
                menu.addSeparator()
                menu.addAction(self.action)
        add_examples_submenu(self.window, self.window.files.examples_menu, "&Search",
                             shipped_sweeps(), self.open_sweep)

    def _hook_fields(self) -> None:
        for path, field in self.window.config_panel.fields.items():
            editor = getattr(field, "editor", None)
            if editor is not None and path not in NOT_SEARCHED:
                self.field_menus.watch(editor, path)

    def _take_open(self) -> None:
        """File ▸ Open hands sweep files here; presets and playgrounds go on as before."""
        opener = getattr(self.window, "playground", None)
        if opener is None:
            return
        open_other = opener.open_file

        def open_file(path, ask: bool = True) -> bool:
            if is_sweep_file(Path(path)):
                return self.open_sweep(Path(path))
            return open_other(path, ask=ask)

        opener.open_file = open_file

    # ---- the window -----------------------------------------------------------------------
    def ensure_window(self):
        if self.search_window is None:
            from trainlab.gui.search.window import SearchWindow

            self.search_window = SearchWindow(self._new_draft(), self.out_root,
                                              self.window)
            self.search_window.openPreset.connect(self.open_preset)
            self.search_window.statusChanged.connect(
                lambda text: self.window.status(text, 8000))
        return self.search_window

    def _new_draft(self) -> SearchDraft:
        return SearchDraft(self.window.session.draft.data)

    def show(self):
        w = self.ensure_window()
        w.show()
        w.raise_()
        w.activateWindow()
        return w

    def search_over(self, path: str) -> None:
        """Add a setting to the search (a search not yet run starts from today's settings)."""
        w = self.ensure_window()
        draft = w.draft
        if w.out_dir is None and not w.runner.active:
            draft.base = self._new_draft().base
        field = self.window.config_panel.fields.get(path)
        editor = getattr(field, "editor", None)
        choices = ([editor.itemData(i) for i in range(editor.count())]
                   if isinstance(editor, QComboBox) else None)
        draft.add(path, choices=choices)
        self.show()

    def open_sweep(self, path: Path) -> bool:
        """Open a sweep file in the Search window (one clear line per problem otherwise)."""
        from trainlab.sweep import SweepError, load_sweep

        try:
            definition = load_sweep(Path(path))
        except SweepError as error:
            self.window.files.warn("Cannot open search", f"{Path(path).name} cannot be used:\n"
                                   + "\n".join(f"• {k}: {m}" if k else f"• {m}"
                                               for k, m in error.problems[:12]))
            return False
        data = definition.file.model_dump(mode="json", warnings=False)
        w = self.ensure_window()
        if w.runner.active:
            self.window.status("A search is running; stop it before opening another.")
            return False
        w.set_draft(SearchDraft.from_sweep(data, definition.base))
        self.show()
        self.window.status(f"Opened the search {Path(path).name}.", 5000)
        return True

    def open_preset(self, preset: dict) -> None:
        """"Open as preset": a trial's settings become the main window's."""
        if self.window.session.runs.active:
            self.window.status("Stop the run before opening a trial's preset.")
            return
        if not self.window.files.maybe_save():
            return
        self.window.session.draft.load(preset, None)
        self.window.status(f"Opened {preset.get('name', 'the trial')} as the settings.", 5000)

    def shutdown(self) -> None:
        if self.search_window is not None:
            self.search_window.runner.shutdown()
