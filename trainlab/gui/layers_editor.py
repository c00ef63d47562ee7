"""The hidden layers as a row of widths with + / − buttons, and their activation(s).

Edits ``model.hidden`` (a list of widths) and ``model.activation`` (one name, or one name per
hidden layer when "per layer" is ticked).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainlab.catalog.knob import MAX_LAYERS, MAX_WIDTH
from trainlab.catalog.names import ACTIVATIONS
from trainlab.gui.fields import guard_wheel
from trainlab.gui.model import PresetModel
from trainlab.gui.tooltips import choice_tooltip, tooltip

__all__ = ["MAX_LAYERS", "MAX_WIDTH", "LayersEditor"]

PER_ROW = 4


def _activation_combo(path: str) -> QComboBox:
    combo = QComboBox()
    guard_wheel(combo)
    for name in ACTIVATIONS:
        combo.addItem(name, name)
        combo.setItemData(combo.count() - 1, choice_tooltip(path, name),
                          Qt.ItemDataRole.ToolTipRole)
    combo.setToolTip(tooltip(path))
    return combo


class LayersEditor(QWidget):
    """Widths of the hidden layers, one spin box each, plus the activation choice."""

    edited = Signal(str)
    paths = ("model.hidden", "model.activation")

    def __init__(self, model: PresetModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.path = "model.hidden"
        self._updating = False
        self.width_spins: list[QSpinBox] = []
        self.act_combos: list[QComboBox] = []
        self._labels: list[QLabel] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        outer.addWidget(self.grid_host)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("+ layer")
        self.add_button.setToolTip(
            "Add a hidden layer at the output side (same width as the last).")
        self.remove_button = QPushButton("− layer")
        self.remove_button.setToolTip("Remove the last hidden layer.")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)  # "no hidden layer: a linear model" must not widen
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        outer.addLayout(buttons)

        act_row = QHBoxLayout()
        act_label = QLabel("Activation")
        act_label.setToolTip(tooltip("model.activation"))
        self.same_combo = _activation_combo("model.activation")
        self.per_layer = QCheckBox("per layer")
        self.per_layer.setToolTip("Choose a different activation for each hidden layer.")
        act_row.addWidget(act_label)
        act_row.addWidget(self.same_combo, 1)
        act_row.addWidget(self.per_layer)
        outer.addLayout(act_row)

        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.setToolTip(tooltip("model.hidden"))
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.same_combo.currentIndexChanged.connect(self._same_changed)
        self.per_layer.toggled.connect(self._per_layer_toggled)

    # ---- reading the widgets --------------------------------------------------------------
    def widths(self) -> list[int]:
        return [s.value() for s in self.width_spins]

    def activation_value(self):
        if self.per_layer.isChecked() and self.width_spins:
            return [c.currentData() for c in self.act_combos]
        return self.same_combo.currentData()

    def shown(self) -> dict:
        return {"model.hidden": self.widths(), "model.activation": self.activation_value()}

    # ---- model -> widgets -----------------------------------------------------------------
    def update_from_model(self) -> None:
        self._updating = True
        try:
            hidden = self.model.get("model.hidden") or []
            hidden = [int(w) for w in hidden if isinstance(w, (int, float))]
            activation = self.model.get("model.activation")
            per_layer = isinstance(activation, list)
            names = list(activation) if per_layer else [activation] * len(hidden)
            self._rebuild(len(hidden))
            for spin, width in zip(self.width_spins, hidden, strict=False):
                spin.setValue(width)
            for combo, name in zip(self.act_combos, names, strict=False):
                self._select(combo, name)
            self.per_layer.setChecked(per_layer)
            self._select(self.same_combo, names[0] if names else activation)
            self._refresh()
        finally:
            self._updating = False

    @staticmethod
    def _select(combo: QComboBox, name) -> None:
        index = combo.findData(name)
        if index < 0 and name is not None:
            combo.addItem(str(name), name)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _rebuild(self, n: int) -> None:
        while len(self.width_spins) > n:
            for widget in (self.width_spins.pop(), self.act_combos.pop(), self._labels.pop()):
                widget.hide()  # gone from the screen now, deleted when the event loop runs
                self.grid.removeWidget(widget)
                widget.deleteLater()
        while len(self.width_spins) < n:
            i = len(self.width_spins)
            label = QLabel(f"Layer {i + 1}")
            label.setObjectName("hint")
            spin = QSpinBox()
            guard_wheel(spin)
            spin.setRange(1, MAX_WIDTH)
            spin.setAccelerated(True)
            spin.setToolTip(tooltip("model.hidden"))
            spin.valueChanged.connect(self._widths_changed)
            combo = _activation_combo("model.activation")
            combo.currentIndexChanged.connect(self._layer_activation_changed)
            row, col = divmod(i, PER_ROW)
            self.grid.addWidget(label, 3 * row, col)
            self.grid.addWidget(spin, 3 * row + 1, col)
            self.grid.addWidget(combo, 3 * row + 2, col)
            self._labels.append(label)
            self.width_spins.append(spin)
            self.act_combos.append(combo)

    def _refresh(self) -> None:
        per_layer = self.per_layer.isChecked()
        for combo in self.act_combos:
            combo.setVisible(per_layer)
        self.same_combo.setEnabled(not per_layer)
        n = len(self.width_spins)
        self.add_button.setEnabled(n < MAX_LAYERS)
        self.remove_button.setEnabled(n > 0)
        self.grid_host.setVisible(n > 0)
        self.summary.setText("no hidden layer: a linear model" if n == 0 else
                             f"{n} hidden layer{'s' if n > 1 else ''}")

    # ---- widgets -> model -----------------------------------------------------------------
    def add_layer(self) -> None:
        widths = self.widths()
        widths.append(widths[-1] if widths else 8)
        activation = self.activation_value()
        if isinstance(activation, list):
            activation.append(activation[-1] if activation else self.same_combo.currentData())
        self._write(widths, activation)

    def remove_layer(self) -> None:
        widths = self.widths()[:-1]
        activation = self.activation_value()
        if isinstance(activation, list):
            activation = activation[:-1] or self.same_combo.currentData()
        self._write(widths, activation)

    def _widths_changed(self) -> None:
        if not self._updating:
            self.model.set("model.hidden", self.widths())
            self.edited.emit("model.hidden")

    def _same_changed(self) -> None:
        if not self._updating:
            name = self.same_combo.currentData()
            self._updating = True
            for combo in self.act_combos:
                self._select(combo, name)
            self._updating = False
            self.model.set("model.activation", name)
            self.edited.emit("model.activation")

    def _layer_activation_changed(self) -> None:
        if not self._updating:
            self.model.set("model.activation", self.activation_value())
            self.edited.emit("model.activation")

    def _per_layer_toggled(self, on: bool) -> None:
        self._refresh()
        if self._updating:
            return
        if on:
            name = self.same_combo.currentData()
            self._updating = True
            for combo in self.act_combos:
                self._select(combo, name)
            self._updating = False
        self.model.set("model.activation", self.activation_value())
        self.edited.emit("model.activation")

    def _write(self, widths: list[int], activation) -> None:
        # Set both keys before the widgets are rebuilt so that the list lengths agree.
        if isinstance(activation, list) and len(activation) != len(widths):
            activation = activation[: len(widths)]
        self.model.set("model.activation", activation)
        self.model.set("model.hidden", widths)
        self.update_from_model()
        self.edited.emit("model.hidden")

    # ---- problems -------------------------------------------------------------------------
    def set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""
