"""The runs table (trainlab/gui/runs_panel.py) and the plots it steers (run_plots.py)."""

from __future__ import annotations

import pytest

from trainlab.gui.runs_panel import RunsPanel
from trainlab.session.runs import MAX_AUTO_VISIBLE, RunsModel

from .helpers import curve_count, tiny_preset, train_to_end


def test_two_runs_overlay(qtbot, window):
    train_to_end(qtbot, window, tiny_preset())
    sgd = tiny_preset(optimizer__name="sgd", optimizer__lr=0.1)
    train_to_end(qtbot, window, sgd)
    assert window.session.runs.visible_ids() == [1, 2]
    assert curve_count(window.plots, "loss") == 4  # train and validation of each run
    assert curve_count(window.plots, "lr") == 2
    labels = " ".join(window.plots.legend_labels("loss"))
    assert "#1 adam" in labels and "#2 sgd" in labels
    names = [window.runs_panel.table.item(r, 1).text() for r in range(2)]
    assert names[0].startswith("#1 adam") and names[1].startswith("#2 sgd")
    window.runs_panel.set_ticked(1, False)
    assert window.session.runs.visible_ids() == [2]
    assert curve_count(window.plots, "lr") == 1


@pytest.fixture
def panel(qtbot):
    runs = RunsModel()
    widget = RunsPanel(runs)
    qtbot.addWidget(widget)
    return widget


def test_the_table_follows_the_model(panel):
    runs = panel.runs
    preset = tiny_preset()
    for _ in range(MAX_AUTO_VISIBLE + 1):
        runs.start(preset, "classification")
    assert panel.table.rowCount() == MAX_AUTO_VISIBLE + 1
    assert panel.ticked_ids() == runs.visible_ids() == [2, 3, 4, 5]  # 1 hidden by the cap
    assert panel.table.item(0, 1).text() == runs.entries[1].name
    runs.entries[2].status = "diverged"
    runs.changed(2)
    assert panel.table.item(1, panel.STATUS_COLUMN).text() == "diverged"
    runs.remove(1)
    assert panel.table.rowCount() == MAX_AUTO_VISIBLE
    assert panel.table.item(0, 1).text() == runs.entries[2].name


def test_ticks_and_selection_go_to_the_model(panel):
    runs = panel.runs
    for _ in range(3):
        runs.start(tiny_preset(), "classification")
    panel.set_ticked(1, False)  # as a click on the tick box does
    assert runs.visible_ids() == [2, 3]
    assert [e.pinned for e in runs.entries.values()] == [False, True, True]
    panel.table.selectRow(0)
    assert runs.selected == 1
    with_remove = []
    panel.removeRequested.connect(with_remove.append)
    panel.remove_button.click()
    assert with_remove == [[1]]


def test_run_plots_overlay_the_visible_runs_that_have_rows(qtbot):
    from trainlab.gui.plotting import PlotsPanel
    from trainlab.gui.run_plots import RunPlots

    from .helpers import make_history

    runs = RunsModel()
    plots = PlotsPanel()
    qtbot.addWidget(plots)
    errors = []
    RunPlots(runs, plots, errors.append)
    opened = runs.open("old", tiny_preset(), make_history(5, layers=1), "classification")
    assert plots.has_run(opened.run_id) and plots.drawn_runs() == [opened.run_id]
    started = runs.start(tiny_preset(), "classification")
    assert not plots.has_run(started.run_id)  # nothing to draw before its first rows
    runs.show_only([opened.run_id])
    assert plots.drawn_runs() == [opened.run_id]
    runs.remove(opened.run_id)
    assert not plots.has_run(opened.run_id) and errors == []
