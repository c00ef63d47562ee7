"""One path from a preset to the data a run trains on: :func:`prepare` → :class:`PreparedRun`.

A preset is validated here, once, at the edge: a path, a dict or a :class:`Preset` goes in; a
validated preset, its fully resolved dict, the exact scaled splits and the network's output
width come out. :func:`trainlab.runs.train` takes the prepared run as it is, so a caller that
showed the data first (the window's data view) hands the same object on and the data is not
loaded twice. The engine and the run layer trust a prepared run.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from trainlab.catalog.rules import BATCH_NORM_MIN_ROWS, batch_norm_fits
from trainlab.catalog.rules import output_width as catalog_output_width
from trainlab.data import DataError, Splits, load_dataset, make_splits
from trainlab.data.csv_import import check_enough_rows
from trainlab.presets import (
    Preset,
    PresetError,
    check_loss_for_data,
    load_preset,
    preset_to_dict,
    validate_preset,
)
from trainlab.presets.errors import problems_from
from trainlab.runs.changes import weight_change_problems
from trainlab.runs.diagnosis import check_scaled_splits


@dataclasses.dataclass(frozen=True)
class PreparedRun:
    """A validated preset and the data a run of it trains on (build with :func:`prepare`)."""

    preset: Preset        # validated; ``preset.path`` is the file it came from, if any
    resolved: dict        # every key written out, JSON-ready (what ``preset.json`` holds)
    splits: Splits        # the exact scaled splits
    output_width: int     # units of the network's last layer
    task: str             # "classification" or "regression"

    @property
    def name(self) -> str:
        return self.preset.name

    def with_splits(self, splits: Splits) -> PreparedRun:
        """The same preset on other splits (a k-fold fold, a benchmark's synthetic data)."""
        return _assemble(self.preset, self.resolved, splits)


def prepare(preset, *, epochs: int | None = None, folder: Path | str | None = None,
            splits: Splits | None = None) -> PreparedRun:
    """A path, a dict, a :class:`Preset` (or a :class:`PreparedRun`) → a :class:`PreparedRun`.

    * ``epochs`` overrides ``training.epochs`` (checked like the preset key).
    * ``folder``: the folder of the file a preset given as a dict belongs to (its CSV path
      is relative to it); a path or a loaded preset knows its file.
    * ``splits``: train on these instead of loading the data the preset names (the loss is
      checked against them all the same).

    Bad presets raise :class:`~trainlab.presets.PresetError`, bad data
    :class:`~trainlab.data.DataError` (both ``ValueError``), and so does a preset the engine
    would refuse only mid-run (:func:`check_trainable`).
    """
    if isinstance(preset, PreparedRun):
        if epochs is None and splits is None:
            return preset
        p = preset.preset if epochs is None else _with_epochs(preset.preset, epochs)
        return _assemble(p, preset_to_dict(p), splits if splits is not None else preset.splits)
    if isinstance(preset, (str, Path)):
        p = load_preset(preset)
    elif isinstance(preset, dict):
        p = validate_preset(preset)
    elif isinstance(preset, Preset):
        p = preset
    else:
        raise TypeError(f"preset: expected a path, a dict or a Preset, got {type(preset).__name__}")
    if epochs is not None:
        p = _with_epochs(p, epochs)
    resolved = preset_to_dict(p)
    if splits is None:
        if folder is None and p.path is not None:
            folder = p.path.parent
        data = resolve_csv_path(resolved, folder)["data"]
        data_seed = p.seed if p.data.seed is None else p.data.seed
        dataset = load_dataset(data, seed=data_seed)
        if data["source"] == "csv":
            check_enough_rows(dataset)
        check_loss_for_data(p, dataset.task, dataset.n_classes)
        with np.errstate(over="ignore", invalid="ignore"):  # judged below, not warned about
            splits = make_splits(dataset, data["split"], data["scaling"], seed=data_seed)
    else:
        check_loss_for_data(p, splits.task, splits.n_classes)
    return _assemble(p, resolved, splits)


def resolve_csv_path(preset: dict, folder: Path | str | None) -> dict:
    """The rule for a CSV file's ``data.path``: a relative path is relative to ``folder``, the
    folder of the preset file (to the working folder for a preset that is no file). Returns
    ``preset`` itself, or a copy whose ``data.path`` is absolute."""
    path = (preset.get("data") or {}).get("path")
    if not path or folder is None or Path(path).expanduser().is_absolute():
        return preset
    absolute = Path(folder) / Path(path).expanduser()
    return dict(preset, data=dict(preset["data"], path=str(absolute)))


def output_width(p: Preset, splits: Splits) -> int:
    """Units of the last layer (the catalog's rule, :func:`trainlab.catalog.rules.output_width`)."""
    columns = splits.y_train.shape[1] if splits.y_train.ndim == 2 else 1
    return catalog_output_width(p.loss.name, splits.n_classes, columns)


def check_trainable(p: Preset, splits: Splits) -> None:
    """Raise DataError, before anything is written or trained, for what the engine would only
    refuse mid-run: batch norm with fewer than 2 training rows (in the run or in a k-fold
    fold), and more folds than train+validation rows."""
    n_train = splits.X_train.shape[0]
    if not batch_norm_fits(p.model.batch_norm, n_train):
        raise DataError(
            f"data.split.train: batch norm needs at least {BATCH_NORM_MIN_ROWS} training rows, "
            f"but the training split has {n_train}; raise the train fraction or the number of "
            "rows, or turn batch norm off")
    k = p.data.kfold
    if k:
        n = n_train + splits.X_val.shape[0]
        if k > n:
            raise DataError(f"data.kfold: {k} folds need at least {k} rows of train + "
                            f"validation data, got {n}")
        if not batch_norm_fits(p.model.batch_norm, n - math.ceil(n / k)):
            raise DataError(
                f"data.kfold: batch norm needs at least {BATCH_NORM_MIN_ROWS} training rows in "
                f"every fold, but {k} folds of {n} rows leave {n - math.ceil(n / k)}; use fewer "
                "folds, more rows, or turn batch norm off")


def check_weight_changes(p: Preset, splits: Splits, width: int) -> None:
    """Raise PresetError when a change of ``p`` sets a weight the network of these splits
    does not have (its input and output widths are known only with the data)."""
    problems = weight_change_problems(p, splits.n_features, width)
    if problems:
        raise PresetError(problems, str(p.path or "preset"))


def _assemble(p: Preset, resolved: dict, splits: Splits) -> PreparedRun:
    check_trainable(p, splits)
    check_scaled_splits(splits, p.training.dtype, p.data.scaling)
    width = output_width(p, splits)
    check_weight_changes(p, splits, width)
    return PreparedRun(p, resolved, splits, width, splits.task)


def _with_epochs(p: Preset, epochs: int) -> Preset:
    """``p`` with ``training.epochs`` replaced; the new value is checked as the key is."""
    training = type(p.training)
    try:
        new = training.model_validate({**dict(p.training), "epochs": epochs})
    except ValidationError as error:  # located as in a whole preset: training.epochs
        located = ValidationError.from_exception_data(error.title, [
            {"type": e["type"], "loc": ("training", *e["loc"]), "input": e["input"],
             **({"ctx": e["ctx"]} if "ctx" in e else {})}
            for e in error.errors(include_url=False)])
        raise PresetError(problems_from(located), str(p.path or "preset")) from None
    return p.model_copy(update={"training": new})
