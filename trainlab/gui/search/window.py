"""The Search window (Run ▸ Search…): what to search over, how, and what came out.

Left: the searched settings (picked from the main window's fields, edited here), the method
(grid, random or Bayesian), the objective and the budget, Run and Stop with the progress (trials
done / total, the best so far). Right: the results table (sortable; "Open as preset" on any
row), the objective as a heat map for two parameters or parallel coordinates for more, and the
loss curves of the best trials. The sweep runs in a worker thread (:mod:`.runner`); its state
is a :class:`~trainlab.session.search.SearchDraft`.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trainlab.catalog.names import slug
from trainlab.gui.collector import collect_in_gui_thread
from trainlab.gui.search.plots import BestCurves, HeatMap, ParallelPlot
from trainlab.gui.search.runner import SearchRunner
from trainlab.gui.search.tables import ParametersTable, ResultsTable
from trainlab.session import search as views
from trainlab.session.search import SearchDraft


class SearchWindow(QWidget):
    """A top-level window over one :class:`SearchDraft`; ``out_root`` holds the sweeps' folders.
    ``openPreset(dict)`` asks the main window to load a trial's preset into the settings."""

    openPreset = Signal(object)
    statusChanged = Signal(str)

    def __init__(self, draft: SearchDraft, out_root: Path, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        collect_in_gui_thread()  # its search thread never collects Qt objects
        self.setWindowTitle("Search — TrainLab")
        self.draft = draft
        self.out_root = Path(out_root)
        self.out_dir: Path | None = None
        self.jobs_default = os.cpu_count() or 1
        self.runner = SearchRunner(self)
        self.rows: list[dict] = []
        self.progress_text = ""
        self._build()
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.set_draft(draft)
        self.resize(1200, 680)

    # ---- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        self.name_edit = QLineEdit()
        self.name_edit.editingFinished.connect(
            lambda: self.draft.set(name=self.name_edit.text() or self.draft.name))
        column.addWidget(self.name_edit)
        column.addWidget(QLabel("Search over (right-click a setting in the main window: "
                                "“Search over this”):"))
        self.params = ParametersTable(self.draft)
        self.params.problem.connect(self.say)
        column.addWidget(self.params, 1)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self.params.selected_key()
                               and self.draft.remove(self.params.selected_key()))
        column.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)

        form = QFormLayout()
        self.method = QComboBox()
        self.method.addItems(views.METHODS)
        self.trials = QSpinBox(minimum=1, maximum=100_000)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.metric_box = QComboBox()
        self.metric_box.addItems(views.OBJECTIVES)
        self.at = QComboBox()
        self.at.addItems(views.WHEN)
        self.minutes = QDoubleSpinBox(minimum=0, maximum=10_000, decimals=1,
                                      specialValueText="none")
        self.jobs = QSpinBox(minimum=1, maximum=256, value=self.jobs_default)
        for label, widget in (("Method", self.method), ("Trials", self.trials),
                              ("Seed", self.seed), ("Objective", self.metric_box), ("at", self.at),
                              ("Budget (minutes)", self.minutes), ("Processes", self.jobs)):
            form.addRow(label, widget)
        column.addLayout(form)
        self.method.currentTextChanged.connect(lambda t: self.draft.set(method=t))
        self.trials.valueChanged.connect(lambda n: self.draft.set(n_trials=n))
        self.seed.valueChanged.connect(lambda n: self.draft.set(seed=n))
        self.metric_box.currentTextChanged.connect(lambda t: self.draft.set(metric=t))
        self.at.currentTextChanged.connect(lambda t: self.draft.set(at=t))
        self.minutes.valueChanged.connect(lambda v: self.draft.set(max_minutes=v or None))

        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self.save_dialog)
        for b in (self.run_button, self.stop_button, self.save_button):
            buttons.addWidget(b)
        column.addLayout(buttons)
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        column.addWidget(self.progress)
        column.addWidget(self.status)

        self.table = ResultsTable()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.open_button = QPushButton("Open as preset")
        self.open_button.clicked.connect(lambda: self.open_trial(self.table.selected_trial()))
        results = QWidget()
        box = QVBoxLayout(results)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table, 1)
        box.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)

        self.heat = HeatMap()
        self.parallel = ParallelPlot()
        self.map_note = QLabel("The map shows once trials have finished.")
        self.map_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_stack = QStackedWidget()
        for w in (self.map_note, self.heat, self.parallel):
            self.map_stack.addWidget(w)
        self.curves = BestCurves()
        self.tabs = QTabWidget()
        self.tabs.addTab(results, "Results")
        self.tabs.addTab(self.map_stack, "Map")
        self.tabs.addTab(self.curves, "Best curves")

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 820])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

    # ---- the draft ------------------------------------------------------------------------
    def set_draft(self, draft: SearchDraft) -> None:
        """Show ``draft`` (a new search, or one opened from a file)."""
        if hasattr(self, "_listener"):
            self.draft.events.changed.disconnect(self._listener)
        self.draft = draft
        self._listener = draft.events.changed.connect(self._draft_changed)
        for widget, value in ((self.method, draft.method), (self.metric_box, draft.metric),
                              (self.at, draft.at)):
            widget.blockSignals(True)
            widget.setCurrentText(value)
            widget.blockSignals(False)
        for widget, value in ((self.trials, draft.n_trials), (self.seed, draft.seed),
                              (self.minutes, draft.max_minutes or 0)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self.name_edit.setText(draft.name)
        self.out_dir = None
        self.rows = []
        self.show_results([])
        self._draft_changed()

    def _draft_changed(self) -> None:
        self.params.set_draft(self.draft)
        grid = self.draft.method == "grid"
        self.trials.setEnabled(not grid)
        self.seed.setEnabled(not grid)
        n = self.draft.trial_count()
        if not self.runner.active:
            self.status.setText(
                "Pick settings to search over." if not self.draft.parameters else
                "A grid needs values or stepped ranges for every setting." if n is None else
                f"{n} trials of {self.draft.base['training']['epochs']} epochs.")

    # ---- running --------------------------------------------------------------------------
    def run(self) -> bool:
        """Run the search (a new folder under ``out_root``); False with a message when the
        search cannot run."""
        from trainlab.sweep import SweepError

        if self.runner.active:
            return False
        if not self.draft.parameters:
            self.say("Pick at least one setting to search over.")
            return False
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out_dir = self.out_root / f"{slug(self.draft.name)}-{stamp}"
        for n in range(2, 1000):
            if not out_dir.exists():
                break
            out_dir = self.out_root / f"{slug(self.draft.name)}-{stamp}-{n}"
        try:
            self.runner.start(self.draft.to_sweep(), out_dir, self.jobs.value())
        except SweepError as error:
            self.say("The search cannot run: " + "; ".join(
                f"{k}: {m}" if k else m for k, m in error.problems[:5]))
            return False
        self.out_dir = out_dir
        self.rows = []
        self.show_results([])
        total = self.runner.sweep.total
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self._running(True)
        self.say(f"Running {total} trials in {out_dir}…")
        return True

    def stop(self) -> None:
        if self.runner.active:
            self.runner.stop()
            self.say("Stopping: the running trials end after their current step…")

    def _running(self, on: bool) -> None:
        self.run_button.setEnabled(not on)
        self.stop_button.setEnabled(on)
        for w in (self.params, self.method, self.trials, self.seed, self.metric_box, self.at,
                  self.minutes, self.jobs, self.name_edit):
            w.setEnabled(not on)

    def _progressed(self, p) -> None:
        row = views.row_of_report(p.row) if p.row else None
        if row is not None:
            self.rows = [r for r in self.rows if r["trial"] != row["trial"]] + [row]
            self.show_results(sorted(self.rows, key=lambda r: r["trial"]))
        self.progress.setRange(0, p.total)
        self.progress.setValue(p.done)
        best = "–" if p.best is None else f"{p.best:.4g}"
        self.progress_text = (f"{p.done} / {p.total} trials · best {self.draft.metric} {best}"
                              f" · {p.trials_per_minute:.1f} trials per minute")
        self.say(self.progress_text)

    def _finished(self, rows: list[dict]) -> None:
        self._running(False)
        self.show_results(rows)
        done = sum(r["state"] != "interrupted" for r in rows)
        total = self.runner.sweep.total if self.runner.sweep else len(rows)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        stopped = done < total
        rate = self.progress_text.split(" · ", 1)[-1] + ". " if self.progress_text else ""
        self.say(f"{'Stopped' if stopped else 'Done'}: {done} of {total} trials. {rate}"
                 + (f"Results in {self.out_dir}." if self.out_dir else ""))

    def _failed(self, message: str) -> None:
        self._running(False)
        self.say(f"The search stopped with an error: {message}")

    # ---- results --------------------------------------------------------------------------
    def show_results(self, rows: list[dict]) -> None:
        """Fill the table, the map and the best curves from result rows."""
        self.rows = list(rows)
        keys = list(self.draft.parameters)
        direction = self._direction()
        self.table.show_rows(self.rows, keys)
        done = [r for r in self.rows if r.get("state") == "complete"]
        if not done:
            self.map_stack.setCurrentWidget(self.map_note)
        elif len(keys) == 2:
            self.heat.show_rows(self.rows, keys[0], keys[1], self.draft.parameters, direction)
            self.map_stack.setCurrentWidget(self.heat)
        else:
            self.parallel.show_rows(self.rows, self.draft.parameters, direction)
            self.map_stack.setCurrentWidget(self.parallel)
        self.curves.show_rows(self.rows, direction)

    def _direction(self) -> str:
        from trainlab.sweep.model import DIRECTIONS

        return DIRECTIONS[self.draft.metric]

    def _table_menu(self, pos) -> None:
        trial = self.table.trial_at(self.table.rowAt(pos.y()))
        if trial is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Open trial {trial} as preset", lambda: self.open_trial(trial))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def open_trial(self, trial: int | None) -> bool:
        """Send a finished trial's resolved preset to the main window's settings."""
        if trial is None or self.runner.sweep is None:
            self.say("Select a trial of a search run here first.")
            return False
        try:
            preset = self.runner.sweep.trial_preset(trial)
        except (StopIteration, ValueError) as error:
            self.say(f"Trial {trial} cannot be opened: {error}")
            return False
        self.openPreset.emit(preset)
        return True

    # ---- files ----------------------------------------------------------------------------
    def save_dialog(self) -> None:
        start = Path.home() / f"{slug(self.draft.name)}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Save search as", str(start),
                                              "TrainLab searches (*.json)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        path = path if path.suffix.lower() == ".json" else path.with_name(path.name + ".json")
        try:
            path.write_text(json.dumps(self.draft.to_sweep(), indent=2, ensure_ascii=False)
                            + "\n", encoding="utf-8")
        except OSError as error:
            self.say(f"Cannot save {path}: {error.strerror or error}")
            return False
        self.say(f"Saved {path.name}.")
        return True

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.statusChanged.emit(text)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.runner.shutdown()
        event.accept()
