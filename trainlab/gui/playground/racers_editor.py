"""The racers: a list (up to eight, each in its colour), and for the chosen one its rule
(an engine optimizer, finite differences or random perturbation), its schedule and live
sliders for the main hyperparameters (lr on a log scale, momentum, β₁, β₂): a slider's
change replays that racer's path to the current update at once."""

from __future__ import annotations

import math
import typing

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.colors import categorical
from trainlab.gui.playground.surface_editor import compact
from trainlab.playground.files import MAX_RACERS
from trainlab.presets.model import ScheduleConfig
from trainlab.session.playground import PlaygroundSession

#: The rules a racer can follow: (shown name, the racer's keys that select it).
RULES = {
    "sgd": {"kind": "optimizer", "optimizer": {"name": "sgd"}},
    "momentum": {"kind": "optimizer", "optimizer": {"name": "momentum", "nesterov": False}},
    "nesterov": {"kind": "optimizer", "optimizer": {"name": "momentum", "nesterov": True}},
    "adagrad": {"kind": "optimizer", "optimizer": {"name": "adagrad"}},
    "rmsprop": {"kind": "optimizer", "optimizer": {"name": "rmsprop"}},
    "adam": {"kind": "optimizer", "optimizer": {"name": "adam"}},
    "adamw": {"kind": "optimizer", "optimizer": {"name": "adamw"}},
    "lamb": {"kind": "optimizer", "optimizer": {"name": "lamb"}},
    "finite differences (sgd)": {"kind": "finite_difference", "optimizer": {"name": "sgd"}},
    "random perturbation": {"kind": "random_perturbation"},
}
SCHEDULES = typing.get_args(ScheduleConfig.model_fields["name"].annotation)


class Knob:
    """A slider for one hyperparameter: (low, high) and a log scale or not; a slider
    position p in 0…STEPS maps to a value and back."""

    STEPS = 400

    def __init__(self, key: str, label: str, low: float, high: float, log: bool,
                 used_by: tuple[str, ...]):
        self.key, self.label, self.low, self.high, self.log = key, label, low, high, log
        self.used_by = used_by

    def value(self, position: int) -> float:
        s = position / self.STEPS
        if self.log:
            return float(10 ** (math.log10(self.low) + s * (math.log10(self.high)
                                                            - math.log10(self.low))))
        return float(round(self.low + s * (self.high - self.low), 6))

    def position(self, value: float) -> int:
        value = min(max(float(value), self.low), self.high)
        if self.log:
            s = (math.log10(value) - math.log10(self.low)) / (math.log10(self.high)
                                                             - math.log10(self.low))
        else:
            s = (value - self.low) / (self.high - self.low)
        return int(round(s * self.STEPS))


KNOBS = (
    Knob("lr", "lr η", 1e-4, 10.0, True, ("sgd", "momentum", "adagrad", "rmsprop", "adam",
                                          "adamw", "lamb")),
    Knob("momentum", "momentum μ", 0.0, 0.99, False, ("momentum", "rmsprop")),
    Knob("beta1", "β₁", 0.0, 0.999, False, ("adam", "adamw", "lamb")),
    Knob("beta2", "β₂", 0.9, 0.9999, False, ("adam", "adamw", "lamb")),
)


def rule_of(racer: dict) -> str:
    """The shown rule of a racer's dict."""
    if racer["kind"] == "random_perturbation":
        return "random perturbation"
    if racer["kind"] == "finite_difference":
        return "finite differences (sgd)"
    name = racer["optimizer"]["name"]
    return "nesterov" if name == "momentum" and racer["optimizer"].get("nesterov") else name


class RacersEditor(QWidget):
    """Edits the session's racers; ``chosen(index)`` when another racer is picked."""

    chosen = Signal(int)

    def __init__(self, session: PlaygroundSession, parent=None):
        super().__init__(parent)
        self.session = session
        self._filling = False
        self.list = QListWidget()
        self.list.setMaximumHeight(150)
        self.list.currentRowChanged.connect(self._row_changed)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip(f"Add a racer (up to {MAX_RACERS})")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(lambda: self.session.add_racer())
        self.remove_button.clicked.connect(self._remove)
        self.rule = QComboBox()
        self.rule.addItems(list(RULES))
        self.rule.activated.connect(lambda _: self._edit(RULES[self.rule.currentText()]))
        self.schedule = QComboBox()
        self.schedule.addItems(SCHEDULES)
        self.schedule.setToolTip("The learning-rate schedule; it counts updates here")
        self.schedule.activated.connect(
            lambda _: self._edit({"schedule": {"name": self.schedule.currentText()}}))
        self.sliders: dict[str, tuple[QSlider, QLabel, Knob]] = {}
        compact(self.rule)
        compact(self.schedule)
        form = compact(QFormLayout())
        form.addRow("Rule", self.rule)
        form.addRow("Schedule", self.schedule)
        for knob in KNOBS:
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, Knob.STEPS)
            value = QLabel()
            value.setMinimumWidth(44)
            slider.valueChanged.connect(lambda p, k=knob: self._slid(k, p))
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(value)
            form.addRow(knob.label, row)
            self.sliders[knob.key] = (slider, value, knob)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(form)
        session.events.loaded.connect(self.refresh)
        session.events.moved.connect(self._show_current)
        self.refresh()

    @property
    def index(self) -> int:
        return max(self.list.currentRow(), 0)

    def refresh(self) -> None:
        """The list from the session's racers; the chosen row kept where it can be."""
        keep = self.index
        self._filling = True
        self.list.clear()
        for k, racer in enumerate(self.session.race.racers):
            self.list.addItem(racer.label)
            self.list.item(k).setForeground(QBrush(QColor(categorical(k))))
        self.list.setCurrentRow(min(keep, self.list.count() - 1))
        self._filling = False
        self.add_button.setEnabled(self.list.count() < MAX_RACERS)
        self.remove_button.setEnabled(self.list.count() > 1)
        self._show_current()
        self.chosen.emit(self.index)

    def _show_current(self) -> None:
        racer = self.session.data["racers"][self.index]
        rule = rule_of(racer)
        self._filling = True
        self.rule.setCurrentText(rule)
        self.schedule.setCurrentText(racer["schedule"]["name"])
        self.schedule.setEnabled(True)
        name = "random" if rule == "random perturbation" else racer["optimizer"]["name"]
        for key, (slider, label, knob) in self.sliders.items():
            used = name in knob.used_by
            slider.setEnabled(used)
            value = racer["optimizer"][key]
            slider.setValue(knob.position(value))
            label.setText(f"{value:.4g}" if used else "–")
        self._filling = False

    def _row_changed(self, row: int) -> None:
        if not self._filling and row >= 0:
            self._show_current()
            self.chosen.emit(row)

    def _slid(self, knob: Knob, position: int) -> None:
        if self._filling:
            return
        self.set_value(knob.key, knob.value(position))

    def set_value(self, key: str, value: float) -> bool:
        """A hyperparameter of the chosen racer, as its slider sets it."""
        slider, label, _ = self.sliders[key]
        label.setText(f"{value:.4g}")
        return self._edit({"optimizer": {key: value}})

    def _edit(self, changes: dict) -> bool:
        if self._filling:
            return False
        return self.session.set_racer(self.index, changes)

    def _remove(self) -> None:
        self.session.remove_racer(self.index)
