"""What the main window shows of a run: live plots and data view from the worker's snapshots
(coalesced by :class:`~trainlab.gui.worker.RunController`), progress and status, the result.

A mixin of :class:`~trainlab.gui.window.MainWindow`. A frame is drawn at once when it arrives
(see :mod:`trainlab.gui.worker`); the progress bar, status line and runs table are updated a
few times a second only, the diagnostics plots five times.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent

from trainlab.gui.runs_panel import RunEntry
from trainlab.gui.worker import Snapshot

DIAGNOSTICS_INTERVAL = 0.2  # seconds between redraws of the η and norm plots while training
CHROME_INTERVAL = 0.25  # seconds between updates of the progress bar, status line and table


def _short_time(seconds: float) -> str:
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def _rate(steps_per_second: float) -> str:
    if steps_per_second >= 1e6:
        return f"{steps_per_second / 1e6:.1f}M"
    if steps_per_second >= 1e3:
        return f"{steps_per_second / 1e3:.0f}k"
    return f"{steps_per_second:.0f}"


class RunDisplayMixin:
    """Snapshots, results and failures of runs, drawn in the window."""

    def _on_snapshot(self, snap: Snapshot) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is None:
            return
        entry.history = snap.history
        try:
            if run_id not in self._plotted:
                self.plots.set_run(run_id, entry.name, snap.history, entry.task)
                self._plotted.add(run_id)
                self._apply_visibility()
                self.plots.set_current(run_id)
            else:
                # Loss and accuracy at every frame; the diagnostics row a few times a second,
                # but not in a frame that redraws the data view (the training thread waits
                # while a frame is drawn: two heavy parts in one frame make a long wait).
                now = time.perf_counter()
                due = now - self._last_diagnostics >= DIAGNOSTICS_INTERVAL
                if snap.event == "end" or (due and not snap.predictions):
                    self._last_diagnostics = now
                    self.plots.update_run(run_id, snap.history)
                else:
                    self.plots.update_run(run_id, snap.history, plots=("loss", "metric"))
            if snap.predictions:
                self._show_predictions(snap.predictions)
        except Exception as exc:  # noqa: BLE001 - drawing must not end the run
            self.status(f"Plot update failed: {exc}", 5000)
        # The progress bar, status line and runs table are read, not watched: a few times a
        # second is plenty, and each update re-lays out and repaints widgets outside the plots.
        now = time.perf_counter()
        if now - self._last_chrome >= CHROME_INTERVAL or snap.event in ("start", "end"):
            self._last_chrome = now
            self._show_progress(snap, entry)
        self._paint_now()

    def _show_progress(self, snap: Snapshot, entry: RunEntry) -> None:
        run_id = entry.run_id
        epochs = max(snap.epochs, 1)
        fraction = (snap.epoch + (snap.step / snap.steps_per_epoch if snap.steps_per_epoch
                                  and snap.event == "chunk" else 0)) / epochs
        self.progress.setValue(int(1000 * min(fraction, 1.0)))
        self.progress.setFormat(f"epoch {snap.epoch} / {snap.epochs}")
        self.status_line.setText(self._status_text(snap, entry, self._clock.seconds()))
        self.runs_panel.refresh(run_id)
        if (self.controller.state == "running" and snap.event != "end"
                and self.statusBar().currentMessage() != "Training…"):
            self.status("Training…")

    def _graphics_views(self) -> list:
        from trainlab.gui.plotting import PLOT_NAMES

        return [self.plots.plot_widget(n) for n in PLOT_NAMES] + [self.data_view.plot_widget()]

    def _paint_now(self) -> None:
        """Draw this frame now (see worker.py).

        pyqtgraph marks changed items and lets the scene collect them in a queued call; run
        that call and paint the plots at once, instead of in a later pass of the event loop
        where the training thread would be competing for the interpreter again.
        """
        try:
            for view in self._graphics_views():
                QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
            # ... and the paint requests that this posted, so each plot is painted once, now.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
        except Exception:  # noqa: BLE001 - the event loop will paint it anyway
            pass

    @staticmethod
    def _status_text(snap: Snapshot, entry: RunEntry, elapsed: float) -> str:
        h, n = snap.history, snap.rows
        parts = []  # (the epoch is on the progress bar beside it)
        if n:
            def last(name):
                return float(h[name][n - 1]) if name in h else float("nan")

            parts.append(f"train loss {last('train_loss'):.4g}")
            val = last("val_loss")
            if val == val:
                parts.append(f"val loss {val:.4g}")
            if entry.task == "classification":
                acc = last("val_acc")
                acc = acc if acc == acc else last("train_acc")
                if acc == acc:
                    parts.append(f"acc {100 * acc:.1f}%")
            else:
                r2 = last("val_r2")
                r2 = r2 if r2 == r2 else last("train_r2")
                if r2 == r2:
                    parts.append(f"R² {r2:.3f}")
        parts.append(f"{_rate(snap.steps_per_second)} steps/s")
        parts.append(_short_time(elapsed))
        return " · ".join(parts)

    def _on_finished(self, result) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is None:
            return
        entry.result = result
        entry.history = result.history
        entry.status = result.status
        entry.message = result.message
        entry.test_metrics = dict(result.test_metrics or {})
        entry.out_dir = result.out_dir or entry.out_dir
        try:
            if run_id in self._plotted:
                self.plots.update_run(run_id, result.history)
            else:
                self.plots.set_run(run_id, entry.name, result.history, entry.task)
                self._plotted.add(run_id)
                self._apply_visibility()
                self.plots.set_current(run_id)
        except Exception as exc:  # noqa: BLE001
            self.status(f"Plot update failed: {exc}", 5000)
        self.runs_panel.refresh(run_id)
        epochs = result.epochs
        if result.status == "diverged":
            self.show_error(f"Run {entry.name} diverged. {result.message}".strip())
        elif result.status == "failed":
            self.show_error(result.message or "The run failed.")
        else:
            words = {"finished": "Finished", "early_stopped": "Stopped early",
                     "stopped": "Stopped"}.get(result.status, result.status)
            text = (f"{words}: {epochs} epoch{'s' if epochs != 1 else ''} in "
                    f"{_short_time(self._clock.seconds())}.")
            if result.status == "early_stopped" and result.message:
                text += f" {result.message}"
            self.status(text)
            if result.status == "finished":
                self.progress.setValue(1000)
        if result.status != "finished":
            self.progress.setFormat(f"epoch {epochs} / {entry.preset['training']['epochs']} "
                                    f"({result.status.replace('_', ' ')})")

    def _on_failed(self, message: str) -> None:
        run_id = self._current_run
        entry = self.runs_panel.entries.get(run_id)
        if entry is not None:
            entry.status = "failed"
            entry.message = message
            self.runs_panel.refresh(run_id)
        self.show_error(message)
        self.progress.setFormat("failed")
