"""The runs of a session: those trained in the window and run folders opened from disk.

:class:`RunsModel` holds each run's :class:`RunEntry` (preset, history, result, colour,
label) in the order they came, and which of them are drawn:

* the *current* run is the one the trainer reports about (the run started last);
* the *selected* run is the one picked in the runs table (export saves it);
* *visible* runs are overlaid in the plots. A new run is visible; starting one hides the
  oldest visible runs the user did not tick themselves, so that at most
  :data:`MAX_AUTO_VISIBLE` are overlaid unless the user asked for more (ticked runs are
  *pinned*, and so is a run folder opened on purpose).

Views subscribe to :attr:`RunsModel.events`; nothing here knows about widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainlab.session.events import Events, change_choice
from trainlab.session.labels import distinct_label, run_label

MAX_AUTO_VISIBLE = 4  # runs shown at once unless the user ticked more

#: States of the trainer: no run, a run training, paused, or asked to stop and ending.
RUN_STATES = ("idle", "running", "paused", "stopping")


@dataclass
class RunEntry:
    """One run as the session knows it."""

    run_id: int
    name: str
    preset: dict
    history: Any                   # a History (or dict of columns); None before the first row
    task: str
    status: str = "running"
    message: str = ""
    result: Any = None             # RunResult for runs trained in this window
    out_dir: Path | None = None
    test_metrics: dict = field(default_factory=dict)
    color: int = -1                # index into the categorical palette; set when added
    visible: bool = True
    pinned: bool = False           # the user chose to show it: never hidden automatically
    trained: bool = True           # trained in this window (False: a run folder opened)
    fixed_label: str | None = None  # a label given on purpose (a lesson's variant): kept as is


class RunsModel:
    """The runs of a session and which of them are drawn.

    Events: ``added(entry)``, ``removed(run_id)``, ``changed(run_id)`` (an entry's status,
    history or results were updated), ``visibility_changed(visible_ids)``,
    ``selected(run_id)``, ``state_changed(state)`` (the trainer's state).
    """

    def __init__(self):
        self.events = Events("added", "removed", "changed", "visibility_changed", "selected",
                             "state_changed")
        self.entries: dict[int, RunEntry] = {}
        self.current: int | None = None
        self._selected: int | None = None
        self._counter = 0
        self.state = "idle"

    # ---- the trainer ------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """A run is going (running, paused or stopping)."""
        return self.state != "idle"

    def set_state(self, state: str) -> None:
        change_choice(self, "state", state, RUN_STATES, "run state")

    # ---- adding and removing ----------------------------------------------------------------
    def start(self, preset: dict, task: str) -> RunEntry:
        """A new run of ``preset`` (fully resolved), visible and current; older unpinned runs
        are hidden so that no more than :data:`MAX_AUTO_VISIBLE` are overlaid."""
        self._hide_old_runs()
        self._counter += 1
        entry = RunEntry(run_id=self._counter, name=run_label(self._counter, preset),
                         preset=preset, history=None, task=task, status="running")
        self.current = entry.run_id
        self._add(entry)
        self._relabel()
        return entry

    def open(self, name: str, preset: dict, history: Any, task: str, **fields: Any) -> RunEntry:
        """A run read from disk, shown (and pinned: the user asked for it)."""
        self._counter += 1
        entry = RunEntry(run_id=self._counter, name=f"#{self._counter} {name}", preset=preset,
                         history=history, task=task, pinned=True, trained=False, **fields)
        self._add(entry)
        return entry

    def set_label(self, run_id: int, label: str) -> None:
        """Name run ``run_id`` '#n label' for good: later runs beside it do not rename it."""
        entry = self.entries[run_id]
        entry.fixed_label = label
        entry.name = f"#{run_id} {label}"
        self.changed(run_id)

    def _relabel(self) -> None:
        """Name each drawn run of the window by what sets it apart from the others drawn
        (two runs that differ only in μ must not carry the same label)."""
        shown = [self.entries[rid] for rid in self.visible_ids()]
        for entry in shown:
            if not entry.trained or entry.fixed_label is not None:
                continue
            others = [e.preset for e in shown if e is not entry]
            name = distinct_label(entry.run_id, entry.preset, others)
            if name != entry.name:
                entry.name = name
                self.changed(entry.run_id)

    def _add(self, entry: RunEntry) -> None:
        used = {e.color for e in self.entries.values()}
        entry.color = next(i for i in range(len(used) + 1) if i not in used)
        self.entries[entry.run_id] = entry
        self._selected = entry.run_id
        self.events.added.emit(entry)

    def can_remove(self, run_id: int) -> bool:
        """Every run but the one that is going."""
        return not (run_id == self.current and self.active)

    def remove(self, run_id: int) -> None:
        if run_id not in self.entries:
            return
        if not self.can_remove(run_id):
            raise ValueError("the run that is going cannot be removed; stop it first")
        del self.entries[run_id]
        if self._selected == run_id:
            self._selected = None
        self.events.removed.emit(run_id)

    def changed(self, run_id: int) -> None:
        """Tell the views that entry ``run_id`` was updated in place."""
        if run_id in self.entries:
            self.events.changed.emit(run_id)

    # ---- what is drawn ----------------------------------------------------------------------
    def visible_ids(self) -> list[int]:
        return [rid for rid, e in self.entries.items() if e.visible]

    def show_only(self, run_ids: list[int]) -> None:
        """The user's choice of visible runs: exactly these, and all of them pinned."""
        chosen = set(run_ids)
        for rid, entry in self.entries.items():
            entry.visible = entry.pinned = rid in chosen
        self.events.visibility_changed.emit(self.visible_ids())

    def set_visible(self, run_id: int, visible: bool) -> None:
        """Show or hide one run (as the model decides: pins nothing)."""
        entry = self.entries[run_id]
        if entry.visible != visible:
            entry.visible = visible
            self.events.visibility_changed.emit(self.visible_ids())

    def _hide_old_runs(self) -> None:
        unpinned = [rid for rid in self.visible_ids() if not self.entries[rid].pinned]
        excess = len(unpinned) + 1 - MAX_AUTO_VISIBLE
        for rid in unpinned[:max(excess, 0)]:
            self.set_visible(rid, False)

    def hide_other_data(self, data: dict) -> list[int]:
        """Untick (and unpin) the runs trained on other data than ``data`` (a preset's
        ``data`` section: another source, file or target): their curves do not belong in the
        plots of this data set's task. They stay in the table. Returns their ids."""
        key = _data_key(data)
        other = [rid for rid, e in self.entries.items()
                 if e.visible and _data_key(e.preset.get("data", {})) != key]
        for rid in other:
            self.entries[rid].visible = self.entries[rid].pinned = False
        if other:
            self.events.visibility_changed.emit(self.visible_ids())
        return other

    def clear(self) -> list[int]:
        """Remove every run but the one that is going; returns the ids removed."""
        removed = [rid for rid in list(self.entries) if self.can_remove(rid)]
        for rid in removed:
            self.remove(rid)
        return removed

    # ---- selection --------------------------------------------------------------------------
    def select(self, run_id: int) -> None:
        if run_id in self.entries:
            self._selected = run_id
            self.events.selected.emit(run_id)

    @property
    def selected(self) -> int | None:
        """The run picked in the table, else the newest run, else None."""
        if self._selected in self.entries:
            return self._selected
        return next(reversed(self.entries), None)


def _data_key(data: dict) -> tuple:
    """What makes two runs' data (and so their task) the same for the plots."""
    data = data or {}
    return (data.get("source"), data.get("path"), data.get("target"))
