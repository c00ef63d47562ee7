"""The data view as a view of :class:`~trainlab.session.data.PreparedData`: the data a run
would use is loaded (in a plain Python thread) whenever the data settings change, and shown;
while a run goes, the view shows what the net makes of it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from trainlab.data.csv_import import csv_progress
from trainlab.gui.banner import Notices
from trainlab.gui.config_panel import ConfigPanel
from trainlab.gui.data_view import DataView
from trainlab.session import Session
from trainlab.session.data import LoadJob

PREVIEW_DELAY_MS = 300  # quiet time after the last data edit before the data is loaded


def describe(splits) -> str:
    """'200 samples (120 train, 40 validation, 40 test) · 2 input features · 2 classes'"""
    n = [len(splits.y_train), len(splits.y_val), len(splits.y_test)]
    kind = (f"{splits.n_classes} classes" if splits.task == "classification"
            else "regression")
    return (f"{sum(n)} samples ({n[0]} train, {n[1]} validation, {n[2]} test) · "
            f"{splits.n_features} input feature{'s' if splits.n_features != 1 else ''} · "
            f"{kind}")


class DataPreview(QObject):
    """Loads and shows the data ``session``'s settings describe in ``view``; says what it is
    (or what went wrong) beside the data settings of ``config_panel``."""

    _loaded = Signal(object, object, object)  # LoadJob, Splits or None, error or None
    _progress = Signal(object, int)  # LoadJob, percent of a CSV file read

    def __init__(self, session: Session, view: DataView, config_panel: ConfigPanel,
                 notices: Notices, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.prepared = session.data
        self.view = view
        self.config_panel = config_panel
        self.notices = notices
        self._shown_key: str | None = None
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._start)
        self._loaded.connect(self._finish)
        self._progress.connect(self._show_progress)
        draft = session.draft
        draft.events.value_changed.connect(self._value_changed)
        draft.events.reset.connect(lambda: self.schedule(immediately=True))
        self.prepared.events.ready.connect(self._ready)
        self.prepared.events.failed.connect(self._failed)

    def close(self) -> None:
        """The window closes: outcomes of loading threads still going are dropped."""
        self._closed = True

    def plot_widget(self):
        return self.view.plot_widget()

    # ---- loading ----------------------------------------------------------------------------
    def _value_changed(self, path: str) -> None:
        if path.startswith("data.") or path == "seed":
            self.schedule()

    def schedule(self, immediately: bool = False) -> None:
        """Load the data soon (after :data:`PREVIEW_DELAY_MS` of no further edits)."""
        self._timer.start(0 if immediately else PREVIEW_DELAY_MS)

    def _start(self) -> None:
        job = self.prepared.begin()
        if job is None:
            return
        self.config_panel.set_data_info("Loading the data…")
        loaded, progress = self._loaded, self._progress
        said = [-1]

        def report(share: float) -> None:  # in the loading thread: only whole percents
            percent = int(100 * share)
            if percent != said[0]:
                said[0] = percent
                try:
                    progress.emit(job, percent)
                except RuntimeError:  # the window closed meanwhile
                    pass

        def work():
            try:
                with csv_progress(report):
                    result, error = job.run(), None
            except BaseException as exc:  # noqa: BLE001
                result, error = None, exc
            try:
                loaded.emit(job, result, error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-preview", daemon=True).start()

    def _show_progress(self, job: LoadJob, percent: int) -> None:
        if not self._closed and job.generation == self.prepared.generation:
            self.config_panel.set_data_info(f"Loading the data… {percent} %")

    def _finish(self, job: LoadJob, splits, error) -> None:
        if not self._closed:
            self.prepared.finish(job, splits, error)  # stale outcomes are dropped there

    def _failed(self, message: str) -> None:
        self.config_panel.set_data_info("")
        self.notices.status(f"The data could not be loaded: {message}", 10_000)

    def _ready(self, key: str, splits) -> None:
        if not self.session.runs.active and key != self._shown_key:
            self.show(splits, key)  # (same data: keep the model picture of the last run)
        self.config_panel.set_data_info(describe(splits))

    # ---- showing ----------------------------------------------------------------------------
    def show(self, splits, key: str | None) -> None:
        """Show ``splits`` (the data of settings ``key``) without a model picture."""
        self._shown_key = key
        try:
            self.view.set_data(splits)
        except Exception as exc:  # noqa: BLE001
            self.notices.status(f"The data view cannot show this data: {exc}", 10_000)

    def model_queries(self) -> dict:
        """The inputs the data view draws the model from, by name (see
        :meth:`DataView.model_queries`); the worker answers them in the training thread, the
        only one that may call the model. Empty when the view cannot say."""
        try:
            return self.view.model_queries()
        except Exception:  # noqa: BLE001 - no model picture, the run still goes
            return {}

    def show_predictions(self, predictions: dict) -> None:
        """The worker's answers to :meth:`model_queries`, by the same names, drawn."""
        self.view.show_model(predictions)
