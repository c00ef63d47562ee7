"""A sweep file (or dict) read, checked and resolved into a :class:`SweepDefinition`.

Everything a worker on another machine needs is in :meth:`SweepDefinition.to_dict`: the base
preset inline with every default written out (a CSV's path made absolute), so the stored
definition reads back to the same sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trainlab.presets import (
    CLASSIFICATION_SOURCES,
    REGRESSION_SOURCES,
    PresetError,
    load_preset,
    preset_to_dict,
    validate_preset,
)
from trainlab.presets.errors import show
from trainlab.presets.files import _read_json

from . import space
from .errors import SweepError, problems_from
from .model import FORMAT, VERSION, SweepFile


class SweepDefinition:
    """A checked sweep: its settings (``file``), the resolved base preset and the parameters."""

    def __init__(self, file: SweepFile, base: dict, source: str):
        self.file = file
        self.base = base
        self.source = source
        self.parameters = [space.Parameter(k, d) for k, d in file.parameters.items()]

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.parameters]

    @property
    def direction(self) -> str:
        return self.file.objective.resolved_direction

    def trials(self) -> list[dict[str, Any]]:
        """The values of every trial, in order; empty dicts for Bayesian trials (the sampler
        picks them when the trial starts). At most ``budget.max_trials``."""
        method = self.file.method
        if method.name == "grid":
            trials = space.grid(self.parameters)
        elif method.name == "random":
            trials = [space.random_trial(self.parameters, method.seed, i)
                      for i in range(method.n_trials)]
        else:
            trials = [{} for _ in range(method.n_trials)]
        cap = self.file.budget.max_trials
        return trials[:cap] if cap else trials

    def trial_preset(self, index: int, values: dict[str, Any]) -> dict:
        return space.trial_preset(self.base, values, f"{self.name} · trial {index}")

    def to_dict(self) -> dict:
        data = self.file.model_dump(mode="json", warnings=False)
        data["base"] = self.base
        return data


def load_sweep(sweep: str | Path | dict | SweepDefinition, source: str | None = None
               ) -> SweepDefinition:
    """Read and check a sweep file (a path) or dict; raise :class:`SweepError` with one line
    per problem. A relative ``base`` path is relative to the sweep file's folder."""
    if isinstance(sweep, SweepDefinition):
        return sweep
    folder = Path.cwd()
    if isinstance(sweep, str | Path):
        path = Path(sweep)
        source = source or str(path)
        try:
            data = _read_json(path, source)
        except PresetError as error:
            raise SweepError(error.problems, source) from None
        folder = path.resolve().parent
        if isinstance(data, dict) and "name" not in data:
            data["name"] = path.stem
    else:
        data, source = sweep, source or "sweep"
    _refuse_foreign(data, source)
    try:
        file = SweepFile.model_validate(data)
    except ValidationError as error:
        raise SweepError(problems_from(error), source) from None
    base = _resolve_base(file.base, folder, source)
    found = space.problems([space.Parameter(k, d) for k, d in file.parameters.items()], base,
                           file.method.name)
    found += _objective_problems(file, base)
    if found:
        raise SweepError(found, source)
    return SweepDefinition(file, base, source)


def _refuse_foreign(data: Any, source: str) -> None:
    if not isinstance(data, dict):
        raise SweepError([("", "a sweep must be a JSON object { ... }")], source)
    if data.get("format") != FORMAT:
        got = f", got {show(data['format'])}" if "format" in data else ""
        raise SweepError([("format", f"must be '{FORMAT}'{got}; this is not a TrainLab sweep")],
                         source)
    version = data.get("version", VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise SweepError([("version", f"written by a newer TrainLab (sweep version {version}); "
                                      f"this TrainLab reads version {VERSION}")], source)


def _resolve_base(base: str | dict, folder: Path, source: str) -> dict:
    """The base preset as a resolved dict; a CSV's path absolute, so trials run anywhere."""
    try:
        if isinstance(base, str):
            path = Path(base) if Path(base).is_absolute() else folder / base
            preset = load_preset(path)
            csv_folder = path.parent
        else:
            preset = validate_preset(base, source=f"{source}: base")
            csv_folder = folder
    except PresetError as error:
        where = f"base ({base})" if isinstance(base, str) else "base"
        raise SweepError([(where, line) for line in str(error).splitlines()], source) from None
    data = preset_to_dict(preset)
    if data["data"]["source"] == "csv" and data["data"]["path"]:
        csv = Path(data["data"]["path"])
        data["data"]["path"] = str(csv if csv.is_absolute() else (csv_folder / csv).resolve())
    return data


def _objective_problems(file: SweepFile, base: dict) -> list[tuple[str, str]]:
    objective = file.objective
    found = []
    if objective.at == "kfold" and not base["data"]["kfold"] \
            and "data.kfold" not in file.parameters:
        found.append(("objective.at", "'kfold' needs data.kfold in the base preset (e.g. 5)"))
    task = _task(base)
    wrong = {"classification": "val_r2", "regression": "val_acc"}.get(task)
    if objective.metric == wrong:
        right = "val_acc" if task == "classification" else "val_r2"
        found.append(("objective.metric", f"{wrong} does not apply to {task} "
                                          f"({base['data']['source']}); use val_loss or {right}"))
    return found


def _task(base: dict) -> str | None:
    d = base["data"]
    if d["task"] != "auto":
        return d["task"]
    if d["source"] in CLASSIFICATION_SOURCES:
        return "classification"
    return "regression" if d["source"] in REGRESSION_SOURCES else None
