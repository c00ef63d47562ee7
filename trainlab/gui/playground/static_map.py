"""The still part of the playground's map as one item: the shaded map and the contour lines,
painted once into an opaque image of the view's pixel size and then copied whole on every
frame while the racers move (only their paths and heads are painted anew).

The image is painted again only when the content changes or the view's pixel size or range
does (a resize, another surface, shading toggled).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QTransform


def _rgb_image(values: np.ndarray, cmap) -> QImage:
    """``values`` (rows along y, NaN where unknown) as an RGB image through ``cmap``;
    unknown cells are white."""
    finite = np.isfinite(values)
    low = float(values[finite].min()) if finite.any() else 0.0
    high = float(values[finite].max()) if finite.any() else 1.0
    scale = 255.0 / (high - low) if high > low else 0.0
    index = np.zeros(values.shape, dtype=np.uint8)
    index[finite] = np.clip((values[finite] - low) * scale, 0, 255).astype(np.uint8)
    lut = np.asarray(cmap.getLookupTable(nPts=256, alpha=False), dtype=np.uint8)
    rgb = np.ascontiguousarray(lut[index])
    rgb[~finite] = 255
    height, width = values.shape
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()  # owns its pixels (the array may go)


class StaticMap(pg.GraphicsObject):
    """The shading (optional) and the contour lines over ``rect`` (x0, y0, width, height)."""

    def __init__(self):
        super().__init__()
        self.rect = QRectF(0, 0, 1, 1)
        self.lines: list[tuple[QPainterPath, QColor]] = []
        self.shading: QImage | None = None
        self._cache: QImage | None = None
        self._key = None
        self.renders = 0  # how often the image was painted (once per content and view)
        self.setZValue(-10)

    def set_content(self, rect: tuple[float, float, float, float],
                    lines: list[tuple[np.ndarray, tuple]], shading: np.ndarray | None = None,
                    cmap=None) -> None:
        """New content: ``lines`` as (points with NaN rows between pieces, RGBA colour);
        ``shading`` a grid of values (rows along y) drawn through ``cmap``."""
        self.prepareGeometryChange()
        self.rect = QRectF(*rect)
        self.lines = [(pg.arrayToQPath(p[:, 0], p[:, 1], connect="finite"), QColor(*color))
                      for p, color in lines]
        self.shading = _rgb_image(shading, cmap) if shading is not None else None
        self._cache = None
        self.update()

    def clear(self) -> None:
        self.set_content((0, 0, 1, 1), [])

    @property
    def levels(self) -> int:
        return len(self.lines)

    def boundingRect(self) -> QRectF:
        return QRectF(self.rect)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        transform = painter.combinedTransform()  # after resetTransform() this is identity
        target = transform.mapRect(self.rect).toAlignedRect()
        key = (target.width(), target.height(), transform.m11(), transform.m22(),
               transform.dx() - target.x(), transform.dy() - target.y())
        if self._cache is None or self._key != key:
            self._cache = self._render(transform, target)
            self._key = key
        painter.save()
        painter.resetTransform()
        painter.drawImage(target.topLeft(), self._cache)
        painter.restore()

    def _render(self, transform: QTransform, target) -> QImage:
        self.renders += 1
        image = QImage(max(target.width(), 1), max(target.height(), 1),
                       QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        p.setTransform(transform * QTransform.fromTranslate(-target.x(), -target.y()))
        if self.shading is not None:
            p.drawImage(self.rect, self.shading)
        for path, color in self.lines:
            pen = pg.mkPen(color, width=1)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        p.end()
        return image

