"""Both CSV readers on one file, as comparable outcomes (for tests and fuzz tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.data import DataError, csv_import, read_csv


def outcome(read) -> tuple:
    """("ok", X, y, task, names...) or ("error", message)."""
    try:
        ds = read()
    except DataError as error:
        return ("error", str(error))
    return ("ok", ds.X.tobytes(), ds.X.shape, np.asarray(ds.y, float).tobytes(), ds.task,
            ds.n_classes, tuple(ds.feature_names), ds.target_name, tuple(ds.class_names))


def both_readers(path: Path, task: str = "auto", target: str | None = None):
    """(read_csv as a run calls it, the same through the exact reader only)."""

    def exact():
        path_ = Path(path)
        csv_import._check_file(path_)
        header, _ = csv_import._read_header(path_, path_.name)
        t = csv_import._target_index(header, target, path_.name)
        return csv_import._dataset(csv_import._exact_table(path_, path_.name, t), task,
                                   path_.name)

    return outcome(lambda: read_csv(path, target=target, task=task)), outcome(exact)
