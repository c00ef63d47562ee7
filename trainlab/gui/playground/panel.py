"""The playground's page of the window: the editors on the left, the map in the middle, the
loss plot and the racers' table on the right, the player above (play, pause, step, reset,
speed, the arrows, contours or shading).

Playing steps the session from a timer: each tick does the updates due at the chosen speed
(updates per second) since the last tick, so the speed holds whatever the frame rate.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.playground.loss_view import LossView
from trainlab.gui.playground.racers_editor import RacersEditor
from trainlab.gui.playground.surface_editor import SurfaceEditor
from trainlab.gui.playground.surface_view import ARROWS, SurfaceView
from trainlab.session.playground import PlaygroundSession

FRAME_MS = 12          # the animation's tick (about 80 frames per second: 60 with margin)
DEFAULT_SPEED = 30     # updates per second


class PlaygroundPanel(QWidget):
    """A view and controller of one :class:`PlaygroundSession`."""

    def __init__(self, session: PlaygroundSession | None = None, parent=None):
        super().__init__(parent)
        self.session = session or PlaygroundSession()
        self.map = SurfaceView(self.session)
        self.losses = LossView(self.session)
        self.surface_editor = SurfaceEditor(self.session)
        self.racers_editor = RacersEditor(self.session)
        self.racers_editor.chosen.connect(self.map.choose)
        self.map.startMoved.connect(self._move_start)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer drifts below 60/s
        self.timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self.side_timer = QTimer(self)  # the loss plot and table, 5 times a second in play
        self.side_timer.setInterval(200)
        self.side_timer.timeout.connect(self.losses.update_view)
        self._due = 0.0
        self._build_player()
        self._lay_out()
        self.session.events.moved.connect(self._show_count)
        self.session.events.loaded.connect(self._loaded)
        self.session.events.failed.connect(self.say)
        self._loaded()

    # ---- layout --------------------------------------------------------------------------
    def _build_player(self) -> None:
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Play or pause the race (Space)")
        self.play_button.toggled.connect(self.set_playing)
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One update of every racer")
        self.step_button.clicked.connect(self.step)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Every racer back to the start")
        self.reset_button.clicked.connect(self.reset)
        self.speed = QSpinBox()
        self.speed.setRange(1, 2000)
        self.speed.setValue(DEFAULT_SPEED)
        self.speed.setSuffix(" updates/s")
        self.arrow_boxes = {}
        for name, (text, color) in ARROWS.items():
            box = QCheckBox(text)
            box.setChecked(True)
            box.setStyleSheet(f"color: {color};")
            box.toggled.connect(lambda on, n=name: self.map.show_arrow(n, on))
            self.arrow_boxes[name] = box
        self.shaded_box = QCheckBox("Shaded")
        self.shaded_box.setToolTip("A shaded map under the contour lines")
        self.shaded_box.toggled.connect(self.map.set_shaded)
        self.count = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")

    def _lay_out(self) -> None:
        player = QHBoxLayout()
        for w in (self.play_button, self.step_button, self.reset_button, self.speed):
            player.addWidget(w)
        player.addSpacing(12)
        for box in (*self.arrow_boxes.values(), self.shaded_box):
            player.addWidget(box)
        player.addSpacing(12)
        player.addWidget(self.count)
        player.addWidget(self.message, 1)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        editors = QWidget()
        column = QVBoxLayout(editors)
        column.addWidget(self.title)
        for title, widget in (("Surface", self.surface_editor), ("Racers", self.racers_editor)):
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(widget)
            column.addWidget(group)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(editors)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # never cut off
        scroll.setMinimumWidth(300)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.map)
        split.addWidget(self.losses)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([320, 700, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(player)
        layout.addWidget(split, 1)

    # ---- the player ----------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_playing(self, on: bool) -> None:
        if on and self.session.finished:
            self.session.reset()
        if on:
            self._due = 0.0
            self._clock.start()
            self.timer.start()
            self.side_timer.start()
        else:
            self.timer.stop()
            self.side_timer.stop()
            self.losses.update_view()
        self.losses.live = on
        self.play_button.blockSignals(True)
        self.play_button.setChecked(on)
        self.play_button.setText("Pause" if on else "Play")
        self.play_button.blockSignals(False)

    def toggle(self) -> None:
        self.set_playing(not self.playing)

    def step(self) -> None:
        self.set_playing(False)
        self.session.step(1)

    def reset(self) -> None:
        self.set_playing(False)
        self.session.reset()

    def _tick(self) -> None:
        self._due += self.speed.value() * self._clock.restart() / 1000.0
        n = int(self._due)
        if n:
            self._due -= n
            self.session.step(n)
        if self.session.finished:
            self.set_playing(False)

    # ---- the session's changes -------------------------------------------------------------
    def _loaded(self) -> None:
        file = self.session.race.file
        self.title.setText(file.name + (f"\n\n{file.description}" if file.description else "")
                           + (f"\n\nLook for: {file.look_for}" if file.look_for else ""))
        self.map.choose(self.racers_editor.index)
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(f"update {self.session.updates} / {self.session.race.steps}")
        self.message.setText("")

    def _move_start(self, x: float, y: float) -> None:
        point = (x, y) if self.session.dims == 2 else (x,)
        self.set_playing(False)
        self.session.move_start(point)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)
