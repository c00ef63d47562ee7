"""Run folders and exports: overlaying a run saved on disk, and saving the plots, a run's
history or its weights."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from trainlab.catalog.names import slug
from trainlab.gui import export as ex
from trainlab.gui.banner import Notices
from trainlab.gui.menus import make_action
from trainlab.gui.messages import friendly_error
from trainlab.gui.plotting import PlotsPanel
from trainlab.gui.settings import Settings
from trainlab.session import Session
from trainlab.session.runs import RunEntry

_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)",
            "csv": "CSV table (*.csv)", "npz": "NumPy weights (*.npz)"}


class RunFiles:
    """Open Run Folder and Export; dialogs open over ``parent``."""

    def __init__(self, parent: QWidget, session: Session, plots: PlotsPanel, settings: Settings,
                 notices: Notices, runs_dir: Path | None):
        self.parent = parent
        self.session = session
        self.runs = session.runs
        self.plots = plots
        self.settings = settings
        self.notices = notices
        self.runs_dir = runs_dir
        self.open_run_action = make_action(parent, "Open &Run Folder…", self.open_run_dialog,
                                           None, "Overlay a run saved earlier")
        self.export_actions = [
            make_action(parent, "Plots as &PNG…", lambda: self.export("png")),
            make_action(parent, "Plots as &SVG…", lambda: self.export("svg")),
            make_action(parent, "History as &CSV…", lambda: self.export("csv")),
            make_action(parent, "Weights as &NPZ…", lambda: self.export("npz")),
            make_action(parent, "Py&Torch Script…", self.export_torch_dialog, None,
                        "A standalone PyTorch script that trains the selected run again "
                        "with torch.nn and torch.optim"),
        ]

    def open_run_dialog(self) -> None:
        start = str(self.runs_dir) if self.runs_dir and self.runs_dir.exists() else ""
        path = QFileDialog.getExistingDirectory(self.parent, "Open a run folder", start)
        if path:
            self.open_run(Path(path))

    def open_run(self, path: Path) -> int | None:
        """Overlay a run saved on disk (by `trainlab run` or an earlier session); its id."""
        try:
            from trainlab.runs.records import load_run

            record = load_run(path)
        except Exception as exc:  # noqa: BLE001
            self.notices.error(
                f"That folder does not hold a TrainLab run: {friendly_error(exc)}")
            return None
        history = record.history
        summary = dict(getattr(record, "summary", None) or {})
        task = summary.get("task") or getattr(record, "task", None) or (
            "classification" if "train_acc" in history else "regression")
        entry = self.runs.open(
            getattr(record, "name", None) or Path(path).name, dict(record.preset or {}),
            history, task, status=summary.get("status", "opened"),
            message=str(summary.get("message", "")), out_dir=Path(path),
            test_metrics=dict(summary.get("test_metrics") or {}))
        self.notices.status(f"Opened run {Path(path).name}.", 5000)
        return entry.run_id

    def export(self, kind: str) -> None:
        entry = self.runs.entries.get(self.runs.selected or -1)
        if kind in ("csv", "npz") and entry is None:
            self.notices.status(
                "Train or open a run first; then its history and weights can be saved.")
            return
        if kind == "npz" and (entry.result is None or not entry.result.params_final):
            self.notices.status("Weights are saved for runs trained in this window; a run folder "
                                "already holds its weights file.", 8000)
            return
        stem = slug(entry.name if entry else self.session.draft.name)
        start = Path(self.settings.last_dir() or Path.home()) / f"{stem}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self.parent, "Export", str(start), _FILTERS[kind])
        if path:
            self.export_to(kind, Path(path), entry)

    def export_torch_dialog(self) -> None:
        entry = self.runs.entries.get(self.runs.selected or -1)
        if entry is None or entry.out_dir is None or not Path(entry.out_dir).is_dir():
            self.notices.status("Select a run with a run folder (a run trained in this window that "
                                "has ended, or one opened from disk) to export it.", 8000)
            return
        start = Path(self.settings.last_dir() or Path.home()) / f"train_{slug(entry.name)}.py"
        path, _ = QFileDialog.getSaveFileName(self.parent, "Export a PyTorch script",
                                              str(start), "Python script (*.py)")
        if path:
            self.export_torch_to(entry, Path(path))

    def export_torch_to(self, entry: RunEntry, path: Path) -> Path | None:
        """Write the PyTorch script of ``entry``'s run folder (and batches.npy beside it)."""
        from trainlab.export import ExportError, export_torch

        try:
            written = export_torch(entry.out_dir, path)
        except (ExportError, OSError) as exc:
            self.notices.error(f"Export failed: {friendly_error(exc)}")
            return None
        self.notices.status(f"Saved {written.name} and batches.npy beside it.", 8000)
        return written

    def export_to(self, kind: str, path: Path, entry: RunEntry | None = None) -> Path | None:
        """Write the plots (png, svg) or ``entry``'s history (csv) or weights (npz)."""
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        try:
            if kind == "png":  # the plots and, beside them, the data view (the boundary)
                ex.export_widgets_png([self.plots, getattr(self.parent, "data_view", None)],
                                      path)
            elif kind == "svg":  # one file per plot: <stem>_loss.svg, <stem>_metric.svg, ...
                written = self.plots.export_svg(path)
                if isinstance(written, list) and written:
                    self.notices.status(
                        f"Saved {len(written)} SVG files beside {written[0].name}.", 8000)
                    return written[0]
            elif kind == "csv":
                ex.export_history_csv(entry.history, path)
            else:
                path = ex.export_weights_npz(entry.result.params_final, path)
        except Exception as exc:  # noqa: BLE001
            self.notices.error(f"Export failed: {friendly_error(exc)}")
            return None
        self.notices.status(f"Saved {path.name}.", 5000)
        return path
