"""Live training curves: loss, accuracy/R², learning rate, weight and gradient norms per layer.

:class:`PlotsPanel` draws the columns of one or more run histories (SPEC §10) in five pyqtgraph
plots. It is built for a projector and for speed:

* each run owns its curve items for its whole life; a redraw during training only calls
  ``setData`` on them (:meth:`PlotsPanel.update_run`) with data already decimated in NumPy to
  a minimum and a maximum per pixel column (:func:`peak_decimate`), antialiasing off;
* NaN breaks a curve instead of ending it (``connect="finite"``) and a column that is all NaN
  (validation loss without a validation split) draws nothing and has no legend entry;
* in log-y plots, zeros and negative values are masked out before pyqtgraph takes the log;
* auto-range is the panel's own (:class:`FollowViewBox`): min/max of the decimated data, kept
  from the last frame while the data still fills the view well, and x grown in "nice" steps,
  so the axes (and their grid) are re-drawn a few dozen times in a run, not at every frame;
  the axes are cached as pixmaps in between. It is applied right after new data
  (:meth:`PlotsPanel._settle`), so a frame costs one paint, not two;
* validation curves are solid and thinner, in a lighter tint of the run's hue; long noisy
  dashed curves (layers in an overlay) get their dashes cut from the data, because Qt's thick
  dashed pens cost seconds per frame on them (:data:`QT_DASH_MAX_PX`).

Loss and accuracy legends sit in a band above the curves (the y range leaves room for them),
in the top corner the curves leave emptiest; the layer plots keep theirs in a column beside the
plot ("L1", "L2", …); the learning-rate plot has none (the loss legend keys the runs' hues).
An empty legend is hidden. SVG export writes
one file per plot (:meth:`PlotsPanel.export_svg`); PNG export grabs the whole panel.

Which runs are drawn: by default only the *current* run; :meth:`PlotsPanel.set_visible_runs`
switches to an overlay of several runs (each its own hue in every plot). A single drawn run
shows its layers in a sequential palette; in an overlay, layer ``l`` of every run is drawn in
the run's hue with dash pattern ``l``, and the legend keys the dashes in black.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from trainlab.gui import colors
from trainlab.gui.export import export_plot_svg, export_widget_png

PLOT_NAMES: tuple[str, ...] = ("loss", "metric", "lr", "w_norm", "g_norm")

#: Screen sizes for a projector: nothing smaller than 11 pt.
TICK_PT = 11
LABEL_PT = 12
TITLE_PT = 13
LEGEND_PT = 11
LINE_PX = 2.0
CURRENT_LINE_PX = 3.5

#: Validation curves: the run's hue mixed this much with white, drawn solid and thinner.
VAL_TINT = 0.5
VAL_LINE_PX = 1.5
# Dash patterns (in line widths, as QPen counts them) of layers 1, 2, … of a run in an overlay.
_LAYER_DASHES: tuple[list[float] | None, ...] = (
    None,  # solid
    [5.0, 2.0],
    [1.5, 2.0],
    [6.0, 2.0, 1.5, 2.0],
    [6.0, 2.0, 1.5, 2.0, 1.5, 2.0],
    [11.0, 3.0],
)
# Qt strokes a dashed pen wider than 1 px through its general path stroker, about 1 ms per
# 1000 px of curve: fine for a smooth 50-epoch curve, seconds per frame for a noisy
# 5000-epoch one. Past this arc length a dashed curve is drawn with a solid pen and its dashes
# are cut out of the data instead (see _dash_mask).
QT_DASH_MAX_PX = 3000.0

_METRIC_TITLE = {"classification": "Accuracy", "regression": "R²"}
# Short titles: the bottom-row plots are narrow and share their header with "log y"; the
# formulas are on the y axes and in the tooltips.
_TITLES = {
    "loss": "Loss",
    "lr": "Learning rate",
    "w_norm": "Weight norms",
    "g_norm": "Gradient norms",
}
_TITLE_TIPS = {
    "loss": "Training and validation loss J after each epoch",
    "metric": "Training and validation accuracy (classification) or R² (regression)",
    "lr": "Learning rate η of each epoch (after the schedule)",
    "w_norm": "Frobenius norm ‖W<sub>l</sub>‖<sub>F</sub> of each layer's weights",
    "g_norm": "Mean Frobenius norm ‖∂J/∂W<sub>l</sub>‖<sub>F</sub> of each layer's gradient "
              "over the epoch",
}
_Y_LABELS = {"loss": "loss", "lr": "η", "w_norm": "‖W‖<sub>F</sub>", "g_norm": "‖∇W‖<sub>F</sub>"}
# Legends go to the plot corner that the curves leave emptiest (see emptiest_corner); ties
# go to the first corner listed, the one where curves of that kind rarely go (loss falls away
# from the top right, accuracy rises away from the bottom right).
CORNER_OFFSETS = {"tr": (-8, 8), "br": (-8, -8), "tl": (8, 8), "bl": (8, -8)}
_CORNER_PREFERENCE = {
    "loss": ("tr", "tl"),
    "metric": ("tr", "tl"),
}
# Plots whose y range leaves a band at the top for the legend (one or two rows of entries).
_BAND_LEGEND_PLOTS = ("loss", "metric")
# Layer plots have up to L (or, overlaid, one per dash) entries filling every corner of a
# small plot, so their legend sits in a column beside the plot instead, entries "L1", "L2", …
_LAYER_PLOTS = ("w_norm", "g_norm")
#: A run is known by any hashable id (the window uses ints, tests use strings).
RunId = Hashable

_LOG_Y_BY_DEFAULT = {"loss": False, "metric": False, "lr": False, "w_norm": False, "g_norm": True}


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


def peak_decimate(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2·buckets`` points that draw like ``(x, y)``: the minimum and the maximum of
    each run of consecutive points (one run per pixel column), both at the run's first x.

    Non-finite values inside a run are skipped; a run with no finite value gives NaN (a
    break in the curve). Short data is returned as it is.
    """
    n = len(y)
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return x, y
    per = -(-n // buckets)
    m = n - n % per
    yb = y[:m].reshape(-1, per)
    lo, hi = np.fmin.reduce(yb, axis=1), np.fmax.reduce(yb, axis=1)
    xs = np.repeat(x[:m:per], 2)
    ys = np.column_stack([lo, hi]).ravel()
    if m < n:
        xs = np.concatenate([xs, x[m:]])
        ys = np.concatenate([ys, y[m:]])
    return xs, ys


def _finite_bounds(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float] | None:
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    x, y = x[ok], y[ok]
    return float(x.min()), float(x.max()), float(y.min()), float(y.max())


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
        raw = span / max(size / self.LABEL_PX, 2.5)
        power = 10.0 ** np.floor(np.log10(raw))
        major = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)
        minor = major / (2.0 if major / power in (1.0, 5.0) else 4.0)
        return [(major, 0.0), (minor, 0.0)]


