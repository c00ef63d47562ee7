"""The network view's panel: the diagram, the epoch it shows (a slider over a finished run's
kept epochs), a clicked unit's map drawn large, and the weight editor of a paused run."""

from __future__ import annotations

import warnings

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trainlab.gui import colors
from trainlab.gui.network_view.diagram import UNIT, NetworkDiagram
from trainlab.gui.network_view.pictures import histogram_pixmap, map_pixmap, map_pixmaps

LARGE = 220  # side of a clicked unit's picture


class NetworkPanel(QWidget):
    """Shows a :class:`~trainlab.session.network_model.NetworkInspector`.

    ``weightEdited(name, row, column, value)`` after a weight was set by hand in the view's
    copy (``"W2", 3, 1, 0.5``: the parameter and its entry as the run names them).
    ``can_edit()`` says what an edit may reach: ``"run"`` (a run waits paused), ``"view"``
    (a finished run: this view only) or ``""`` (nothing: a run goes).
    """

    weightEdited = Signal(str, int, int, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.inspector = None
        self.can_edit = lambda: ""  # set by the window: "run", "view" or "" (see above)
        self._kept: tuple[np.ndarray, dict] | None = None
        self._chosen_unit: tuple[int, int] | None = None
        self._edge: tuple[int, int, int] | None = None
        self.refreshes = 0
        self._inputs_drawn = None  # (inspector, colours) the input column was drawn for

        self.status = QLabel("Train a network to see inside it.")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setVisible(False)
        self.slider.valueChanged.connect(self._show_kept)
        self.diagram = NetworkDiagram()
        self.diagram.unitClicked.connect(self.show_unit)
        self.diagram.edgeActivated.connect(self.edit_edge)
        self.large = QLabel()
        self.large.setFixedSize(LARGE, LARGE)
        self.large.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel("Click a unit to see it large.")
        self.caption.setWordWrap(True)
        self.edit_label = QLabel("Double-click an edge of a paused run to edit its weight "
                                 "(the run goes on from it).")
        self.edit_label.setWordWrap(True)
        self.value = QDoubleSpinBox()
        self.value.setRange(-1e6, 1e6)
        self.value.setDecimals(4)
        self.value.setSingleStep(0.1)
        self.apply = QPushButton("Set weight")
        self.apply.clicked.connect(self._apply_edit)
        self.value.setEnabled(False)
        self.apply.setEnabled(False)

        self.details = QPushButton("Details ▸")
        self.details.setCheckable(True)
        self.details.setToolTip("Show or hide the clicked unit's map and the weight editor")
        self.details.toggled.connect(self.show_details)
        self.side = QWidget()
        side = QVBoxLayout(self.side)
        side.setContentsMargins(4, 0, 0, 0)
        side.addWidget(self.large)
        side.addWidget(self.caption)
        side.addStretch(1)
        side.addWidget(self.edit_label)
        row = QHBoxLayout()
        row.addWidget(self.value)
        row.addWidget(self.apply)
        side.addLayout(row)
        # the diagram takes the room; the details column folds away (its button or a drag)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.diagram)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.split.setCollapsible(0, False)
        self.split.splitterMoved.connect(lambda *_: self._follow_split())
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 2, 4, 2)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.slider, 1)
        top.addWidget(self.details)
        box.addLayout(top)
        box.addWidget(self.split, 1)
        self.show_details(False)

    def show_details(self, shown: bool) -> None:
        """The side column (the clicked unit large, the weight editor) shown or folded."""
        self.side.setVisible(shown)
        if shown:
            self.split.setSizes([max(self.split.width() - LARGE - 20, 1), LARGE + 20])
        self.details.blockSignals(True)
        self.details.setChecked(shown)
        self.details.setText("Details ◂" if shown else "Details ▸")
        self.details.blockSignals(False)

    def _follow_split(self) -> None:
        if self.split.sizes()[1] == 0:
            self.show_details(False)

    # ---- what is shown -----------------------------------------------------------------------
    def set_inspector(self, inspector) -> None:
        self.inspector, self._kept, self._chosen_unit, self._edge = inspector, None, None, None
        self._inputs_drawn = None
        self.slider.setVisible(False)
        self.diagram.set_columns(inspector.columns)
        self.refresh()

    def show_params(self, epoch: int, params: dict, where: str = "live") -> None:
        self.inspector.set_params(params)
        self.status.setText(f"{where} · epoch {epoch}")
        self.refresh()

    def set_kept(self, epochs, stacked: dict) -> None:
        """A finished run's kept epochs: the slider picks one (the last at first)."""
        self._kept = (np.asarray(epochs), stacked)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(epochs) - 1)
        self.slider.setValue(len(epochs) - 1)
        self.slider.blockSignals(False)
        self.slider.setVisible(len(epochs) > 1)
        self._show_kept(len(epochs) - 1)

    def _show_kept(self, index: int) -> None:
        epochs, stacked = self._kept
        self.show_params(int(epochs[index]), {k: v[index] for k, v in stacked.items()},
                         "kept weights")

    def refresh(self) -> None:
        ins = self.inspector
        if ins is None:
            return
        self.refreshes += 1
        drawn = (id(ins), colors.categorical(0), colors.categorical(1))
        for layer in range(len(ins.columns) - 1):
            self.diagram.set_weights(layer, ins.edges(layer))
        for c, col in enumerate(ins.columns):
            if c == 0 and self._inputs_drawn == drawn:
                continue  # the inputs over the plane (or the sample) do not change
            pictures = self._column_pictures(c, UNIT)
            tips = self._tips(c)
            for u, name in enumerate(col.names):
                self.diagram.set_picture(c, u, pictures[u], f"{name}: {tips[u]}")
        self._inputs_drawn = drawn
        if self._chosen_unit is not None and not self.side.isHidden():
            self.show_unit(*self._chosen_unit, reveal=False)

    def _picture(self, c: int, u: int, size: int):
        ins = self.inspector
        if ins.on_plane:
            return map_pixmap(ins.unit_map(c, u), size)
        return histogram_pixmap(ins.unit_histogram(c, u)[0], size)

    def _column_pictures(self, c: int, size: int) -> list:
        ins = self.inspector
        if ins.on_plane:
            g = int(round(np.sqrt(ins.grid.shape[0])))
            return map_pixmaps(ins.values()[c], g, size)
        return [histogram_pixmap(ins.unit_histogram(c, u)[0], size)
                for u in range(len(ins.columns[c].names))]

    def _tips(self, c: int) -> list[str]:
        """What hovering each unit of column ``c`` says (after its name)."""
        v = self.inspector.values()[c]
        where = "over the input plane" if self.inspector.on_plane else "over training rows"
        if np.isfinite(v).all():  # the usual case, without the NaN-aware (slower) passes
            lo, mean, hi = v.min(axis=0), v.mean(axis=0), v.max(axis=0)
        else:
            with warnings.catch_warnings(), np.errstate(invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN unit says nan
                lo, mean = np.nanmin(v, axis=0), np.nanmean(v, axis=0)
                hi = np.nanmax(v, axis=0)
        return [f"{where} min {a:.3g}, mean {m:.3g}, max {b:.3g}"
                for a, m, b in zip(lo, mean, hi, strict=True)]

    def _tip(self, c: int, u: int, name: str) -> str:
        return f"{name}: {self._tips(c)[u]}"

    def show_unit(self, c: int, u: int, reveal: bool = True) -> None:
        self._chosen_unit = (c, u)
        if reveal and self.side.isHidden():
            self.show_details(True)
        self.large.setPixmap(self._picture(c, u, LARGE))
        col = self.inspector.columns[c]
        self.caption.setText(f"{col.label}\n{self._tip(c, u, col.names[u])}")

    # ---- editing -----------------------------------------------------------------------------
    def edit_edge(self, layer: int, i: int, j: int) -> None:
        mode = self.can_edit()
        if not mode:
            self._refuse()
            return
        self._edge = (layer, i, j)
        self.show_details(True)
        cols = self.inspector.columns
        where = "" if mode == "run" else " (this view only: the run is over)"
        self.edit_label.setText(f"w from {cols[layer].names[i]} to {cols[layer + 1].names[j]}"
                                f"{where}")
        self.value.setValue(self.inspector.weight(layer, i, j))
        self.value.setEnabled(True)
        self.apply.setEnabled(True)
        self.value.setFocus()

    def _refuse(self) -> None:
        self.edit_label.setText("Pause the run to edit a weight.")
        self.value.setEnabled(False)
        self.apply.setEnabled(False)

    def _apply_edit(self) -> None:
        if self._edge is None:
            return
        if not self.can_edit():
            self._refuse()
            return
        value = float(self.value.value())
        name, row, col = self.inspector.weight_index(*self._edge)
        self.inspector.set_weight(*self._edge, value)
        self.refresh()
        self.weightEdited.emit(name, row, col, value)
