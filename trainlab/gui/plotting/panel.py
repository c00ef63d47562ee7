"""Live training curves: loss, accuracy/R², learning rate, weight and gradient norms per layer.

:class:`PlotsPanel` draws the columns of one or more run histories (SPEC §10) in five pyqtgraph
plots. It is built for a projector and for speed:

* each run owns its curve items for its whole life; a redraw during training only calls
  ``setData`` on them (:meth:`PlotsPanel.update_run`) with data already decimated in NumPy to
  a minimum and a maximum per pixel column (:class:`~.decimation.PeakStream`), antialiasing off;
* NaN breaks a curve instead of ending it (``connect="finite"``) and a column that is all NaN
  (validation loss without a validation split) draws nothing and has no legend entry;
* in log-y plots, zeros and negative values are masked out before pyqtgraph takes the log;
* auto-range is the panel's own (:class:`~.axes.FollowViewBox`): min/max of the decimated data, kept
  from the last frame while the data still fills the view well, and x grown in "nice" steps,
  so the axes (and their grid) are re-drawn a few dozen times in a run, not at every frame;
  the axes are cached as pixmaps in between. It is applied right after new data
  (:meth:`PlotsPanel._range_now`), so a frame costs one paint, not two;
* validation curves are solid and thinner, in a lighter tint of the run's hue; long noisy
  dashed curves (layers in an overlay) get their dashes cut from the data, because Qt's thick
  dashed pens cost seconds per frame on them (:data:`~.style.QT_DASH_MAX_PX`).

What legends list and where they sit: :mod:`~trainlab.gui.plotting.legends`. SVG export
writes one file per plot (:meth:`PlotsPanel.export_svg`); PNG export grabs the whole panel.

Which runs are drawn: by default only the *current* run; :meth:`PlotsPanel.set_visible_runs`
switches to an overlay of several runs (each its own hue in every plot). A single drawn run
shows its layers in a sequential palette; in an overlay, layer ``l`` of every run is drawn in
the run's hue with dash pattern ``l``, and the legend keys the dashes in black.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from trainlab.gui import colors
from trainlab.gui.export import export_widget_png
from trainlab.gui.plotting.axes import new_plot_widget
from trainlab.gui.plotting.curves import (
    RunCurves,
    RunId,
    columns_of,
    layer_count,
    make_curves,
    n_rows,
    push,
)
from trainlab.gui.plotting.legends import PanelLegends
from trainlab.gui.plotting.look import LOOK
from trainlab.gui.plotting.maximize import CellMaximizer
from trainlab.gui.plotting.ranges import bounds_of
from trainlab.gui.plotting.style import (
    CURRENT_LINE_PX,
    LINE_PX,
    TICK_PT,
    VAL_LINE_PX,
    axis_label,
    layer_dash,
    restyle_plot,
    restyle_title,
    style_plot,
    title_label,
    val_color,
)
from trainlab.gui.plotting.svg import export_titled_svgs
from trainlab.gui.plotting.titles import SHORT_FORMS, TitleFitter

PLOT_NAMES: tuple[str, ...] = ("loss", "metric", "lr", "w_norm", "g_norm")

_METRIC_TITLE = {"classification": "Accuracy", "regression": "R²"}
# Short titles: the bottom-row plots are narrow and share their header with "log y"; the
# formulas are on the y axes and in the tooltips.
_TITLES = {"loss": "Loss", **{name: forms[0] for name, forms in SHORT_FORMS.items()}}
_TITLE_TIPS = {
    "loss": "Training and validation loss J after each epoch",
    "metric": "Training and validation accuracy (classification) or R² (regression)",
    "lr": "Learning rate η of each epoch (after the schedule)",
    "w_norm": "Frobenius norm ‖W<sub>l</sub>‖<sub>F</sub> of each layer's weights",
    "g_norm": "Mean Frobenius norm ‖∂J/∂W<sub>l</sub>‖<sub>F</sub> of each layer's gradient "
              "over the epoch",
}
_Y_LABELS = {"loss": "loss", "lr": "η", "w_norm": "‖W‖<sub>F</sub>", "g_norm": "‖∇W‖<sub>F</sub>"}

#: A run whose loss grows past this many times its first value turns the loss plot log.
GROWTH_FOR_LOG = 100.0
_LOG_Y_BY_DEFAULT = {"loss": False, "metric": False, "lr": False, "w_norm": False, "g_norm": True}


class PlotsPanel(QtWidgets.QWidget):
    """Five live plots of run histories; see the module docstring for what is drawn when."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._runs: dict[RunId, RunCurves] = {}
        self._current: RunId | None = None
        self._visible: list[RunId] | None = None  # None: follow the current run
        self._widgets: dict[str, pg.PlotWidget] = {}
        self._legends = PanelLegends(lambda: (self._runs, self.drawn_runs()))
        self._titles: dict[str, QtWidgets.QLabel] = {}
        self._log_boxes: dict[str, QtWidgets.QCheckBox] = {}
        self._grown: set = set()  # runs whose growing loss turned the loss plot log
        self._x_map: Any = None  # see set_x_axis
        self._held = 0  # see held()
        self._redraw_held = False

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
        self._cells: dict[str, QtWidgets.QWidget] = {}
        for name in PLOT_NAMES:
            self._cells[name] = self._make_cell(name)
            grid.addWidget(self._cells[name], *cells[name])
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        #: double-click a plot: it alone fills the panel; again: all five
        self.maximizer = CellMaximizer(self._cells, self._widgets)

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
        self._legends.add_plot(name, widget)
        if name != "metric":
            check = QtWidgets.QCheckBox("log y")
            font = check.font()
            font.setPointSize(LOOK.pt(TICK_PT))
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
        if name in SHORT_FORMS:
            TitleFitter(title, SHORT_FORMS[name], cell, [self._log_boxes[name]])
        return cell

    # ------------------------------------------------------------------------------ public API

    @contextmanager
    def held(self) -> Iterator[None]:
        """Several changes (a run added, the overlay set, the current run chosen), one redraw
        at the end instead of one per change: a new run's first frame draws once."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._redraw_held:
                self._redraw_held = False
                self._redraw()

    def set_run(self, run_id: RunId, name: str, history: Any, task: str,
                color: int | None = None) -> None:
        """Add run ``run_id`` (or replace its curves) and redraw.

        A new run becomes the current run, and joins the overlay if one is set with
        :meth:`set_visible_runs`, so a freshly started run is always on screen. ``color``:
        its index in the categorical palette (default: the first one no other run has).
        """
        old = self._runs.get(run_id)
        columns = columns_of(history)
        if old is not None and old.columns == columns and old.task == task:
            old.name, old.history = name, history
            self._log_when_growing(old)
        else:
            if old is not None:
                self._remove_items(old)
            run = RunCurves(
                run_id=run_id,
                name=name,
                task=task,
                history=history,
                color=old.color if old is not None else (
                    self._free_color() if color is None else color),
                columns=columns,
                n_layers=layer_count(columns, "w_norm"),
                x_map=self._x_map,
            )
            make_curves(run, self._widgets)
            self._runs[run_id] = run
            self._log_when_growing(run)
            if old is None:
                self._current = run_id
                if self._visible is not None:
                    self._visible.append(run_id)
        self._redraw()

    def set_x_axis(self, label: str, x_map: Any = None) -> None:
        """The x axis of every plot: ``x_map(run_id, history, epochs)`` gives the x of a
        run's rows (None: the epoch column), ``label`` names it."""
        self._x_map = x_map
        for run in self._runs.values():
            run.x_map = x_map
        for widget in self._widgets.values():
            axis_label(widget, "bottom", label)
        self._redraw()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._legends.place()  # a narrower plot may need its legend stacked

    def rename_run(self, run_id: RunId, name: str) -> None:
        """A run's label changed (it is named by what sets it apart from the runs beside it)."""
        run = self._runs.get(run_id)
        if run is not None and run.name != name:
            run.name = name
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
        self._log_when_growing(run)
        legend_stale = False
        touched = set()
        for curve in run.curves:
            if curve.item.isVisible() and (plots is None or curve.plot in plots):
                legend_stale |= self._push(run, curve)
                touched.add(curve.plot)
        self._range_now(touched)
        if legend_stale:
            self._legends.rebuild()
        elif n_rows(history) >= self._legends.next_placement:
            self._legends.place()

    def _log_when_growing(self, run: RunCurves) -> None:
        """A loss that grows by a factor every epoch (a learning rate too big) is a straight
        line on a log axis and a wall on a linear one: once a run's training loss passes
        :data:`GROWTH_FOR_LOG` times its first value, the loss plot turns log (once per run,
        so unticking "log y" stays unticked)."""
        if run.run_id in self._grown or self.log_y("loss") or "train_loss" not in run.columns:
            return
        loss = np.asarray(run.history["train_loss"], dtype=float)
        loss = loss[np.isfinite(loss)]
        if len(loss) > 1 and loss[0] > 0 and loss.max() > GROWTH_FOR_LOG * loss[0]:
            self._grown.add(run.run_id)
            self._log_boxes["loss"].setChecked(True)

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

    def has_run(self, run_id: RunId) -> bool:
        return run_id in self._runs

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
        return self._legends.labels(plot_name)

    def legend_shown(self, plot_name: str) -> bool:
        """Whether ``plot_name`` shows a legend box (an empty one is hidden)."""
        self._check_name(plot_name)
        return self._legends[plot_name].isVisible()

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

    def log_checkbox(self, plot_name: str) -> QtWidgets.QCheckBox:
        return self._log_boxes[plot_name]

    def restyle(self) -> None:
        """Draw everything again in the current look (zoom, colour scheme)."""
        for name in PLOT_NAMES:
            restyle_plot(self._widgets[name])
            restyle_title(self._titles[name])
        for box in self._log_boxes.values():
            font = box.font()
            font.setPointSize(LOOK.pt(TICK_PT))
            box.setFont(font)
        self._redraw()

    def export_png(self, path: str | Path) -> Path:
        """The whole panel as it looks on screen, titles and checkboxes included."""
        return export_widget_png(self, path)

    def export_svg(self, path: str | Path) -> list[Path]:
        """One SVG per plot, beside ``path``: ``<stem>_loss.svg``, ``<stem>_metric.svg``, …
        (returns the paths written)."""
        return export_titled_svgs(
            {name: (self._widgets[name], self._titles[name].text()) for name in PLOT_NAMES},
            path)

    # ------------------------------------------------------------------------------ internals

    def _push(self, run: RunCurves, curve: Any) -> bool:
        return push(run, curve, self._widgets[curve.plot], self.log_y(curve.plot))

    @staticmethod
    def _check_name(plot_name: str) -> None:
        if plot_name not in PLOT_NAMES:
            raise KeyError(f"unknown plot {plot_name!r}; one of {PLOT_NAMES}")

    def _free_color(self) -> int:
        used = {run.color for run in self._runs.values()}
        return next(i for i in range(len(used) + 1) if i not in used)

    def _remove_items(self, run: RunCurves) -> None:
        for curve in run.curves:
            self._legends.remove_item(curve.plot, curve.item)
            self._widgets[curve.plot].removeItem(curve.item)
        run.curves.clear()

    def _range_now(self, plots: Any) -> None:
        """Apply auto-range and the view transform now rather than in the next paint.

        pyqtgraph does both lazily, at the start of a paint; the new range then invalidates
        the curves and Qt paints the whole plot a second time. Doing it here keeps it to one
        paint per frame, which halves the cost of a live update.
        """
        for name in plots:
            self._widgets[name].getPlotItem().getViewBox().prepareForPaint()

    def _data_bounds(self, plot: str) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) of the curves drawn in ``plot``, from what :func:`push` noted: a
        linear η axis from 0, room above the curves for a legend band (see bounds_of)."""
        boxes = [
            c.bounds
            for run in self._runs.values()
            for c in run.curves
            if c.plot == plot and c.bounds is not None and c.item.isVisible()
        ]
        vb = self._widgets[plot].getPlotItem().getViewBox()
        return bounds_of(boxes, from_zero=plot == "lr" and not self.log_y(plot),
                         band=self._legends.band_height(plot), view_height=vb.height())

    def _redraw(self) -> None:
        """Visibility, styles, data, legends and titles from scratch (not the training path)."""
        if self._held:
            self._redraw_held = True
            return
        drawn = self.drawn_runs()
        overlay = len(drawn) > 1
        for run_id, run in self._runs.items():
            on_screen = run_id in drawn
            is_current = run_id == self._current
            layer_palette = colors.sequential(run.n_layers)
            z = 10 if is_current else drawn.index(run_id) if on_screen else 0
            width = LOOK.px(CURRENT_LINE_PX if (overlay and is_current) else LINE_PX)
            for curve in run.curves:
                curve.item.setVisible(on_screen)
                if not on_screen:
                    continue
                curve.color, curve.width, curve.dash = run.hue(), width, None
                if curve.role == "layer":
                    if overlay:
                        curve.dash = layer_dash(curve.layer)
                    else:
                        curve.color = layer_palette[curve.layer - 1]
                elif curve.role == "val":
                    # A lighter tint of the run's hue, solid and thinner: thick dashed pens
                    # look blotchy on noisy curves and cost Qt's path stroker dearly.
                    curve.color, curve.width = val_color(run.hue()), LOOK.px(VAL_LINE_PX)
                curve.pen_mode = ""  # style changed: push() sets the pen
                curve.item.setZValue(z)
                self._push(run, curve)
        self._legends.rebuild()
        for name in PLOT_NAMES:
            self._widgets[name].getPlotItem().getViewBox().refit = True
        self._range_now(PLOT_NAMES)
        task = self._runs[self._current].task if self._current in self._runs else None
        self._titles["metric"].setText(_METRIC_TITLE.get(task, "Accuracy / R²"))
        metric_axis = {"classification": "accuracy", "regression": "R²"}.get(task, "")
        axis_label(self._widgets["metric"], "left", metric_axis)

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
        self._range_now([plot_name])
        if legend_stale:
            self._legends.rebuild()
