"""Small pictures of units: a value over the input plane in the decision boundary's colours
(class 0's colour for negative values, class 1's for positive, white at 0, the boundary's
strongest tint at the largest |value|), or a histogram of values."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap

from trainlab.gui import colors
from trainlab.gui.plotting.data_colours import MAX_TINT


def signed_rgb(values: np.ndarray, scale=None) -> np.ndarray:
    """(…, 3) uint8 colours of ``values``: sign → class colour, |v| / scale → tint.
    ``scale``: a number, or an array that broadcasts against ``values`` (one per column, as
    :func:`column_scales` gives); None: the largest |value|."""
    v = np.nan_to_num(np.asarray(values, dtype=float))
    if scale is None:
        scale = float(np.max(np.abs(v))) if v.size else 1.0
    scale = np.where(np.asarray(scale, dtype=float) > 0, scale, 1.0)
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


def column_scales(values: np.ndarray) -> np.ndarray:
    """The largest |value| of each column of (rows × units) ``values`` (non-finite as 0):
    each unit's map on its own scale, as :func:`map_pixmap` draws one."""
    v = np.nan_to_num(np.asarray(values, dtype=float))
    return np.max(np.abs(v), axis=0) if v.shape[0] else np.ones(v.shape[1])


def map_pixmaps(values: np.ndarray, grid: int, size: int) -> list[QPixmap]:
    """:func:`map_pixmap` of every column of (grid² × units) ``values``, coloured at once."""
    rgb = signed_rgb(values, column_scales(values))  # (grid², units, 3)
    return [to_pixmap(rgb[:, u].reshape(grid, grid, 3), size) for u in range(rgb.shape[1])]


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
