"""Pure NumPy for drawing long curves fast: peak decimation, data bounds, dashes cut from data.

No Qt here: the plots panel hands these arrays to pyqtgraph, and tests check them without a
window.
"""

from __future__ import annotations

import numpy as np


class PeakStream:
    """At most ``2·buckets`` points that draw like ``(x, y)``: the minimum and the maximum of
    each run of consecutive rows (about one run per pixel column), both at the run's first x;
    non-finite values inside a run are skipped, and a run with no finite value gives NaN (a
    break in the curve). Short data is returned as it is.

    Made for a series that grows between calls (a running curve): each call reduces only the
    rows added since the last one.

    The rows per bucket are a power of two (at least ``len / buckets``, so at most
    ``2·buckets`` points again); when the series outgrows them, neighbouring buckets merge.
    A call with another ``key`` (another run, column or axis mode), or whose first or last
    remembered row differs, starts over."""

    def __init__(self):
        self._reset(None)

    def _reset(self, key) -> None:
        self.key, self.per, self.done = key, 0, 0
        self.lo = self.hi = np.zeros(0)
        self._ends = (np.nan, np.nan)

    def decimate(self, x: np.ndarray, y: np.ndarray, buckets: int, key=None
                 ) -> tuple[np.ndarray, np.ndarray]:
        n = len(y)
        buckets = max(int(buckets), 1)
        if n <= 2 * buckets:
            self._reset(key)
            return x, y
        per = 1 << max(int(np.ceil(np.log2(n / buckets))), 0)
        if (key != self.key or not self.per or per < self.per or n < self.done
                or not self._same_ends(y)):
            self._reset(key)
            self.per = per
        while self.per < per:  # two buckets make one; an odd last one is redone
            k = 2 * (len(self.lo) // 2)
            self.lo = np.fmin(self.lo[0:k:2], self.lo[1:k:2])
            self.hi = np.fmax(self.hi[0:k:2], self.hi[1:k:2])
            self.per *= 2
            self.done = len(self.lo) * self.per
        m = n - n % per
        if m > self.done:
            yb = np.asarray(y[self.done:m]).reshape(-1, per)
            self.lo = np.concatenate([self.lo, np.fmin.reduce(yb, axis=1)])
            self.hi = np.concatenate([self.hi, np.fmax.reduce(yb, axis=1)])
            self.done = m
        self._ends = (float(y[0]), float(y[self.done - 1])) if self.done else (np.nan, np.nan)
        xs = np.repeat(x[:m:per], 2)
        ys = np.column_stack([self.lo, self.hi]).ravel()
        if m < n:
            xs = np.concatenate([xs, x[m:]])
            ys = np.concatenate([ys, y[m:]])
        return xs, ys

    def _same_ends(self, y: np.ndarray) -> bool:
        if not self.done:
            return True
        first, last = float(y[0]), float(y[self.done - 1])
        return all(a == b or (np.isnan(a) and np.isnan(b))
                   for a, b in zip((first, last), self._ends, strict=True))


def finite_bounds(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float] | None:
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    x, y = x[ok], y[ok]
    return float(x.min()), float(x.max()), float(y.min()), float(y.max())


def dash_mask(
    px: np.ndarray | None, py: np.ndarray | None, pattern: list[float]
) -> tuple[np.ndarray | None, float]:
    """Dashes cut out of a polyline: ``connect[i]`` says whether segment i → i+1 is drawn.

    ``px, py`` are screen pixels, ``pattern`` is on/off lengths in pixels. A segment is drawn
    when its midpoint's arc length falls in an "on" stretch, so dashes are exact to a segment;
    this is meant for dense curves, whose segments are short. Non-finite points break the
    curve as ``connect="finite"`` would. Also returns the curve's arc length in pixels.
    """
    if px is None or py is None:
        return None, 0.0
    finite = np.isfinite(px) & np.isfinite(py)
    joined = finite[:-1] & finite[1:]
    seg = np.where(joined, np.hypot(np.diff(px), np.diff(py)), 0.0)
    seg = np.nan_to_num(seg, nan=0.0, posinf=0.0)
    ends = np.cumsum(seg)
    middle = ends - seg / 2
    bounds = np.cumsum(pattern)
    phase = np.searchsorted(bounds, middle % bounds[-1], side="right")
    connect = np.zeros(len(px), dtype=bool)
    connect[:-1] = joined & (phase % 2 == 0)
    return connect, float(ends[-1]) if len(ends) else 0.0

