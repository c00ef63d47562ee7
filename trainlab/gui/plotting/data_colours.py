"""The data view's pictures as numbers, without Qt: the boundary's heat-map colours, the
confusion matrix's cell colours, and the plot ranges widened to the view's shape."""

from __future__ import annotations

import numpy as np

from trainlab.gui import colors

MAX_TINT = 0.55       # heat-map colour at full confidence; lighter, so the points stay visible


def boundary_rgb(probs: np.ndarray) -> np.ndarray:
    """``(n, 3)`` uint8 colours of ``(n, K)`` class probabilities: the likeliest class's colour
    mixed with white by confidence (non-finite rows are white)."""
    K = probs.shape[1]
    ok = np.all(np.isfinite(probs), axis=1)
    safe = np.where(ok[:, None], probs, 0.0)
    cls = np.argmax(safe, axis=1)
    confidence = safe[np.arange(len(safe)), cls]
    # Confidence 1/K (a coin toss) is white; confidence 1 is the full tint.
    strength = np.clip((confidence - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0) * ok
    palette = np.array([colors.rgb(colors.categorical(k)) for k in range(K)], dtype=float)
    return np.round(colors.tint_array(palette[cls], MAX_TINT * strength)).astype(np.uint8)


def confusion_rgb(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(share, rgb)`` of a ``(K, K)`` confusion matrix: each cell's share of its true class
    (its recall row), so a small class reads as clearly as a large one, and the cells'
    ``(K, K, 3)`` uint8 colours from it."""
    K = counts.shape[0]
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    base = np.array(colors.rgb(colors.categorical(0)), dtype=float)
    rgb = colors.tint_array(np.broadcast_to(base, (K, K, 3)), 0.05 + 0.95 * share)
    return share, np.round(rgb).astype(np.uint8)


def fill_ranges(xr: tuple[float, float], yr: tuple[float, float], width: float,
                height: float) -> tuple:
    """The ranges widened (one of them) to a view of ``width`` × ``height`` pixels: with x and
    y at one scale a heat map then fills the plot instead of leaving white bands beside the
    data. A view not laid out yet (under 50 pixels) keeps them."""
    if width < 50 or height < 50:
        return xr, yr
    aspect = min(max(width / height, 0.25), 4.0)
    (x0, x1), (y0, y1) = xr, yr
    if (x1 - x0) / (y1 - y0) < aspect:
        half, mid = 0.5 * (y1 - y0) * aspect, 0.5 * (x0 + x1)
        return (mid - half, mid + half), yr
    half, mid = 0.5 * (x1 - x0) / aspect, 0.5 * (y0 + y1)
    return xr, (mid - half, mid + half)
