"""The data and what the model makes of it, in one plot.

:class:`DataView` picks a picture from the shape of the problem:

=================  =========================  ==================================================
mode               when                       what is drawn
=================  =========================  ==================================================
``boundary``       classification, 2 inputs   predicted class as a heat map (class colour mixed
                                              with white by confidence) under the train (filled)
                                              and validation (hollow) points
``fit_curve``      regression, 1 input        the model's curve over the points
``pred_vs_true``   regression, other inputs   predicted against true target, and the line y = x
``confusion``      classification, other      confusion matrix of the validation split (train
                                              if there is none), counts written in the cells
=================  =========================  ==================================================

The test split is never drawn: it stays unseen until the end of the run (SPEC §11).

``predict(X)`` gives class probabilities ``(n, K)`` — or ``(n, 1)`` = P(class 1) for a binary
``bce`` net — for classification, and values ``(n, m)`` for regression. Off the GUI thread, a
worker answers :meth:`DataView.model_queries` (inputs by name) with the net's outputs under
the same names, which :meth:`DataView.show_model` draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from trainlab.gui import colors
from trainlab.gui.plotting.data_colours import boundary_rgb, confusion_rgb, fill_ranges
from trainlab.gui.plotting.data_inputs import (
    as_2d,
    as_rows,
    class_probabilities,
    confusion_counts,
    net_inputs,
    padded_range,
    pick_mode,
    shown_inputs,
    shows_raw,
)
from trainlab.gui.plotting.look import LOOK
from trainlab.gui.plotting.ranges import emptiest_corner
from trainlab.gui.plotting.style import (
    CORNER_OFFSETS,
    add_legend,
    axis_label,
    legend_box,
    restyle_plot,
    restyle_title,
    style_plot,
    title_label,
)

MODES = ("boundary", "fit_curve", "pred_vs_true", "confusion")
GRID = 100            # boundary grid points per axis
MARGIN = 0.1          # grid and curve extend this fraction of the data range beyond the data
CURVE_POINTS = 300
POINT_SIZE = 9
REGRID_DELAY_MS = 120  # quiet time after the view's range changed before the grid follows

_TITLES = {
    "boundary": "Decision boundary",
    "fit_curve": "Model fit",
    "pred_vs_true": "Predicted vs true",
    "confusion": "Confusion matrix",
}


class DataView(QtWidgets.QWidget):
    """One plot of the data and the model; see the module docstring for the four modes.

    In boundary mode the grid follows the view's range (a resize, the Data tab shown, a zoom):
    ``grid_changed`` then asks for predictions at :meth:`grid_inputs`; until they come, the
    old picture stays where it was computed.
    """

    grid_changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._regrid_timer = QtCore.QTimer(self)
        self._regrid_timer.setSingleShot(True)
        self._regrid_timer.setInterval(REGRID_DELAY_MS)
        self._regrid_timer.timeout.connect(self._regrid)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.setSpacing(0)
        self._title = title_label("Data")
        header = QtWidgets.QHBoxLayout()
        header.setContentsMargins(6, 0, 6, 0)
        header.addWidget(self._title)
        header.addStretch(1)
        box.addLayout(header)
        self._widget = pg.PlotWidget()
        style_plot(self._widget, "", "", grid=False)
        box.addWidget(self._widget, 1)
        self._legend = add_legend(self._widget, (-8, 8))

        self._splits: Any = None
        self._mode: str | None = None
        self._n_classes = 0
        self._grid: np.ndarray | None = None          # (G*G, 2)
        self._grid_rect: QtCore.QRectF | None = None
        self._rgb: np.ndarray | None = None           # boundary picture (G, G, 3) uint8
        self._counts: np.ndarray | None = None        # confusion matrix
        self._image: pg.ImageItem | None = None
        self._curves: list[pg.PlotDataItem] = []      # fit_curve: one per output
        self._pred_scatter: dict[tuple[str, int], pg.ScatterPlotItem] = {}
        self._diagonal: pg.PlotDataItem | None = None
        self._cell_texts: list[list[pg.TextItem]] = []
        self._legend_placed = False

    # ------------------------------------------------------------------------------ public API

    def plot_widget(self) -> pg.PlotWidget:
        return self._widget

    def splits(self) -> Any:
        """The splits shown (None before set_data)."""
        return self._splits

    def legend_labels(self) -> list[str]:
        return [label.text for _, label in self._legend.items]

    def mode(self) -> str | None:
        """``"boundary" | "fit_curve" | "pred_vs_true" | "confusion"``; None before set_data."""
        return self._mode

    def clear(self) -> None:
        item = self._widget.getPlotItem()
        item.clear()
        self._legend.clear()
        self._legend.show()
        vb = item.getViewBox()
        vb.invertY(False)
        vb.setAspectLocked(False)
        vb.enableAutoRange()  # the boundary and confusion modes set their ranges themselves
        for side in ("bottom", "left"):
            item.getAxis(side).setTicks(None)
        self._set_axis_labels("", "")
        self._title.setText("Data")
        self._splits = None
        self._mode = None
        self._grid = self._grid_rect = self._rgb = self._counts = self._image = None
        self._diagonal = None
        self._curves = []
        self._pred_scatter = {}
        self._cell_texts = []

    def set_data(self, splits: Any) -> None:
        """Show a data set's points (train and validation); any model layer is cleared."""
        self.clear()
        self._splits = splits
        n_inputs = int(shown_inputs(splits, 0).shape[1])
        self._mode = pick_mode(splits.task, n_inputs)
        self._title.setText(_TITLES[self._mode])
        if splits.task == "classification":
            labels = [np.asarray(splits.y_train), np.asarray(splits.y_val)]
            inferred = max((int(y.max()) + 1 for y in labels if y.size), default=0)
            self._n_classes = max(int(getattr(splits, "n_classes", 0) or 0), inferred)
        {
            "boundary": self._setup_boundary,
            "fit_curve": self._setup_fit_curve,
            "pred_vs_true": self._setup_pred_vs_true,
            "confusion": self._setup_confusion,
        }[self._mode]()
        self._legend_placed = False
        self._place_legend()

    def update_model(self, predict: Any) -> None:
        """Redraw the model layer from ``predict`` (a callable on scaled inputs)."""
        self.show_model({name: predict(X) for name, X in self.model_queries().items()})

    def model_queries(self) -> dict[str, np.ndarray]:
        """What the model layer is drawn from, by name: the scaled inputs to ask the net
        about. ``grid`` (boundary), ``curve`` (fit curve), ``train`` / ``val`` (the points of
        predicted against true, the confusion matrix's split); empty without data."""
        s = self._splits
        if self._mode == "boundary":
            return {"grid": self.grid_inputs()}
        if self._mode == "fit_curve":
            return {"curve": net_inputs(s, self._curve_xs()[:, None])}
        if self._mode == "pred_vs_true":
            return {split: as_rows(getattr(s, f"X_{split}")) for split in ("train", "val")
                    if (split, 0) in self._pred_scatter}
        if self._mode == "confusion":
            split = "val" if self.confusion_split() == "validation" else "train"
            return {split: as_rows(getattr(s, f"X_{split}"))}
        return {}

    def show_model(self, predictions: dict[str, Any]) -> None:
        """Redraw the model layer from the net's outputs at :meth:`model_queries`' inputs,
        under the same names (a part whose name is missing stays as it is)."""
        if self._mode == "boundary" and "grid" in predictions:
            self.set_grid_predictions(predictions["grid"])
        elif self._mode == "fit_curve" and "curve" in predictions:
            ys = as_2d(predictions["curve"])
            for k, curve in enumerate(self._curves):
                curve.setData(self._curve_xs(), ys[:, k], connect="finite")
        elif self._mode == "pred_vs_true":
            self._update_pred_vs_true(predictions)
            if not self._legend_placed:  # the points exist only now; place once, not per frame
                self._place_legend()
        elif self._mode == "confusion":
            self._update_confusion(predictions)

    def _curve_xs(self) -> np.ndarray:
        """The fit curve's x values: across the shown points and a margin."""
        s = self._splits
        xs = np.concatenate([shown_inputs(s, 0)[:, 0], shown_inputs(s, 1)[:, 0]])
        return np.linspace(*padded_range(xs, MARGIN), CURVE_POINTS)

    def grid_inputs(self) -> np.ndarray:
        """The network's inputs at the boundary grid, ``(G*G, d)``; x varies fastest, so row
        ``i*G + j`` is the point (x_j, y_i) of the plane drawn (the raw inputs' plane when the
        net sees computed features of them)."""
        if self._mode != "boundary" or self._grid is None:
            raise RuntimeError("grid_inputs() is only defined in boundary mode")
        return net_inputs(self._splits, self._grid)

    def set_grid_predictions(self, P: Any) -> None:
        """Draw the boundary from ``predict(grid_inputs())`` computed elsewhere."""
        if self._mode != "boundary":
            raise RuntimeError("set_grid_predictions() is only defined in boundary mode")
        probs = class_probabilities(P)
        if probs.shape[0] != GRID * GRID:
            raise ValueError(f"expected {GRID * GRID} rows of predictions, got {probs.shape[0]}")
        self._rgb = boundary_rgb(probs).reshape(GRID, GRID, 3)
        self._image.setImage(self._rgb, autoLevels=False, levels=(0, 255))
        self._image.setRect(self._grid_rect)

    def boundary_image(self) -> np.ndarray | None:
        """The heat map as drawn, ``(G, G, 3)`` uint8; row 0 = lowest y, column 0 = lowest x."""
        return None if self._rgb is None else self._rgb.copy()

    def confusion_matrix(self) -> np.ndarray | None:
        """The counts shown, ``C[true, predicted]``."""
        return None if self._counts is None else self._counts.copy()

    def confusion_split(self) -> str:
        """``"validation"`` if the validation split has rows, else ``"train"``."""
        return "validation" if len(np.asarray(self._splits.y_val)) else "train"

    def restyle(self) -> None:
        """Fonts, points and the legend in the current look (zoom, colour scheme)."""
        restyle_plot(self._widget, grid=False)
        restyle_title(self._title)
        for item in self._widget.getPlotItem().items:
            if isinstance(item, pg.ScatterPlotItem):
                item.setSize(LOOK.px(POINT_SIZE))
        self._place_legend()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_legend()

    def _place_legend(self) -> None:
        """Put the legend in the corner with the fewest data points under it."""
        if self._mode in (None, "confusion"):
            return
        vb = self._widget.getPlotItem().getViewBox()
        vb.prepareForPaint()  # apply any pending auto-range first
        points = [
            item.getData()
            for item in self._widget.getPlotItem().items
            if isinstance(item, pg.ScatterPlotItem | pg.PlotDataItem)
        ]
        if not any(x is not None and len(x) for x, _ in points):
            return
        box = legend_box(self._legend, vb)
        corner = emptiest_corner(points, box, ("tr", "br", "tl", "bl"), vb.viewRange(), True)
        self._legend.setOffset(CORNER_OFFSETS[corner])
        self._legend_placed = True

    # ------------------------------------------------------------------------------ set-up

    def _class_names(self) -> list[str]:
        names = list(getattr(self._splits, "class_names", None) or [])
        return [str(names[k]) if k < len(names) else f"class {k}" for k in range(self._n_classes)]

    def _feature_names(self, n: int) -> list[str]:
        s = self._splits
        names = list((getattr(s, "raw_names", None) if shows_raw(s) else None)
                     or getattr(s, "feature_names", None) or [])
        return [str(names[k]) if k < len(names) else f"x{k + 1}" for k in range(n)]

    def _target_name(self) -> str:
        return str(getattr(self._splits, "target_name", None) or "target")

    def _set_axis_labels(self, x: str, y: str) -> None:
        axis_label(self._widget, "bottom", x)
        axis_label(self._widget, "left", y)

    def _add_points(self, X: np.ndarray, y: np.ndarray, color: str, filled: bool) -> Any:
        if filled:
            pen, brush = pg.mkPen("w", width=1), pg.mkBrush(color)
        else:
            pen, brush = pg.mkPen(color, width=2), pg.mkBrush(None)
        item = pg.ScatterPlotItem(
            x=X, y=y, size=LOOK.px(POINT_SIZE), pen=pen, brush=brush, symbol="o", antialias=False
        )
        if self._mode in ("boundary", "fit_curve"):
            # The points stay put while the model layer under/over them changes: repaint
            # them from a pixmap instead of drawing every point again.
            item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._widget.addItem(item)
        return item

    def _add_validation_key(self, items: list[Any]) -> None:
        """A grey hollow legend entry standing for the validation points of every class.

        The stand-in is never added to the plot; clicking its legend entry shows or hides
        all ``items`` together, as clicking a class entry does for that class's train points.
        """
        key = pg.ScatterPlotItem(
            size=LOOK.px(POINT_SIZE), pen=pg.mkPen(colors.categorical(9), width=2), brush=None
        )
        self._legend.addItem(key, "validation")
        sample = self._legend.items[-1][0]
        sample.sigClicked.connect(lambda _: [item.setVisible(key.isVisible()) for item in items])

    def _setup_boundary(self) -> None:
        s = self._splits
        X_train, X_val = shown_inputs(s, 0), shown_inputs(s, 1)
        both = np.concatenate([X_train, X_val])
        (x0, x1), (y0, y1) = padded_range(both[:, 0], MARGIN), padded_range(both[:, 1], MARGIN)
        (x0, x1), (y0, y1) = self._fill_view((x0, x1), (y0, y1))
        self._lay_grid((x0, x1), (y0, y1))
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-10)
        self._widget.addItem(self._image)

        names = self._feature_names(2)
        self._set_axis_labels(names[0], names[1])
        y_train, y_val = np.asarray(s.y_train, dtype=int), np.asarray(s.y_val, dtype=int)
        val_items = []
        for k, name in enumerate(self._class_names()):
            color = colors.categorical(k)
            mine_train, mine_val = X_train[y_train == k], X_val[y_val == k]
            train = self._add_points(mine_train[:, 0], mine_train[:, 1], color, True)
            if len(y_val):
                val_items.append(self._add_points(mine_val[:, 0], mine_val[:, 1], color, False))
            self._legend.addItem(train, name)
        if val_items:
            self._add_validation_key(val_items)
        # One unit of x is as long as one unit of y: a circle of points must look round.
        self._widget.getPlotItem().getViewBox().setAspectLocked(True, ratio=1.0)
        self._widget.getPlotItem().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        vb = self._widget.getPlotItem().getViewBox()
        vb.sigRangeChanged.connect(self._regrid_timer.start)

    def _lay_grid(self, xr: tuple[float, float], yr: tuple[float, float]) -> None:
        """The boundary grid over the rectangle ``xr`` × ``yr`` (not yet drawn: the picture
        keeps the rectangle it was computed on until predictions for this grid come)."""
        (x0, x1), (y0, y1) = xr, yr
        xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
        gx, gy = np.meshgrid(xs, ys)  # gx[i, j] = xs[j], gy[i, j] = ys[i]
        self._grid = np.column_stack([gx.ravel(), gy.ravel()])
        dx, dy = (x1 - x0) / (GRID - 1), (y1 - y0) / (GRID - 1)
        # Pixel (i, j) is centred on grid point (xs[j], ys[i]).
        self._grid_rect = QtCore.QRectF(x0 - dx / 2, y0 - dy / 2, GRID * dx, GRID * dy)

    def _regrid(self) -> None:
        if self._mode != "boundary" or self._grid is None:
            return
        (x0, x1), (y0, y1) = self._widget.getPlotItem().getViewBox().viewRange()
        if not all(np.isfinite([x0, x1, y0, y1])) or x1 <= x0 or y1 <= y0:
            return
        old = (self._grid[0, 0], self._grid[-1, 0], self._grid[0, 1], self._grid[-1, 1])
        if np.allclose(old, (x0, x1, y0, y1), rtol=0, atol=1e-6 * max(x1 - x0, y1 - y0)):
            return
        self._lay_grid((x0, x1), (y0, y1))
        self.grid_changed.emit()

    def _fill_view(self, xr: tuple[float, float], yr: tuple[float, float]) -> tuple:
        """The ranges widened (one of them) to the view's shape: with x and y at one scale the
        heat map then fills the plot instead of leaving white bands beside the data."""
        vb = self._widget.getPlotItem().getViewBox()
        return fill_ranges(xr, yr, vb.width(), vb.height())

    def _setup_fit_curve(self) -> None:
        s = self._splits
        X_train, X_val = shown_inputs(s, 0), shown_inputs(s, 1)
        Y_train, Y_val = as_2d(s.y_train), as_2d(s.y_val)
        m = Y_train.shape[1]
        self._set_axis_labels(self._feature_names(1)[0], self._target_name())
        for k in range(m):
            color = colors.categorical(k)
            train = self._add_points(X_train[:, 0], Y_train[:, k], color, True)
            val = self._add_points(X_val[:, 0], Y_val[:, k], color, False) if len(Y_val) else None
            curve = pg.PlotDataItem(pen=pg.mkPen(colors.INK if m == 1 else color, width=3))
            curve.setZValue(5)
            self._widget.addItem(curve)
            self._curves.append(curve)
            if k == 0:
                self._legend.addItem(train, "train")
                if val is not None:
                    self._legend.addItem(val, "validation")
                self._legend.addItem(curve, "model")

    def _setup_pred_vs_true(self) -> None:
        s = self._splits
        target = self._target_name()
        self._set_axis_labels(f"true {target}", f"predicted {target}")
        self._diagonal = pg.PlotDataItem(pen=pg.mkPen("#777777", width=2, style=_DASH))
        self._widget.addItem(self._diagonal)
        has_val = len(np.asarray(s.y_val)) > 0
        for k in range(as_2d(s.y_train).shape[1]):
            color = colors.categorical(k)
            self._pred_scatter[("train", k)] = self._add_points([], [], color, True)
            if has_val:
                self._pred_scatter[("val", k)] = self._add_points([], [], color, False)
        self._legend.addItem(self._pred_scatter[("train", 0)], "train")
        if has_val:
            self._legend.addItem(self._pred_scatter[("val", 0)], "validation")
        self._legend.addItem(self._diagonal, "y = x")

    def _setup_confusion(self) -> None:
        K = self._n_classes
        names = self._class_names()
        item = self._widget.getPlotItem()
        self._title.setText(f"Confusion matrix ({self.confusion_split()})")
        self._set_axis_labels("predicted class", "true class")
        ticks = [[(k, names[k]) for k in range(K)]]
        item.getAxis("bottom").setTicks(ticks)
        item.getAxis("left").setTicks(ticks)
        vb = item.getViewBox()
        vb.invertY(True)  # true class 0 in the top row, as confusion matrices are read
        vb.setAspectLocked(True)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-10)
        item.addItem(self._image)
        self._image.setRect(QtCore.QRectF(-0.5, -0.5, K, K))
        font = QtGui.QFont()
        font.setPointSize(14 if K <= 5 else 12 if K <= 10 else 10)
        font.setBold(True)
        self._cell_texts = []
        for i in range(K):
            row = []
            for j in range(K):
                text = pg.TextItem("", color="k", anchor=(0.5, 0.5))
                text.setFont(font)
                text.setPos(j, i)
                item.addItem(text)
                row.append(text)
            self._cell_texts.append(row)
        item.setRange(xRange=(-0.5, K - 0.5), yRange=(-0.5, K - 0.5), padding=0.02)
        self._legend.hide()  # the axes name the classes

    # ------------------------------------------------------------------------------ updates

    def _update_pred_vs_true(self, predictions: dict[str, Any]) -> None:
        s = self._splits
        values = []
        for split, Y in (("train", s.y_train), ("val", s.y_val)):
            if (split, 0) not in self._pred_scatter or split not in predictions:
                continue
            true, pred = as_2d(Y), as_2d(predictions[split])
            for k in range(true.shape[1]):
                keep = np.isfinite(pred[:, k]) & np.isfinite(true[:, k])
                self._pred_scatter[(split, k)].setData(x=true[keep, k], y=pred[keep, k])
                values += [true[keep, k], pred[keep, k]]
        both = np.concatenate(values) if values else np.zeros(0)
        if both.size:
            lo, hi = float(both.min()), float(both.max())
            self._diagonal.setData([lo, hi], [lo, hi])

    def _update_confusion(self, predictions: dict[str, Any]) -> None:
        s = self._splits
        K = self._n_classes
        split = "val" if self.confusion_split() == "validation" else "train"
        if split not in predictions:
            return
        y = np.asarray(getattr(s, f"y_{split}"), dtype=int)
        probs = class_probabilities(predictions[split])
        ok = np.isfinite(probs).all(axis=1)
        pred = np.argmax(np.where(ok[:, None], probs, -np.inf), axis=1)
        pred = np.clip(pred, 0, K - 1)
        counts = confusion_counts(y[ok], pred[ok], K)
        self._counts = counts
        share, rgb = confusion_rgb(counts)
        self._image.setImage(rgb, autoLevels=False, levels=(0, 255))
        self._image.setRect(QtCore.QRectF(-0.5, -0.5, K, K))
        for i in range(K):
            for j in range(K):
                text = self._cell_texts[i][j]
                text.setText(str(counts[i, j]))
                text.setColor("w" if share[i, j] > 0.55 else "k")
        correct = int(np.trace(counts))
        total = int(counts.sum())
        accuracy = f", accuracy {correct / total:.2f}" if total else ""
        self._title.setText(f"Confusion matrix ({self.confusion_split()}{accuracy})")


_DASH = QtCore.Qt.PenStyle.DashLine
