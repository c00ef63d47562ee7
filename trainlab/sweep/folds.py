"""A run's k-fold cross-validation as a table: one row per fold, then the mean and the std.

Reads what the run layer records (``RunResult.extra["kfold"]`` or ``summary.json``'s
``"kfold"``): per-fold values of one metric (``val_acc`` or ``val_r2``) and the mean and
population std of both that metric and ``val_loss``. Per-fold ``val_loss`` values appear in the
rows when the run layer records them (``val_loss_values``).
"""

from __future__ import annotations

import math
from typing import Any


def fold_table(kfold: dict[str, Any]) -> dict[str, Any]:
    """``{"columns": [...], "rows": [{"fold": 1, ...}, ...], "mean": {...}, "std": {...}}``.

    The mean and std are recomputed from the fold values (the population std, as the run
    layer reports it), so the table is self-consistent; metrics recorded only as a summary
    (``val_loss`` when per-fold values are missing) appear in ``mean``/``std`` alone.
    """
    metric = kfold["metric"]
    per_fold = {metric: [float(v) for v in kfold["values"]]}
    if kfold.get("val_loss_values") is not None:
        per_fold["val_loss"] = [float(v) for v in kfold["val_loss_values"]]
    k = len(per_fold[metric])
    rows = [{"fold": i + 1, **{m: values[i] for m, values in per_fold.items()}}
            for i in range(k)]
    mean = {m: math.fsum(v) / k for m, v in per_fold.items()}
    std = {m: math.sqrt(math.fsum((x - mean[m]) ** 2 for x in v) / k)
           for m, v in per_fold.items()}
    if "val_loss" not in per_fold and kfold.get("val_loss_mean") is not None:
        mean["val_loss"], std["val_loss"] = kfold["val_loss_mean"], kfold["val_loss_std"]
    return {"columns": ["fold", *per_fold], "rows": rows, "mean": mean, "std": std}
