"""The playground's map: the surface (contour lines or a shaded map), its minima, every racer's
path with its head, the start, the arrows at the chosen racer's head, and the L1/L2 region;
in 1-D the curve f(w), the racers on it and the tangent at the chosen racer's point.

A click on the map (or a drag of the start's cross) asks ``startMoved(x, y)``; the view only
draws what the :class:`~trainlab.session.playground.PlaygroundSession` holds.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from trainlab.gui.colors import categorical
from trainlab.gui.playground.contours import contour_lines, log_levels, shading
from trainlab.gui.playground.static_map import StaticMap
from trainlab.gui.plotting.style import style_plot
from trainlab.session.playground import PlaygroundSession

ARROWS = {"gradient": ("−gradient", "#222222"), "momentum": ("−momentum buffer", "#7b4fa8"),
          "step": ("step", "#c8352b")}
CONTOUR_COLOR = (90, 110, 140)
MIN_ARROW, MAX_ARROW = 0.03, 0.2  # arrow lengths, as shares of the view's width


def arrow_vector(name: str, vector: np.ndarray, span: float) -> np.ndarray:
    """The drawn arrow: the descent direction for the gradient and the buffer (−v), the step
    as it is; lengths clamped to [3 %, 20 %] of the view's span so that every arrow is seen."""
    v = -vector if name != "step" else vector
    norm = float(np.linalg.norm(v))
    if not np.isfinite(norm) or norm == 0:
        return np.zeros(2)
    length = min(max(norm, MIN_ARROW * span), MAX_ARROW * span)
    return v * (length / norm)


