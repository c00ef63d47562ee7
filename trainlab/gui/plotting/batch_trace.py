"""The loss of every mini-batch as a faint trace under the epoch curves of the loss plot.

The decks read the noise of a loss curve from these: each optimizer step's mini-batch loss
(before its update), one point per step, drawn in a pale tint of the run's hue beneath the
per-epoch training and validation losses. Long traces are decimated to two points per pixel
column like the curves (:class:`~.decimation.PeakStream`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from trainlab.gui import colors
from trainlab.gui.plotting.decimation import PeakStream
from trainlab.gui.plotting.look import LOOK

#: How much of the run's hue the trace keeps (the rest is white): faint, under the curves.
TRACE_TINT = 0.35


class BatchTrace:
    """One faint curve in ``loss_plot``: the mini-batch losses of the current run."""

    def __init__(self, loss_plot: pg.PlotWidget):
        self.widget = loss_plot
        self.item = pg.PlotDataItem(connect="finite", antialias=False)
        self.item.setZValue(-5)  # under every epoch curve
        loss_plot.addItem(self.item, ignoreBounds=True)
        self.hue = colors.categorical(0)
        self.points = 0  # steps drawn
        self.peaks = PeakStream()  # the decimated losses, kept between redraws

    def show(self, losses: np.ndarray | None, to_x, hue: str) -> None:
        """Draw ``losses`` (one per step); ``to_x(steps)`` places step numbers (1-based) on
        the x axis. None or empty: no trace. The steps are decimated first, so only the
        points drawn are placed (a long run has hundreds of thousands of steps)."""
        if losses is None or len(losses) == 0:
            self.clear()
            return
        n = len(losses)
        y = np.asarray(losses, dtype=float)
        log_y = self.widget.getPlotItem().ctrl.logYCheck.isChecked()
        if log_y:
            with np.errstate(invalid="ignore"):
                y = np.where(y > 0, y, np.nan)
        width = self.widget.getPlotItem().getViewBox().width()
        steps, ys = self.peaks.decimate(np.arange(1, n + 1, dtype=float), y,
                                        max(int(width), 200), key=(hue, log_y))
        xs = np.asarray(to_x(steps), dtype=float)
        if hue != self.hue or self.points == 0:
            self.hue = hue
            self.item.setPen(pg.mkPen(colors.to_hex(*colors.tint(hue, TRACE_TINT)),
                                      width=LOOK.px(1.0)))
        self.item.setData(xs, ys, connect="finite")
        self.item.setVisible(True)
        self.points = n

    def clear(self) -> None:
        self.item.setData([], [])
        self.item.setVisible(False)
        self.points = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """What is drawn (decimated), for tests and tools."""
        x, y = self.item.getData()
        return (np.asarray(x) if x is not None else np.zeros(0),
                np.asarray(y) if y is not None else np.zeros(0))
