"""Menus and actions of the main window, and the file work behind them that is not about
presets (those are in :mod:`trainlab.gui.preset_files`): opening run folders and exporting
plots, histories and weights.

A mixin of :class:`~trainlab.gui.window.MainWindow`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from trainlab.gui.messages import friendly_error
from trainlab.gui.preset_files import slug
from trainlab.gui.runs_panel import RunEntry


class MenusMixin:
    """Actions, menus, Open Run Folder and Export."""

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        SK = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_preset, SK.New,
                                       "Start from the default preset")
        self.open_action = self._action("&Open…", self.open_preset_dialog, SK.Open,
                                        "Open a preset file")
        self.save_action = self._action("&Save", self.save, SK.Save, "Save the preset")
        self.save_as_action = self._action("Save &As…", self.save_as, SK.SaveAs,
                                           "Save the preset under a new name")
        self.quit_action = self._action("&Quit", self.close, SK.Quit)
        self.open_run_action = self._action("Open &Run Folder…", self.open_run_dialog, None,
                                            "Overlay a run saved earlier")
        self.export_png_action = self._action("Plots as &PNG…", lambda: self.export("png"))
        self.export_svg_action = self._action("Plots as &SVG…", lambda: self.export("svg"))
        self.export_csv_action = self._action("History as &CSV…", lambda: self.export("csv"))
        self.export_npz_action = self._action("Weights as &NPZ…", lambda: self.export("npz"))

        self.train_action = self._action("Train / Pause / Resume", self.toggle_training,
                                         Qt.Key.Key_Space, "Start, pause or resume training")
        self.train_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.train_action)
        self.step_action = self._action("Step One Epoch", self.step_epoch, "Ctrl+E")
        self.stop_action = self._action("Stop", self.stop, "Ctrl+.")
        self.reset_action = self._action("Reset (New Initial Weights)", self.reset, "Ctrl+R")

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.examples_menu = menu.addMenu("&Examples")
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addSeparator()
        menu.addAction(self.open_run_action)
        export = menu.addMenu("&Export")
        for a in (self.export_png_action, self.export_svg_action, self.export_csv_action,
                  self.export_npz_action):
            export.addAction(a)
        menu.addSeparator()
        menu.addAction(self.quit_action)

        run = self.menuBar().addMenu("&Run")
        for a in (self.train_action, self.step_action, self.stop_action, self.reset_action):
            run.addAction(a)

        view = self.menuBar().addMenu("&View")
        for dock in (self.settings_dock, self.data_dock, self.runs_dock):
            view.addAction(dock.toggleViewAction())

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About TrainLab", self._about))
        self._fill_examples()
        self._fill_recent()

    # ------------------------------------------------------------------ help
    def _about(self) -> None:
        from trainlab import __version__

        QMessageBox.about(self, "About TrainLab",
                          f"TrainLab {__version__}\nA lab for training small neural networks by "
                          "point and click. The formulas follow PyTorch's documentation.")

    def open_run_dialog(self) -> None:
        start = str(self.runs_dir) if self.runs_dir and self.runs_dir.exists() else ""
        path = QFileDialog.getExistingDirectory(self, "Open a run folder", start)
        if path:
            self.open_run(Path(path))

    def open_run(self, path: Path) -> int | None:
        """Overlay a run saved on disk (by `trainlab run` or an earlier session)."""
        try:
            from trainlab.runs.records import load_run

            record = load_run(path)
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"That folder does not hold a TrainLab run: {friendly_error(exc)}")
            return None
        history = record.history
        summary = dict(getattr(record, "summary", None) or {})
        task = summary.get("task") or getattr(record, "task", None) or (
            "classification" if "train_acc" in history else "regression")
        self._run_counter += 1
        run_id = self._run_counter
        name = f"#{run_id} {getattr(record, 'name', None) or Path(path).name}"
        entry = RunEntry(run_id=run_id, name=name, preset=dict(record.preset or {}),
                         history=history, task=task, status=summary.get("status", "opened"),
                         message=str(summary.get("message", "")), out_dir=Path(path),
                         test_metrics={k: v for k, v in (summary.get("test_metrics") or
                                                         {}).items()})
        self.runs_panel.add(entry, visible=True)
        self._pinned.add(run_id)
        try:
            self.plots.set_run(run_id, entry.name, history, task)
            self._plotted.add(run_id)
            self._apply_visibility()
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"The run could not be drawn: {exc}")
        self.status(f"Opened run {Path(path).name}.", 5000)
        return run_id

    # ------------------------------------------------------------------ export
    def export(self, kind: str) -> None:
        entry = self.runs_panel.entries.get(self.runs_panel.current_id() or -1)
        if kind in ("csv", "npz") and entry is None:
            self.status("Train or open a run first; then its history and weights can be saved.")
            return
        if kind == "npz" and (entry.result is None or not entry.result.params_final):
            self.status("Weights are saved for runs of this session; a run folder already holds "
                        "its weights file.", 8000)
            return
        stem = slug(entry.name if entry else self.model.name)
        filters = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)",
                   "csv": "CSV table (*.csv)", "npz": "NumPy weights (*.npz)"}
        start = Path(self.settings.last_dir() or Path.home()) / f"{stem}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(start), filters[kind])
        if path:
            self.export_to(kind, Path(path), entry)

    def export_to(self, kind: str, path: Path, entry: RunEntry | None = None) -> Path | None:
        from trainlab.gui import export as ex

        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        try:
            if kind == "png":
                self.plots.export_png(path)
            elif kind == "svg":  # one file per plot: <stem>_loss.svg, <stem>_metric.svg, ...
                written = self.plots.export_svg(path)
                if isinstance(written, list) and written:
                    self.status(f"Saved {len(written)} SVG files beside {written[0].name}.", 8000)
                    return written[0]
            elif kind == "csv":
                ex.export_history_csv(entry.history, path)
            else:
                path = ex.export_weights_npz(entry.result.params_final, path)
        except Exception as exc:  # noqa: BLE001
            self.show_error(f"Export failed: {friendly_error(exc)}")
            return None
        self.status(f"Saved {path.name}.", 5000)
        return path