class SurfaceView(pg.PlotWidget):
    """The map (2-D surfaces) or the curve (1-D ones) of a playground session."""

    startMoved = Signal(float, float)

    def __init__(self, session: PlaygroundSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.shaded = False
        self.shown_arrows = {"gradient": True, "momentum": True, "step": True}
        self.chosen = 0            # the racer whose arrows (or tangent) are drawn
        self._surface_items: list = []
        self._paths: list[pg.PlotDataItem] = []
        self._arrows: dict[str, tuple[pg.PlotDataItem, pg.ArrowItem]] = {}
        style_plot(self, "x", "y", grid=False)
        self.static = StaticMap()  # the shading and the contour lines, one cached image
        self.addItem(self.static)
        self.getPlotItem().setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.heads = pg.ScatterPlotItem(size=13, pen=pg.mkPen("w", width=1.5), zValue=20)
        self.minima = pg.ScatterPlotItem(symbol="star", size=16, brush="#ffd700",
                                         pen=pg.mkPen("k"), zValue=15)
        self.region = pg.PlotDataItem(pen=pg.mkPen("#c8352b", width=2, style=Qt.DashLine))
        self.penalized = pg.ScatterPlotItem(symbol="x", size=14, pen=pg.mkPen("#c8352b",
                                            width=3), zValue=16)
        self.tangent = pg.PlotDataItem(pen=pg.mkPen("#c8352b", width=2))
        self.slope = pg.TextItem(anchor=(0.5, 1.2), color="#c8352b")
        self.start = pg.TargetItem(size=14, pen=pg.mkPen("k", width=2), movable=True)
        self.start.setZValue(25)
        self.start.sigPositionChangeFinished.connect(self._start_dragged)
        for item in (self.heads, self.minima, self.region, self.penalized, self.tangent,
                     self.slope, self.start):
            self.addItem(item)
        for name, (_, color) in ARROWS.items():
            line = pg.PlotDataItem(pen=pg.mkPen(color, width=3), zValue=30)
            head = pg.ArrowItem(headLen=14, brush=color, pen=pg.mkPen(color))
            head.setZValue(30)
            self.addItem(line)
            self.addItem(head)
            self._arrows[name] = (line, head)
        self.scene().sigMouseClicked.connect(self._clicked)
        session.events.loaded.connect(self.redraw)
        session.events.moved.connect(self.update_paths)
        self.redraw()

    # ---- the surface -------------------------------------------------------------------
    def redraw(self) -> None:
        """Everything: the surface, its minima, the region, then the paths."""
        for item in self._surface_items:
            self.removeItem(item)
        self._surface_items = []
        self.static.hide()
        view = self.session.race.view
        if self.session.dims == 2:
            self._draw_map()
            self.setLabel("bottom", "x")
            self.setLabel("left", "y")
            self.setRange(xRange=view[:2], yRange=view[2:], padding=0)
        else:
            ws, values = self.session.surface_grid()
            curve = pg.PlotDataItem(ws, values, pen=pg.mkPen("#1f6fb2", width=2.5),
                                    connect="finite")
            self._add_surface_item(curve)
            self.setLabel("bottom", "w")
            self.setLabel("left", "f(w)")
            finite = values[np.isfinite(values)]
            low, high = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
            self.setRange(xRange=view, yRange=(low, high), padding=0.05)
        self._draw_minima()
        self.update_paths()

    def _add_surface_item(self, item) -> None:
        item.setZValue(-10 if isinstance(item, pg.ImageItem) else -5)
        # painted once into a pixmap and blitted while the racers move (the view is fixed)
        for part in (item, getattr(item, "curve", None)):
            if part is not None:
                part.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(item)
        self._surface_items.append(item)

    def _draw_map(self) -> None:
        xs, ys, Z = self.session.surface_grid()
        lines = contour_lines(xs, ys, Z, log_levels(Z))
        colored = []
        for k, (_, points) in enumerate(lines):
            shade = 0.35 + 0.65 * (1 - k / max(len(lines) - 1, 1))  # darker near the bottom
            color = (255, 255, 255, 110) if self.shaded else \
                tuple(int(c * (1.6 - shade)) for c in CONTOUR_COLOR)
            colored.append((points, color))
        rect = (xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0])
        self.static.set_content(rect, colored, shading(Z) if self.shaded else None,
                                pg.colormap.get("viridis"))
        self.static.show()

    def _draw_minima(self) -> None:
        minima = self.session.minima()
        if self.session.dims == 2:
            self.minima.setData(pos=minima)
        else:
            surface = self.session.race.surface
            self.minima.setData(x=minima[:, 0], y=[surface.loss(m) for m in minima])
        self._draw_penalty()

    def _draw_penalty(self) -> None:
        penalty = self.session.penalty()
        point = self.session.penalized_minimum()
        if penalty is None or point is None:
            self.region.setData([], [])
            self.penalized.setData([])
            return
        kind, _ = penalty
        if kind == "l1":  # the diamond |x| + |y| = r through the penalized minimum
            r = float(np.abs(point).sum())
            xs, ys = [r, 0, -r, 0, r], [0, r, 0, -r, 0]
        else:              # the ball x² + y² = r²
            r = float(np.linalg.norm(point))
            t = np.linspace(0, 2 * np.pi, 181)
            xs, ys = r * np.cos(t), r * np.sin(t)
        self.region.setData(xs, ys)
        self.penalized.setData(pos=[point])

    # ---- the racers --------------------------------------------------------------------
    def update_paths(self) -> None:
        paths = self.session.paths()
        while len(self._paths) < len(paths):
            item = pg.PlotDataItem(zValue=10)
            self.addItem(item)
            self._paths.append(item)
        while len(self._paths) > len(paths):
            self.removeItem(self._paths.pop())
        heads, brushes = [], []
        for k, (item, (_, points, losses)) in enumerate(zip(self._paths, paths, strict=True)):
            color = categorical(k)
            y = points[:, 1] if self.session.dims == 2 else losses
            if item.opts["pen"] is None or item.opts.get("symbolBrush") != color:
                item.setPen(pg.mkPen(color, width=2.5))
                item.setSymbolBrush(color)
                item.setSymbolPen(None)
                item.setSymbolSize(4)
            symbol = "o" if len(points) < 80 else None
            if item.opts["symbol"] != symbol:
                item.setSymbol(symbol)
            item.setData(points[:, 0], y)
            heads.append((points[-1, 0], y[-1]))
            brushes.append(self._brush(color))
        self.heads.setData(pos=heads, brush=brushes)
        start = self.session.race.file.resolved_start()
        start_y = start[1] if self.session.dims == 2 else self.session.race.surface.loss(start)
        self.start.blockSignals(True)
        self.start.setPos(start[0], start_y)
        self.start.blockSignals(False)
        self._draw_arrows()

    @staticmethod
    def _brush(color: str, cache: dict = {}):  # noqa: B006 - a cache shared on purpose
        if color not in cache:
            cache[color] = pg.mkBrush(color)
        return cache[color]

    def _draw_arrows(self) -> None:
        racers = self.session.race.racers
        index = min(self.chosen, len(racers) - 1)
        arrows = self.session.arrows(index)
        head = racers[index].point
        if self.session.dims == 1:
            for line, tip in self._arrows.values():
                line.setData([], [])
                tip.hide()
            self._draw_tangent(float(head[0]))
            return
        self.tangent.setData([], [])
        self.slope.setText("")
        view = self.session.race.view
        span = min(view[1] - view[0], view[3] - view[2])
        for name, (line, tip) in self._arrows.items():
            vector = arrows[name]
            if not self.shown_arrows[name] or vector is None or racers[index].done:
                line.setData([], [])
                tip.hide()
                continue
            v = arrow_vector(name, np.asarray(vector), span)
            end = head + v
            line.setData([head[0], end[0]], [head[1], end[1]])
            angle = float(np.degrees(np.arctan2(v[1], v[0])))
            tip.setStyle(angle=180 - angle)
            tip.setPos(end[0], end[1])
            tip.setVisible(bool(np.any(v)))

    def _draw_tangent(self, w: float) -> None:
        surface = self.session.race.surface
        f, slope = surface.loss([w]), float(surface.grad([w])[0])
        view = self.session.race.view
        half = 0.15 * (view[1] - view[0])
        ws = np.array([w - half, w + half])
        self.tangent.setData(ws, f + slope * (ws - w))
        sign = "f′(w) > 0: step left" if slope > 0 else (
            "f′(w) < 0: step right" if slope < 0 else "f′(w) = 0")
        self.slope.setText(f"{sign}  (f′ = {slope:.3g})")
        self.slope.setPos(w, f)

    # ---- what the user does ------------------------------------------------------------
    def set_shaded(self, shaded: bool) -> None:
        self.shaded = bool(shaded)
        self.redraw()

    def show_arrow(self, name: str, shown: bool) -> None:
        self.shown_arrows[name] = bool(shown)
        self._draw_arrows()

    def choose(self, index: int) -> None:
        self.chosen = max(0, int(index))
        self._draw_arrows()

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.click_at(point.x(), point.y())

    def click_at(self, x: float, y: float) -> None:
        """A click at (x, y) in the map's coordinates: the start moves there (in 1-D, to w=x)."""
        self.startMoved.emit(float(x), float(y))

    def _start_dragged(self) -> None:
        pos = self.start.pos()
        self.click_at(pos.x(), pos.y())
