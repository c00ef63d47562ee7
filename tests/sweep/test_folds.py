"""The k-fold table: one row per fold, the mean and the population std of the folds."""

from __future__ import annotations

import math

import trainlab
from trainlab.sweep import fold_table


def test_the_table_of_a_run_holds_its_folds_and_their_mean_and_std():
    result = trainlab.train({"format": "trainlab-preset",
                             "data": {"source": "moons", "n_samples": 60, "kfold": 3},
                             "model": {"hidden": [4]}, "training": {"epochs": 3}},
                            write_files=False)
    kfold = result.extra["kfold"]
    table = fold_table(kfold)
    values = [row["val_acc"] for row in table["rows"]]
    assert [row["fold"] for row in table["rows"]] == [1, 2, 3] and values == kfold["values"]
    mean = sum(values) / 3
    assert math.isclose(table["mean"]["val_acc"], mean)
    assert math.isclose(table["mean"]["val_acc"], kfold["mean"])
    assert math.isclose(table["std"]["val_acc"],
                        math.sqrt(sum((v - mean) ** 2 for v in values) / 3))
    assert table["mean"]["val_loss"] == kfold["val_loss_mean"]


def test_per_fold_losses_join_the_rows_when_recorded():
    table = fold_table({"k": 2, "metric": "val_r2", "values": [0.5, 0.7],
                        "val_loss_values": [0.2, 0.4], "val_loss_mean": 0.3,
                        "val_loss_std": 0.1})
    assert table["columns"] == ["fold", "val_r2", "val_loss"]
    assert table["rows"][1] == {"fold": 2, "val_r2": 0.7, "val_loss": 0.4}
    assert math.isclose(table["std"]["val_loss"], 0.1)
