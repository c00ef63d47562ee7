"""Form fields bound to one preset key each, with the key's tooltip and an error line.

A field writes every edit into the :class:`PresetModel` at once (so problems show while typing)
and shows the model's value again when the model changes under it (Open, New, Reset).
Text that is not a number stays in the box, marked, and the model keeps the last good value.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainlab.catalog.knobs import KNOBS
from trainlab.gui.model import PresetModel
from trainlab.gui.tooltips import choice_tooltip, tooltip


class _IgnoreWheelUnlessFocused(QObject):
    """Scrolling the settings panel must not change a spin box or drop-down under the mouse."""

    def eventFilter(self, obj, event):  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Wheel and not obj.hasFocus():
            event.ignore()
            return True
        return False


_WHEEL_FILTER: _IgnoreWheelUnlessFocused | None = None


def guard_wheel(widget: QWidget) -> None:
    global _WHEEL_FILTER
    if _WHEEL_FILTER is None:
        _WHEEL_FILTER = _IgnoreWheelUnlessFocused()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_WHEEL_FILTER)


def format_float(value: float | None) -> str:
    """Shortest text that reads back as the same float (0.01, 1e-08, 0.5)."""
    if value is None:
        return ""
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return f"{value:.1f}"
    return repr(value)


class Field(QWidget):
    """Base: an editor above a (hidden until needed) error message."""

    edited = Signal(str)  # key path, after the user changed the value

    def __init__(self, model: PresetModel, path: str, editor: QWidget, parent=None):
        super().__init__(parent)
        self.model = model
        self.path = path
        self.editor = editor
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error_label)
        self.setToolTip(tooltip(path))
        editor.setToolTip(tooltip(path))
        self._updating = False

    # -- model -> widget
    def update_from_model(self) -> None:
        self._updating = True
        try:
            self._show(self.model.get(self.path))
        finally:
            self._updating = False

    def _show(self, value: Any) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def shown(self) -> Any:  # pragma: no cover - every subclass overrides
        """The value the widget displays, as it would be written into the preset."""
        raise NotImplementedError

    # -- widget -> model
    def _write(self, value: Any) -> None:
        if self._updating:
            return
        self.model.set(self.path, value)
        self.edited.emit(self.path)

    def _write_problem(self, message: str) -> None:
        if not self._updating:
            self.model.set_local_problem(self.path, message)

    # -- problems
    def set_error(self, message: str | None) -> None:
        invalid = bool(message)
        self.error_label.setText(message or "")
        self.error_label.setVisible(invalid)
        if self.editor.property("invalid") != invalid:
            self.editor.setProperty("invalid", invalid)
            self.editor.style().unpolish(self.editor)
            self.editor.style().polish(self.editor)

    @property
    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""


#: QSpinBox holds a C int: a larger limit (the seed's) is cut to this in the editor.
SPIN_MAX = 2**31 - 1


class IntField(Field):
    """A spin box over the key's range in the catalog (or `minimum`..`maximum`). With
    `off_text`, the value below the lowest means None (shown as that text)."""

    def __init__(self, model, path, minimum: int | None = None, maximum: int | None = None,
                 off_text: str | None = None, suffix: str = "", parent=None):
        low, high = KNOBS[path].int_range()
        minimum = low if minimum is None else minimum
        maximum = high if maximum is None else maximum
        maximum = SPIN_MAX if maximum is None else min(maximum, SPIN_MAX)
        spin = QSpinBox()
        guard_wheel(spin)
        self._off = off_text is not None
        spin.setRange(minimum - 1 if self._off else minimum, maximum)
        if self._off:
            spin.setSpecialValueText(off_text)
        if suffix:
            spin.setSuffix(suffix)
        spin.setAccelerated(True)
        super().__init__(model, path, spin, parent)
        spin.valueChanged.connect(self._changed)

    def _changed(self, value: int) -> None:
        if self._off and value == self.editor.minimum():
            self._write(None)
        else:
            self._write(int(value))

    def shown(self):
        value = self.editor.value()
        return None if self._off and value == self.editor.minimum() else int(value)

    def _show(self, value):
        if value is None and self._off:
            self.editor.setValue(self.editor.minimum())
        elif isinstance(value, (int, float)):
            self.editor.setValue(int(value))


class FloatField(Field):
    """A text box for a float (scientific notation welcome). With `optional`, empty = None."""

    def __init__(self, model, path, optional: bool = False, placeholder: str = "", parent=None):
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder or ("off" if optional else ""))
        self.optional = optional
        super().__init__(model, path, edit, parent)
        edit.textEdited.connect(self._changed)
        edit.editingFinished.connect(self._tidy)

    def _parse(self, text: str) -> tuple[bool, float | None]:
        text = text.strip().replace(",", ".")
        if not text and self.optional:
            return True, None
        try:
            value = float(text)
        except ValueError:
            return False, None
        return math.isfinite(value), value

    def _changed(self, text: str) -> None:
        ok, value = self._parse(text)
        if not ok:
            shown = text.strip() or "an empty box"
            self._write_problem(f"type a number, like 0.01 or 1e-3 (not {shown})")
            return
        self._write(value)

    def _tidy(self) -> None:
        ok, value = self._parse(self.editor.text())
        if ok:
            self.update_from_model()

    def shown(self):
        return self._parse(self.editor.text())[1]

    def _show(self, value):
        ok, current = self._parse(self.editor.text())
        if ok and current == value and self.editor.hasFocus():
            return  # keep what the user is typing ("0.0" while heading for "0.05")
        self.editor.setText(format_float(value) if isinstance(value, (int, float)) else "")


class ChoiceField(Field):
    """A drop-down of names; each entry has its own tooltip (with its formula)."""

    def __init__(self, model, path, choices, labels: dict[str, str] | None = None, parent=None):
        combo = QComboBox()
        guard_wheel(combo)
        # Long entries ("Handwritten digits (10 classes)") must not widen the whole panel.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        super().__init__(model, path, combo, parent)
        self.set_choices(choices, labels)
        combo.currentIndexChanged.connect(self._changed)

    def set_choices(self, choices, labels: dict[str, str] | None = None) -> None:
        combo: QComboBox = self.editor
        self._updating = True
        try:
            combo.clear()
            for value in choices:
                combo.addItem((labels or {}).get(value, value), value)
                combo.setItemData(combo.count() - 1, choice_tooltip(self.path, value),
                                  Qt.ItemDataRole.ToolTipRole)
        finally:
            self._updating = False

    def _changed(self, index: int) -> None:
        if index >= 0:
            self._write(self.editor.itemData(index))

    def shown(self):
        return self.editor.currentData()

    def _show(self, value):
        index = self.editor.findData(value)
        if index < 0 and value is not None:  # an unknown name from a hand-edited file
            self.editor.addItem(str(value), value)
            index = self.editor.count() - 1
        self.editor.setCurrentIndex(index)


class BoolField(Field):
    def __init__(self, model, path, text: str = "", parent=None):
        box = QCheckBox(text)
        super().__init__(model, path, box, parent)
        box.toggled.connect(lambda on: self._write(bool(on)))

    def shown(self):
        return self.editor.isChecked()

    def _show(self, value):
        self.editor.setChecked(bool(value))


class TextField(Field):
    """One line of text. With `optional`, an empty box means None."""

    def __init__(self, model, path, optional: bool = False, placeholder: str = "", parent=None):
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.optional = optional
        super().__init__(model, path, edit, parent)
        edit.textEdited.connect(self._changed)

    def _changed(self, text: str) -> None:
        self._write(None if self.optional and not text.strip() else text)

    def shown(self):
        text = self.editor.text()
        return None if self.optional and not text.strip() else text

    def _show(self, value):
        if self.editor.text() != (value or ""):
            self.editor.setText("" if value is None else str(value))


class TextAreaField(Field):
    def __init__(self, model, path, placeholder: str = "", parent=None):
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        super().__init__(model, path, edit, parent)
        edit.textChanged.connect(lambda: self._write(edit.toPlainText()))

    def shown(self):
        return self.editor.toPlainText()

    def _show(self, value):
        if self.editor.toPlainText() != (value or ""):
            self.editor.setPlainText(value or "")


class PathField(Field):
    """A file path with a Browse… button (empty = None)."""

    browsed = Signal(str)

    def __init__(self, model, path, file_filter="CSV files (*.csv);;All files (*)", parent=None):
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit()
        self.line.setPlaceholderText("choose a CSV file")
        self.button = QPushButton("Browse…")
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._filter = file_filter
        super().__init__(model, path, box, parent)
        self.line.setToolTip(tooltip(path))
        self.line.textEdited.connect(lambda t: self._write(t.strip() or None))
        self.button.clicked.connect(self._browse)

    def _browse(self) -> None:
        start = self.line.text() or ""
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose a CSV file", start, self._filter)
        if chosen:
            self.line.setText(chosen)
            self._write(chosen)
            self.browsed.emit(chosen)

    def shown(self):
        return self.line.text().strip() or None

    def _show(self, value):
        self.line.setText("" if value is None else str(value))


class FeaturesField(Field):
    """``data.features``: a check box per feature of a 2-input source (all raw = None), or
    a polynomial degree for a 1-input source (degree 1 = the raw x = None). :meth:`set_inputs`
    picks which of the two shows."""

    def __init__(self, model, path="data.features", parent=None):
        from trainlab.data.features import FEATURES_2D, MAX_DEGREE

        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        self.boxes: dict[str, QCheckBox] = {}
        for k, name in enumerate(FEATURES_2D):
            check = QCheckBox(name)
            self.boxes[name] = check
            grid.addWidget(check, k // 3, k % 3)  # three a row: the panel stays narrow
        self.degree = QSpinBox()
        guard_wheel(self.degree)
        self.degree.setRange(1, MAX_DEGREE)
        self.degree.setPrefix("x … x^")
        self.degree.setSpecialValueText("x (raw input)")
        grid.addWidget(self.degree, 3, 0, 1, 3)
        super().__init__(model, path, box, parent)
        self.n_inputs = 2
        for check in self.boxes.values():
            check.setToolTip(tooltip(path))
            check.toggled.connect(self._boxes_changed)
        self.degree.setToolTip(tooltip(path))
        self.degree.valueChanged.connect(self._degree_changed)
        self.set_inputs(2)

    def set_inputs(self, n_inputs: int) -> None:
        """Show the check boxes (2 raw inputs) or the degree (1)."""
        self.n_inputs = n_inputs
        for check in self.boxes.values():
            check.setVisible(n_inputs == 2)
        self.degree.setVisible(n_inputs == 1)

    def _boxes_changed(self) -> None:
        chosen = [name for name, check in self.boxes.items() if check.isChecked()]
        self._write(None if chosen == ["x1", "x2"] else chosen)

    def _degree_changed(self, n: int) -> None:
        self._write(None if n == 1 else {"polynomial": int(n)})

    def shown(self):
        value = self.model.get(self.path)
        if self.n_inputs == 1 and isinstance(value, dict | None):
            n = self.degree.value()
            # {"polynomial": 1} from a file shows as degree 1, the raw x, as None does.
            return value if n == 1 else {"polynomial": n}
        chosen = [name for name, check in self.boxes.items() if check.isChecked()]
        return None if chosen == ["x1", "x2"] else chosen

    def _show(self, value):
        if isinstance(value, dict):
            self.degree.setValue(int(value.get("polynomial") or 1))
            return
        names = ["x1", "x2"] if value is None else list(value)
        for name, check in self.boxes.items():
            check.setChecked(name in names)
        powers = [1 if n == "x" else int(n[2:]) for n in names if n == "x" or n[:2] == "x^"]
        self.degree.setValue(max(powers) if powers and value is not None else 1)
