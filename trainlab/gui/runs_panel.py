"""The runs of the window (and run folders opened from disk) in a table: a view and
controller of :class:`~trainlab.session.runs.RunsModel`.

Each row: a tick box (overlay its curves), the run's colour, its name, key settings, status
and final metrics. Ticking rows tells the model which runs to draw; selecting a row selects
the run.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.colors import categorical
from trainlab.session.labels import settings_brief, settings_summary
from trainlab.session.runs import RunEntry, RunsModel

STATUS_WORDS = {
    "running": "running",
    "paused": "paused",
    "finished": "finished",
    "early_stopped": "stopped early",
    "diverged": "diverged",
    "stopped": "stopped",
    "failed": "failed",
    "opened": "from disk",
}


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "–"
    return f"{100 * v:.1f}%" if pct else f"{v:.3g}"



class RunsPanel(QWidget):
    """Table of the runs in ``runs``; ``openRequested()`` and ``removeRequested(ids)`` ask
    the window for the commands behind the two buttons."""

    openRequested = Signal()
    removeRequested = Signal(list)

    COLUMNS = ("Show", "Run", "Epochs", "Status", "Train loss", "Val loss", "Val acc/R²",
               "Test acc/R²", "Settings")
    STATUS_COLUMN, TEST_COLUMN, SETTINGS_COLUMN = 3, 7, 8

    def __init__(self, runs: RunsModel, parent=None):
        super().__init__(parent)
        self.runs = runs
        self._rows: list[int] = []
        self._filling = False

        # Narrower than its columns if the screen is: the table scrolls sideways instead.
        self.setMinimumWidth(240)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for i in range(len(self.COLUMNS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.SETTINGS_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.hint = QLabel("Each Train press adds a run here. Tick runs to compare their curves.")
        self.hint.setObjectName("hint")
        self.open_button = QPushButton("Open run folder…")
        self.open_button.setToolTip(
            "Overlay a run saved by 'trainlab run' or by an earlier session.")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected run from the list and the plots.")
        self.open_button.clicked.connect(self.openRequested)
        self.remove_button.clicked.connect(self._remove_selected)

        bar = QHBoxLayout()
        bar.addWidget(self.hint)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        runs.events.added.connect(self._add)
        runs.events.removed.connect(self._remove)
        runs.events.changed.connect(self.refresh)
        runs.events.visibility_changed.connect(self._show_ticks)

    # ---- the model's changes -----------------------------------------------------------------
    def _add(self, entry: RunEntry) -> None:
        self._filling = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._rows.append(entry.run_id)
        show = QTableWidgetItem()
        show.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                      | Qt.ItemFlag.ItemIsSelectable)
        show.setCheckState(Qt.CheckState.Checked if entry.visible else Qt.CheckState.Unchecked)
        show.setBackground(QBrush(QColor(categorical(entry.color))))
        show.setToolTip("Tick to draw this run's curves")
        self.table.setItem(row, 0, show)
        for col in range(1, len(self.COLUMNS)):
            self.table.setItem(row, col, QTableWidgetItem())
        self._filling = False
        self.refresh(entry.run_id)
        self.table.selectRow(row)
        self.hint.setVisible(False)

    def refresh(self, run_id: int) -> None:
        """Rewrite a row from its entry (status, epochs, final metrics)."""
        entry = self.runs.entries.get(run_id)
        if entry is None or run_id not in self._rows:
            return
        row = self._rows.index(run_id)
        self.table.item(row, 0).setBackground(QBrush(QColor(categorical(entry.color))))
        h = entry.history
        n = len(h) if h is not None else 0
        def last(name):
            return float(h[name][n - 1]) if n and name in h else None

        metric = "val_acc" if entry.task == "classification" else "val_r2"
        metric_value = last(metric)
        if metric_value is not None and not math.isfinite(metric_value):
            metric_value = last("train_acc" if entry.task == "classification" else "train_r2")
        test = entry.test_metrics or {}
        if entry.task == "classification":
            test_text = _fmt(test.get("test_acc"), pct=True)
        else:
            test_text = _fmt(test.get("test_r2"))
        values = [
            entry.name,
            f"{max(n - 1, 0)}/{entry.preset.get('training', {}).get('epochs', '?')}",
            STATUS_WORDS.get(entry.status, entry.status),
            _fmt(last("train_loss")),
            _fmt(last("val_loss")),
            _fmt(metric_value, pct=entry.task == "classification"),
            test_text or "–",
            settings_brief(entry.preset),
        ]
        self._filling = True
        for col, text in enumerate(values, start=1):
            item = self.table.item(row, col)
            item.setText(text)
            if col == self.STATUS_COLUMN:
                item.setToolTip(entry.message or text)
                bad = entry.status in ("diverged", "failed")
                item.setForeground(QBrush(QColor("#b3261e" if bad else "#222222")))
        self.table.item(row, 1).setToolTip(entry.name)
        self.table.item(row, self.SETTINGS_COLUMN).setToolTip(settings_summary(entry.preset))
        self.table.item(row, self.TEST_COLUMN).setToolTip(
            "Measured once, at the end of the run, on the test split the network never saw. "
            + ", ".join(f"{k}: {_fmt(v)}" for k, v in test.items()))
        self._filling = False

    def _remove(self, run_id: int) -> None:
        if run_id in self._rows:
            row = self._rows.index(run_id)
            self.table.removeRow(row)
            self._rows.pop(row)
            self.hint.setVisible(not self._rows)

    def _show_ticks(self, visible_ids: list) -> None:
        self._filling = True
        for row, rid in enumerate(self._rows):
            state = Qt.CheckState.Checked if rid in visible_ids else Qt.CheckState.Unchecked
            if self.table.item(row, 0).checkState() != state:
                self.table.item(row, 0).setCheckState(state)
        self._filling = False

    # ---- what the user does -----------------------------------------------------------------
    def ticked_ids(self) -> list[int]:
        """The runs whose tick box is ticked, in table order."""
        return [rid for row, rid in enumerate(self._rows)
                if self.table.item(row, 0).checkState() == Qt.CheckState.Checked]

    def set_ticked(self, run_id: int, ticked: bool) -> None:
        """Tick or untick a run's box, as a click does."""
        row = self._rows.index(run_id)
        self.table.item(row, 0).setCheckState(
            Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def selected_row_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self.runs.show_only(self.ticked_ids())

    def _selection_changed(self) -> None:
        rid = self.selected_row_id()
        if rid is not None:
            self.runs.select(rid)

    def _remove_selected(self) -> None:
        rid = self.runs.selected
        if rid is not None:
            self.removeRequested.emit([rid])
