"""k-fold cross-validation of a run in the window: one row per fold (its validation metric and
loss), then the mean ± std, with the folds' progress while they train after the main run.

The run layer reports the results so far after each fold (``train(on_fold=...)``, relayed by
:attr:`~trainlab.gui.worker.RunController.folds`) and the final ones in
``RunResult.extra["kfold"]``; :func:`trainlab.sweep.folds.fold_table` turns either into the
table. The view lives in a "k-fold" dock that shows itself when a run's folds start.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainlab.sweep.folds import fold_table


def _cell(value) -> str:
    return "" if value is None else f"{value:.4f}"


class KFoldView(QWidget):
    """The fold table, its mean ± std line and the folds' progress."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setFormat("fold %v of %m")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.kfold: dict | None = None
        self.table_data: dict = {}

    def show_kfold(self, kfold: dict) -> None:
        """Show k-fold results (complete or so far)."""
        self.kfold = kfold
        k, done = int(kfold["k"]), len(kfold["values"])
        self.progress.setRange(0, k)
        self.progress.setValue(done)
        self.progress.setVisible(done < k and not kfold.get("stopped"))
        table = fold_table(kfold) if done else {"columns": ["fold", kfold["metric"]],
                                                "rows": [], "mean": {}, "std": {}}
        columns = table["columns"]
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(table["rows"]))
        for r, row in enumerate(table["rows"]):
            for c, name in enumerate(columns):
                item = QTableWidgetItem(str(row[name]) if name == "fold" else _cell(row[name]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        parts = [f"{m} {table['mean'][m]:.4f} ± {table['std'][m]:.4f}"
                 for m in table["mean"] if table["mean"][m] is not None]
        head = f"Mean ± std over {done} of {k} folds" if done < k else f"Mean ± std over {k} folds"
        self.summary.setText(f"{head}: " + ", ".join(parts) if parts else
                             f"Cross-validating: {k} folds train after the run…")
        self.table_data = table

    def clear(self) -> None:
        self.kfold = None
        self.table.setRowCount(0)
        self.summary.setText("")


class KFoldDock:
    """The "k-fold" dock of ``window``: shown when a run's folds start, filled as they end."""

    def __init__(self, window):
        self.window = window
        self.view = KFoldView()
        self.dock = QDockWidget("k-fold", window)
        self.dock.setObjectName("kfoldDock")
        self.dock.setWidget(self.view)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.runs_dock, self.dock)
        window.runs_dock.raise_()
        self.dock.hide()
        window.controller.folds.connect(self._folds)
        window.controller.finished.connect(self._finished)

    def _folds(self, kfold: dict) -> None:
        if not kfold["values"]:
            self.dock.show()
            self.dock.raise_()
            self.window.status(f"Cross-validating: {kfold['k']} folds…")
        self.view.show_kfold(kfold)

    def _finished(self, result) -> None:
        kfold = getattr(result, "extra", {}).get("kfold")
        if kfold:
            self.view.show_kfold({**kfold, "stopped": kfold.get("partial", False)})
