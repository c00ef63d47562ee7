"""Contour lines and shading of a surface grid (NumPy and contourpy; no Qt).

Levels are log-spaced above the grid's lowest value, ``f_min + s·10^k`` for k from −3 to 0
with s the spread up to the 99th percentile, so that the flat bottom of a ravine gets as many
lines as its steep walls (equal spacing would put every line on the walls).
"""

from __future__ import annotations

import contourpy
import numpy as np

LEVELS = 16


def log_levels(Z: np.ndarray, n: int = LEVELS) -> np.ndarray:
    """``n`` log-spaced contour levels over the finite values of ``Z``."""
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return np.zeros(0)
    low = float(finite.min())
    spread = float(np.percentile(finite, 99)) - low
    if not spread > 0:
        return np.zeros(0)
    return low + spread * np.geomspace(1e-3, 1.0, n)


def contour_lines(xs: np.ndarray, ys: np.ndarray, Z: np.ndarray,
                  levels: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """(level, points) per level: the lines as one (k, 2) array with NaN rows between
    pieces (draw with ``connect="finite"``); ``Z[i, j]`` is the value at (xs[j], ys[i])."""
    Z = np.where(np.isfinite(Z), Z, np.nan)
    generator = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(Z),
                                            line_type="ChunkCombinedNan")
    out = []
    for level, lines in zip(levels, generator.multi_lines(levels), strict=True):
        pieces = [piece for piece in lines[0] if piece is not None]
        if pieces:
            out.append((float(level), np.concatenate(pieces)))
    return out


def shading(Z: np.ndarray) -> np.ndarray:
    """Values for a shaded map: log10 of the height above the lowest value (the same scale
    as the contour levels), clipped to the levels' range; NaN where Z is not finite."""
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return np.full(Z.shape, np.nan)
    low = float(finite.min())
    spread = max(float(np.percentile(finite, 99)) - low, 1e-300)
    with np.errstate(all="ignore"):
        return np.log10(np.clip((Z - low) / spread, 1e-3, 1.0))
