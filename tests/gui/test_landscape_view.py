"""Landscape… on a finished run: computed in a worker thread, then drawn."""

from __future__ import annotations

import numpy as np

from .helpers import RUN_TIMEOUT, tiny_preset, train_to_end


def test_the_landscape_of_a_finished_run_is_drawn(window, qtbot):
    from trainlab.landscape import compute_landscape

    entry = train_to_end(qtbot, window, tiny_preset())
    window.runs_panel.table.selectRow(0)
    dialog = window.landscapes.open_selected()
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.landscape is not None, timeout=RUN_TIMEOUT)
    shown = dialog.landscape
    direct = compute_landscape(entry.result, grid=41, directions=shown.directions)
    np.testing.assert_array_equal(shown.loss, direct.loss)
    np.testing.assert_array_equal(shown.loss_1d, direct.loss_1d)
    # the 1-D curve on screen is the computed one
    curve = dialog.line.getPlotItem().listDataItems()[0]
    x, y = curve.getData()
    np.testing.assert_array_equal(x, shown.t)
    np.testing.assert_array_equal(y, shown.loss_1d)
    assert dialog.progress.value() == dialog.progress.maximum() > 0
    assert len(dialog.plane.getPlotItem().listDataItems()) > 3  # contours, path, minimum
    dialog.close()


def test_an_unfinished_selection_asks_for_a_finished_run(window):
    assert window.landscapes.open_selected() is None
    assert "finished run" in window.statusBar().currentMessage()
