"""The window's state as plain Python models, without Qt (napari's way: models emit events,
widgets subscribe): the preset being edited (:class:`PresetDraft`), the runs of the session
(:class:`RunsModel`) and the data the settings describe (:class:`PreparedData`), held together
by a :class:`Session`. The window (:mod:`trainlab.gui`) is one view of them; tests drive them
headless.
"""

from __future__ import annotations

from trainlab.session.data import PreparedData, RunInputs
from trainlab.session.draft import PresetDraft
from trainlab.session.events import Event, Events
from trainlab.session.runs import MAX_AUTO_VISIBLE, RunEntry, RunsModel

__all__ = ["MAX_AUTO_VISIBLE", "Event", "Events", "PreparedData", "PresetDraft", "RunEntry",
           "RunInputs", "RunsModel", "Session"]


class Session:
    """What one window works on: a draft preset, the data it describes, the runs so far."""

    def __init__(self, preset: dict, path=None):
        self.draft = PresetDraft(preset, path)
        self.data = PreparedData(self.draft)
        self.runs = RunsModel()
