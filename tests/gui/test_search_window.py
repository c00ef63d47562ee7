"""The Search window driven like a user: settings picked from the fields' context menus, a tiny
sweep run to the end (table, heat map, best curves), one stopped, a trial opened as preset,
sweep files opened from File ▸ Open and the Examples menu."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from trainlab.gui.search.launcher import shipped_sweeps
from trainlab.session.search import SearchDraft

from .helpers import tiny_preset


def _pick_from_context_menu(qtbot, widget, text: str) -> None:
    """Right-click ``widget`` and choose the entry that starts with ``text``."""
    chosen = []

    def choose():
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, choose)
            return
        action = next(a for a in menu.actions() if a.text().startswith(text))
        chosen.append(action.text())
        menu.close()
        action.trigger()

    QTimer.singleShot(0, choose)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(2, 2),
                              widget.mapToGlobal(QPoint(2, 2)))
    QApplication.sendEvent(widget, event)
    qtbot.waitUntil(lambda: bool(chosen))


def _search(window, tmp_path, parameters: dict, **settings):
    """The Search window of ``window`` over a tiny preset, with one process."""
    window.session.draft.load(tiny_preset(training__epochs=settings.pop("epochs", 3)), None)
    search = window.search.ensure_window()
    draft = SearchDraft(window.session.draft.data, name="tiny search")
    for key, domain in parameters.items():
        draft.add(key, domain)
    draft.set(**settings) if settings else None
    search.set_draft(draft)
    search.out_root = tmp_path / "sweeps"
    search.jobs.setValue(1)
    return search


def _run_to_end(qtbot, search) -> None:
    with qtbot.waitSignal(search.runner.finished, timeout=120_000):
        assert search.run()
    qtbot.waitUntil(lambda: search.run_button.isEnabled())


def test_fields_context_menu_adds_settings_to_the_sweep(window, qtbot):
    panel = window.config_panel
    _pick_from_context_menu(qtbot, panel.fields["optimizer.lr"].editor, "Search over")
    _pick_from_context_menu(qtbot, panel.fields["optimizer.name"].editor, "Search over")
    search = window.search.search_window
    assert search is not None and search.isVisible()
    sweep = search.draft.to_sweep()
    lr = window.session.draft.get("optimizer.lr")
    assert sweep["parameters"]["optimizer.lr"] == {
        "low": pytest.approx(lr / 10), "high": pytest.approx(lr * 10), "log": True}
    names = sweep["parameters"]["optimizer.name"]
    assert "adam" in names and "sgd" in names
    assert sweep["base"]["optimizer"] == window.session.draft.get("optimizer")
    keys = [search.params.item(r, 0).text() for r in range(search.params.rowCount())]
    assert keys == ["optimizer.lr", "optimizer.name"]
    search.runner.shutdown()


def test_editing_a_range_in_the_table_changes_the_sweep(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {"optimizer.lr": [0.1, 0.2]})
    search.params.item(0, 1).setText("0.001 … 0.1")
    assert search.draft.parameters["optimizer.lr"] == {"low": 0.001, "high": 0.1, "log": False}
    search.params.item(0, 2).setCheckState(Qt.CheckState.Checked)
    assert search.draft.parameters["optimizer.lr"]["log"] is True
    search.params.item(0, 1).setText("")
    assert "at least one value" in search.status.text()
    assert search.draft.parameters["optimizer.lr"]["log"] is True  # the bad text is refused


def test_a_grid_run_fills_the_table_heat_map_and_curves(window, qtbot, tmp_path):
    lrs, dropouts = [0.01, 0.1], [0.0, 0.3]
    search = _search(window, tmp_path, {"optimizer.lr": lrs, "model.dropout": dropouts},
                     at="last")
    reports = []
    search.runner.progressed.connect(reports.append)
    _run_to_end(qtbot, search)
    rows = search.runner.sweep.results()
    assert len(rows) == 4 and {r["state"] for r in rows} == {"complete"}
    assert [p.done for p in reports] == [1, 2, 3, 4] and reports[-1].total == 4
    assert search.table.rowCount() == 4
    assert sorted(search.table.column_values("trial")) == [0, 1, 2, 3]
    assert search.progress.value() == 4
    assert search.status.text().startswith("Done: 4 of 4 trials")
    # the heat map: learning rates across, dropout up, each cell the trial's objective
    assert search.map_stack.currentWidget() is search.heat
    assert search.heat.grid.shape == (len(dropouts), len(lrs))
    for r in rows:
        cell = search.heat.grid[dropouts.index(r["model.dropout"]),
                                lrs.index(r["optimizer.lr"])]
        assert cell == r["objective"]
    # the best curves: the best trials' validation loss read back from their run folders
    best = sorted(rows, key=lambda r: r["objective"])
    assert search.curves.drawn == [r["trial"] for r in best]
    first = search.curves.listDataItems()[0]
    assert first.yData[-1] == pytest.approx(best[0]["objective"])


def test_sorting_the_table_by_objective(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {"optimizer.lr": [0.003, 0.03, 0.3, 1.0]})
    _run_to_end(qtbot, search)
    column = search.table.columns.index("objective")
    search.table.sortItems(column, Qt.SortOrder.AscendingOrder)
    values = search.table.column_values("objective")
    assert values == sorted(values)
    complete = search.table.item(0, 0).background().color().name()
    assert complete == "#e3f4e1"


def test_three_parameters_give_parallel_coordinates(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {
        "optimizer.lr": {"low": 0.001, "high": 0.1, "log": True},
        "model.dropout": [0.0, 0.2], "training.batch_size": [8, 16]},
        method="random", n_trials=4, seed=1)
    _run_to_end(qtbot, search)
    assert search.map_stack.currentWidget() is search.parallel
    rows = search.runner.sweep.results()
    assert len(search.parallel.lines) == sum(r["state"] == "complete" for r in rows) == 4
    assert search.parallel.labels == ["optimizer.lr", "model.dropout", "training.batch_size",
                                      "objective"]
    for line in search.parallel.lines:  # log axis: the position is log10 between the ends
        y = line.yData[0]
        lr = 10 ** (-3 + 2 * y)
        assert any(math.isclose(lr, r["optimizer.lr"], rel_tol=1e-9) for r in rows)


def test_stop_ends_the_search_early(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {"optimizer.lr": [0.01, 0.02, 0.03, 0.04]},
                     epochs=5000)
    with qtbot.waitSignal(search.runner.finished, timeout=120_000):
        assert search.run()
        assert search.stop_button.isEnabled() and not search.run_button.isEnabled()
        search.stop_button.click()
    assert not search.runner.active and search.run_button.isEnabled()
    done = search.runner.sweep.results()
    assert len(done) < 4
    assert search.status.text().startswith(f"Stopped: {len(done)} of 4 trials")
    assert search.table.rowCount() == len(done)


def test_open_as_preset_loads_the_trial_into_the_settings(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {"optimizer.lr": [0.01, 0.05],
                                        "model.dropout": [0.0, 0.25]})
    _run_to_end(qtbot, search)
    row = next(r for r in range(4) if search.table.trial_at(r) == 2)
    search.table.selectRow(row)
    search.open_button.click()
    expected = search.runner.sweep.trial_preset(2)
    draft = window.session.draft
    assert draft.get("optimizer.lr") == expected["optimizer"]["lr"] == 0.05
    assert draft.get("model.dropout") == expected["model"]["dropout"] == 0.0
    assert draft.data["training"] == expected["training"]


def test_a_sweep_that_cannot_run_says_why(window, qtbot, tmp_path):
    search = _search(window, tmp_path, {"optimizer.lr": [-1.0]})
    assert not search.run()
    assert "cannot run" in search.status.text() and "optimizer.lr" in search.status.text()
    assert not search.runner.active


def test_sweep_files_open_from_file_open_and_the_examples_menu(window, qtbot, tmp_path):
    examples = dict((p.name, p) for _, p in shipped_sweeps())
    assert window.playground.open_file(examples["dropout_lr_grid.json"])
    search = window.search.search_window
    assert list(search.draft.parameters) == ["optimizer.lr", "model.dropout"]
    assert search.draft.method == "grid" and search.draft.trial_count() == 16
    menu = next(m for m in window.files.examples_menu.findChildren(QMenu)
                if m.title() == "&Search")
    assert len(menu.actions()) == 3
    next(a for a in menu.actions() if "Iris" in a.text()).trigger()
    assert search.draft.method == "random" and search.draft.n_trials == 24
    # saved and opened again: the same sweep
    before = search.draft.to_sweep()
    assert search.save_to(tmp_path / "mine")
    assert window.playground.open_file(tmp_path / "mine.json")
    assert search.draft.to_sweep() == before
    # a preset still opens as a preset
    assert window.playground.open_file(
        next(p for p in (examples["dropout_lr_grid.json"].parent.parent / "presets")
             .glob("*.json")))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "trainlab-sweep", "base": {}, "parameters": {}}')
    assert not window.playground.open_file(bad)
    assert window.messages[-1][0] == "Cannot open search"
