"""Keeps the plots panel drawing what the runs model says: which runs are overlaid, which one
is on top, and each run's history as it grows.

A run is drawn from its first rows on (a run folder at once, a new run at its first report);
until then the panel does not know it, and only runs it knows are overlaid.
"""

from __future__ import annotations

from collections.abc import Callable

from trainlab.gui.plotting import PlotsPanel
from trainlab.gui.plotting.markers import RunMarkers
from trainlab.session.runs import RunEntry, RunsModel


class RunPlots:
    """A controller between a :class:`RunsModel` and a :class:`PlotsPanel`.

    ``on_error(text)`` is told when a run folder's history cannot be drawn.
    """

    def __init__(self, runs: RunsModel, plots: PlotsPanel, on_error: Callable[[str], None]):
        self.runs = runs
        self.plots = plots
        self._on_error = on_error
        #: the best epoch and patience on the loss plot, zero gradients on the gradient plot
        self.markers = RunMarkers(plots.plot_widget("loss"), plots.plot_widget("g_norm"))
        runs.events.added.connect(self._added)
        runs.events.removed.connect(self._removed)
        runs.events.visibility_changed.connect(lambda ids: self._overlay())
        runs.events.selected.connect(self._selected)
        runs.events.changed.connect(self._renamed)

    def _renamed(self, run_id: int) -> None:
        entry = self.runs.entries.get(run_id)
        if entry is not None and self.plots.has_run(run_id):
            self.plots.rename_run(run_id, entry.name)

    def show_history(self, run_id: int, plots: tuple[str, ...] | None = None) -> None:
        """Draw the entry's history: the first time a whole run, then only its new rows
        (in ``plots``, default all). May raise what drawing raises."""
        entry = self.runs.entries.get(run_id)
        if entry is None or entry.history is None:
            return
        if self.plots.has_run(run_id):
            self.plots.update_run(run_id, entry.history, plots=plots)
        else:
            with self.plots.held():
                self._draw(entry)
                self.plots.set_current(run_id)
        if run_id == self.plots.current():
            self._mark(entry)

    def restyle(self) -> None:
        self.markers.restyle()

    def _mark(self, entry: RunEntry | None) -> None:
        """The current run's best epoch and patience, or no marks."""
        if entry is None or entry.history is None:
            self.markers.clear()
            return
        training = entry.preset.get("training", {}) if entry.preset else {}
        self.markers.update(entry.history, None, training.get("early_stopping"))

    def _draw(self, entry: RunEntry) -> None:
        self.plots.set_run(entry.run_id, entry.name, entry.history, entry.task, color=entry.color)
        self._overlay()

    def _removed(self, run_id: int) -> None:
        self.plots.remove_run(run_id)
        self._mark(self.runs.entries.get(self.plots.current()))

    def _added(self, entry: RunEntry) -> None:
        if entry.history is None:
            return  # a new run: drawn at its first report
        try:
            self._draw(entry)
        except Exception as exc:  # noqa: BLE001 - a broken folder must not break the window
            self._on_error(f"The run could not be drawn: {exc}")

    def _overlay(self) -> None:
        self.plots.set_visible_runs([rid for rid in self.runs.visible_ids()
                                     if self.plots.has_run(rid)])
        self._mark(self.runs.entries.get(self.plots.current()))

    def _selected(self, run_id: int) -> None:
        if self.plots.has_run(run_id) and not self.runs.active:
            self.plots.set_current(run_id)
            self._mark(self.runs.entries.get(run_id))
