"""The Lessons browser: every shipped lesson as a card, grouped by the course's chapters, with
a search box. It is the window's start page (the plots and the docks step aside while it is
shown); :class:`~trainlab.gui.lessons.controller.Lessons` decides what opening does.

The cards fill each row: as many as fit at their narrowest width (:func:`card_size`, from the
fonts, so the zoom counts), stretched to share the row."""

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

from trainlab.gui.lessons.cards import LessonCard, card_size, scaled_font
from trainlab.lessons.index import LessonEntry
from trainlab.lessons.model import TOPICS
from trainlab.session.lesson import grouped

SPACING = 12


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
        title.setFont(scaled_font(1.6, bold=True))
        self.search = QLineEdit()
        self.search.setObjectName("lessonsSearch")
        self.search.setPlaceholderText("Search lessons: title, text or chapter")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.count_label = QLabel()
        self.close_button = QPushButton("Close lessons")
        self.close_button.setToolTip("Back to the settings and plots (Help ▸ Lessons, Ctrl+L, "
                                     "brings this page back)")
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
        intro.setFont(scaled_font(1.1))
        self.empty_label = QLabel("No lesson matches.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        host = QWidget()
        self.grid = QGridLayout(host)
        self.grid.setSpacing(SPACING)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for entry in self.entries:
            card = LessonCard(entry)
            card.openRequested.connect(self.openRequested.emit)
            card.trainRequested.connect(self.trainRequested.emit)
            self.cards[str(entry.path)] = card
        for topic, name in TOPICS.items():
            header = QLabel(name)
            header.setObjectName("lessonsTopic")
            header.setFont(scaled_font(1.35, bold=True))
            self.headers[topic] = header
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(host)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 4)
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
        """Lay the cards that match the search out by topic, as many to a row as fit."""
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
        columns, width = self._fitting_columns()
        self._columns = columns
        size = card_size()
        groups = grouped(self.entries, self.search.text())
        row = 0
        for topic, entries in groups.items():
            self.grid.addWidget(self.headers[topic], row, 0, 1, columns)
            self.headers[topic].show()
            row += 1
            for i, entry in enumerate(entries):
                card = self.cards[str(entry.path)]
                card.fit(width, size)
                self.grid.addWidget(card, row + i // columns, i % columns)
                card.show()
            row += (len(entries) + columns - 1) // columns
        shown = sum(len(v) for v in groups.values())
        self.count_label.setText(f"{shown} of {len(self.entries)}")
        self.empty_label.setVisible(shown == 0)

    @property
    def columns(self) -> int:
        """Cards to a row in the present layout."""
        return self._columns

    def _fitting_columns(self) -> tuple[int, int]:
        """How many cards fit a row, and the width each gets to fill it."""
        room = self.scroll.width() if self.isVisible() else self.width() - 24
        room -= self.scroll.verticalScrollBar().sizeHint().width() + 2  # always kept free
        narrowest = card_size().min_width
        columns = max(1, (room + SPACING) // (narrowest + SPACING))
        width = max(narrowest, (room - SPACING * (columns - 1)) // columns)
        return columns, min(width, narrowest * 3 // 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        columns, width = self._fitting_columns()
        if columns != self._columns:
            self.apply_filter()
            return
        size = card_size()
        for card in self.visible_cards():
            card.fit(width, size)
