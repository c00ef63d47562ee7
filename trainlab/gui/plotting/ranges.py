"""Where things go on a plot, in pure NumPy: axis ranges that follow the data in steps, log
tick labels, and the corner a legend covers least.

No Qt here (tested without a window); :mod:`trainlab.gui.plotting.axes` and the panel use it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Nice multiples of 10ᵏ the x range grows through (the view shows ≥ 80 % data).
_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
# y range: re-fitted only when the data leaves it or fills less than this share of it ...
_Y_MIN_FILL = 0.6
# ... and then with this much room (share of the data span) on each side.
_Y_MARGIN = 0.06


def nice_ceil(value: float) -> float:
    """The smallest ``s·10ᵏ ≥ value`` with ``s`` in :data:`_NICE_STEPS` (1 for value ≤ 1)."""
    if not np.isfinite(value) or value <= 1.0:
        return 1.0
    k = 10.0 ** np.floor(np.log10(value))
    return next(s * k for s in _NICE_STEPS if s * k >= value * (1 - 1e-12))


def follow_x(lo: float, hi: float, pixels: float = 0.0) -> tuple[float, float]:
    """x range for data spanning ``[lo, hi]`` (epochs): from ``lo`` to :func:`nice_ceil` of the
    data's width, so it changes a handful of times per decade of epochs, not at every frame.
    A margin of 2 % (at least 14 of the view's ``pixels``) keeps the end labels on the axis."""
    width = nice_ceil(hi - lo) if hi > lo else 1.0
    pad = width * max(0.02, 14.0 / pixels if pixels > 0 else 0.0)
    return lo - pad, lo + width + pad


def follow_y(lo: float, hi: float, current: tuple[float, float] | None,
             exact: bool = False) -> tuple[float, float]:
    """y range for data spanning ``[lo, hi]``: ``current`` while the data is inside it and
    fills at least :data:`_Y_MIN_FILL` of it, else the data with a margin on each side (the
    margin leaves room to move before the next change). ``exact``: re-fit regardless."""
    if hi <= lo:
        half = 0.5 * abs(lo) if lo != 0 else 0.5
        lo, hi = lo - half, hi + half
    if current is not None and not exact:
        c0, c1 = current
        if c0 <= lo and hi <= c1 and (hi - lo) >= _Y_MIN_FILL * (c1 - c0):
            return c0, c1
    pad = (_Y_MARGIN if not exact else 0.04) * (hi - lo)
    return lo - pad, hi + pad



def log_tick_label(value: float) -> str:
    """``0.2``, ``50``, ``5·10⁻⁵``…; empty unless ``value`` is 1, 2 or 5 times a power of 10."""
    if not np.isfinite(value) or value <= 0:
        return ""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = value / 10.0**exponent
    if min(abs(mantissa - m) for m in (1, 2, 5)) > 1e-6 * mantissa:
        return ""
    if -3 <= exponent <= 4:
        return f"{value:.{max(0, -exponent)}f}"
    digits = str(abs(exponent)).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    power = f"10{'⁻' if exponent < 0 else ''}{digits}"
    lead = round(mantissa)
    return power if lead == 1 else f"{lead}·{power}"



def emptiest_corner(
    lines: list[tuple[Any, Any]],
    box: tuple[float, float],
    preference: tuple[str, ...],
    view: Any = None,
    points: bool = False,
) -> str:
    """The corner (``"tr"``, ``"br"``, ``"tl"``, ``"bl"``) whose box crosses the fewest curves.

    ``lines`` are (x, y) arrays in view coordinates; ``box`` is the legend's size as a
    fraction of the view; ``view`` is ``[[x0, x1], [y0, y1]]``, the range shown (default: the
    curves' bounds). Each curve is resampled at even x so a steep segment counts too, unless
    ``points`` says the arrays are scattered points, counted as they are.
    """
    bw, bh = (min(max(v, 0.15), 0.9) for v in box)
    samples = []
    for x, y in lines:
        if x is None or y is None:
            continue
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() >= 2 and not points:
            grid = np.linspace(x[ok].min(), x[ok].max(), 200)
            samples.append(np.column_stack([grid, np.interp(grid, x[ok], y[ok])]))
        elif ok.any():
            samples.append(np.column_stack([x[ok], y[ok]]))
    if not samples:
        return preference[0]
    pts = np.concatenate(samples)
    if view is not None:
        lo, hi = np.array([view[0][0], view[1][0]]), np.array([view[0][1], view[1][1]])
    else:
        lo, hi = pts.min(axis=0), pts.max(axis=0)
    u, v = ((pts - lo) / np.where(hi > lo, hi - lo, 1.0)).T
    right, left, top, bottom = u > 1 - bw, u < bw, v > 1 - bh, v < bh
    crowd = {
        "tr": np.count_nonzero(right & top),
        "br": np.count_nonzero(right & bottom),
        "tl": np.count_nonzero(left & top),
        "bl": np.count_nonzero(left & bottom),
    }
    return min(preference, key=lambda c: (crowd[c], preference.index(c)))



def bounds_of(boxes: list, from_zero: bool = False, band: float | None = None,
              view_height: float = 0.0) -> tuple[float, float, float, float] | None:
    """(x0, x1, y0, y1) around the curves' ``boxes`` (each (x0, x1, y0, y1)); None for none.

    ``from_zero``: y starts at 0 at the latest (a constant η = 0.01 auto-ranged would be a band
    from −0.5 to 0.5, and read as η = 0). ``band``: the height in pixels of a legend band above
    the curves in a view ``view_height`` high, given room above them.
    """
    if not boxes:
        return None
    b = np.array(boxes)
    x0, x1, y0, y1 = b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max()
    if from_zero:
        y0 = min(y0, 0.0)
    if band is not None and view_height > 50:
        share = min((band + 14) / view_height, 0.5)
        span = (y1 - y0) if y1 > y0 else 1.0
        y1 = y1 + (1.1 * span) * share / (1 - share)
    return float(x0), float(x1), float(y0), float(y1)
