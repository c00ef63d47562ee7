"""The legends of the plots panel: which entries each plot's legend lists, and where it sits.

Loss and accuracy legends sit in a band above the curves (the panel's y range leaves room for
them), in the top corner the curves leave emptiest; the layer plots keep theirs in a column
beside the plot ("L1", "L2", …); the learning-rate plot has none (the loss legend keys the
runs' hues). An empty legend is hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pyqtgraph as pg

from trainlab.gui import colors
from trainlab.gui.plotting.curves import RunCurves, RunId, legend_label, n_rows
from trainlab.gui.plotting.ranges import emptiest_corner
from trainlab.gui.plotting.style import (
    CORNER_OFFSETS,
    LINE_PX,
    add_legend,
    layer_dash,
    legend_box,
    make_pen,
    side_legend,
)

# Legends go to the plot corner that the curves leave emptiest; ties go to the first corner
# listed, the one where curves of that kind rarely go (loss falls away from the top right,
# accuracy rises away from the bottom right).
CORNER_PREFERENCE = {
    "loss": ("tr", "tl"),
    "metric": ("tr", "tl"),
}
# Plots whose y range leaves a band at the top for the legend (one or two rows of entries).
BAND_LEGEND_PLOTS = ("loss", "metric")
# Layer plots have up to L (or, overlaid, one per dash) entries filling every corner of a
# small plot, so their legend sits in a column beside the plot instead, entries "L1", "L2", …
LAYER_PLOTS = ("w_norm", "g_norm")

#: () → (runs by id, ids of the runs on screen in drawing order), asked at each rebuild
RunsOnScreen = Callable[[], tuple[Mapping[RunId, RunCurves], list[RunId]]]


class PanelLegends:
    """One legend per plot of the panel, rebuilt from the runs on screen."""

    def __init__(self, on_screen: RunsOnScreen):
        self._on_screen = on_screen
        self._legends: dict[str, pg.LegendItem] = {}
        self._widgets: dict[str, pg.PlotWidget] = {}
        self.next_placement = 0  # history length at which legends are placed again

    def add_plot(self, name: str, widget: pg.PlotWidget) -> None:
        """Give plot ``name`` its kind of legend (hidden until it has entries)."""
        if name in LAYER_PLOTS:
            legend = side_legend(widget)
        elif name in CORNER_PREFERENCE:
            legend = add_legend(widget, CORNER_OFFSETS[CORNER_PREFERENCE[name][0]])
        else:
            legend = pg.LegendItem()  # never shown: the loss legend keys the runs' hues
        legend.hide()
        self._legends[name] = legend
        self._widgets[name] = widget

    def __getitem__(self, name: str) -> pg.LegendItem:
        return self._legends[name]

    def remove_item(self, name: str, item: Any) -> None:
        self._legends[name].removeItem(item)

    def rebuild(self) -> None:
        """Entries from scratch for the runs on screen, then placement."""
        runs, drawn = self._on_screen()
        overlay = len(drawn) > 1
        for legend in self._legends.values():
            legend.clear()
        for name in BAND_LEGEND_PLOTS:
            # train and validation side by side: one row per run
            self._legends[name].setColumnCount(2)
        for run_id in drawn:
            run = runs[run_id]
            for curve in run.curves:
                if curve.plot == "lr":
                    continue  # the loss legend keys the runs' hues
                if curve.has_data and not (overlay and curve.role == "layer"):
                    self._legends[curve.plot].addItem(
                        curve.item, legend_label(run, curve, overlay))
        if overlay:
            # Hue already names the run (see the loss legend); here only the dash needs a key.
            for plot in LAYER_PLOTS:
                layers = sorted({c.layer for r in drawn for c in runs[r].curves
                                 if c.plot == plot and c.has_data})
                for layer in layers:
                    self._add_dash_key(plot, layer)
        for name, legend in self._legends.items():
            legend.setVisible(name != "lr" and bool(legend.items))  # no empty boxes
        self.place()

    def _add_dash_key(self, plot: str, layer: int) -> None:
        """Legend entry "L<layer>" with that layer's dash in black; clicking it shows or hides
        layer ``layer`` of every drawn run."""
        key = pg.PlotDataItem(pen=make_pen(colors.INK, LINE_PX, layer_dash(layer)))
        legend = self._legends[plot]
        legend.addItem(key, f"L{layer}")
        sample = legend.items[-1][0]

        def toggle(_: object) -> None:
            runs, drawn = self._on_screen()
            for run_id in drawn:
                for c in runs[run_id].curves:
                    if c.plot == plot and c.layer == layer:
                        c.item.setVisible(key.isVisible())

        sample.sigClicked.connect(toggle)

    def place(self) -> None:
        """Move each legend to the corner its curves leave emptiest.

        Run on every full redraw and, during training, each time the history has grown by
        half (so a legend moves a handful of times in a run, not at every frame).
        """
        runs, drawn = self._on_screen()
        for name, preference in CORNER_PREFERENCE.items():
            legend = self._legends[name]
            vb = self._widgets[name].getPlotItem().getViewBox()
            if name in BAND_LEGEND_PLOTS:
                self._fit_columns(legend, vb.width())
            box = legend_box(legend, vb)
            lines = [c.item.getData() for run in runs.values() for c in run.curves
                     if c.plot == name and c.has_data and c.item.isVisible()]
            corner = emptiest_corner(lines, box, preference, vb.viewRange())
            if tuple(legend.opts["offset"] or ()) != CORNER_OFFSETS[corner]:
                legend.setOffset(CORNER_OFFSETS[corner])
        rows = max((n_rows(runs[r].history) for r in drawn), default=0)
        self.next_placement = rows + max(5, rows // 2)

    @staticmethod
    def _fit_columns(legend: Any, room: float) -> None:
        """Train and validation side by side when they fit in the plot, else one above the
        other (a narrow plot would cut the legend off on the right)."""
        if legend.columnCount == 2 and legend.boundingRect().width() > room - 16:
            legend.setColumnCount(1)
        elif legend.columnCount == 1 and len(legend.items) > 1:
            legend.setColumnCount(2)
            if legend.boundingRect().width() > room - 16:
                legend.setColumnCount(1)

    def band_height(self, name: str) -> float | None:
        """Height in pixels of ``name``'s legend when it takes a band above the curves."""
        legend = self._legends[name]
        if name in BAND_LEGEND_PLOTS and legend.isVisible():
            return float(legend.boundingRect().height())
        return None

    def labels(self, name: str) -> list[str]:
        return [label.text for _, label in self._legends[name].items]
