"""Small multiples in the data view: up to four runs side by side, each its decision boundary
or fit drawn by its final weights ("this is what momentum changed").

View ▸ Compare Runs Side by Side swaps the data dock's single view for a 2 × 2 grid of data
views, one per run drawn in the plots (the newest four), titled with the runs' labels. Each
view shows the data its run trained on.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedWidget, QWidget

from trainlab.gui.data_view import DataView
from trainlab.gui.menus import make_action
from trainlab.gui.timeline import entry_splits
from trainlab.session.network_model import network_for

#: Runs shown side by side at most.
MAX_RUNS = 4


def final_params(entry) -> dict | None:
    """The final weights of a run entry (its result's, else its folder's), or None."""
    if entry.result is not None:
        return entry.result.params_final
    if entry.out_dir is not None:
        from trainlab.runs.records import load_run

        return load_run(entry.out_dir).weights("final")
    return None


def predictor(preset: dict, params: dict):
    net = network_for(preset, params)
    loss = preset["loss"]["name"]
    return lambda X: net.predict(np.asarray(X, dtype=float), loss=loss)


class SmallMultiples:
    """The grid of ``window``'s data dock and the View menu's switch for it."""

    def __init__(self, window):
        self.window = window
        self.runs = window.session.runs
        self.views = [DataView() for _ in range(MAX_RUNS)]
        self.grid_widget = QWidget()
        grid = QGridLayout(self.grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        for i, view in enumerate(self.views):
            grid.addWidget(view, i // 2, i % 2)
        self.note = QLabel("Finish or open runs to compare them here.")
        self.note.setWordWrap(True)
        grid.addWidget(self.note, 2, 0, 1, 2)
        self.stack = QStackedWidget()
        self.stack.addWidget(window.data_view)
        self.stack.addWidget(self.grid_widget)
        window.data_dock.setWidget(self.stack)
        self.shown: list[int | None] = [None] * MAX_RUNS
        self.action = make_action(window, "Compare Runs Side by Side", self.set_active, None,
                                  "Show the decision boundary or fit of up to four runs side "
                                  "by side in the data view")
        self.action.setCheckable(True)
        self.action.toggled.connect(self.set_active)
        for menu_action in window.menuBar().actions():
            if menu_action.text() == "&View" and menu_action.menu() is not None:
                menu_action.menu().addAction(self.action)
        events = self.runs.events
        for event in (events.visibility_changed, events.removed, events.added):
            event.connect(lambda *args: self.refresh())
        events.state_changed.connect(lambda state: self.refresh())

    @property
    def active(self) -> bool:
        return self.stack.currentWidget() is self.grid_widget

    def set_active(self, on: bool) -> None:
        on = bool(on)
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # → toggled → here again
            return
        self.stack.setCurrentWidget(self.grid_widget if on else self.window.data_view)
        self.refresh()

    def candidates(self) -> list[int]:
        """The runs to show: those drawn in the plots that have ended, the newest four."""
        ids = [rid for rid in self.runs.visible_ids()
               if self.runs.entries[rid].status not in ("running", "paused")]
        return ids[-MAX_RUNS:]

    def refresh(self) -> None:
        if not self.active:
            return
        ids = self.candidates()
        for i, view in enumerate(self.views):
            rid = ids[i] if i < len(ids) else None
            view.setVisible(rid is not None)
            if rid is None or rid == self.shown[i]:
                continue
            self.shown[i] = None
            entry = self.runs.entries[rid]
            _set_title(view, entry.name)
            try:
                view.set_data(entry_splits(entry))
                params = final_params(entry)
                if params is not None:
                    view.update_model(predictor(entry.preset, params))
                self.shown[i] = rid
            except Exception as exc:  # noqa: BLE001 - one run that cannot be drawn, in words
                view.clear()
                _set_title(view, f"{entry.name}: cannot be drawn ({exc})")
        for i in range(len(ids), MAX_RUNS):
            self.shown[i] = None
        self.note.setVisible(not ids)


def _set_title(view: DataView, text: str) -> None:
    """The title above a data view (its first label) names the run it shows."""
    labels = view.findChildren(QLabel)
    if labels:
        labels[0].setText(text)
