"""The runs of this session (and run folders opened from disk) in a table.

Each row: a tick box (overlay its curves), the run's colour, its name, key settings, status
and final metrics. Ticking rows tells the plots which runs to draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class RunEntry:
    """One run as the window knows it."""

    run_id: int
    name: str
    preset: dict
    history: Any
    task: str
    status: str = "running"
    message: str = ""
    result: Any = None             # RunResult for runs of this session
    out_dir: Path | None = None
    test_metrics: dict = field(default_factory=dict)
    color: str = ""


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "–"
    return f"{100 * v:.1f}%" if pct else f"{v:.3g}"


def settings_summary(preset: dict) -> str:
    """'spirals · 16-16 tanh · adam η=0.01 · B=32'"""
    data, model, opt = preset.get("data", {}), preset.get("model", {}), preset.get("optimizer", {})
    hidden = model.get("hidden") or []
    layers = "-".join(str(w) for w in hidden) if hidden else "linear"
    act = model.get("activation")
    act = "/".join(act) if isinstance(act, list) else act
    sched = preset.get("schedule", {}).get("name", "constant")
    parts = [str(data.get("source")), f"{layers} {act}" if hidden else layers,
             f"{opt.get('name')} η={opt.get('lr'):g}" if isinstance(opt.get("lr"), (int, float))
             else str(opt.get("name"))]
    if sched != "constant":
        parts.append(sched)
    parts.append(f"B={preset.get('training', {}).get('batch_size')}")
    return " · ".join(parts)


def settings_brief(preset: dict) -> str:
    """What the run label leaves out: 'spirals · tanh · B=32 · cosine'."""
    model = preset.get("model", {})
    act = model.get("activation")
    act = "/".join(act) if isinstance(act, list) else act
    parts = [str(preset.get("data", {}).get("source")), str(act),
             f"B={preset.get('training', {}).get('batch_size')}"]
    sched = preset.get("schedule", {}).get("name", "constant")
    if sched != "constant":
        parts.append(sched)
    reg = preset.get("regularization", {})
    if reg.get("l2"):
        parts.append(f"L2 {reg['l2']:g}")
    if model.get("dropout"):
        parts.append(f"dropout {model['dropout']:g}")
    if model.get("batch_norm"):
        parts.append("batch norm")
    return " · ".join(parts)


def run_label(n: int, preset: dict) -> str:
    """The legend name of a run: its number and what usually differs between compared runs."""
    opt = preset.get("optimizer", {})
    model = preset.get("model", {})
    hidden = model.get("hidden") or []
    layers = "-".join(str(w) for w in hidden) if hidden else "linear"
    lr = opt.get("lr")
    lr = f" η={lr:g}" if isinstance(lr, (int, float)) else ""
    return f"#{n} {opt.get('name')}{lr} {layers}"


class RunsPanel(QWidget):
    """Table of runs. ``visibilityChanged(list_of_ids)`` when ticks change,
    ``currentChanged(id)`` when a row is selected."""

    visibilityChanged = Signal(list)
    currentChanged = Signal(int)
    openRequested = Signal()
    removeRequested = Signal(list)

    COLUMNS = ("Show", "Run", "Epochs", "Status", "Train loss", "Val loss", "Val acc/R²",
               "Test acc/R²", "Settings")
    STATUS_COLUMN, TEST_COLUMN, SETTINGS_COLUMN = 3, 7, 8

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: dict[int, RunEntry] = {}
        self._rows: list[int] = []
        self._filling = False

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

    # ---- API --------------------------------------------------------------------------------
    def add(self, entry: RunEntry, visible: bool = True) -> None:
        if not entry.color:
            entry.color = categorical(entry.run_id - 1)
        self.entries[entry.run_id] = entry
        self._filling = True
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._rows.append(entry.run_id)
        show = QTableWidgetItem()
        show.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                      | Qt.ItemFlag.ItemIsSelectable)
        show.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
        show.setBackground(QBrush(QColor(entry.color)))
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
        entry = self.entries.get(run_id)
        if entry is None:
            return
        row = self._rows.index(run_id)
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

    def visible_ids(self) -> list[int]:
        return [rid for row, rid in enumerate(self._rows)
                if self.table.item(row, 0).checkState() == Qt.CheckState.Checked]

    def set_visible(self, run_id: int, visible: bool) -> None:
        row = self._rows.index(run_id)
        self.table.item(row, 0).setCheckState(
            Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else (self._rows[-1] if self._rows else None)

    def remove(self, run_id: int) -> None:
        if run_id in self.entries:
            row = self._rows.index(run_id)
            self.table.removeRow(row)
            self._rows.pop(row)
            del self.entries[run_id]
            self.hint.setVisible(not self._rows)

    # ---- internals --------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self.visibilityChanged.emit(self.visible_ids())

    def _selection_changed(self) -> None:
        rid = self.current_id()
        if rid is not None:
            self.currentChanged.emit(rid)

    def _remove_selected(self) -> None:
        rid = self.current_id()
        if rid is not None:
            self.removeRequested.emit([rid])
