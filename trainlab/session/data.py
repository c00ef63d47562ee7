"""The data of the current settings, prepared once and shared by the data view and Train.

Whenever the data settings change, a view loads the data they describe (in a thread: a
:class:`LoadJob` runs anywhere) and shows it; Train then hands the very same splits to the
run instead of loading them again. :func:`prepare_run` is the one place where the settings
being edited become what a run is given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.session.draft import PresetDraft
from trainlab.session.events import Events


def prepare_run(preset: dict, folder: Path | None, splits: Any = None) -> Any:
    """A :class:`~trainlab.runs.prepared.PreparedRun` of ``preset``, a preset of the file in
    ``folder`` (its CSV path is made absolute, so the run's ``preset.json`` says where the
    data came from): validated, its data loaded and split, or ``splits`` when given. Slow
    when it loads: call it off the GUI thread where that matters. Raises PresetError or the
    data layer's errors."""
    from trainlab.presets import check_loss_for_data
    from trainlab.runs.prepared import prepare, resolve_csv_path

    run = prepare(resolve_csv_path(preset, folder), splits=splits)
    if splits is not None:  # (prepare checks the loss against the data only when it loads)
        check_loss_for_data(run.preset, splits.task, splits.n_classes)
    return run


def data_seed(preset: dict) -> int:
    """The seed the data and its split are drawn with: ``data.seed``, else the preset's."""
    own = (preset.get("data") or {}).get("seed")
    return int(preset.get("seed") or 0) if own is None else int(own)


def new_weights(draft: PresetDraft) -> int:
    """Reset: the next ``seed`` (other initial weights, shuffling, dropout) with the data
    kept: the data's seed is written into ``data.seed`` first. Returns the new seed."""
    if draft.get("data.seed") is None:
        draft.set("data.seed", data_seed(draft.data))
    seed = int(draft.get("seed") or 0) + 1
    draft.set("seed", seed)
    return seed


def new_data(draft: PresetDraft) -> int:
    """New data: the next ``data.seed`` (another draw of the data and its split), the initial
    weights kept. Returns the new data seed."""
    seed = data_seed(draft.data) + 1
    draft.set("data.seed", seed)
    return seed


@dataclass(frozen=True)
class LoadJob:
    """What a loading thread needs: :meth:`run` it anywhere, hand the outcome to
    :meth:`PreparedData.finish` in the thread that owns the model."""

    generation: int
    key: str
    preset: dict
    base_dir: Path | None

    def run(self) -> Any:
        """The splits (slow: in a thread)."""
        return prepare_run(self.preset, self.base_dir).splits


@dataclass(frozen=True)
class RunInputs:
    """What Train hands a run: the prepared run (resolved preset and splits) and the key of
    its data."""

    run: Any  # a PreparedRun
    key: str | None


class PreparedData:
    """The splits of the data the draft's settings describe.

    Events: ``ready(key, splits)`` when data was loaded, ``failed(message)`` when it could not
    be (the draft then carries the problem, by key path, in ``data_problems``).
    """

    def __init__(self, draft: PresetDraft):
        self.events = Events("ready", "failed")
        self.draft = draft
        self.key: str | None = None
        self.splits: Any = None
        self._generation = 0

    def wanted_key(self) -> str | None:
        """The key of the data the settings describe; None while a data setting is wrong."""
        draft = self.draft
        problems = [k for k in draft.problems if k.startswith("data") or k == "seed"]
        typing = [k for k in draft.local_problems if k.startswith("data")]
        if problems or typing:
            return None
        d = draft.data
        data = dict(d.get("data") or {})
        data["seed"] = data_seed(d)  # a new weights seed with the data's own kept: same data
        return json.dumps({"data": data, "path": str(draft.path)}, sort_keys=True, default=str)

    @property
    def generation(self) -> int:
        """The newest job's number: a job of another number is stale."""
        return self._generation

    def begin(self) -> LoadJob | None:
        """A job that loads the data the settings describe, or None when there is nothing to
        load (a data setting is wrong, or that data is here already). A newer job makes the
        outcome of older ones stale."""
        key = self.wanted_key()
        if key is None or (key == self.key and self.splits is not None):
            return None
        self._generation += 1
        return LoadJob(self._generation, key, self.draft.data, self.draft.base_dir)

    def finish(self, job: LoadJob, splits: Any, error: BaseException | None) -> bool:
        """Take a job's outcome; False (and nothing changes) when a newer job was begun."""
        if job.generation != self._generation:
            return False
        if error is not None:
            field, message = self._problem(error)
            self.draft.set_data_problems({field: message})
            self.key, self.splits = None, None
            self.events.failed.emit(message)
            return True
        self.draft.set_data_problems({})
        self.key, self.splits = job.key, splits
        self.events.ready.emit(job.key, splits)
        return True

    def _problem(self, error: BaseException) -> tuple[str, str]:
        """The settings key a data error is about (``data.path: …`` names it) and the text."""
        message = str(error)
        field = "data.path" if self.draft.get("data.source") == "csv" else "data.source"
        match = re.match(r"(data\.[a-z_.]+): (.*)", message, re.S)
        if match:
            field, message = match.group(1), match.group(2)
        return field, message

    def run_inputs(self) -> RunInputs:
        """The prepared run of the settings: on the splits already loaded when they are those
        of the settings, else on splits loaded now. Raises PresetError or the data layer's
        errors."""
        key = self.wanted_key()
        cached = self.splits if key is not None and key == self.key else None
        run = prepare_run(self.draft.data, self.draft.base_dir, splits=cached)
        if cached is None:
            self._generation += 1  # a preview still loading older settings' data is stale now
        self.key, self.splits = key, run.splits
        return RunInputs(run, key)
