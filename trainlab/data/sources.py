"""Where a data set comes from: the preset's ``data`` section turned into a :class:`Dataset`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.catalog import data as vocabulary
from trainlab.catalog.data import CLASSIFICATION_SOURCES, REGRESSION_SOURCES
from trainlab.catalog.data import CSV as CSV_SOURCE
from trainlab.catalog.data import DATA_SOURCES as SOURCES
from trainlab.catalog.knobs import default
from trainlab.data.bundled import BUNDLED, load_bundled
from trainlab.data.csv_import import TASK_CHOICES, read_csv
from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError, check_choice, check_int, did_you_mean
from trainlab.data.features import with_features
from trainlab.data.generators import (
    GENERATORS,
    USES_CLASSES,
    generator_class_names,
    generator_title,
)

__all__ = ["CLASSIFICATION_SOURCES", "CSV_SOURCE", "REGRESSION_SOURCES", "SOURCES",
           "load_dataset", "source_task"]

#: Values used when the ``data`` section leaves a key out (or sets it to None).
DEFAULTS = {key: default(f"data.{key}") for key in ("n_samples", "noise", "classes", "task")}


def source_task(source: str) -> str | None:
    """"classification" or "regression" for a generator or bundled set; None for "csv"."""
    if source not in SOURCES:
        raise _unknown_source(source)
    return vocabulary.source_task(source)


def load_dataset(data: dict, seed: int, base_dir: Path | None = None) -> Dataset:
    """Build the data set the preset's ``data`` section describes.

    Keys: ``source`` (a generator, a bundled name or "csv"); for generators ``n_samples``,
    ``noise`` and ``classes`` (gaussians and spirals only); for "csv" ``path`` (relative paths
    are resolved against `base_dir`, else the working folder) and ``target`` (column name,
    default the last column); ``task`` ("auto", "classification", "regression"; for generated
    and bundled sets it must agree with the source). `seed` seeds the generators. Other keys
    are ignored. Bundled sets are returned whole (``n_samples`` and ``noise`` do not apply).
    ``features`` (``data.features``) replaces the inputs by features computed from them
    (:mod:`trainlab.data.features`; the raw inputs stay in ``raw_X``).
    """
    if not isinstance(data, dict):
        raise DataError(f"data: must be a mapping, got {type(data).__name__}")
    return with_features(_load_source(data, seed, base_dir), data.get("features"))


def _load_source(data: dict, seed: int, base_dir: Path | None) -> Dataset:
    """The source's own inputs and targets (:func:`load_dataset` without features)."""
    source = data.get("source")
    if source is None:
        raise DataError(f"data.source: missing; choose one of {', '.join(SOURCES)}")
    if source not in SOURCES:
        raise _unknown_source(source)
    task = _setting(data, "task")
    check_choice("data.task", task, TASK_CHOICES)

    if source == CSV_SOURCE:
        path = data.get("path")
        if not path:
            raise DataError("data.path: required when data.source is 'csv'")
        path = Path(path).expanduser()
        if not path.is_absolute():
            path = (Path(base_dir) if base_dir is not None else Path.cwd()) / path
        return read_csv(path, target=data.get("target") or None, task=task)

    fixed = source_task(source)
    if task not in ("auto", fixed):
        raise DataError(f"data.task: {source!r} is a {fixed} data set; task {task!r} does not "
                        f"apply (use 'auto' or {fixed!r})")
    if source in BUNDLED:
        return load_bundled(source)

    rng = np.random.default_rng(check_int("seed", seed, 0))
    classes = _setting(data, "classes")
    X, y = GENERATORS[source](_setting(data, "n_samples"), _setting(data, "noise"), classes, rng)
    k = int(classes) if source in USES_CLASSES else 2
    if fixed == "classification":
        names = generator_class_names(source, k)
        return Dataset(X, y, fixed, len(names), ["x1", "x2"], "class", names,
                       generator_title(source, k))
    features = ["x"] if X.shape[1] == 1 else [f"x{j + 1}" for j in range(X.shape[1])]
    return Dataset(X, y, fixed, 0, features, "y", [], generator_title(source, k))


def _setting(data: dict, key: str):
    value = data.get(key)
    return DEFAULTS[key] if value is None else value


def _unknown_source(source) -> DataError:
    return DataError(f"data.source: {source!r} is not a known data source; the sources are: "
                     f"{', '.join(SOURCES)}{did_you_mean(source, SOURCES)}")
