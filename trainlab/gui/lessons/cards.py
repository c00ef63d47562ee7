"""A lesson's card in the browser: its thumbnail (or a drawn placeholder), title, one line,
and Open / Train buttons; a click anywhere on the card opens the lesson.

A card's size follows the application's font (which the zoom scales, see
:func:`~trainlab.gui.theme.apply_theme`): :func:`card_size` gives the narrowest width a card
may take and the height its rows need, and the browser stretches the cards of a row to fill
it. Title and line are elided to a fixed number of lines, so no text ever leaves its card."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
)

from trainlab.lessons.index import LessonEntry

#: The placeholder's colour by kind of lesson file.
_KIND_COLORS = {"preset": "#3b6fb6", "playground": "#2f8f6b", "sweep": "#9a5bb5"}

#: Title and text fonts relative to the application's font, and the lines each may take.
TITLE_SCALE, TITLE_LINES = 1.25, 2
LINE_SCALE, LINE_LINES = 1.05, 3
#: The narrowest card in heights of the application's font (about 340 px at 11 pt).
WIDTH_IN_LINES = 19
#: Thumbnails are 1.8 times as wide as high.
THUMB_ASPECT = 1.8
MARGIN, GAP = 10, 6


def scaled_font(scale: float, bold: bool = False) -> QFont:
    """The application's font (zoom included) times `scale`."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


@dataclass(frozen=True)
class CardSize:
    """The narrowest width of a card, its thumbnail's height and the card's height."""

    min_width: int
    thumb_height: int
    height: int


def card_size() -> CardSize:
    """A card's size from the fonts now in use: thumbnail, two title lines, three text lines
    and the button row, with the margins and gaps between them."""
    base = QFontMetricsF(QApplication.font())
    min_width = round(WIDTH_IN_LINES * base.height())
    thumb = round((min_width - 2 * MARGIN) / THUMB_ASPECT * 0.8)
    title = lines_height(scaled_font(TITLE_SCALE, bold=True), TITLE_LINES)
    line = lines_height(scaled_font(LINE_SCALE), LINE_LINES)
    buttons = QPushButton("Train").sizeHint().height()
    frame = 2 * QFrame().style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
    height = 2 * MARGIN + frame + thumb + title + line + buttons + 3 * GAP
    return CardSize(min_width, thumb, height + 4)


def lines_height(font: QFont, lines: int) -> int:
    """Pixels that `lines` lines of `font` take."""
    return int(QFontMetricsF(font).lineSpacing() * lines) + 1


def elide_lines(text: str, font: QFont, width: float, lines: int) -> str:
    """`text` word-wrapped to `width` in `font`, cut to `lines` lines, the last one ending
    in "…" when something was left out; the lines joined by newlines."""
    metrics = QFontMetricsF(font)
    layout = QTextLayout(text, font)
    layout.beginLayout()
    kept: list[str] = []
    while len(kept) < lines:
        row = layout.createLine()
        if not row.isValid():
            break
        row.setLineWidth(width)
        start, length = row.textStart(), row.textLength()
        if len(kept) == lines - 1 and start + length < len(text):
            rest = text[start:]
            kept.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
        else:
            kept.append(text[start:start + length].rstrip())
    layout.endLayout()
    return "\n".join(kept)


class ElidedLabel(QLabel):
    """A label of at most ``lines`` lines of ``text`` in ``font``, as high as those lines,
    eliding what does not fit its width."""

    def __init__(self, text: str, font: QFont, lines: int, parent=None):
        super().__init__(parent)
        self.full_text = text
        self.lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        self.setFont(font)
        self.setFixedHeight(lines_height(font, self.lines))
        self._elide()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        self.setText(elide_lines(self.full_text, self.font(), max(1, width), self.lines))


def placeholder(entry: LessonEntry, size: tuple[int, int]) -> QPixmap:
    """A quiet tile naming the lesson's kind and chapter, for lessons without a thumbnail."""
    pixmap = QPixmap(*size)
    pixmap.fill(QColor("#eef2f7"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(_KIND_COLORS.get(entry.kind, "#607080"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(10, 10, 90, 26), 6, 6)
    painter.setPen(QColor("white"))
    font = scaled_font(0.9, bold=True)
    painter.setFont(font)
    painter.drawText(QRectF(10, 10, 90, 26), Qt.AlignmentFlag.AlignCenter, entry.kind)
    painter.setPen(QColor("#52606d"))
    painter.setFont(scaled_font(1.0))
    painter.drawText(QRectF(10, 44, size[0] - 20, size[1] - 54),
                     Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, entry.topic_name)
    painter.end()
    return pixmap


class LessonCard(QFrame):
    """One lesson. ``openRequested(entry)`` on a click or Open, ``trainRequested(entry)`` on
    Train. :meth:`fit` gives it its size."""

    openRequested = Signal(object)
    trainRequested = Signal(object)

    def __init__(self, entry: LessonEntry, parent=None):
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("lessonCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{entry.title}\n{entry.one_line}\n({entry.path.name})")
        self.thumbnail = QLabel()
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = QPixmap(str(entry.thumbnail)) if entry.thumbnail else QPixmap()
        self.has_thumbnail = not self.image.isNull()
        self.title = ElidedLabel(entry.title, scaled_font(TITLE_SCALE, True), TITLE_LINES)
        self.title.setObjectName("lessonTitle")
        self.line = ElidedLabel(entry.one_line, scaled_font(LINE_SCALE), LINE_LINES)
        self.line.setObjectName("hint")
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the lesson: its settings and what to look for")
        self.train_button = QPushButton("▶ Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setToolTip("Open the lesson and train it (every variant of a "
                                     "comparison, overlaid)")
        self.open_button.clicked.connect(lambda: self.openRequested.emit(entry))
        self.train_button.clicked.connect(lambda: self.trainRequested.emit(entry))
        buttons = QHBoxLayout()
        buttons.setSpacing(GAP)
        buttons.addWidget(self.open_button, 1)
        buttons.addWidget(self.train_button, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(GAP)
        column.addWidget(self.thumbnail)
        column.addWidget(self.title)
        column.addWidget(self.line)
        column.addStretch(1)
        column.addLayout(buttons)
        self._size: tuple[int, int, int] | None = None
        self.fit(card_size().min_width, card_size())

    def fit(self, width: int, size: CardSize) -> None:
        """`width` wide, as high as `size` says; the thumbnail scaled into its room."""
        key = (width, size.height, size.thumb_height)
        if key == self._size:
            return
        self._size = key
        self.setFixedSize(width, size.height)
        self.title.set_font(scaled_font(TITLE_SCALE, True))
        self.line.set_font(scaled_font(LINE_SCALE))
        room = (width - 2 * MARGIN, size.thumb_height)
        self.thumbnail.setFixedSize(*room)
        if self.has_thumbnail:
            self.thumbnail.setPixmap(self.image.scaled(
                *room, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.thumbnail.setPixmap(placeholder(self.entry, room))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton:
            self.openRequested.emit(self.entry)
        super().mouseReleaseEvent(event)
