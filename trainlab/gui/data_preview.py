"""The data preview and engine warm-up of the main window, both in plain Python threads:
the data a run would use is loaded whenever the data settings change and shown in the data
view; the engine's kernels are compiled in the background at start.

A mixin of :class:`~trainlab.gui.window.MainWindow`.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from trainlab.gui.messages import friendly_error


class _Bridge(QObject):
    """Carries results of plain Python threads (data preview, engine warm-up) to the GUI."""

    previewDone = Signal(int, object, object)  # generation, Splits or None, error or None
    engineReady = Signal(str)                  # "" or what went wrong


class DataPreviewMixin:
    """Loads and shows the data the settings describe; warms the engine up."""

    def _value_changed(self, path: str) -> None:
        if path.startswith("data.") or path == "seed":
            self._schedule_preview()

    def _schedule_preview(self, immediately: bool = False) -> None:
        if immediately:
            self._preview_timer.start(0)
        else:
            self._preview_timer.start()

    def _preview_request(self) -> tuple[str, dict] | None:
        d = self.model.data
        key = json.dumps({"data": d.get("data"), "seed": d.get("seed"),
                          "path": str(self.model.path)}, sort_keys=True, default=str)
        data_problems = {k: v for k, v in self.model.problems.items()
                         if k.startswith("data") or k == "seed"}
        typing = {k for k in self.model.local_problems if k.startswith("data")}
        if data_problems or typing:
            return None
        return key, d

    def _start_preview(self) -> None:
        request = self._preview_request()
        if request is None:
            return
        key, d = request
        if key == self._preview_key and self._preview_splits is not None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        base = self.model.path.parent if self.model.path else None
        self.config_panel.set_data_info("Loading the data…")

        bridge = self._bridge

        def work():
            try:
                result, error = self._prepare_data(d, base), None
            except BaseException as exc:  # noqa: BLE001
                result, error = None, exc
            try:
                bridge.previewDone.emit(generation, (key, result), error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-preview", daemon=True).start()

    @staticmethod
    def _prepare_data(d: dict, base: Path | None):
        """The exact scaled splits a run of `d` (a preset in the folder `base`) will use."""
        from trainlab.runs.prepared import prepare

        return prepare(d, folder=base).splits

    def _preview_done(self, generation: int, payload, error) -> None:
        if generation != self._preview_generation or self._closing:
            return  # the settings changed since; a newer preview is on its way
        key, splits = payload
        if error is not None:
            message = str(error)
            field = "data.path" if self.model.get("data.source") == "csv" else "data.source"
            match = re.match(r"(data\.[a-z_.]+): (.*)", message, re.S)
            if match:
                field, message = match.group(1), match.group(2)
            self.model.set_data_problems({field: message})
            self.config_panel.set_data_info("")
            self._preview_key, self._preview_splits = None, None
            self.status(f"The data could not be loaded: {message}", 10_000)
            return
        self.model.set_data_problems({})
        self._preview_key, self._preview_splits = key, splits
        if not self.controller.active and key != self._shown_key:
            self._show_data(splits, key)  # (same data: keep the model picture of the last run)
        self.config_panel.set_data_info(self._describe(splits))

    def _show_data(self, splits, key: str | None) -> None:
        self._shown_key = key
        try:
            self.data_view.set_data(splits)
        except Exception as exc:  # noqa: BLE001
            self.status(f"The data view cannot show this data: {exc}", 10_000)

    @staticmethod
    def _describe(splits) -> str:
        n = [len(splits.y_train), len(splits.y_val), len(splits.y_test)]
        kind = (f"{splits.n_classes} classes" if splits.task == "classification"
                else "regression")
        return (f"{sum(n)} samples ({n[0]} train, {n[1]} validation, {n[2]} test) · "
                f"{splits.n_features} input feature{'s' if splits.n_features != 1 else ''} · "
                f"{kind}")

    # ------------------------------------------------------------------ engine warm-up
    def start_warmup(self) -> None:
        """Compile the engine's kernels in the background; Train works meanwhile (it waits)."""
        self.engine_label.setText("Preparing engine…")
        self.engine_label.show()
        dtype = self.model.get("training.dtype") or "float64"

        bridge = self._bridge

        def work():
            try:
                from trainlab.engine import warmup

                warmup(dtypes=tuple(dict.fromkeys((dtype, "float64"))))
                error = ""
            except BaseException as exc:  # noqa: BLE001
                error = friendly_error(exc)
            try:
                bridge.engineReady.emit(error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-warmup", daemon=True).start()

    def _engine_ready(self, error: str) -> None:
        self.engine_ready = True
        self.engine_label.setText("Engine ready" if not error else "Engine: compiles on first run")
        QTimer.singleShot(3000, self.engine_label.hide)
