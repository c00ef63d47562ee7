"""The look shared by the plots panel and the data view: projector-sized fonts, line widths,
the validation tint, layer dashes and pens, legends and titles.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from trainlab.gui import colors
from trainlab.gui.plotting.look import LOOK, VAL_TINT  # noqa: F401 (VAL_TINT: re-exported)

#: Screen sizes for a projector: nothing smaller than 11 pt.
TICK_PT = 11
LABEL_PT = 12
TITLE_PT = 13
LEGEND_PT = 11
LINE_PX = 2.0
CURRENT_LINE_PX = 3.5

#: Validation curves: the run's hue mixed this much with white (see
#: :attr:`~.look.Look.val_tint`), drawn solid and thinner.
VAL_LINE_PX = 1.5
# Dash patterns (in line widths, as QPen counts them) of layers 1, 2, … of a run in an overlay.
LAYER_DASHES: tuple[list[float] | None, ...] = (
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
# are cut out of the data instead (see :func:`~trainlab.gui.plotting.decimation.dash_mask`).
QT_DASH_MAX_PX = 3000.0

#: Offset in pixels of a legend from each plot corner (top/bottom, right/left).
CORNER_OFFSETS = {"tr": (-8, 8), "br": (-8, -8), "tl": (8, 8), "bl": (8, -8)}


def configure_pyqtgraph() -> None:
    """Global pyqtgraph look; the window calls this once, before it creates any plot."""
    pg.setConfigOptions(background="w", foreground="k", antialias=False)


def style_plot(widget: pg.PlotWidget, x_label: str, y_label: str, grid: bool = True) -> None:
    """White background, black axes, projector-sized fonts (at the zoom of :data:`LOOK`), a
    faint grid (``grid=False``: none).

    Set explicitly so a plot looks right even if :func:`configure_pyqtgraph` was not called.
    """
    widget.setBackground("w")
    item = widget.getPlotItem()
    tick_font = QtGui.QFont()
    tick_font.setPointSize(LOOK.pt(TICK_PT))
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen("k", width=2 if LOOK.high_contrast else 1))
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
        axis.picture = None
        axis.update()
    axis_label(widget, "bottom", x_label)
    axis_label(widget, "left", y_label)
    if grid:
        item.showGrid(x=True, y=True, alpha=LOOK.grid_alpha)
    widget.setMinimumSize(130, 110)  # three fit beside the settings on a 1024 px screen


def axis_label(widget: pg.PlotWidget, side: str, text: str) -> None:
    """The label of one axis, in the label size of the look."""
    widget.getPlotItem().setLabel(side, text, **{"font-size": f"{LOOK.pt(LABEL_PT)}pt",
                                                 "color": "#000"})


def restyle_plot(widget: pg.PlotWidget, grid: bool = True) -> None:
    """Apply the current look to a plot that exists: fonts, axes, grid, legend text."""
    item = widget.getPlotItem()
    style_plot(widget, item.getAxis("bottom").labelText, item.getAxis("left").labelText, grid)
    layout = item.layout
    cells = [layout.itemAt(i) for i in range(layout.count())]
    legends = {id(x): x for x in [item.legend, *cells] if isinstance(x, pg.LegendItem)}
    for legend in legends.values():
        restyle_legend(legend)


def restyle_legend(legend: pg.LegendItem) -> None:
    legend.opts["labelTextSize"] = f"{LOOK.pt(LEGEND_PT)}pt"
    for _, label in legend.items:
        label.setText(label.text, size=legend.opts["labelTextSize"])
    legend.updateSize()


def restyle_title(label: QtWidgets.QLabel) -> None:
    font = label.font()
    font.setPointSize(LOOK.pt(TITLE_PT))
    label.setFont(font)


def add_legend(widget: pg.PlotWidget, offset: tuple[int, int]) -> pg.LegendItem:
    return widget.getPlotItem().addLegend(
        offset=offset,
        labelTextSize=f"{LOOK.pt(LEGEND_PT)}pt",
        labelTextColor="k",
        brush=pg.mkBrush(255, 255, 255, 215),
        pen=pg.mkPen("#b0b0b0"),
        verSpacing=-4,
    )


def side_legend(widget: pg.PlotWidget) -> pg.LegendItem:
    """A legend in its own column right of the plot area, where no curve can hide it."""
    legend = pg.LegendItem(
        labelTextSize=f"{LOOK.pt(LEGEND_PT)}pt", labelTextColor="k", frame=False, verSpacing=-4
    )
    # Fixed height: otherwise the plot's layout stretches the legend rows apart.
    legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed)
    layout = widget.getPlotItem().layout
    # Beside the plot area and the x axis under it: a short plot (the diagnostics row, zoomed
    # up) has more room there for the layers' rows than beside the plot area alone, which the
    # legend would stretch until the x axis no longer fits.
    layout.addItem(legend, 2, 3, 2, 1)
    layout.setAlignment(legend, QtCore.Qt.AlignmentFlag.AlignTop)
    return legend


def title_label(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    font = label.font()
    font.setPointSize(LOOK.pt(TITLE_PT))
    font.setBold(True)
    label.setFont(font)
    label.setTextFormat(QtCore.Qt.TextFormat.RichText)
    label.setMinimumWidth(40)  # a narrow plot cuts its title rather than widen the window
    return label



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


def val_color(hue: str) -> str:
    """The lighter tint of a run's hue its validation curves are drawn in."""
    return colors.to_hex(*colors.tint(hue, LOOK.val_tint))


def layer_dash(layer: int) -> list[float] | None:
    """The dash pattern of layer ``layer`` (1-based) in an overlay; None is solid."""
    return LAYER_DASHES[(layer - 1) % len(LAYER_DASHES)]


def make_pen(color: str, width: float, dash: list[float] | None) -> QtGui.QPen:
    pen = pg.mkPen(color, width=width)
    if dash is not None:
        pen.setDashPattern(dash)
    return pen

