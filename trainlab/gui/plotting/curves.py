"""The curves of one run in the plots panel: which history column each draws, its style, and
how new data reaches its pyqtgraph item (decimated, log-masked, dashes cut when Qt would be slow).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg

from trainlab.gui import colors
from trainlab.gui.plotting.decimation import PeakStream, dash_mask, finite_bounds
from trainlab.gui.plotting.style import LINE_PX, QT_DASH_MAX_PX, make_pen

#: A run is known by any hashable id (the window uses ints, tests use strings).
RunId = Hashable


def columns_of(history: Any) -> list[str]:
    """Column names of a History or of a dict name → array."""
    return list(history.columns) if hasattr(history, "columns") else list(history)


def n_rows(history: Any) -> int:
    """Rows recorded so far in a History or a dict of columns."""
    if isinstance(history, Mapping):
        return len(next(iter(history.values()))) if history else 0
    return len(history)


def layer_count(columns: list[str], prefix: str) -> int:
    pattern = re.compile(rf"^{prefix}_(\d+)$")
    return sum(1 for c in columns if pattern.match(c))


def metric_column(columns: list[str], task: str, split: str) -> str | None:
    preferred = ("acc", "r2") if task == "classification" else ("r2", "acc")
    for metric in preferred:
        if f"{split}_{metric}" in columns:
            return f"{split}_{metric}"
    return None


@dataclass
class Curve:
    """One curve item and what it draws: a history column in a plot, in a role."""

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
    #: the decimated column, kept between frames (a running curve reduces only its new rows)
    peaks: PeakStream = field(default_factory=PeakStream)


@dataclass
class RunCurves:
    """A run as the panel draws it: its history, colour index and curves."""

    run_id: RunId
    name: str
    task: str
    history: Any
    color: int
    columns: list[str]
    n_layers: int
    curves: list[Curve] = field(default_factory=list)
    #: ``x_map(run_id, history, epochs)``: the x of the rows on another axis (None: epochs)
    x_map: Any = None

    def hue(self) -> str:
        return colors.categorical(self.color)



def make_curves(run: RunCurves, widgets: dict[str, pg.PlotWidget]) -> None:
    """Create ``run``'s curve items (hidden) in their plots: train and validation loss and
    metric, η, and one curve per layer for the weight and gradient norms."""
    specs: list[tuple[str, str, str, int]] = [
        ("loss", "train_loss", "train", 0),
        ("loss", "val_loss", "val", 0),
    ]
    for split in ("train", "val"):
        column = metric_column(run.columns, run.task, split)
        if column is not None:
            specs.append(("metric", column, split, 0))
    specs.append(("lr", "lr", "lr", 0))
    for prefix in ("w_norm", "g_norm"):
        for layer in range(1, layer_count(run.columns, prefix) + 1):
            specs.append((prefix, f"{prefix}_{layer}", "layer", layer))
    for plot, column, role, layer in specs:
        if column not in run.columns:
            continue
        # No pyqtgraph downsampling or clip-to-view: push() hands over data already
        # decimated to two points per pixel column, all of it in view.
        item = pg.PlotDataItem(connect="finite", antialias=False)
        item.setVisible(False)
        widgets[plot].addItem(item)
        run.curves.append(Curve(plot, column, role, layer, item))


def push(run: RunCurves, curve: Curve, widget: pg.PlotWidget, log_y: bool) -> bool:
    """``setData`` of one curve from its run's history; True if it became (non-)empty."""
    history = run.history
    n = n_rows(history)
    y = np.asarray(history[curve.column], dtype=float)[:n]
    x = (
        np.asarray(history["epoch"], dtype=float)[:n]
        if "epoch" in run.columns
        else np.arange(n, dtype=float)
    )
    if run.x_map is not None:
        x = np.asarray(run.x_map(run.run_id, history, x), dtype=float)
    if log_y:
        # pyqtgraph takes log10 itself; non-positive values would become -inf / NaN.
        with np.errstate(invalid="ignore"):
            y = np.where(y > 0, y, np.nan)
    # Two points per pixel column are all the screen can show.
    width = widget.getPlotItem().getViewBox().width()
    x, y = curve.peaks.decimate(x, y, max(int(width), 200), key=(id(history), log_y))
    if log_y:
        with np.errstate(divide="ignore", invalid="ignore"):
            curve.bounds = finite_bounds(x, np.log10(y))
    else:
        curve.bounds = finite_bounds(x, y)
    has_data = curve.bounds is not None
    if not has_data:
        curve.item.setData([], [])
    elif curve.dash is None:
        _set_pen_mode(curve, "solid")
        curve.item.setData(x, y, connect="finite")
    else:
        pixels = _pixels(widget, x, np.log10(y) if log_y else y)
        connect, length = dash_mask(*pixels, [d * curve.width for d in curve.dash])
        if pixels[0] is None or length <= QT_DASH_MAX_PX:
            _set_pen_mode(curve, "qt_dash")
            curve.item.setData(x, y, connect="finite")
        else:
            _set_pen_mode(curve, "mask_dash")
            curve.item.setData(x, y, connect=connect)
    changed = has_data != curve.has_data
    curve.has_data = has_data
    return changed


def _pixels(widget: pg.PlotWidget, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    """Data (already log-mapped) → screen pixels of ``widget``; (None, None) before layout."""
    vb = widget.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    # The view range may lag the data by one update; auto-range will take it in.
    ok = np.isfinite(x) & np.isfinite(y)
    x0, x1 = min(x0, x[ok].min()), max(x1, x[ok].max())
    y0, y1 = min(y0, y[ok].min()), max(y1, y[ok].max())
    if vb.width() <= 1 or vb.height() <= 1 or x1 <= x0 or y1 <= y0:
        return None, None
    return x * (vb.width() / (x1 - x0)), y * (vb.height() / (y1 - y0))


def _set_pen_mode(curve: Curve, mode: str) -> None:
    if curve.pen_mode != mode:  # setPen re-processes the data: only on a change
        curve.pen_mode = mode
        curve.item.setPen(
            make_pen(curve.color, curve.width, curve.dash if mode == "qt_dash" else None)
        )


def _label(run: RunCurves, curve: Curve, overlay: bool) -> str:
    if curve.role == "lr":
        return run.name
    if curve.role == "layer":
        return f"L{curve.layer}"  # overlays key layers by dash instead (see the legends' dash keys)
    text = "train" if curve.role == "train" else ("val" if overlay else "validation")
    return f"{run.name} — {text}" if overlay else text


def legend_label(run: RunCurves, curve: Curve, overlay: bool) -> str:
    """The text a legend shows. In an overlay a run's row reads "<name>" (its training curve,
    in its hue) beside "val" (its validation curve, in the lighter tint): a legend as wide
    as "<name> — train | <name> — val" does not fit a plot half the window wide."""
    if overlay and curve.role == "val":
        return "val"
    if overlay and curve.role == "train":
        return run.name
    return _label(run, curve, overlay)
