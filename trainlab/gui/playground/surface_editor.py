"""The surface picker: which surface, its parameters (κ, rotation, …, a form built from the
surface model's fields), its formula, the custom expression with its parse error under it,
gradient noise σ and the L1/L2 penalty λ."""

from __future__ import annotations

import typing

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainlab.playground.catalog import SURFACES
from trainlab.session.playground import PlaygroundSession

PENALTIES = ("none", "l1", "l2")
MAX_INT = 2**31 - 1


def _bounds(field) -> tuple[float, float]:
    low, high = -1e6, 1e6
    for rule in field.metadata:
        for name in ("ge", "gt"):
            if getattr(rule, name, None) is not None:
                low = float(getattr(rule, name))
        for name in ("le", "lt"):
            if getattr(rule, name, None) is not None:
                high = float(getattr(rule, name))
    return low, high


def _editable(annotation) -> bool:
    return annotation in (float, int, bool, str) or typing.get_origin(annotation) is typing.Literal


def compact(widget: QWidget) -> QWidget:
    """A choice that fits a narrow column (about 10 characters shown; its open list stays
    wide) and a form whose long rows wrap the field under its label."""
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(10)
        widget.view().setMinimumWidth(widget.view().sizeHintForColumn(0) + 24)
    elif isinstance(widget, QFormLayout):
        widget.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return widget


def field_editor(field, value, changed) -> QWidget:
    """An editor for one surface parameter; ``changed()`` when the user is done with it."""
    annotation = field.annotation
    if typing.get_origin(annotation) is typing.Literal:
        box = QComboBox()
        box.addItems([str(v) for v in typing.get_args(annotation)])
        box.setCurrentText(str(value))
        box.currentTextChanged.connect(lambda _: changed())
        return compact(box)
    if annotation is bool:
        check = QCheckBox()
        check.setChecked(bool(value))
        check.toggled.connect(lambda _: changed())
        return check
    if annotation is int:
        spin = QSpinBox()
        low, high = _bounds(field)
        spin.setRange(int(max(low, -MAX_INT)), int(min(high, MAX_INT)))
        spin.setValue(int(value))
        spin.editingFinished.connect(changed)
        return spin
    if annotation is float:
        spin = QDoubleSpinBox()
        spin.setDecimals(4)
        spin.setRange(*_bounds(field))
        spin.setValue(float(value))
        spin.editingFinished.connect(changed)
        return spin
    line = QLineEdit(str(value) if value is not None else "")
    line.editingFinished.connect(changed)
    return line


def editor_value(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    return widget.text()


class SurfaceEditor(QWidget):
    """Edits the session's surface, noise and penalty; shows refusals under the fields."""

    def __init__(self, session: PlaygroundSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.picker = QComboBox()
        for name, cls in SURFACES.items():
            self.picker.addItem(cls.title() if name != "expression" else "Custom expression",
                                name)
        self.picker.activated.connect(self._picked)
        compact(self.picker)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setObjectName("formula")
        self.params = compact(QFormLayout())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0, 1e3)
        self.noise.setDecimals(3)
        self.noise.setToolTip("σ of the Gaussian noise added to every gradient (seeded)")
        self.noise.editingFinished.connect(
            lambda: self._apply(noise=self.noise.value()))
        self.penalty = QComboBox()
        self.penalty.addItems(["none", "L1", "L2"])
        compact(self.penalty)
        self.penalty.activated.connect(lambda _: self._penalty_changed())
        self.lam = QDoubleSpinBox()
        self.lam.setRange(0, 100)
        self.lam.setDecimals(3)
        self.lam.setSingleStep(0.05)
        self.lam.setToolTip("λ of the penalty added to the surface (its region is drawn)")
        self.lam.editingFinished.connect(self._penalty_changed)
        self._editors: dict[str, QWidget] = {}

        form = compact(QFormLayout())
        form.addRow("Surface", self.picker)
        extra = compact(QFormLayout())
        extra.addRow("Noise σ", self.noise)
        extra.addRow("Penalty", self.penalty)
        extra.addRow("λ", self.lam)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.formula)
        layout.addLayout(self.params)
        layout.addWidget(self.error)
        layout.addLayout(extra)
        session.events.loaded.connect(self.refresh)
        self.refresh()

    # ---- from the session --------------------------------------------------------------
    def refresh(self) -> None:
        """Show the session's surface, its parameters, noise and penalty."""
        surface = self.session.race.surface
        self.picker.setCurrentIndex(self.picker.findData(surface.name))
        self.formula.setText(surface.formula() if surface.name != "expression"
                             else f"f = {surface.expression}")
        while self.params.rowCount():
            self.params.removeRow(0)
        self._editors = {}
        for key, field in type(surface).model_fields.items():
            if key == "name" or not _editable(field.annotation):
                continue  # lists (a centre, a range) stay as the file has them
            editor = field_editor(field, getattr(surface, key), self._params_changed)
            editor.setToolTip(field.description or "")
            self._editors[key] = editor
            self.params.addRow(key, editor)
        file = self.session.race.file
        self.noise.setValue(file.noise)
        reg = file.regularization
        kind = "L1" if reg.l1 > 0 and reg.l1 >= reg.l2 else ("L2" if reg.l2 > 0 else "none")
        self.penalty.setCurrentText(kind)
        self.lam.setValue(max(reg.l1, reg.l2))
        self.show_error("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # ---- what the user does ------------------------------------------------------------
    def _apply(self, **changes) -> bool:
        ok = self.session.change(**changes)
        if not ok:
            self.show_error(self.session.error)
        return ok

    def _picked(self, index: int) -> None:
        name = self.picker.itemData(index)
        if name != self.session.race.surface.name:
            spec = {"name": name}
            if name == "expression":
                spec["expression"] = "x^2 + 3*y^2"
            self._apply(surface=spec)

    def _params_changed(self) -> None:
        surface = self.session.race.surface
        spec = surface.model_dump(mode="json")
        spec.update({key: editor_value(w) for key, w in self._editors.items()})
        self._apply(surface=spec)

    def set_expression(self, text: str) -> bool:
        """Type ``text`` as the custom surface (as the expression field does)."""
        return self._apply(surface={"name": "expression", "expression": text})

    def _penalty_changed(self) -> None:
        kind = self.penalty.currentText().lower()
        lam = self.lam.value() if kind != "none" else 0.0
        self._apply(regularization={"l1": lam if kind == "l1" else 0.0,
                                    "l2": lam if kind == "l2" else 0.0})
