"""k-fold results of a run in the window: the folds' progress while they train after the run,
then one row per fold whose mean and std are the run's summary."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import tiny_preset


def test_kfold_table_shows_each_fold_and_the_summary(window, qtbot):
    window.session.draft.load(tiny_preset(data__kfold=3, training__epochs=4), None)
    reports = []
    window.controller.folds.connect(lambda kfold: reports.append(len(kfold["values"])))
    with qtbot.waitSignal(window.controller.finished, timeout=120_000) as done:
        assert window.start_run()
    result = done.args[0]
    kfold = result.extra["kfold"]
    assert reports == [0, 1, 2, 3]  # before the first fold, then after each
    view = window.kfold.view
    assert window.kfold.dock.isVisible()
    assert view.table.rowCount() == 3
    metric = kfold["metric"]
    column = view.table_data["columns"].index(metric)
    shown = [float(view.table.item(r, column).text()) for r in range(3)]
    assert shown == pytest.approx(kfold["values"], abs=5e-5)
    assert view.table_data["mean"][metric] == pytest.approx(kfold["mean"])
    assert view.table_data["std"][metric] == pytest.approx(kfold["std"])
    assert view.table_data["mean"]["val_loss"] == pytest.approx(kfold["val_loss_mean"])
    assert np.mean(kfold["values"]) == pytest.approx(kfold["mean"])
    assert f"{kfold['mean']:.4f} ± {kfold['std']:.4f}" in view.summary.text()
    assert not view.progress.isVisible()


def test_partial_results_read_as_so_far(qtbot):
    from trainlab.gui.kfold_view import KFoldView

    view = KFoldView()
    qtbot.addWidget(view)
    view.show()
    view.show_kfold({"k": 4, "metric": "val_acc", "values": [0.5, 0.7], "mean": 0.6,
                     "std": 0.1, "val_loss_values": [0.9, 0.5], "val_loss_mean": 0.7,
                     "val_loss_std": 0.2})
    assert view.table.rowCount() == 2
    assert view.progress.value() == 2 and view.progress.maximum() == 4
    assert view.progress.isVisible()
    assert view.summary.text() == ("Mean ± std over 2 of 4 folds: val_acc 0.6000 ± 0.1000, "
                                   "val_loss 0.7000 ± 0.2000")
