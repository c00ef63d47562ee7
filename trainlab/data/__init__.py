"""The data layer: built-in generators, bundled real data sets, CSV import, splits, scaling.

No Qt here: the GUI and the training loop both call into this package. Which sources exist,
their tasks, classes and titles, and the scalings are named in :mod:`trainlab.catalog.data`.

>>> ds = load_dataset({"source": "spirals", "n_samples": 300, "noise": 0.1, "classes": 2}, seed=0)
>>> sp = make_splits(ds, {"train": 0.7, "val": 0.15, "test": 0.15}, "standardize", seed=0)
"""

from trainlab.data.bundled import BUNDLED, load_bundled
from trainlab.data.csv_import import read_csv
from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError
from trainlab.data.generators import GENERATORS, USES_CLASSES
from trainlab.data.scaling import SCALINGS, Scaler
from trainlab.data.sources import (
    CLASSIFICATION_SOURCES,
    REGRESSION_SOURCES,
    SOURCES,
    load_dataset,
    source_task,
)
from trainlab.data.splits import Splits, kfold_indices, make_splits

__all__ = [
    "BUNDLED",
    "CLASSIFICATION_SOURCES",
    "GENERATORS",
    "REGRESSION_SOURCES",
    "SCALINGS",
    "SOURCES",
    "USES_CLASSES",
    "DataError",
    "Dataset",
    "Scaler",
    "Splits",
    "kfold_indices",
    "load_bundled",
    "load_dataset",
    "make_splits",
    "read_csv",
    "source_task",
]
