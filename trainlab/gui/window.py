"""The main window: settings on the left, live plots in the middle, data on the right, runs below.

A view of a :class:`~trainlab.session.Session` (the preset being edited, the data it
describes, the runs so far; plain Python, no Qt). The window builds the widgets and the parts
that drive them, each given what it needs, and wires them together:

* :class:`~trainlab.gui.config_panel.ConfigPanel` edits the draft (through the Qt adapter
  :class:`~trainlab.gui.model.PresetModel`);
* :class:`~trainlab.gui.data_preview.DataPreview` loads and shows the data in the data view;
* :class:`~trainlab.gui.run_controls.RunControls` (tool bar, Run menu) starts runs in a
  worker thread (:class:`~trainlab.gui.worker.RunController`), and
  :class:`~trainlab.gui.run_display.RunDisplay` draws what the run reports;
* :class:`~trainlab.gui.runs_panel.RunsPanel` and :class:`~trainlab.gui.run_plots.RunPlots`
  show the session's runs in the table and the plots;
* :class:`~trainlab.gui.preset_files.PresetFiles` and :class:`~trainlab.gui.run_files.RunFiles`
  do the File menu's work; :func:`~trainlab.gui.menus.build_menus` lays out the menus.

Every failure ends as words in the window (:class:`~trainlab.gui.banner.Notices`), never a
traceback.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from trainlab.gui.banner import Banner, Notices
from trainlab.gui.collector import collect_in_gui_thread
from trainlab.gui.config_panel import ConfigPanel
from trainlab.gui.data_preview import DataPreview
from trainlab.gui.data_view import DataView
from trainlab.gui.engine_warmup import EngineWarmup
from trainlab.gui.keys import RunKeys
from trainlab.gui.kfold_view import KFoldDock
from trainlab.gui.landscape_view import LandscapeLauncher
from trainlab.gui.lessons.controller import Lessons
from trainlab.gui.live_changes import LiveChanges
from trainlab.gui.menus import build_menus
from trainlab.gui.model import PresetModel
from trainlab.gui.network_view import InsideViews
from trainlab.gui.playground.mode import PlaygroundMode
from trainlab.gui.plotting import PlotsPanel
from trainlab.gui.presentation import Presentation
from trainlab.gui.preset_files import PresetFiles
from trainlab.gui.replay_memory import ReplayMemory
from trainlab.gui.run_controls import RunControls
from trainlab.gui.run_display import RunDisplay
from trainlab.gui.run_files import RunFiles
from trainlab.gui.run_plots import RunPlots
from trainlab.gui.runs_panel import RunsPanel
from trainlab.gui.search import SearchLauncher
from trainlab.gui.settings import Settings
from trainlab.gui.small_multiples import SmallMultiples
from trainlab.gui.speed import SpeedControl
from trainlab.gui.timeline import Timeline
from trainlab.gui.worker import RunController
from trainlab.presets import PresetError, default_preset, load_preset, preset_to_dict
from trainlab.session import Session
from trainlab.session.view import ViewModel

__all__ = ["MainWindow", "first_preset"]

#: Pixels a window manager's frame and title bar add to a window (width, height), about.
FRAME_ROOM = (16, 40)
#: A fresh window takes this share of the screen, unless that is under the comfortable size
#: (width, height), when it takes the whole screen.
SCREEN_SHARE, COMFORTABLE = 0.9, (1400, 860)


def fresh_size(available_width: int, available_height: int) -> tuple[int, int]:
    """A fresh window's size on a screen with that much room: 90 % of it, or all of it (less
    the window's frame) when 90 % would be smaller than comfortable."""
    width, height = int(available_width * SCREEN_SHARE), int(available_height * SCREEN_SHARE)
    if width < COMFORTABLE[0] or height < COMFORTABLE[1]:
        return available_width - FRAME_ROOM[0], available_height - FRAME_ROOM[1]
    return width, height


def first_preset(settings: Settings, path: Path | None, restore: bool) -> tuple[dict, Path | None]:
    """The preset to start on and its file: the one asked for, the last one used, else the
    default."""
    candidates = [path] if path else []
    if restore and not path:
        candidates.append(settings.last_preset())
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            try:
                return preset_to_dict(load_preset(candidate)), Path(candidate)
            except (PresetError, OSError):
                continue
    return preset_to_dict(default_preset()), None


