"""The speed control of the run tool bar: how fast a run goes on screen, from one update a
second to as fast as the machine can (remembered between sessions).

A paced run is paused and stepped (see :mod:`trainlab.session.pace`): a timer ticks at the
window's frame rate and each tick grants the steps that are due. The numbers of a run do not
depend on its speed.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QLabel

from trainlab.gui.worker import MAX_FPS
from trainlab.runs.pacing import SPEEDS, Speed
from trainlab.session.pace import PacedSteps, speed_or_default, speed_words


class SpeedControl:
    """The speed box of ``window``'s run tool bar, and the timer that paces its runs."""

    def __init__(self, window, clock=time.perf_counter):
        self.window = window
        self.controller = window.controller
        self.settings = window.settings
        self._clock = clock
        self.box = QComboBox()
        self.box.setObjectName("speedBox")
        for speed in SPEEDS:
            self.box.addItem(speed_words(speed), speed.label)
        self.box.setToolTip("How fast a run goes on screen. Slow speeds show every update; "
                            "the run's numbers are the same at every speed.")
        label = QLabel("Speed")
        label.setContentsMargins(8, 0, 4, 0)
        bar = window.run_controls.toolbar
        bar.insertWidget(window.run_controls.progress_action, label)
        bar.insertWidget(window.run_controls.progress_action, self.box)
        self.timer = QTimer(window)
        self.timer.setInterval(max(1, int(1000 / MAX_FPS)))
        self.timer.timeout.connect(self.tick)
        self.paced = PacedSteps(speed_or_default(self.settings.speed()))
        self.last_granted = 0
        self.box.setCurrentIndex(SPEEDS.index(self.paced.speed))
        self.controller.set_paced(self.paced.paced)
        self.box.currentIndexChanged.connect(self._chosen)
        self.controller.stateChanged.connect(self._state_changed)

    @property
    def speed(self) -> Speed:
        return self.paced.speed

    def set_speed(self, label: str) -> None:
        """Choose the speed called ``label`` (a ``Speed.label``), as the box does."""
        self.box.setCurrentIndex(SPEEDS.index(speed_or_default(label)))

    def _chosen(self, index: int) -> None:
        speed = SPEEDS[index]
        self.settings.set_speed(speed.label)
        self.paced = PacedSteps(speed)
        self.controller.set_paced(self.paced.paced)
        self._state_changed(self.controller.state)

    def _state_changed(self, state: str) -> None:
        if state == "running" and self.paced.paced:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
        if state == "idle":
            self.last_granted = self.paced.granted  # steps the pace granted the run that ended
            self.paced = PacedSteps(self.paced.speed)  # the next run starts its own clock

    def tick(self) -> None:
        """One frame: grant the steps that are due (none while the last report is undrawn)."""
        if self.controller.state != "running":
            return
        self.paced.tick(self.controller.control, self._clock(),
                        ready=not self.controller.frame_waiting)
