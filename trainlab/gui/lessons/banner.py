"""The open lesson's banner above the plots: what to look for, the formulas it is about, its
try-next buttons (each applies its overrides with one click) and, for a comparison, Train all
variants."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from trainlab.lessons.model import anchor
from trainlab.session.lesson import OpenLesson


class LessonBanner(QFrame):
    """Shows an :class:`OpenLesson`. Signals: ``tryNext(label, overrides)``,
    ``trainVariants()``, ``formulaRequested(anchor)``, ``closeRequested()``."""

    tryNext = Signal(str, dict)
    trainVariants = Signal()
    formulaRequested = Signal(str)
    closeRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", "info")
        self.title = QLabel()
        self.title.setObjectName("lessonBannerTitle")
        self.title.setWordWrap(True)
        self.look_for = QLabel()
        self.look_for.setObjectName("lessonLookFor")
        self.look_for.setWordWrap(True)
        self.look_for.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formulas = QLabel()
        self.formulas.setTextFormat(Qt.TextFormat.RichText)
        self.formulas.setWordWrap(True)
        self.formulas.linkActivated.connect(lambda link: self.formulaRequested.emit(link))
        self.variants_button = QPushButton("Train all variants")
        self.variants_button.setToolTip("Train every variant on the same data and initial "
                                        "weights, one after the other, overlaid")
        self.variants_button.clicked.connect(self.trainVariants.emit)
        self.close_button = QPushButton("Close lesson")
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.closeRequested.emit)
        self.try_buttons: list[QPushButton] = []
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 6, 6)
        column.setSpacing(4)
        column.addLayout(head)
        column.addWidget(self.look_for)
        column.addLayout(self.buttons)
        column.addWidget(self.formulas)
        self.hide()

    def show_lesson(self, lesson: OpenLesson) -> None:
        self.title.setText(f"<b>Lesson:</b> {escape(lesson.title)} "
                           f"<span style='color:#52606d'>· {escape(lesson.topic_name)}</span>")
        self.look_for.setText(f"Look for: {lesson.look_for}" if lesson.look_for else "")
        self.look_for.setVisible(bool(lesson.look_for))
        for button in self.try_buttons:
            self.buttons.removeWidget(button)
            button.deleteLater()
        self.try_buttons = []
        while self.buttons.count():
            self.buttons.takeAt(0)
        for label, overrides in lesson.try_next:
            button = QPushButton(f"Try: {label}")
            button.setObjectName("tryNextButton")
            button.setToolTip("Sets " + ", ".join(f"{k} = {v!r}" for k, v in overrides.items()))
            button.setEnabled(lesson.kind == "preset")
            button.clicked.connect(lambda checked=False, la=label, o=overrides:
                                   self.tryNext.emit(la, o))
            self.try_buttons.append(button)
            self.buttons.addWidget(button)
        self.buttons.addWidget(self.variants_button)
        self.variants_button.setVisible(bool(lesson.variants))
        self.variants_button.setText(f"Train all {len(lesson.variants)} variants")
        self.buttons.addStretch(1)
        links = " · ".join(f"<a href='{anchor(f)}'>{escape(f)}</a>" for f in lesson.formulas)
        self.formulas.setText(f"Formulas: {links}" if links else "")
        self.formulas.setVisible(bool(links))
        self.show()