class ProjectorAxis(pg.AxisItem):
    """An axis whose log-scale labels stay readable: only 1, 2 and 5 × 10ᵏ are labelled.

    pyqtgraph labels every minor tick 2…9 of a decade, which piles up into an unreadable
    stack near the top of each decade when a plot spans about one decade.
    """

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [log_tick_label(10.0 ** float(v) * scale) for v in values]


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


def new_plot_widget() -> pg.PlotWidget:
    return pg.PlotWidget(
        viewBox=FollowViewBox(),
        axisItems={"left": ProjectorAxis("left"), "bottom": EpochAxis("bottom")},
    )


def configure_pyqtgraph() -> None:
    """Global pyqtgraph look; the window calls this once, before it creates any plot."""
    pg.setConfigOptions(background="w", foreground="k", antialias=False)


def style_plot(widget: pg.PlotWidget, x_label: str, y_label: str) -> None:
    """White background, black axes, projector-sized fonts, a faint grid.

    Set explicitly so a plot looks right even if :func:`configure_pyqtgraph` was not called.
    """
    widget.setBackground("w")
    item = widget.getPlotItem()
    tick_font = QtGui.QFont()
    tick_font.setPointSize(TICK_PT)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen("k", width=1))
        axis.setTextPen(pg.mkPen("k"))
        axis.setTickFont(tick_font)
        axis.enableAutoSIPrefix(False)  # "loss (x0.001)" with ticks 100…800 confuses a class
        # Major and minor ticks only: the third level's faint grid lines cost more to paint
        # than all the curves of a live plot, and add nothing readable on a projector.
        axis.setStyle(maxTickLevel=1)
        # An axis (and the grid it draws over the plot) is painted into a pixmap when its
        # range changes and blitted from it when only the curves changed: without this, each
        # frame replays every tick, label and grid line of every axis.
        axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.setLabel("bottom", x_label, **{"font-size": f"{LABEL_PT}pt", "color": "#000"})
    item.setLabel("left", y_label, **{"font-size": f"{LABEL_PT}pt", "color": "#000"})
    item.showGrid(x=True, y=True, alpha=0.15)
    widget.setMinimumSize(220, 160)


