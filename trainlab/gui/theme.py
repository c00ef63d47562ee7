"""Fonts and a light style sheet: readable on a projector, calm on a laptop."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 11

STYLE_SHEET = """
QGroupBox {
    font-weight: bold;
    border: 1px solid #c9ced6;
    border-radius: 6px;
    margin-top: 14px;
    padding: 10px 6px 6px 6px;
    background: #fbfbfc;
}
QGroupBox::title {
    subcontrol-origin: margin;
    left: 10px;
    padding: 0 4px;
    color: #1f3b63;
}
QGroupBox QLabel, QGroupBox QCheckBox { font-weight: normal; }
QLabel#fieldError {
    color: #b3261e;
    font-weight: normal;
}
QLineEdit[invalid="true"], QSpinBox[invalid="true"], QComboBox[invalid="true"],
QPlainTextEdit[invalid="true"] {
    border: 2px solid #d93025;
    border-radius: 3px;
    background: #fff4f3;
}
QLabel#problemsBox {
    color: #8c1d18;
    background: #fdecea;
    border: 1px solid #f1b8b3;
    border-radius: 6px;
    padding: 6px;
}
QLabel#lockBox {
    color: #4a3c00;
    background: #fff6d6;
    border: 1px solid #ead48a;
    border-radius: 6px;
    padding: 6px;
}
QLabel#hint { color: #5f6670; }
QPushButton#trainButton {
    background: #1a7f37;
    color: white;
    font-weight: bold;
    border: 1px solid #15692d;
    border-radius: 6px;
    padding: 6px 18px;
    min-width: 110px;
}
QPushButton#trainButton:hover { background: #1f9141; }
QPushButton#trainButton:pressed { background: #15692d; }
QPushButton#trainButton[mode="pause"] { background: #b26a00; border-color: #8f5500; }
QPushButton#trainButton:disabled { background: #a9b4ac; border-color: #9aa49d; color: #eef1ef; }
QPushButton#controlButton { padding: 6px 12px; }
QLabel#statusLine { font-family: monospace; }
QFrame#banner[kind="error"] { background: #fdecea; border: 1px solid #f1b8b3; border-radius: 6px; }
QFrame#banner[kind="warning"] {
    background: #fff6d6; border: 1px solid #ead48a; border-radius: 6px;
}
QFrame#banner[kind="info"] { background: #e8f1fb; border: 1px solid #b6d0ee; border-radius: 6px; }
QFrame#banner QLabel { color: #222; }
QDockWidget::title { padding: 4px 8px; background: #e9edf2; font-weight: bold; }
"""


#: Added to :data:`STYLE_SHEET` in the high-contrast scheme: black text and frames, no greys.
HIGH_CONTRAST_SHEET = """
QWidget { color: #000000; }
QGroupBox { border: 2px solid #000000; background: #ffffff; }
QGroupBox::title { color: #000000; }
QLabel#hint { color: #222222; }
QDockWidget::title { background: #cfd6df; border-bottom: 2px solid #000000; }
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox { border: 1px solid #000000; background: white; }
QPushButton#trainButton { background: #0b5d25; border: 2px solid #000000; }
QPushButton#trainButton[mode="pause"] { background: #8a4f00; }
"""


def apply_theme(app: QApplication, zoom: float = 1.0, high_contrast: bool = False) -> None:
    """The application's font (at least :data:`BASE_POINT_SIZE`, times ``zoom``) and style
    sheet (with :data:`HIGH_CONTRAST_SHEET` in the high-contrast scheme)."""
    base = app.property("trainlabBasePointSize")
    if base is None:
        base = max(QFont(app.font()).pointSizeF(), BASE_POINT_SIZE)
        app.setProperty("trainlabBasePointSize", base)
    font = QFont(app.font())
    font.setPointSizeF(float(base) * zoom)
    # each call re-polishes every widget of the application: only when something changed
    if font != app.font():
        app.setFont(font)
    sheet = STYLE_SHEET + (HIGH_CONTRAST_SHEET if high_contrast else "")
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
