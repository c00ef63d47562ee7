"""Compiling the engine's kernels in the background at start, with a note in the status bar;
Train works meanwhile (the run waits for the kernels it needs)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from trainlab.gui.messages import friendly_error


class EngineWarmup(QObject):
    """Warms the engine up in a plain thread; ``ready`` once it is done (or failed)."""

    _done = Signal(str)  # "" or what went wrong; emitted from the warm-up thread

    def __init__(self, status_bar: QStatusBar, parent: QObject | None = None):
        super().__init__(parent)
        self.ready = False
        self.label = QLabel("Preparing engine…")
        self.label.setObjectName("hint")
        self.label.setToolTip(
            "The engine's compiled kernels are being built in the background (once per "
            "session); you can set things up meanwhile.")
        self.label.hide()
        status_bar.addPermanentWidget(self.label)
        self._done.connect(self._finished)

    def start(self, dtype: str) -> None:
        """Compile (or load from the disk cache) the kernels of ``dtype`` and float64."""
        self.label.setText("Preparing engine…")
        self.label.show()
        done = self._done

        def work():
            try:
                from trainlab.engine import warmup

                warmup(dtypes=tuple(dict.fromkeys((dtype, "float64"))))
                error = ""
            except BaseException as exc:  # noqa: BLE001
                error = friendly_error(exc)
            try:
                done.emit(error)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="trainlab-warmup", daemon=True).start()

    def _finished(self, error: str) -> None:
        self.ready = True
        self.label.setText("Engine ready" if not error else "Engine: compiles on first run")
        QTimer.singleShot(3000, self.label, self.label.hide)
