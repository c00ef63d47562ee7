"""Saving what the window shows: the history as CSV, weights as NPZ, plots as PNG or SVG.

The CSV and NPZ writers are plain NumPy and work headless (the CLI may use them too); the
picture writers need a live Qt widget.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np


def _columns(history: Any) -> list[str]:
    """Column names of a :class:`~trainlab.runs.history.History` or a dict name → array."""
    return list(history.columns) if hasattr(history, "columns") else list(history)


def _format(value: float, integral: bool) -> str:
    if math.isnan(value):
        return "nan"
    if integral and value.is_integer():
        return str(int(value))
    return repr(value)  # shortest text that reads back to the same float


def export_history_csv(history: Any, path: str | Path) -> Path:
    """Write ``history`` to ``path`` as CSV: a header of column names, then one line per row.

    Columns keep the history's order; floats are written exactly (shortest round-trip form),
    the ``epoch`` column as integers, NaN as ``nan`` (read back by NumPy and pandas).
    """
    names = _columns(history)
    columns = [np.asarray(history[name], dtype=float).ravel() for name in names]
    n_rows = len(columns[0]) if columns else 0
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        for i in range(n_rows):
            writer.writerow(
                _format(float(col[i]), name == "epoch")
                for name, col in zip(names, columns, strict=True)
            )
    return path


def export_weights_npz(params: Mapping[str, np.ndarray], path: str | Path) -> Path:
    """Save parameter arrays (``W1, b1, …``) with :func:`numpy.savez`.

    Arrays are stored as plain numeric arrays, so ``np.load(path, allow_pickle=False)`` reads
    them. NumPy adds ``.npz`` to a path without it; the returned path is the file written.
    """
    arrays = {}
    for name, value in params.items():
        array = np.asarray(value)
        if array.dtype == object:
            raise TypeError(f"parameter {name!r} is not a numeric array")
        arrays[str(name)] = array
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    np.savez(path, **arrays)
    return path


def export_widget_png(widget: Any, path: str | Path) -> Path:
    """Render ``widget`` (any QWidget) as it looks on screen and save it as PNG."""
    path = Path(path)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def export_widgets_png(widgets: list, path: str | Path) -> Path:
    """Render the shown ``widgets`` side by side (left to right, tops aligned, on white) as
    they look on screen, and save them as one PNG: the plots beside the data view."""
    from PySide6 import QtCore, QtGui

    shots = [w.grab() for w in widgets if w is not None and w.isVisible()]
    if not shots:
        raise OSError("nothing is shown to save")
    ratio = shots[0].devicePixelRatio()
    width = sum(round(s.width() / s.devicePixelRatio() * ratio) for s in shots)
    height = max(round(s.height() / s.devicePixelRatio() * ratio) for s in shots)
    image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    try:
        x = 0.0
        for shot in shots:
            painter.drawPixmap(QtCore.QPointF(x, 0.0), shot)
            x += shot.width() / shot.devicePixelRatio()
    finally:
        painter.end()
    path = Path(path)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def export_plot_svg(widget: Any, path: str | Path) -> Path:
    """Save a widget (typically a pyqtgraph PlotWidget) as an SVG vector file.

    Drawn through Qt's own ``QSvgGenerator`` rather than ``pyqtgraph.exporters.SVGExporter``:
    with Qt 6.11, pyqtgraph 0.14's exporter fails on every plot because Qt now closes paths
    with ``Z``, which its coordinate fix-up cannot parse (pyqtgraph issue #3495). Curves, axes,
    text and images all come out as vectors (images embedded).
    """
    from PySide6 import QtCore, QtGui, QtSvg

    path = Path(path)
    size = widget.size()
    generator = QtSvg.QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QtCore.QRect(0, 0, size.width(), size.height()))
    generator.setTitle(path.stem)
    # The generator's default 90 dpi would scale point-sized text against pixel geometry.
    generator.setResolution(widget.logicalDpiX())
    painter = QtGui.QPainter(generator)
    try:
        widget.render(painter)
    finally:
        painter.end()
    if not path.exists():
        raise OSError(f"could not write {path}")
    return path