class MainWindow(QMainWindow):
    """TrainLab's window. `settings` and `runs_dir` are injectable for tests."""

    def __init__(self, settings: Settings | None = None, runs_dir: Path | None = None,
                 preset_path: Path | None = None, restore: bool = True, parent=None):
        super().__init__(parent)
        collect_in_gui_thread()  # cycles of Qt objects die in this thread, not a run's
        self.settings = settings or Settings()
        self.runs_dir = Path(runs_dir) if runs_dir else None
        self.session = Session(*first_preset(self.settings, preset_path, restore))
        runs = self.session.runs
        self.model = PresetModel(self.session.draft, self)
        self.controller = RunController(self)
        self.controller.stateChanged.connect(runs.set_state)

        self.config_panel = ConfigPanel(self.model)
        self.plots = PlotsPanel()
        self.data_view = DataView()
        self.runs_panel = RunsPanel(runs)
        self.banner = Banner()
        self._lay_out()
        self.notices = Notices(self.statusBar(), self.banner)
        self.warmup = EngineWarmup(self.statusBar(), self)
        self.data_preview = DataPreview(self.session, self.data_view, self.config_panel,
                                        self.notices, self)
        self.run_controls = RunControls(self, self.session, self.controller, self.config_panel,
                                        self.data_preview, self.warmup, self.notices,
                                        self.runs_dir)
        self.run_plots = RunPlots(runs, self.plots, self.notices.error)
        self.run_display = RunDisplay(runs, self.controller, self.run_plots, self.plots,
                                      self.data_preview, self.run_controls, self.notices)
        self.files = PresetFiles(self, self.session.draft, runs, self.settings, self.notices)
        self.run_files = RunFiles(self, self.session, self.plots, self.settings, self.notices,
                                  self.runs_dir)
        self.keys = RunKeys(self, self.run_controls.toggle_training)
        runs.events.state_changed.connect(self.keys.state_changed)
        self.view_model = ViewModel(self.settings.zoom(), self.settings.theme())
        self.presentation = Presentation(self, self.view_model, self.settings,
                                         self.settings_dock,
                                         [self.plots, self.data_view, self.run_plots],
                                         runs)
        build_menus(self, self.files, self.run_files, self.run_controls,
                    [self.settings_dock, self.data_dock, self.runs_dock],
                    self.presentation.actions)
        self.inside = InsideViews(self)  # the network view, distributions, backprop (View menu)
        self.playground = PlaygroundMode(self)  # View ▸ Playground; Open/Save take its files
        self.landscapes = LandscapeLauncher(self)  # "Landscape…" on a finished run's row
        self.lessons = Lessons(self, first_start=restore)  # Help ▸ Lessons, Formulas; banner
        self.speed = SpeedControl(self)  # the tool bar's speed box; paces runs
        self.timeline = Timeline(self)  # under the plots: x axis, mini-batch losses, replay
        self.live_changes = LiveChanges(self)  # live-changeable settings reach the run
        self.small_multiples = SmallMultiples(self)  # View ▸ up to four runs side by side
        self.search = SearchLauncher(self)  # Run ▸ Search…; sweep files; fields' "Search over"
        self.kfold = KFoldDock(self)  # a run's k-fold table, shown while its folds train
        self.replay_memory = ReplayMemory(self)  # Run ▸ Replay Memory…: the replay's budget
        self._connect()

        self._fit_to_screen()
        restored = False
        if restore:
            geometry, state = self.settings.geometry(), self.settings.window_state()
            if geometry is not None:
                self.restoreGeometry(geometry)
            if state is not None:
                restored = self.restoreState(state)
        if not restored:
            QTimer.singleShot(0, self, self._default_dock_sizes)
        self._update_title()
        self.run_controls.update()
        self.data_preview.schedule(immediately=True)
        self.status(self.lessons.ready_text())

    def _connect(self) -> None:
        draft = self.session.draft
        for event in (draft.events.dirty_changed, draft.events.reset, draft.events.value_changed):
            event.connect(self._update_title)
        self.config_panel.notice.connect(self.status)
        self.runs_panel.openRequested.connect(self.run_files.open_run_dialog)
        self.runs_panel.removeRequested.connect(self._remove_runs)
        # Runs of other data (another task) leave the plots when other settings are opened.
        draft.events.reset.connect(
            lambda: self.session.runs.hide_other_data(draft.get("data") or {}))

    # ------------------------------------------------------------------ layout
    def _lay_out(self) -> None:
        """The plots (under the banner) in the middle; settings, data and runs docks."""
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

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _fit_to_screen(self) -> None:
        """First start: :func:`fresh_size` of the screen, centred on it."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1600, 1000
        if screen is not None:
            width, height = fresh_size(screen.width(), screen.height())
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

    # ------------------------------------------------------------------ messages
    def status(self, text: str, ms: int = 0) -> None:
        self.notices.status(text, ms)

    def show_error(self, text: str) -> None:
        self.notices.error(text)

    def _update_title(self, *args) -> None:
        draft = self.session.draft
        self.setWindowTitle(f"{draft.name}{'*' if draft.dirty else ''} — TrainLab")

    # ------------------------------------------------------------------ commands
    def start_run(self, paused: bool = False) -> bool:
        """Start a run of the settings, as Train does (scripts and benchmarks call this)."""
        return self.run_controls.start_run(paused)

    def start_warmup(self) -> None:
        """Compile the engine's kernels in the background; Train works meanwhile."""
        self.warmup.start(self.session.draft.get("training.dtype") or "float64")

    def _remove_runs(self, ids: list) -> None:
        runs = self.session.runs
        for rid in ids:
            if not runs.can_remove(rid):
                self.status("The run that is going cannot be removed; stop it first.")
                continue
            runs.remove(rid)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not self.files.maybe_save():
            event.ignore()
            return
        self.data_preview.close()
        if self.controller.active:
            self.status("Stopping the run…")
            self.controller.shutdown()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.set_last_preset(self.session.draft.path)
        self.settings.sync()
        event.accept()
