"""The loss landscape of a finished run, in a window of its own.

"Landscape…" on a run's row (the runs table's context menu, or Run ▸ Landscape of the Selected
Run) computes :func:`trainlab.landscape.compute_landscape` in a worker thread with a progress
bar (Cancel stops it), then shows the 1-D view (the loss along θ(t) = (1 − t)·θ_initial +
t·θ_final) and the 2-D view (log-spaced contours of the loss in the plane of the two
directions, with the run's path projected on it). A run trained in this window uses its weights
history (trajectory-PCA directions); a run without one gets random directions.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from trainlab.gui.menus import make_action
from trainlab.gui.playground.contours import contour_lines, log_levels
from trainlab.gui.plotting.style import style_plot

GRID = 41
DONE_STATES = ("finished", "early_stopped", "stopped", "opened")


class LandscapeWorker(QThread):
    """Computes one landscape; ``progressed(done, total)``, then ``computed(landscape)`` or
    ``failed(message)``."""

    progressed = Signal(int, int)
    computed = Signal(object)
    failed = Signal(str)

    def __init__(self, source, directions: str, grid: int = GRID, parent: QObject | None = None):
        super().__init__(parent)
        self.source, self.directions, self.grid = source, directions, grid
        self.cancelled = False

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancelled

    def run(self) -> None:
        from trainlab.landscape import Cancelled, compute_landscape

        try:
            result = compute_landscape(self.source, grid=self.grid, directions=self.directions,
                                       progress=self._progress)
        except Cancelled:
            self.failed.emit("Cancelled.")
        except Exception as error:  # noqa: BLE001 - said in the dialog, never a traceback
            self.failed.emit(str(error).splitlines()[0] if str(error) else repr(error))
        else:
            self.computed.emit(result)


class LandscapeDialog(QDialog):
    """Progress while a landscape is computed, then its 1-D and 2-D views."""

    def __init__(self, source, directions: str, title: str, parent=None, grid: int = GRID):
        super().__init__(parent)
        self.setWindowTitle(f"Loss landscape — {title}")
        self.resize(1100, 520)
        self.landscape = None
        self.progress = QProgressBar()
        self.status = QLabel("Computing the landscape…")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.line = pg.PlotWidget()
        style_plot(self.line, "t   (θ = (1 − t)·θ_initial + t·θ_final)", "loss")
        self.plane = pg.PlotWidget()
        style_plot(self.plane, "α (direction 1)", "β (direction 2)", grid=False)
        self.plane.setAspectLocked(False)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        plots = QHBoxLayout()
        plots.addWidget(self.line)
        plots.addWidget(self.plane)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(plots, 1)
        self.worker = LandscapeWorker(source, directions, grid, self)
        self.worker.progressed.connect(self._progressed)
        self.worker.computed.connect(self.show_landscape)
        self.worker.failed.connect(self._failed)
        self.cancel_button.clicked.connect(self._cancel)

    def start(self) -> None:
        self.worker.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _cancel(self) -> None:
        self.worker.cancelled = True
        self.cancel_button.setEnabled(False)

    def _failed(self, message: str) -> None:
        self.status.setText(f"No landscape: {message}")
        self.cancel_button.setEnabled(False)

    def show_landscape(self, landscape) -> None:
        """Draw a computed :class:`~trainlab.landscape.Landscape`."""
        self.landscape = landscape
        self.cancel_button.setEnabled(False)
        self.progress.setValue(self.progress.maximum())
        kind = "trajectory PCA" if landscape.directions == "pca" else "random"
        self.status.setText(f"{landscape.label}: 1-D interpolation and a 2-D slice along "
                            f"{kind} directions ({len(landscape.alphas)}² points)")
        self.line.clear()
        self.line.addLegend()
        self.line.plot(landscape.t, landscape.loss_1d, pen=pg.mkPen("#1f6fb2", width=2.5),
                       name="train")
        if landscape.val_loss_1d is not None:
            self.line.plot(landscape.t, landscape.val_loss_1d,
                           pen=pg.mkPen("#e58606", width=2.5, style=Qt.DashLine), name="val")
        for t, label in ((0.0, "initial"), (1.0, "final")):
            self.line.addItem(pg.InfiniteLine(t, pen=pg.mkPen((120, 120, 120), width=1),
                                              label=label))
        self._draw_plane(landscape)

    def _draw_plane(self, landscape) -> None:
        self.plane.clear()
        a, b = landscape.alphas, landscape.betas
        Z = np.asarray(landscape.loss, dtype=np.float64).T  # rows: β, columns: α
        for k, (_, points) in enumerate(contour_lines(a, b, Z, log_levels(Z, 14))):
            shade = int(40 + 160 * k / 13)
            self.plane.plot(points[:, 0], points[:, 1], pen=pg.mkPen((shade, shade, 200)),
                            connect="finite")
        if len(landscape.path):
            path = landscape.path
            self.plane.plot(path[:, 0], path[:, 1], pen=pg.mkPen("#c8352b", width=2.5),
                            symbol="o", symbolSize=5, symbolBrush="#c8352b", symbolPen=None)
        self.plane.plot([0], [0], pen=None, symbol="star", symbolSize=16,
                        symbolBrush="#ffd700", symbolPen="k")
        self.plane.setRange(xRange=(a[0], a[-1]), yRange=(b[0], b[-1]), padding=0)

    def done(self, result: int) -> None:  # noqa: N802 (Qt naming) - closing stops the worker
        self.worker.cancelled = True
        self.worker.wait()
        super().done(result)


class LandscapeLauncher:
    """Run ▸ Landscape of the Selected Run and the runs table's context menu."""

    def __init__(self, window):
        self.window = window
        self.runs = window.session.runs
        self.dialogs: list[LandscapeDialog] = []
        self.action = make_action(window, "&Landscape of the Selected Run…",
                                  self.open_selected, None,
                                  "The loss surface around a finished run's weights")
        for menu in window.menuBar().findChildren(QMenu):
            if menu.title() == "&Run":
                menu.addSeparator()
                menu.addAction(self.action)
        table = window.runs_panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)

    def _context_menu(self, pos) -> None:
        menu = QMenu(self.window)
        entry = self._selected()
        action = menu.addAction("Landscape…", self.open_selected)
        action.setEnabled(entry is not None and entry.status in DONE_STATES)
        menu.popup(self.window.runs_panel.table.viewport().mapToGlobal(pos))

    def _selected(self):
        rid = self.window.runs_panel.selected_row_id()
        return self.runs.entries.get(rid) if rid is not None else None

    def open_selected(self) -> LandscapeDialog | None:
        entry = self._selected()
        if entry is None or entry.status not in DONE_STATES:
            self.window.status("Pick a finished run in the runs table for its landscape.")
            return None
        return self.open_entry(entry)

    def open_entry(self, entry) -> LandscapeDialog:
        """Compute and show the landscape of a run of the session (or one from disk)."""
        if entry.result is not None:
            source = entry.result
            history = getattr(entry.result, "weights_history", None)
        else:
            source = entry.out_dir
            history = (entry.out_dir / "weights_history.npz").is_file() if entry.out_dir \
                else None
        directions = "pca" if history else "random"
        dialog = LandscapeDialog(source, directions, entry.name, self.window)
        dialog.finished.connect(lambda _: self.dialogs.remove(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        dialog.start()
        return dialog
