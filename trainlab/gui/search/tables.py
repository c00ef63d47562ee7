"""The Search window's two tables: the searched parameters (key, values or range, log) and
the results (one sortable row per trial, coloured by state)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from trainlab.gui.search.plots import state_color
from trainlab.session import search as views
from trainlab.session.search import SearchDraft

#: Metrics shown in the results table when the trials recorded them.
METRIC_COLUMNS = ("val_loss_best", "val_loss_last", "val_acc_best", "val_acc_last",
                  "val_r2_best", "val_r2_last", "train_loss_last")
TRIAL_ROLE = Qt.ItemDataRole.UserRole + 1


class ParametersTable(QTableWidget):
    """One row per searched key: its values (``0, 0.2, 0.4``) or range (``0.001 … 0.1``),
    edited in place, and whether a range is drawn in log space."""

    problem = Signal(str)

    def __init__(self, draft: SearchDraft, parent=None):
        super().__init__(0, 3, parent)
        self.draft = draft
        self.setHorizontalHeaderLabels(["Setting", "Values or range", "Log"])
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().hide()
        self._filling = False
        self.itemChanged.connect(self._edited)

    def set_draft(self, draft: SearchDraft) -> None:
        self.draft = draft
        self.refresh()

    def refresh(self) -> None:
        self._filling = True
        try:
            self.setRowCount(0)
            for key, domain in self.draft.parameters.items():
                r = self.rowCount()
                self.insertRow(r)
                name = QTableWidgetItem(key)
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.setItem(r, 0, name)
                self.setItem(r, 1, QTableWidgetItem(views.domain_text(domain).replace(
                    " (log)", "")))
                log = QTableWidgetItem()
                is_range = isinstance(domain, dict) and "low" in domain
                log.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                             if is_range else Qt.ItemFlag.NoItemFlags)
                log.setCheckState(Qt.CheckState.Checked if is_range and domain.get("log")
                                  else Qt.CheckState.Unchecked)
                self.setItem(r, 2, log)
        finally:
            self._filling = False

    def selected_key(self) -> str | None:
        row = self.currentRow()
        return self.item(row, 0).text() if row >= 0 and self.item(row, 0) else None

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == 0:
            return
        r = item.row()
        key = self.item(r, 0).text()
        log = self.item(r, 2).checkState() == Qt.CheckState.Checked if self.item(r, 2) else False
        try:
            domain = views.parse_domain(self.item(r, 1).text(), log)
        except ValueError as error:
            self.problem.emit(f"{key}: {error}")
            self.refresh()
            return
        self.draft.parameters[key] = domain
        self.draft.events.changed.emit()


class ResultsTable(QTableWidget):
    """One row per finished trial; click a header to sort; rows coloured by state."""

    def __init__(self, parent=None):
        super().__init__(0, 0, parent)
        self.setSortingEnabled(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.columns: list[str] = []

    def show_rows(self, rows: list[dict], keys: list[str]) -> None:
        present = {k for r in rows for k in r}
        self.columns = ["trial", *keys, "objective",
                        *[m for m in METRIC_COLUMNS if m in present],
                        "epochs", "seconds", "state", "message"]
        self.setSortingEnabled(False)
        self.clear()
        self.setColumnCount(len(self.columns))
        self.setHorizontalHeaderLabels(self.columns)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            color = state_color(row.get("state") or "")
            for c, name in enumerate(self.columns):
                item = QTableWidgetItem()
                value = row.get(name)
                if isinstance(value, bool) or not isinstance(value, int | float):
                    item.setData(Qt.ItemDataRole.DisplayRole,
                                 "" if value is None else
                                 value if isinstance(value, str) else json.dumps(value))
                else:  # numbers sort as numbers
                    item.setData(Qt.ItemDataRole.DisplayRole,
                                 value if isinstance(value, int) else float(f"{value:.5g}"))
                item.setData(TRIAL_ROLE, row["trial"])
                item.setBackground(color)
                self.setItem(r, c, item)
        self.setSortingEnabled(True)
        self.resizeColumnsToContents()

    def trial_at(self, row: int) -> int | None:
        item = self.item(row, 0)
        return None if item is None else item.data(TRIAL_ROLE)

    def selected_trial(self) -> int | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.trial_at(rows[0].row()) if rows else None

    def column_values(self, name: str) -> list:
        c = self.columns.index(name)
        return [self.item(r, c).data(Qt.ItemDataRole.DisplayRole) for r in range(self.rowCount())]
