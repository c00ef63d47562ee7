"""Live changes while a run goes or waits paused (the decks' babysitting).

* The settings panel keeps the live-changeable fields editable (the catalog's ``LIVE_KEYS``:
  learning rate, momentum, β's, regularization, batch size, schedule, patience…) and locks the
  structural ones, saying why on hover (:func:`lock_fields`).
* An edit of such a field goes to the run through :meth:`RunControl.change`; the run puts it
  in force at its next epoch boundary (a paused run before its next step) and writes it into
  its preset's ``changes``.
* Each change the run reports is marked on the loss and accuracy curves of the current run, at
  the end of the epoch before the one it applies to, labelled with what changed
  (:mod:`trainlab.session.live_marks`).
"""

from __future__ import annotations

from trainlab.catalog.knobs import LIVE_KEYS
from trainlab.gui.tooltips import tooltip
from trainlab.session.live_marks import change_label, change_marks

#: Why a structural setting is locked while a run exists, by key prefix (first match).
LOCK_REASONS = (
    ("data.", "The data is part of the run: its points and split stay as the run started."),
    ("model.", "The network's shape (layers, activation, initialization) is fixed once its "
               "weights exist."),
    ("training.dtype", "The precision of the numbers is fixed when the run starts."),
    ("", "The run keeps the value it started with; only the settings in black can change "
         "while it goes."),
)


def lock_reason(path: str) -> str:
    return next(reason for prefix, reason in LOCK_REASONS if path.startswith(prefix))


def lock_fields(fields: dict, locked: bool) -> None:
    """Enable the live-changeable ``fields`` (path → widget) and lock the others while
    ``locked``; a locked field's tooltip starts with the reason."""
    for path, widget in fields.items():
        live = path in LIVE_KEYS
        widget.setEnabled(not locked or live)
        text = tooltip(path)
        if locked and not live:
            text = f"<b>Locked while a run exists.</b> {lock_reason(path)}<br><br>{text}"
        elif locked:
            text = f"<b>Can change while the run goes</b> (from its next epoch).<br><br>{text}"
        widget.setToolTip(text)
        editor = getattr(widget, "editor", None)
        if editor is not None:
            editor.setToolTip(text)


class LiveChanges:
    """Sends ``window``'s edits of live-changeable settings to the run that goes, and marks
    the changes of the current run on the curves (through ``window.timeline``)."""

    def __init__(self, window):
        self.window = window
        self.draft = window.session.draft
        self.controller = window.controller
        self.timeline = window.timeline
        #: changes sent to the run that goes, oldest first (for the status and tests)
        self.sent: list[dict] = []
        self._live_changes: dict[int, list] = {}  # run id → changes the run reported
        self.draft.events.value_changed.connect(self._value_changed)
        self.controller.frame.connect(self._on_frame)
        self.controller.stateChanged.connect(self._state_changed)
        self.timeline.on_marks = self.show_marks

    def _state_changed(self, state: str) -> None:
        if state in ("running", "paused") and self.window.session.runs.current is not None:
            self._live_changes.setdefault(self.window.session.runs.current, [])
        if state == "idle":
            self.sent = []

    def _value_changed(self, path: str) -> None:
        if self.controller.state not in ("running", "paused") or path not in LIVE_KEYS:
            return
        if path in self.draft.problems or path in self.draft.local_problems:
            return  # the field shows what is wrong; nothing goes to the run
        self.change({path: self.draft.get(path)})

    def change(self, settings: dict) -> bool:
        """Send ``settings`` to the run that goes; False (and a message) when refused."""
        control = self.controller.control
        if control is None or not self.controller.active:
            return False
        try:
            control.change(settings)
        except ValueError as error:
            self.window.notices.error(f"Not changed: {str(error).splitlines()[0]}")
            return False
        self.sent.append(dict(settings))
        when = ("before its next step" if self.controller.state == "paused"
                else "from the next epoch")
        self.window.notices.status(f"{change_label({'set': settings})} {when}.")
        return True

    def _on_frame(self, frame) -> None:
        rid = self.window.session.runs.current
        if rid is not None and frame.changes is not None:
            changed = frame.changes != self._live_changes.get(rid)
            self._live_changes[rid] = frame.changes
            entry = self.window.session.runs.entries.get(rid)
            if changed and entry is not None and rid == self.window.plots.current():
                self.show_marks(entry)

    def changes_of(self, entry) -> list:
        """The changes of a run: reported while it went, else those in its preset."""
        if entry.run_id in self._live_changes and entry.result is None:
            return self._live_changes[entry.run_id]
        preset = entry.result.preset if entry.result is not None else entry.preset
        return list((preset or {}).get("changes") or [])

    def show_marks(self, entry) -> None:
        """Mark the changes of ``entry`` (the current run of the plots; None: no marks)."""
        if entry is None:
            self.timeline.marks.set_changes([])
            return
        marks = change_marks(self.changes_of(entry))
        if marks:
            xs = self.timeline.epochs_to_x(entry.run_id, [x for x, _ in marks])
            marks = [(float(x), label) for x, (_, label) in zip(xs, marks, strict=True)]
        self.timeline.marks.set_changes(marks)
