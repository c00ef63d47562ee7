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


def apply_theme(app: QApplication) -> None:
    font = QFont(app.font())
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
