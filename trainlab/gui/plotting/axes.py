"""Axes that keep still while a run goes: a view box whose auto-range follows the data in
steps, an epoch axis with no more labels than fit, and log axes labelled at 1, 2 and 5 only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from trainlab.gui.plotting.ranges import follow_x, follow_y, log_tick_label


class FollowViewBox(pg.ViewBox):
    """A view box whose auto-range asks ``data_bounds()`` (cheap, cached by the panel)
    instead of every item, and follows the data in steps (:func:`follow_x`,
    :func:`follow_y`) so the axes stay put between most frames.

    Everything else is pyqtgraph's: dragging or zooming turns auto-range off, the "A" button
    and the context menu turn it back on.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        #: () → (x0, x1, y0, y1) of the data in view coordinates (log10 in log mode), or None
        self.data_bounds: Any = None
        self.refit = True  # next update fits the data tightly (after a redraw or a log switch)

    def updateAutoRange(self) -> None:  # noqa: N802 (Qt naming)
        if self.data_bounds is None:
            super().updateAutoRange()
            return
        if self._updatingRange:
            return
        self._updatingRange = True
        try:
            auto = self.state["autoRange"]
            bounds = self.data_bounds() if any(auto) else None
            if bounds is None:
                return
            x0, x1, y0, y1 = bounds
            (cx0, cx1), (cy0, cy1) = self.viewRange()
            args = {}
            if auto[0] is not False:
                xr = follow_x(x0, x1, self.width())
                if xr != (cx0, cx1):
                    args["xRange"] = xr
            if auto[1] is not False:
                yr = follow_y(y0, y1, (cy0, cy1), exact=self.refit)
                if yr != (cy0, cy1):
                    args["yRange"] = yr
            self.refit = False
            if args:
                self.setRange(padding=0.0, disableAutoRange=False, **args)
        finally:
            self._autoRangeNeedsUpdate = False
            self._updatingRange = False


class EpochAxis(pg.AxisItem):
    """A bottom axis with no more labels than fit: pyqtgraph picks the tick count from the
    logarithm of the axis length, which crowds "5000 10000 15000" into one smear on a narrow
    plot."""

    LABEL_PX = 60  # room per tick label

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802
        span = maxVal - minVal
        if span <= 0 or size <= 0 or not np.isfinite(span):
            return super().tickSpacing(minVal, maxVal, size)
        return major_and_minor(nice_step(minVal, maxVal, max(size / self.LABEL_PX, 2.5)))


def major_and_minor(major: float) -> list:
    """pyqtgraph's tick spacing for a 1-2-5 ``major`` step: minor ticks at halves of a 1 or a
    5, at quarters of a 2."""
    power = 10.0 ** np.floor(np.log10(major) + 1e-9)
    minor = major / (2.0 if round(major / power) in (1, 5) else 4.0)
    return [(major, 0.0), (minor, 0.0)]


def nice_step(lo: float, hi: float, wanted: float) -> float:
    """A 1-2-5 step for about ``wanted`` intervals over [lo, hi] that puts at least two of its
    multiples inside (a small plot with one tick label says nothing about the scale)."""
    raw = (hi - lo) / wanted
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)
    while np.floor(hi / step) - np.ceil(lo / step) < 1:
        # the next smaller 1-2-5 step: 5 → 2 → 1 → 0.5
        power = 10.0 ** np.floor(np.log10(step) + 1e-9)
        lead = round(step / power)
        step = power * {5: 2, 2: 1}.get(lead, 0.5)
    return float(step)


class ProjectorAxis(pg.AxisItem):
    """An axis whose log-scale labels stay readable: only 1, 2 and 5 × 10ᵏ are labelled.

    pyqtgraph labels every minor tick 2…9 of a decade, which piles up into an unreadable
    stack near the top of each decade when a plot spans about one decade.
    """

    def label_room(self) -> float:
        """Pixels along the axis that one tick label needs: two lines of its font on a
        vertical axis (the labels stacked, with a gap), a label's width on a horizontal one."""
        font = self.style.get("tickFont") or self.font()
        metrics = QtGui.QFontMetricsF(font)
        if self.orientation in ("left", "right"):
            return 2.0 * metrics.height()
        return metrics.horizontalAdvance("0.0000")

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802
        """Linear ticks no closer than their labels need: pyqtgraph's count grows with the
        logarithm of the axis length whatever the font, so a short plot zoomed up for a
        projector stacks its labels on each other."""
        span = maxVal - minVal
        if self.logMode or span <= 0 or size <= 0 or not np.isfinite(span):
            return super().tickSpacing(minVal, maxVal, size)
        return major_and_minor(
            nice_step(minVal, maxVal, max(min(size / self.label_room(), 6.0), 1.0)))

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802
        self._plain_step = None
        if not self.logMode or not np.isfinite(maxVal - minVal) or maxVal - minVal >= 1.0:
            return super().tickValues(minVal, maxVal, size)
        # Under a decade the 1-2-5 labels may all fall outside: plain values, evenly spaced.
        lo, hi = 10.0 ** minVal, 10.0 ** maxVal
        step = nice_step(lo, hi, max(min(size / self.label_room(), 5.0), 1.0))
        ticks = np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step
        self._plain_step = step
        return [(step, [float(np.log10(t)) for t in ticks if t > 0])]

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        step = getattr(self, "_plain_step", None)
        if step is not None and self.logMode:
            decimals = max(0, -int(np.floor(np.log10(step) + 1e-9)))
            return [f"{10.0 ** float(v) * scale:.{decimals}f}" for v in values]
        return [log_tick_label(10.0 ** float(v) * scale) for v in values]



def new_plot_widget() -> pg.PlotWidget:
    return pg.PlotWidget(
        viewBox=FollowViewBox(),
        axisItems={"left": ProjectorAxis("left"), "bottom": EpochAxis("bottom")},
    )

