"""The Lessons browser: every shipped lesson as a card, grouped by the course's chapters, with
a search box. It is a page of the window's central area (the plots step aside while it is
shown); :class:`~trainlab.gui.lessons.controller.Lessons` decides what opening does."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui.lessons.cards import CARD_WIDTH, LessonCard
from trainlab.lessons.index import LessonEntry
from trainlab.lessons.model import TOPICS
from trainlab.session.lesson import grouped

SPACING = 8


class LessonsBrowser(QFrame):
    """Cards of `entries` by topic; ``openRequested`` / ``trainRequested`` carry the entry,
    ``closeRequested`` asks to go back to the plots."""

    openRequested = Signal(object)
    trainRequested = Signal(object)
    closeRequested = Signal()

    def __init__(self, entries: list[LessonEntry], parent=None):
        super().__init__(parent)
        self.setObjectName("lessonsBrowser")
        self.entries = list(entries)
        self.cards: dict[str, LessonCard] = {}
        self.headers: dict[str, QLabel] = {}
        self._columns = 0
        title = QLabel("Lessons")
        title.setObjectName("lessonsHeading")
        big = title.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        title.setFont(big)
        self.search = QLineEdit()
        self.search.setObjectName("lessonsSearch")
        self.search.setPlaceholderText("Search lessons: title, text or chapter")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.count_label = QLabel()
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Back to the plots (Help ▸ Lessons brings this page back)")
        self.close_button.clicked.connect(self.closeRequested.emit)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.close_button)
        intro = QLabel("Each lesson is a demo of one idea of the course: open it with one "
                       "click, press Train, and watch what its banner says to look for.")
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.empty_label = QLabel("No lesson matches.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        host = QWidget()
        self.grid = QGridLayout(host)
        self.grid.setSpacing(SPACING)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for entry in self.entries:
            card = LessonCard(entry)
            card.openRequested.connect(self.openRequested.emit)
            card.trainRequested.connect(self.trainRequested.emit)
            self.cards[str(entry.path)] = card
        for topic, name in TOPICS.items():
            header = QLabel(name)
            header.setObjectName("lessonsTopic")
            font = header.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.2)
            header.setFont(font)
            self.headers[topic] = header
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(host)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addWidget(intro)
        column.addWidget(self.empty_label)
        column.addWidget(self.scroll, 1)
        self.apply_filter()

    def visible_cards(self) -> list[LessonCard]:
        """The cards the search leaves, in the order shown."""
        return [self.cards[str(e.path)] for entries in grouped(self.entries,
                                                               self.search.text()).values()
                for e in entries]

    def apply_filter(self, *args) -> None:
        """Lay the cards that match the search out by topic, ``columns`` to a row."""
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
        columns = self._fitting_columns()
        self._columns = columns
        groups = grouped(self.entries, self.search.text())
        row = 0
        for topic, entries in groups.items():
            self.grid.addWidget(self.headers[topic], row, 0, 1, columns)
            self.headers[topic].show()
            row += 1
            for i, entry in enumerate(entries):
                card = self.cards[str(entry.path)]
                self.grid.addWidget(card, row + i // columns, i % columns)
                card.show()
            row += (len(entries) + columns - 1) // columns
        shown = sum(len(v) for v in groups.values())
        self.count_label.setText(f"{shown} of {len(self.entries)}")
        self.empty_label.setVisible(shown == 0)

    def _fitting_columns(self) -> int:
        width = self.scroll.viewport().width() if self.isVisible() else self.width()
        return max(1, (width - SPACING) // (CARD_WIDTH + SPACING))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        if self._fitting_columns() != self._columns:
            self.apply_filter()