def add_legend(widget: pg.PlotWidget, offset: tuple[int, int]) -> pg.LegendItem:
    return widget.getPlotItem().addLegend(
        offset=offset,
        labelTextSize=f"{LEGEND_PT}pt",
        labelTextColor="k",
        brush=pg.mkBrush(255, 255, 255, 215),
        pen=pg.mkPen("#b0b0b0"),
        verSpacing=-4,
    )


def side_legend(widget: pg.PlotWidget) -> pg.LegendItem:
    """A legend in its own column right of the plot area, where no curve can hide it."""
    legend = pg.LegendItem(
        labelTextSize=f"{LEGEND_PT}pt", labelTextColor="k", frame=False, verSpacing=-4
    )
    # Fixed height: otherwise the plot's layout stretches the legend rows apart.
    legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed)
    layout = widget.getPlotItem().layout
    layout.addItem(legend, 2, 3)
    layout.setAlignment(legend, QtCore.Qt.AlignmentFlag.AlignTop)
    return legend


def title_label(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    font = label.font()
    font.setPointSize(TITLE_PT)
    font.setBold(True)
    label.setFont(font)
    label.setTextFormat(QtCore.Qt.TextFormat.RichText)
    return label


# ----------------------------------------------------------------------------- history access


def _columns(history: Any) -> list[str]:
    return list(history.columns) if hasattr(history, "columns") else list(history)


def _n_rows(history: Any) -> int:
    if isinstance(history, Mapping):
        return len(next(iter(history.values()))) if history else 0
    return len(history)


def _layer_count(columns: list[str], prefix: str) -> int:
    pattern = re.compile(rf"^{prefix}_(\d+)$")
    return sum(1 for c in columns if pattern.match(c))


def _metric_column(columns: list[str], task: str, split: str) -> str | None:
    preferred = ("acc", "r2") if task == "classification" else ("r2", "acc")
    for metric in preferred:
        if f"{split}_{metric}" in columns:
            return f"{split}_{metric}"
    return None


# ----------------------------------------------------------------------------- run bookkeeping


@dataclass
class _Curve:
    plot: str
    column: str
    role: str            # "train" | "val" | "lr" | "layer"
    layer: int           # 1-based for role "layer", else 0
    item: pg.PlotDataItem
    has_data: bool = False
    color: str = "#000000"
    width: float = LINE_PX
    dash: list[float] | None = None
    pen_mode: str = ""  # "solid" | "qt_dash" | "mask_dash": the pen the item has now
    bounds: tuple[float, float, float, float] | None = None  # drawn data, view coordinates


@dataclass
class _Run:
    run_id: RunId
    name: str
    task: str
    history: Any
    color: int
    columns: list[str]
    n_layers: int
    curves: list[_Curve] = field(default_factory=list)

    def hue(self) -> str:
        return colors.categorical(self.color)


class PlotsPanel(QtWidgets.QWidget):
    """Five live plots of run histories; see the module docstring for what is drawn when."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._runs: dict[RunId, _Run] = {}
        self._current: RunId | None = None
        self._visible: list[RunId] | None = None  # None: follow the current run
        self._widgets: dict[str, pg.PlotWidget] = {}
        self._legends: dict[str, pg.LegendItem] = {}
        self._titles: dict[str, QtWidgets.QLabel] = {}
        self._log_boxes: dict[str, QtWidgets.QCheckBox] = {}
        self._next_placement = 0  # history length at which legends are placed again

        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(6)
        # Top row: loss and metric, the plots a class watches; bottom row: the diagnostics.
        cells = {
            "loss": (0, 0, 1, 3),
            "metric": (0, 3, 1, 3),
            "lr": (1, 0, 1, 2),
            "w_norm": (1, 2, 1, 2),
            "g_norm": (1, 4, 1, 2),
        }
        for name in PLOT_NAMES:
            grid.addWidget(self._make_cell(name), *cells[name])
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

    def _make_cell(self, name: str) -> QtWidgets.QWidget:
        cell = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        header = QtWidgets.QHBoxLayout()
        header.setContentsMargins(6, 0, 6, 0)
        title = title_label(_TITLES.get(name, _METRIC_TITLE["classification"]))
        title.setToolTip(_TITLE_TIPS[name])
        header.addWidget(title)
        header.addStretch(1)
        header.addSpacing(8)
        widget = new_plot_widget()
        style_plot(widget, "epoch", _Y_LABELS.get(name, "accuracy"))
        item = widget.getPlotItem()
        vb = item.getViewBox()
        vb.data_bounds = lambda n=name: self._data_bounds(n)
        if name in _LAYER_PLOTS:
            self._legends[name] = side_legend(widget)
        elif name in _CORNER_PREFERENCE:
            self._legends[name] = add_legend(widget, CORNER_OFFSETS[_CORNER_PREFERENCE[name][0]])
        else:
            self._legends[name] = pg.LegendItem()  # never shown (see the module docstring)
        self._legends[name].hide()
        if name != "metric":
            check = QtWidgets.QCheckBox("log y")
            font = check.font()
            font.setPointSize(TICK_PT)
            check.setFont(font)
            header.addWidget(check)
            self._log_boxes[name] = check
            check.setChecked(_LOG_Y_BY_DEFAULT[name])
            item.setLogMode(y=_LOG_Y_BY_DEFAULT[name])
            check.toggled.connect(lambda on, n=name: self._set_log_y(n, on))
            # The plot's own context menu has a log checkbox too; keep both in step.
            item.ctrl.logYCheck.toggled.connect(lambda on, n=name: self._on_log_changed(n, on))
        box.addLayout(header)
        box.addWidget(widget, 1)
        self._widgets[name] = widget
        self._titles[name] = title
        return cell

    # ------------------------------------------------------------------------------ public API

    def set_run(self, run_id: RunId, name: str, history: Any, task: str) -> None:
        """Add run ``run_id`` (or replace its curves) and redraw.

        A new run becomes the current run, and joins the overlay if one is set with
        :meth:`set_visible_runs`, so a freshly started run is always on screen.
        """
        old = self._runs.get(run_id)
        columns = _columns(history)
        if old is not None and old.columns == columns and old.task == task:
            old.name, old.history = name, history
        else:
            if old is not None:
                self._remove_items(old)
            run = _Run(
                run_id=run_id,
                name=name,
                task=task,
                history=history,
                color=old.color if old is not None else self._free_color(),
                columns=columns,
                n_layers=_layer_count(columns, "w_norm"),
            )
            self._create_curves(run)
            self._runs[run_id] = run
            if old is None:
                self._current = run_id
                if self._visible is not None:
                    self._visible.append(run_id)
        self._redraw()

    def update_run(self, run_id: RunId, history: Any,
                   plots: tuple[str, ...] | None = None) -> None:
        """Fast path during training: new rows of a known run, ``setData`` only.

        ``plots``: only these plots (default: all); the window redraws the diagnostics row less
        often than loss and accuracy. A run that is not (or no longer) in the panel is
        ignored: a queued update may arrive after :meth:`remove_run`.
        """
        run = self._runs.get(run_id)
        if run is None:
            return
        run.history = history
        legend_stale = False
        touched = set()
        for curve in run.curves:
            if curve.item.isVisible() and (plots is None or curve.plot in plots):
                legend_stale |= self._push(run, curve)
                touched.add(curve.plot)
        self._settle(touched)
        if legend_stale:
            self._rebuild_legends()
        elif _n_rows(history) >= self._next_placement:
            self._place_legends()

    def set_visible_runs(self, run_ids: list[RunId] | None) -> None:
        """Overlay exactly these runs (in this order); ``None``: back to the current run only."""
        if run_ids is None:
            self._visible = None
        else:
            unknown = [r for r in run_ids if r not in self._runs]
            if unknown:
                raise KeyError(f"unknown runs: {unknown}")
            self._visible = list(dict.fromkeys(run_ids))
        self._redraw()

    def set_current(self, run_id: RunId) -> None:
        """The run drawn on top (and thicker in an overlay); the one shown when not overlaying."""
        if run_id not in self._runs:
            raise KeyError(f"unknown run: {run_id}")
        self._current = run_id
        self._redraw()

    def current(self) -> RunId | None:
        return self._current

    def drawn_runs(self) -> list[RunId]:
        """Ids of the runs on screen, in drawing order."""
        if self._visible is None:
            return [self._current] if self._current is not None else []
        return [r for r in self._visible if r in self._runs]

    def remove_run(self, run_id: RunId) -> None:
        run = self._runs.pop(run_id, None)
        if run is None:
            return
        self._remove_items(run)
        if self._visible is not None and run_id in self._visible:
            self._visible.remove(run_id)
        if self._current == run_id:
            self._current = next(reversed(self._runs), None)
        self._redraw()

    def clear(self) -> None:
        for run in self._runs.values():
            self._remove_items(run)
        self._runs.clear()
        self._current = None
        self._visible = None
        self._redraw()

    def curve_count(self, plot_name: str) -> int:
        """Curves on screen in ``plot_name`` that have at least one finite point."""
        self._check_name(plot_name)
        return sum(
            1
            for run in self._runs.values()
            for c in run.curves
            if c.plot == plot_name and c.has_data and c.item.isVisible()
        )

    def curves(self, plot_name: str) -> list[pg.PlotDataItem]:
        """The non-empty curve items on screen in ``plot_name`` (for tests and tools)."""
        self._check_name(plot_name)
        return [
            c.item
            for run in self._runs.values()
            for c in run.curves
            if c.plot == plot_name and c.has_data and c.item.isVisible()
        ]

    def legend_labels(self, plot_name: str) -> list[str]:
        self._check_name(plot_name)
        return [label.text for _, label in self._legends[plot_name].items]

    def title(self, plot_name: str) -> str:
        """The title shown above ``plot_name`` (the metric plot's follows the current task)."""
        self._check_name(plot_name)
        return self._titles[plot_name].text()

    def run_curves(self, run_id: RunId) -> dict[str, list[pg.PlotDataItem]]:
        """A run's curve items by plot name, drawn or not (for tests and tools)."""
        run = self._runs[run_id]
        return {name: [c.item for c in run.curves if c.plot == name] for name in PLOT_NAMES}

    def plot_widget(self, plot_name: str) -> pg.PlotWidget:
        self._check_name(plot_name)
        return self._widgets[plot_name]

    def log_y(self, plot_name: str) -> bool:
        return bool(self._widgets[plot_name].getPlotItem().ctrl.logYCheck.isChecked())

    def set_log_y(self, plot_name: str, on: bool) -> None:
        self._set_log_y(plot_name, on)

    def log_checkbox(self, plot_name: str) -> QtWidgets.QCheckBox:
        return self._log_boxes[plot_name]

    def export_png(self, path: str | Path) -> Path:
        """The whole panel as it looks on screen, titles and checkboxes included."""
        return export_widget_png(self, path)

    def export_svg(self, path: str | Path) -> list[Path]:
        """One SVG per plot, beside ``path``: ``<stem>_loss.svg``, ``<stem>_metric.svg``, …

        Returns the paths written. The titles live in Qt labels above the plots, so each is
        put into its plot for the export and taken out again.
        """
        path = Path(path)
        written = []
        for name in PLOT_NAMES:
            widget = self._widgets[name]
            item = widget.getPlotItem()
            item.setTitle(self._titles[name].text(), size=f"{TITLE_PT}pt", color="#000")
            item.layout.activate()
            try:
                written.append(export_plot_svg(widget, path.with_name(f"{path.stem}_{name}.svg")))
            finally:
                item.setTitle(None)
                item.layout.activate()
        return written

    # ------------------------------------------------------------------------------ internals

    @staticmethod
    def _check_name(plot_name: str) -> None:
        if plot_name not in PLOT_NAMES:
            raise KeyError(f"unknown plot {plot_name!r}; one of {PLOT_NAMES}")

    def _free_color(self) -> int:
        used = {run.color for run in self._runs.values()}
        return next(i for i in range(len(used) + 1) if i not in used)

    def _create_curves(self, run: _Run) -> None:
        specs: list[tuple[str, str, str, int]] = [
            ("loss", "train_loss", "train", 0),
            ("loss", "val_loss", "val", 0),
        ]
        for split in ("train", "val"):
            column = _metric_column(run.columns, run.task, split)
            if column is not None:
                specs.append(("metric", column, split, 0))
        specs.append(("lr", "lr", "lr", 0))
        for prefix in ("w_norm", "g_norm"):
            for layer in range(1, _layer_count(run.columns, prefix) + 1):
                specs.append((prefix, f"{prefix}_{layer}", "layer", layer))
        for plot, column, role, layer in specs:
            if column not in run.columns:
                continue
            # No pyqtgraph downsampling or clip-to-view: _push hands over data already
            # decimated to two points per pixel column, all of it in view.
            item = pg.PlotDataItem(connect="finite", antialias=False)
            item.setVisible(False)
            self._widgets[plot].addItem(item)
            run.curves.append(_Curve(plot, column, role, layer, item))

    def _remove_items(self, run: _Run) -> None:
        for curve in run.curves:
            self._legends[curve.plot].removeItem(curve.item)
            self._widgets[curve.plot].removeItem(curve.item)
        run.curves.clear()

    def _push(self, run: _Run, curve: _Curve) -> bool:
        """``setData`` of one curve from its run's history; True if it became (non-)empty."""
        history = run.history
        n = _n_rows(history)
        y = np.asarray(history[curve.column], dtype=float)[:n]
        x = (
            np.asarray(history["epoch"], dtype=float)[:n]
            if "epoch" in run.columns
            else np.arange(n, dtype=float)
        )
        log_y = self.log_y(curve.plot)
        if log_y:
            # pyqtgraph takes log10 itself; non-positive values would become -inf / NaN.
            with np.errstate(invalid="ignore"):
                y = np.where(y > 0, y, np.nan)
        # Two points per pixel column are all the screen can show.
        width = self._widgets[curve.plot].getPlotItem().getViewBox().width()
        x, y = peak_decimate(x, y, max(int(width), 200))
        if log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                curve.bounds = _finite_bounds(x, np.log10(y))
        else:
            curve.bounds = _finite_bounds(x, y)
        has_data = curve.bounds is not None
        if not has_data:
            curve.item.setData([], [])
        elif curve.dash is None:
            self._set_pen_mode(curve, "solid")
            curve.item.setData(x, y, connect="finite")
        else:
            pixels = self._pixels(curve.plot, x, np.log10(y) if log_y else y)
            connect, length = _dash_mask(*pixels, [d * curve.width for d in curve.dash])
            if pixels[0] is None or length <= QT_DASH_MAX_PX:
                self._set_pen_mode(curve, "qt_dash")
                curve.item.setData(x, y, connect="finite")
            else:
                self._set_pen_mode(curve, "mask_dash")
                curve.item.setData(x, y, connect=connect)
        changed = has_data != curve.has_data
        curve.has_data = has_data
        return changed

    def _settle(self, plots: Any) -> None:
        """Apply auto-range and the view transform now rather than in the next paint.

        pyqtgraph does both lazily, at the start of a paint; the new range then invalidates
        the curves and Qt paints the whole plot a second time. Settling here keeps it to one
        paint per frame, which halves the cost of a live update.
        """
        for name in plots:
            self._widgets[name].getPlotItem().getViewBox().prepareForPaint()

    def _data_bounds(self, plot: str) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) of the curves drawn in ``plot``, from what :meth:`_push` noted.

        A linear η axis starts at 0 (auto-range would blow a constant η = 0.01 up to a band
        from −0.5 to 0.5, and the line would read as η = 0). Plots with a legend band get
        room above the curves for it.
        """
        boxes = [
            c.bounds
            for run in self._runs.values()
            for c in run.curves
            if c.plot == plot and c.bounds is not None and c.item.isVisible()
        ]
        if not boxes:
            return None
        b = np.array(boxes)
        x0, x1, y0, y1 = b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max()
        if plot == "lr" and not self.log_y(plot):
            y0 = min(y0, 0.0)
        legend = self._legends[plot]
        if plot in _BAND_LEGEND_PLOTS and legend.isVisible():
            vb = self._widgets[plot].getPlotItem().getViewBox()
            if vb.height() > 50:
                share = min((legend.boundingRect().height() + 14) / vb.height(), 0.5)
                span = (y1 - y0) if y1 > y0 else 1.0
                y1 = y1 + (1.1 * span) * share / (1 - share)
        return float(x0), float(x1), float(y0), float(y1)

    def _pixels(self, plot: str, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        """Data (already log-mapped) → screen pixels of ``plot``; (None, None) before layout."""
        vb = self._widgets[plot].getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        # The view range may lag the data by one update; auto-range will take it in.
        ok = np.isfinite(x) & np.isfinite(y)
        x0, x1 = min(x0, x[ok].min()), max(x1, x[ok].max())
        y0, y1 = min(y0, y[ok].min()), max(y1, y[ok].max())
        if vb.width() <= 1 or vb.height() <= 1 or x1 <= x0 or y1 <= y0:
            return None, None
        return x * (vb.width() / (x1 - x0)), y * (vb.height() / (y1 - y0))

    @staticmethod
    def _set_pen_mode(curve: _Curve, mode: str) -> None:
        if curve.pen_mode != mode:  # setPen re-processes the data: only on a change
            curve.pen_mode = mode
            curve.item.setPen(
                _pen(curve.color, curve.width, curve.dash if mode == "qt_dash" else None)
            )

    def _redraw(self) -> None:
        """Visibility, styles, data, legends and titles from scratch (not the training path)."""
        drawn = self.drawn_runs()
        overlay = len(drawn) > 1
        for run_id, run in self._runs.items():
            on_screen = run_id in drawn
            is_current = run_id == self._current
            layer_palette = colors.sequential(run.n_layers)
            z = 10 if is_current else drawn.index(run_id) if on_screen else 0
            width = CURRENT_LINE_PX if (overlay and is_current) else LINE_PX
            for curve in run.curves:
                curve.item.setVisible(on_screen)
                if not on_screen:
                    continue
                curve.color, curve.width, curve.dash = run.hue(), width, None
                if curve.role == "layer":
                    if overlay:
                        curve.dash = _dash(curve.layer)
                    else:
                        curve.color = layer_palette[curve.layer - 1]
                elif curve.role == "val":
                    # A lighter tint of the run's hue, solid and thinner: thick dashed pens
                    # look blotchy on noisy curves and cost Qt's path stroker dearly.
                    curve.color, curve.width = _val_color(run.hue()), VAL_LINE_PX
                curve.pen_mode = ""  # style changed: _push sets the pen
                curve.item.setZValue(z)
                self._push(run, curve)
        self._rebuild_legends()
        for name in PLOT_NAMES:
            self._widgets[name].getPlotItem().getViewBox().refit = True
        self._settle(PLOT_NAMES)
        task = self._runs[self._current].task if self._current in self._runs else None
        self._titles["metric"].setText(_METRIC_TITLE.get(task, "Accuracy / R²"))
        metric_axis = {"classification": "accuracy", "regression": "R²"}.get(task, "")
        self._widgets["metric"].getPlotItem().setLabel(
            "left", metric_axis, **{"font-size": f"{LABEL_PT}pt", "color": "#000"}
        )

    def _rebuild_legends(self) -> None:
        drawn = self.drawn_runs()
        overlay = len(drawn) > 1
        for legend in self._legends.values():
            legend.clear()
        for name in _BAND_LEGEND_PLOTS:
            # train and validation side by side: one row per run
            self._legends[name].setColumnCount(2)
        for run_id in drawn:
            run = self._runs[run_id]
            for curve in run.curves:
                if curve.plot == "lr":
                    continue  # the loss legend keys the runs' hues
                if curve.has_data and not (overlay and curve.role == "layer"):
                    self._legends[curve.plot].addItem(curve.item, _short_label(run, curve, overlay))
        if overlay:
            # Hue already names the run (see the loss legend); here only the dash needs a key.
            for plot in _LAYER_PLOTS:
                layers = sorted(
                    {c.layer for r in drawn for c in self._runs[r].curves
                     if c.plot == plot and c.has_data}
                )
                for layer in layers:
                    self._add_dash_key(plot, layer)
        for name, legend in self._legends.items():
            legend.setVisible(name != "lr" and bool(legend.items))  # no empty boxes
        self._place_legends()

    def _add_dash_key(self, plot: str, layer: int) -> None:
        """Legend entry "L<layer>" with that layer's dash in black; clicking it shows or hides
        layer ``layer`` of every drawn run."""
        key = pg.PlotDataItem(pen=_pen(colors.INK, LINE_PX, _dash(layer)))
        legend = self._legends[plot]
        legend.addItem(key, f"L{layer}")
        sample = legend.items[-1][0]

        def toggle(_: object) -> None:
            for run_id in self.drawn_runs():
                for c in self._runs[run_id].curves:
                    if c.plot == plot and c.layer == layer:
                        c.item.setVisible(key.isVisible())

        sample.sigClicked.connect(toggle)

    def _place_legends(self) -> None:
        """Move each legend to the corner its curves leave emptiest.

        Run on every full redraw and, during training, each time the history has grown by
        half (so a legend moves a handful of times in a run, not at every frame).
        """
        for name in _CORNER_PREFERENCE:
            legend = self._legends[name]
            vb = self._widgets[name].getPlotItem().getViewBox()
            box = legend_box(legend, vb)
            lines = [item.getData() for item in self.curves(name)]
            corner = emptiest_corner(lines, box, _CORNER_PREFERENCE[name], vb.viewRange())
            if tuple(legend.opts["offset"] or ()) != CORNER_OFFSETS[corner]:
                legend.setOffset(CORNER_OFFSETS[corner])
        rows = max((_n_rows(self._runs[r].history) for r in self.drawn_runs()), default=0)
        self._next_placement = rows + max(5, rows // 2)

    def _set_log_y(self, plot_name: str, on: bool) -> None:
        self._widgets[plot_name].getPlotItem().setLogMode(y=on)  # → _on_log_changed

    def _on_log_changed(self, plot_name: str, on: bool) -> None:
        box = self._log_boxes[plot_name]
        if box.isChecked() != on:
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        legend_stale = False
        for run in self._runs.values():
            for curve in run.curves:
                if curve.plot == plot_name and curve.item.isVisible():
                    legend_stale |= self._push(run, curve)
        self._widgets[plot_name].getPlotItem().enableAutoRange()
        self._settle([plot_name])
        if legend_stale:
            self._rebuild_legends()


def legend_box(legend: pg.LegendItem, vb: pg.ViewBox) -> tuple[float, float]:
    """The area a corner legend covers, as a fraction of the view's width and height.

    Counts the 8 px offset from the edge and a margin, so points just beside the frame count.
    """
    if vb.width() < 50 or vb.height() < 50:  # not laid out yet
        return 0.35, 0.3
    size = legend.boundingRect()
    return (
        1.15 * (size.width() + 16) / vb.width(),
        1.15 * (size.height() + 16) / vb.height(),
    )


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


def _dash_mask(
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


def _val_color(hue: str) -> str:
    return colors.to_hex(*colors.tint(hue, VAL_TINT))


def _dash(layer: int) -> list[float] | None:
    return _LAYER_DASHES[(layer - 1) % len(_LAYER_DASHES)]


def _pen(color: str, width: float, dash: list[float] | None) -> QtGui.QPen:
    pen = pg.mkPen(color, width=width)
    if dash is not None:
        pen.setDashPattern(dash)
    return pen


def _label(run: _Run, curve: _Curve, overlay: bool) -> str:
    if curve.role == "lr":
        return run.name
    if curve.role == "layer":
        return f"L{curve.layer}"  # overlays key layers by dash instead (_add_dash_key)
    text = "train" if curve.role == "train" else ("val" if overlay else "validation")
    return f"{run.name} — {text}" if overlay else text


def _short_label(run: _Run, curve: _Curve, overlay: bool) -> str:
    """The text a legend shows. In an overlay a run's row reads "<name>" (its training curve,
    in its hue) beside "val" (its validation curve, in the lighter tint): a legend as wide
    as "<name> — train | <name> — val" does not fit a plot half the window wide."""
    if overlay and curve.role == "val":
        return "val"
    if overlay and curve.role == "train":
        return run.name
    return _label(run, curve, overlay)
