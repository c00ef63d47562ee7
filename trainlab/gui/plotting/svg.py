"""The plots of a panel as SVG files, each with its title drawn in (the window shows the
titles in Qt labels above the plots, outside what a plot renders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainlab.gui.export import export_plot_svg
from trainlab.gui.plotting.look import LOOK
from trainlab.gui.plotting.style import TITLE_PT


def export_titled_svgs(plots: dict[str, tuple[Any, str]], path: str | Path) -> list[Path]:
    """``plots``: name → (PlotWidget, title). One SVG per plot beside ``path``,
    ``<stem>_<name>.svg``, the title put into the plot for the export and taken out again.
    Returns the paths written."""
    path = Path(path)
    written = []
    for name, (widget, title) in plots.items():
        item = widget.getPlotItem()
        item.setTitle(title, size=f"{LOOK.pt(TITLE_PT)}pt", color="#000")
        item.layout.activate()
        try:
            written.append(export_plot_svg(widget, path.with_name(f"{path.stem}_{name}.svg")))
        finally:
            item.setTitle(None)
            item.layout.activate()
    return written
