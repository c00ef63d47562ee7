"""The network drawn as columns of units joined by edges (a QGraphicsView): each unit a
small picture (or, for the backprop steps, text), each edge coloured by the weight's sign and
as wide as |w| says; hovering shows values, clicking a unit and double-clicking an edge are
signals. Only the units a column shows are drawn (``Column.names``), so the number of items
is bounded whatever the width of the network."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from trainlab.gui import colors

UNIT = 44         # side of a unit's picture (scene pixels)
ROW = 56          # vertical distance between units
COLUMN = 130      # horizontal distance between columns (labels wrap onto two lines)
MAX_PEN = 6.0     # the widest edge


def edge_width(w: float) -> float:
    """An edge's pen width for weight w: 0.5 px plus 2 px per unit of |w|, at most MAX_PEN,
    in steps of a quarter pixel (a live redraw re-pens only the edges whose look changed)."""
    return round(4.0 * min(0.5 + 2.0 * abs(w), MAX_PEN)) / 4.0 if np.isfinite(w) else 0.5


def edge_color(w: float) -> QColor:
    """Class 1's colour for a positive weight, class 0's for a negative one."""
    return QColor(colors.categorical(1 if w > 0 else 0))


class UnitItem(QGraphicsPixmapItem):
    def __init__(self, column: int, unit: int):
        super().__init__()
        self.column, self.unit = column, unit
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class EdgeItem(QGraphicsLineItem):
    def __init__(self, layer: int, i: int, j: int, line: QLineF):
        super().__init__(line)
        self.layer, self.i, self.j = layer, i, j
        self.weight = 0.0
        self.look: tuple[bool, float] | None = None  # (positive, width) of the pen it has
        self._shape = None  # (pen width, the band shape() gives)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)

    def tip(self) -> str:
        return f"w = {self.weight:.4g}  (double-click to edit)"

    def hoverEnterEvent(self, event) -> None:  # the value as it is now (not at each redraw)
        self.setToolTip(self.tip())
        super().hoverEnterEvent(event)

    def shape(self):  # a band a few pixels wide, so a thin edge can be hovered and clicked
        width = max(self.pen().widthF(), 6.0)
        if self._shape is None or self._shape[0] != width:  # Qt asks often; the line stays
            path = QPainterPath(self.line().p1())
            path.lineTo(self.line().p2())
            stroker = QPainterPathStroker()
            stroker.setWidth(width)
            self._shape = (width, stroker.createStroke(path))
        return self._shape[1]


class NetworkDiagram(QGraphicsView):
    """Draws :class:`~trainlab.session.network_model.Column` s and their edges."""

    unitClicked = Signal(int, int)          # column, unit
    edgeActivated = Signal(int, int, int)   # layer, i, j (double-click)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        # The items stay put but their pens and pictures change at every live redraw; an
        # index of their positions would be rebuilt each time for no gain (a few hundred items).
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units: dict[tuple[int, int], UnitItem] = {}
        self.edges: dict[tuple[int, int, int], EdgeItem] = {}
        self.texts: dict[tuple[int, int], QGraphicsSimpleTextItem] = {}
        self.labels: list[QGraphicsSimpleTextItem] = []
        self._frames: dict[tuple[int, int], QGraphicsRectItem] = {}
        self._label_font = QFont(self.font())
        self._label_font.setBold(True)

    # ---- structure ---------------------------------------------------------------------------
    def set_columns(self, columns) -> None:
        scene = self.scene()
        scene.clear()
        self.units, self.edges, self.texts, self.labels, self._frames = {}, {}, {}, [], {}
        tallest = max(len(c.names) + (1 if c.more else 0) for c in columns)
        for c, col in enumerate(columns):
            x = c * COLUMN
            y0 = (tallest - len(col.names) - (1 if col.more else 0)) * ROW / 2
            label = scene.addSimpleText(col.label.replace(" · ", "\n", 1))  # title, then what
            label.setFont(self._label_font)
            label.setPos(x + UNIT / 2 - label.boundingRect().width() / 2,
                         y0 - label.boundingRect().height() - 8)
            self.labels.append(label)
            for u, name in enumerate(col.names):
                item = UnitItem(c, u)
                item.setPos(x, y0 + u * ROW)
                item.setToolTip(name)
                scene.addItem(item)
                frame = scene.addRect(x - 1, y0 + u * ROW - 1, UNIT + 2, UNIT + 2,
                                      QPen(QColor(colors.INK), 1))
                self._frames[(c, u)] = frame
                self.units[(c, u)] = item
                if c == 0:
                    text = scene.addSimpleText(name)
                    text.setPos(x - text.boundingRect().width() - 6, y0 + u * ROW + UNIT / 3)
            if col.more:
                more = scene.addSimpleText(f"+{col.more} more")
                more.setPos(x, y0 + len(col.names) * ROW + UNIT / 4)
                self.labels.append(more)
        for c in range(len(columns) - 1):
            for i in range(len(columns[c].names)):
                for j in range(len(columns[c + 1].names)):
                    a, b = self.units[(c, i)].pos(), self.units[(c + 1, j)].pos()
                    line = QLineF(QPointF(a.x() + UNIT, a.y() + UNIT / 2),
                                  QPointF(b.x(), b.y() + UNIT / 2))
                    edge = EdgeItem(c, i, j, line)
                    scene.addItem(edge)
                    self.edges[(c, i, j)] = edge
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fit()

    def item_count(self) -> int:
        return len(self.scene().items())

    def fit(self) -> None:
        if self.scene().items():
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    # ---- values ------------------------------------------------------------------------------
    def set_weights(self, layer: int, W: np.ndarray) -> None:
        """Pens of the edges between columns ``layer`` and ``layer + 1`` (W: drawn units)."""
        for (i, j), w in np.ndenumerate(W):
            edge = self.edges.get((layer, i, j))
            if edge is None:
                continue
            edge.weight = float(w)
            look = (bool(w > 0), edge_width(w))
            if look != edge.look:  # setPen makes the scene re-measure the edge: only on a change
                edge.look = look
                pen = QPen(edge_color(w), look[1])
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                edge.setPen(pen)
            if edge.isUnderMouse():
                edge.setToolTip(edge.tip())

    def set_picture(self, column: int, unit: int, pixmap, tip: str = "") -> None:
        item = self.units[(column, unit)]
        item.setPixmap(pixmap)
        if tip:
            item.setToolTip(tip)

    def set_texts(self, texts: dict) -> None:
        """Text beside units (``(column, unit) → text``); units not named lose theirs."""
        for key in list(self.texts):
            if key not in texts:
                self.scene().removeItem(self.texts.pop(key))
        for key, text in texts.items():
            item = self.texts.get(key)
            if item is None:
                item = self.texts[key] = self.scene().addSimpleText("")
                pos = self.units[key].pos()
                item.setPos(pos.x() + UNIT + 3, pos.y() - 4)
                item.setZValue(2)
            item.setText(text)
        # the texts beside the last column stick out of the diagram: the view takes them in
        scene = self.scene()
        bounds = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        if not scene.sceneRect().contains(bounds):
            scene.setSceneRect(scene.sceneRect().united(bounds))
            self.fit()

    def highlight(self, column: int | None) -> None:
        """Frame the units of one column in bold (None: none)."""
        for (c, _), frame in self._frames.items():
            frame.setPen(QPen(QColor(colors.categorical(2) if c == column else colors.INK),
                              3 if c == column else 1))

    # ---- mouse -------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, (UnitItem, QGraphicsRectItem)):
            for key, frame in self._frames.items():
                if item is frame or item is self.units.get(key):
                    self.unitClicked.emit(*key)
                    break
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, EdgeItem):
            self.edgeActivated.emit(item.layer, item.i, item.j)
        super().mouseDoubleClickEvent(event)
