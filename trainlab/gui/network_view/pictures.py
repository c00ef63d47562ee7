"""Small pictures of units: a value over the input plane in the decision boundary's colours
(class 0's colour for negative values, class 1's for positive, white at 0, the boundary's
strongest tint at the largest |value|), or a histogram of values."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap

from trainlab.gui import colors
from trainlab.gui.plotting.data_colours import MAX_TINT


def signed_rgb(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """(…, 3) uint8 colours of ``values``: sign → class colour, |v| / scale → tint."""
    v = np.nan_to_num(np.asarray(values, dtype=float))
    if scale is None:
        scale = float(np.max(np.abs(v))) if v.size else 1.0
    scale = scale if scale > 0 else 1.0
    palette = np.array([colors.rgb(colors.categorical(0)), colors.rgb(colors.categorical(1))],
                       dtype=float)
    rgb = colors.tint_array(palette[(v > 0).astype(int)], MAX_TINT * np.abs(v) / scale)
    return np.round(rgb).astype(np.uint8)


def to_pixmap(rgb: np.ndarray, size: int) -> QPixmap:
    """An (H, W, 3) uint8 picture, row 0 at the bottom (as the data view), scaled to size."""
    rgb = np.ascontiguousarray(rgb[::-1])
    h, w, _ = rgb.shape
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image).scaled(size, size)


def map_pixmap(values: np.ndarray, size: int) -> QPixmap:
    return to_pixmap(signed_rgb(values), size)


def histogram_pixmap(counts: np.ndarray, size: int) -> QPixmap:
    """Bars of ``counts`` in ink on white, filling a size × size square."""
    counts = np.asarray(counts, dtype=float)
    bins = max(len(counts), 1)
    top = counts.max() if counts.size and counts.max() > 0 else 1.0
    heights = np.round(counts / top * (size - 2)).astype(int)
    rgb = np.full((size, size, 3), 255, np.uint8)
    ink = np.array(colors.rgb(colors.INK), np.uint8)
    for b in range(bins):
        x0, x1 = b * size // bins, max((b + 1) * size // bins - 1, b * size // bins + 1)
        rgb[:heights[b], x0:x1] = ink
    return to_pixmap(rgb, size)
