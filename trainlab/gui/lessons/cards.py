"""A lesson's card in the browser: its thumbnail (or a drawn placeholder), title, one line,
and Open / Train buttons; a click anywhere on the card opens the lesson."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from trainlab.lessons.index import LessonEntry

CARD_WIDTH = 214
CARD_HEIGHT = 300
THUMB_SIZE = (198, 110)

#: The placeholder's colour by kind of lesson file.
_KIND_COLORS = {"preset": "#3b6fb6", "playground": "#2f8f6b", "sweep": "#9a5bb5"}


def placeholder(entry: LessonEntry, size: tuple[int, int] = THUMB_SIZE) -> QPixmap:
    """A quiet tile naming the lesson's kind and chapter, for lessons without a thumbnail."""
    pixmap = QPixmap(*size)
    pixmap.fill(QColor("#eef2f7"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(_KIND_COLORS.get(entry.kind, "#607080"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(10, 10, 74, 22), 6, 6)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPointSize(8)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(10, 10, 74, 22), Qt.AlignmentFlag.AlignCenter, entry.kind)
    painter.setPen(QColor("#52606d"))
    font.setBold(False)
    font.setPointSize(9)
    painter.setFont(font)
    painter.drawText(QRectF(10, 40, size[0] - 20, size[1] - 50),
                     Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, entry.topic_name)
    painter.end()
    return pixmap


class LessonCard(QFrame):
    """One lesson. ``openRequested(entry)`` on a click or Open, ``trainRequested(entry)`` on
    Train."""

    openRequested = Signal(object)
    trainRequested = Signal(object)

    def __init__(self, entry: LessonEntry, parent=None):
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("lessonCard")
        # fixed: word-wrapped labels make a grid under-estimate a card's height
        self.setFixedSize(CARD_WIDTH, CARD_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{entry.title}\n{entry.one_line}\n({entry.path.name})")
        self.thumbnail = QLabel()
        self.thumbnail.setFixedSize(*THUMB_SIZE)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = QPixmap(str(entry.thumbnail)) if entry.thumbnail else QPixmap()
        self.has_thumbnail = not image.isNull()
        if self.has_thumbnail:
            image = image.scaled(*THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self.thumbnail.setPixmap(image if self.has_thumbnail else placeholder(entry))
        self.title = QLabel(entry.title)
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.line = QLabel(entry.one_line)
        self.line.setObjectName("hint")
        self.line.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Open the lesson and train it (every variant of a "
                                     "comparison, overlaid)")
        self.open_button.clicked.connect(lambda: self.openRequested.emit(entry))
        self.train_button.clicked.connect(lambda: self.trainRequested.emit(entry))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.train_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(4)
        column.addWidget(self.thumbnail)
        column.addWidget(self.title)
        column.addWidget(self.line)
        column.addStretch(1)
        column.addLayout(buttons)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton:
            self.openRequested.emit(self.entry)
        super().mouseReleaseEvent(event)
