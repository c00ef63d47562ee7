"""See inside the network: the network view (a diagram of units with their pictures and the
weights between them), the distributions, backprop step by step and the activation
functions, as docks of the window opened from the View menu.

:class:`InsideViews` feeds them: a :class:`~trainlab.session.network_model.ParamsFeed` hooked
into the run controller copies a running run's weights (at most ten times a second), a timer
in the window takes the latest copy and redraws the docks that are open; a finished run shows
its kept epochs (``weights_history``) on the network view's slider.

A weight edited by hand in the network view of a paused run goes to the run
(:meth:`RunControl.set_weights`): the run goes on from it at its next epoch boundary and
records it in its preset's ``changes``. In a finished run's view an edit changes the view only.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea

from trainlab.gui.activations_view import ActivationsView
from trainlab.gui.backprop_view import BackpropView
from trainlab.gui.distributions import DistributionsView
from trainlab.gui.network_view.panel import NetworkPanel
from trainlab.session.backprop import BackpropSteps
from trainlab.session.distributions import Distributions
from trainlab.session.network_model import (
    FEED_INTERVAL,
    NetworkInspector,
    ParamsFeed,
    warm_traces,
)

__all__ = ["InsideViews"]

#: A live redraw waits this many times its own cost after the previous one (the views take
#: at most a seventh of the window's time, whatever the machine), and at least FEED_INTERVAL.
REDRAW_SPACING = 6.0
#: Seconds between two live samples of the distributions (traces and gradients).
DISTRIBUTIONS_INTERVAL = 0.5
#: Kept epochs a finished run's distributions are drawn from when few were sampled live.
FINISHED_SAMPLES = 60


class InsideViews:
    """The docks that show inside the network, wired to ``window`` (a MainWindow)."""

    def __init__(self, window):
        self.window = window
        self.feed = ParamsFeed()
        window.controller.progress_hooks.append(self.feed)
        self.network = NetworkPanel()
        self.network.can_edit = self._edit_mode
        self.network.weightEdited.connect(self._weight_edited)
        self.distributions = DistributionsView()
        self.backprop = BackpropView()
        self.activations: ActivationsView | None = None
        area = Qt.DockWidgetArea.BottomDockWidgetArea
        self.docks = [self._dock("Network", self.network, area),
                      self._dock("Distributions", self.distributions, area),
                      self._dock("Backprop", self.backprop, area)]
        self.inspector: NetworkInspector | None = None
        self.model: Distributions | None = None
        self._run_id = None
        self._params: tuple[int, dict] | None = None
        self._unshown = None  # a finished run's result not drawn yet (no inside view open)
        #: where the run stands at its latest frame: (epochs done, steps into the next one,
        #: steps per epoch, epochs planned)
        self._at: tuple[int, int, int, int] | None = None
        #: weights sent to the current run, ``{name: [[i, j, value]]}`` each (for tests)
        self.sent: list[dict] = []
        self._pending = False     # weights taken but not drawn yet
        self._next_redraw = 0.0   # perf_counter() before which a live redraw waits
        self._next_distributions = 0.0
        self.timer = QTimer(window)
        self.timer.setInterval(int(FEED_INTERVAL * 1000))
        self.timer.timeout.connect(self.poll)
        window.controller.stateChanged.connect(self._state_changed)
        window.controller.finished.connect(self._finished)
        window.controller.frame.connect(self._frame)
        scene = window.data_view.plot_widget().scene()
        scene.sigMouseClicked.connect(self._data_clicked)
        self.activations_action = QAction("&Activation functions…", window)
        self.activations_action.triggered.connect(lambda: self.show_activations())
        menu = view_menu(window)
        if menu is not None:
            menu.addSeparator()
            menu.addActions(self.menu_actions())
        threading.Thread(target=_warm, name="trainlab-trace-warmup", daemon=True).start()

    def _dock(self, title, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"{title.lower()}Dock")
        # in a scroll area: a short screen (1280 × 720 under a lesson's banner) scrolls the
        # view instead of pushing the window past the screen's bottom
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(widget)
        dock.setWidget(scroll)
        self.window.addDockWidget(area, dock)
        dock.hide()
        dock.visibilityChanged.connect(lambda shown: shown and self._shown())
        # opened from the View menu: kept on the screen once laid out (a dock the user moves
        # afterwards stays where it is put)
        dock.toggleViewAction().triggered.connect(
            lambda shown: shown and QTimer.singleShot(
                0, self.window, lambda: self._keep_on_screen(dock)))
        return dock

    def _shown(self) -> None:
        if self._unshown is not None:
            self._show_finished()
        else:
            self._redraw()

    def menu_actions(self) -> list:
        return [d.toggleViewAction() for d in self.docks] + [self.activations_action]

    def open(self, title: str) -> None:
        """Show the dock ``title`` ("Network", "Distributions", "Backprop")."""
        dock = next(d for d in self.docks if d.windowTitle() == title)
        dock.show()
        dock.raise_()
        # once the dock is laid out (and not after the window is gone)
        QTimer.singleShot(0, self.window, lambda: self._give_room(dock))
        QTimer.singleShot(0, self.window, lambda: self._keep_on_screen(dock))

    def _keep_on_screen(self, opened: QDockWidget) -> None:
        """Docks opened side by side under the plots share the plots' width: where their
        views (and the Runs table) would not fit in it at their least widths, each inside dock
        becomes a tab of the Runs dock instead (``opened`` the tab in front), and a window
        pushed past its screen comes back to the screen's size."""
        w = self.window
        runs = w.runs_dock
        anchor = runs if runs.isVisible() else None
        tabbed = set(w.tabifiedDockWidgets(anchor)) if anchor is not None else set()
        beside = [d for d in self.docks + [runs] if d.isVisible() and not d.isFloating()
                  and d not in tabbed
                  and w.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
        need = sum(_view(d).minimumSizeHint().width() for d in beside)
        if len(beside) < 2 or need <= w.centralWidget().width():
            if opened in tabbed:
                opened.raise_()
            return
        anchor = anchor or beside[0]
        for dock in beside:
            if dock is not anchor:
                w.tabifyDockWidget(anchor, dock)
        opened.raise_()
        screen = w.screen()
        if screen is not None:
            area = screen.geometry() if w.isFullScreen() else screen.availableGeometry()
            # once laid out
            QTimer.singleShot(0, self.window, lambda: self._back_on_screen(area.size()))

    def _back_on_screen(self, room) -> None:
        from trainlab.gui.window import FRAME_ROOM

        w = self.window
        if w.isMaximized() or w.isFullScreen():
            return
        least = w.minimumSizeHint()
        width = min(w.width(), max(room.width() - FRAME_ROOM[0], least.width()))
        height = min(w.height(), max(room.height() - FRAME_ROOM[1], least.height()))
        if (width, height) != (w.width(), w.height()):
            w.resize(width, height)

    def _give_room(self, dock: QDockWidget) -> None:
        """An opened dock gets room to be read: 45 % of the window's height and 60 % of its
        width (the other docks of the bottom area share the rest)."""
        w = self.window
        w.resizeDocks([dock], [int(0.45 * w.height())], Qt.Orientation.Vertical)
        w.resizeDocks([dock], [int(0.6 * w.width())], Qt.Orientation.Horizontal)

    def show_activations(self, chosen=None) -> ActivationsView:
        if self.activations is None:
            self.activations = ActivationsView(self.window)
        act = chosen if chosen is not None else self.window.session.draft.get("model.activation")
        self.activations.set_chosen([act] if isinstance(act, str) else list(act or []))
        self.activations.show()
        self.activations.raise_()
        return self.activations

    # ---- runs ----------------------------------------------------------------------------------
    def _state_changed(self, state: str) -> None:
        runs = self.window.session.runs
        if state in ("running", "paused") and runs.current != self._run_id:
            self._run_id = runs.current
            self.inspector = self.model = self._params = self._at = self._unshown = None
            self.sent = []
            self.feed.reset()
        if state in ("running", "paused"):
            self.timer.start()
        else:
            self.timer.stop()
            self.poll()

    def _frame(self, frame) -> None:
        self._at = (frame.epoch, frame.step, frame.steps_per_epoch, frame.epochs)

    @staticmethod
    def in_sight(dock: QDockWidget) -> bool:
        """Shown, and not a tab behind another (such a dock is "visible" to Qt)."""
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def _open_docks(self) -> list:
        return [_view(d) for d in self.docks if self.in_sight(d)]

    def poll(self) -> None:
        """Take the latest weights of the run and redraw the open docks."""
        taken = self._parked_weights() or self.feed.take()
        if taken is not None:
            self._params, self._pending = taken, True
        live = self.window.controller.state in ("running", "paused")
        if not self._pending or not self._open_docks():
            return
        if live and time.perf_counter() < self._next_redraw:
            return  # coalesced: the latest weights are drawn on a later tick
        self._redraw(live=live)

    def _parked_weights(self) -> tuple[int, dict] | None:
        """The weights a paused run waits with, when the feed skipped their report."""
        controller = self.window.controller
        control = controller.control
        if controller.state != "paused" or control is None or not control.wait_parked(0):
            return None
        return self.feed.take_skipped()

    def _redraw(self, live: bool = False) -> None:
        """The open docks from the latest weights; ``live`` (a run under way) spaces the
        redraws by their cost and samples the distributions every
        :data:`DISTRIBUTIONS_INTERVAL` seconds."""
        if self._params is None or not self._ensure():
            return
        start = time.perf_counter()
        self._pending = False
        epoch, params = self._params
        open_docks = self._open_docks()
        drawn = False
        if self.network in open_docks and not self.network.slider.isVisible():
            self.network.show_params(epoch, params)
            drawn = True
        if self.distributions in open_docks and (not live or start >= self._next_distributions):
            self._next_distributions = start + DISTRIBUTIONS_INTERVAL
            if live and drawn:  # on the next turn of the event loop: no long turn for both
                QTimer.singleShot(0, self.window, lambda: self._sample(epoch, params, live))
            else:
                self._sample(epoch, params, live)
        self._spend(start, live)

    def _sample(self, epoch: int, params: dict, live: bool) -> None:
        """The distributions of ``epoch``'s weights, added and drawn."""
        if self.model is None:  # the run was replaced meanwhile
            return
        start = time.perf_counter()
        self.model.add(epoch, params)
        self.distributions.refresh()
        self._spend(start, live)

    def _spend(self, start: float, live: bool) -> None:
        """The next live redraw waits for REDRAW_SPACING times what was drawn since
        ``start``; the plots' frames make room for it too."""
        now = time.perf_counter()
        self._next_redraw = max(self._next_redraw, now) + max(FEED_INTERVAL,
                                                              REDRAW_SPACING * (now - start))
        if live:
            self.window.controller.spent(now - start)

    def _ensure(self) -> bool:
        """Build the models for the current run (its preset, the loaded data)."""
        if self.inspector is not None:
            return True
        entry = self.window.session.runs.entries.get(self._run_id)
        splits = self.window.session.data.splits
        if entry is None or splits is None:
            return False
        params = self._params[1]
        X = np.asarray(splits.X_train)
        try:
            self.inspector = NetworkInspector(entry.preset, params, splits.feature_names, X,
                                              self._grid(splits, X.shape[1]))
            self.model = Distributions(entry.preset, params, X, splits.y_train)
        except ValueError as exc:
            self.window.status(f"Network view: {exc}")
            return False
        self.network.set_inspector(self.inspector)
        self.distributions.set_model(self.model)
        return True

    def _grid(self, splits, d: int):
        """The data view's boundary grid as network inputs, or None (not a plane)."""
        try:
            grid = self.window.data_view.grid_inputs()
        except RuntimeError:
            return None
        if grid.shape[1] == d:
            return grid
        if getattr(splits, "features", None) and grid.shape[1] == len(splits.raw_names):
            return splits.inputs_from_raw(grid)
        return None

    def _finished(self, result) -> None:
        """A finished run: its kept epochs go on the network view's slider. Stacking them
        (tens of MB after a long run) waits until an inside view is open to show them."""
        self._params = (result.epochs, result.params_final)
        self._unshown = result
        if self._open_docks():
            self._show_finished()

    def _show_finished(self) -> None:
        result, self._unshown = self._unshown, None
        if result is None or not self._ensure():
            return
        kept = result.weights_history
        if kept is not None and len(kept[0]):
            self.network.set_kept(*kept)
            self._distributions_of_kept(*kept)
        else:
            self.network.show_params(result.epochs, result.params_final, "final weights")
        self._redraw()

    def _distributions_of_kept(self, epochs: np.ndarray, stacked: dict) -> None:
        """A run that sampled few epochs live (it was short, or the view was closed) gets
        its distributions from its kept weights: up to FINISHED_SAMPLES epochs, evenly."""
        model = self.model
        if model is None or len(model.epochs) >= FINISHED_SAMPLES // 2 or len(epochs) < 2:
            return
        picks = np.unique(np.linspace(0, len(epochs) - 1, min(FINISHED_SAMPLES, len(epochs)))
                          .round().astype(int))
        fresh = Distributions(model.preset, {k: v[-1] for k, v in stacked.items()}, model.X,
                              model.y)
        try:
            for i in picks:
                fresh.add(int(epochs[i]), {k: v[i] for k, v in stacked.items()})
        except ValueError as exc:
            self.window.status(f"Distributions: {exc}")
            return
        self.model = fresh
        self.distributions.set_model(fresh)

    # ---- weights set by hand -----------------------------------------------------------------
    def _edit_mode(self) -> str:
        """What a weight edit reaches (NetworkPanel.can_edit): "run", "view" or ""."""
        state = self.window.controller.state
        if state == "paused":
            return "run"
        return "view" if state == "idle" and self.inspector is not None else ""

    def _weight_edited(self, name: str, row: int, col: int, value: float) -> None:
        """The maps follow (done by the panel) and the decision boundary follows; a paused
        run gets the weight and goes on from it."""
        try:
            self.window.data_view.update_model(self._edited_model())
        except Exception as exc:  # noqa: BLE001 - a picture; the edit stands
            self.window.status(f"Decision boundary not redrawn: {exc}", 5000)
        label = f"{name}[{row}, {col}] = {value:g}"
        if self._edit_mode() == "run":
            self._send(label, {name: [[row, col, value]]})
        else:
            self.window.status(f"{label} in this view only: the run is over, its weights and "
                               "files stay as trained.", 10_000)

    def _edited_model(self):
        """``predict`` of the view's copy of the network (with the weights set by hand)."""
        ins = self.inspector
        loss = ins.preset["loss"]["name"]
        return lambda X: ins.net.predict(X, loss)

    def _send(self, label: str, weights: dict) -> None:
        """``weights`` to the paused run, and the status says from which epoch on."""
        done, step, per_epoch, planned = self._at or (0, 0, 0, None)
        within = 0 < step < per_epoch  # paused after single updates of an epoch
        first = done + (2 if within else 1)
        if planned is not None and first > planned:
            self.window.status(f"{label} in this view only: the run ends with the epoch under "
                               "way.", 10_000)
            return
        try:
            self.window.controller.control.set_weights(weights)
        except ValueError as exc:
            self.window.notices.error(f"Weight not set in the run: {str(exc).splitlines()[0]}")
            return
        self.sent.append(weights)
        self.window.run_display.edited_model = self._edited_model()
        before = (f"first finishes epoch {done + 1} with the weights it has, then "
                  if within else "")
        self.window.status(f"{label}: the run {before}goes on from this weight with epoch "
                           f"{first} (recorded in its preset's changes).", 10_000)

    # ---- backprop ------------------------------------------------------------------------------
    def _data_clicked(self, event) -> None:
        if not self.docks[2].isVisible() or self.inspector is None:
            return
        vb = self.window.data_view.plot_widget().getPlotItem().getViewBox()
        p = vb.mapSceneToView(event.scenePos())
        splits = self.window.session.data.splits
        X = np.asarray(splits.X_train)
        if X.shape[1] != 2:
            return
        row = int(np.argmin((X[:, 0] - p.x()) ** 2 + (X[:, 1] - p.y()) ** 2))
        self.step_through(row)

    def step_through(self, row: int) -> None:
        """Backprop step by step on training row ``row`` with the weights shown."""
        splits = self.window.session.data.splits
        loss = self.inspector.preset["loss"]["name"]
        try:
            steps = BackpropSteps(self.inspector.net, np.asarray(splits.X_train)[row],
                                  np.asarray(splits.y_train)[row], loss)
        except ValueError as exc:
            self.window.status(str(exc), 5000)
            return
        self.backprop.set_sample(steps, self.inspector.columns, f"training row {row}")


def _warm() -> None:
    try:
        warm_traces()
    except Exception:  # noqa: BLE001 - the kernels then compile on first use
        pass


def _view(dock: QDockWidget):
    """The view a dock shows (inside its scroll area, if it has one)."""
    inner = dock.widget()
    return inner.widget() if isinstance(inner, QScrollArea) else inner


def view_menu(window):
    """The window's View menu (None when it has none)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "View":
            return action.menu()
    return None
