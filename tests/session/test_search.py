"""The Search window's model without Qt: domains from settings, the sweep it writes, and the
numbers its pictures show (heat map cells, parallel-coordinate positions, the best trials)."""

from __future__ import annotations

import math

import pytest

from tests.gui.helpers import tiny_preset
from trainlab.session import search as views
from trainlab.session.search import SearchDraft


def test_default_domains_around_the_current_value():
    assert views.default_domain(0.01) == {"low": 0.001, "high": 0.1, "log": True}
    assert views.default_domain(0.0) == [0.0, 0.2, 0.4]
    assert views.default_domain(32) == [16, 32, 64]
    assert views.default_domain(1) == [1, 2]
    assert views.default_domain(True) == [False, True]
    assert views.default_domain("adam", ["sgd", "adam"]) == ["sgd", "adam"]
    assert views.default_domain([16, 16]) == [[16, 16]]


def test_parse_values_and_ranges():
    assert views.parse_values("0.1, 0.2") == [0.1, 0.2]
    assert views.parse_values("[8], [16, 16]") == [[8], [16, 16]]
    assert views.parse_values("tanh, relu") == ["tanh", "relu"]
    assert views.parse_domain("0.001 … 0.1", log=True) == {"low": 0.001, "high": 0.1,
                                                           "log": True}
    assert views.parse_domain("1..5") == {"low": 1, "high": 5, "log": False}
    with pytest.raises(ValueError, match="at least one value"):
        views.parse_values("  ")
    with pytest.raises(ValueError, match="low … high"):
        views.parse_domain("a … b")


def test_draft_writes_a_sweep_the_sweep_layer_accepts():
    from trainlab.sweep import load_sweep

    draft = SearchDraft(tiny_preset())
    draft.add("optimizer.lr")
    draft.add("model.dropout", [0.0, 0.5])
    draft.set(method="random", n_trials=7, seed=3, metric="val_acc", at="last")
    sweep = draft.to_sweep()
    assert sweep["parameters"] == {"optimizer.lr": {"low": 0.001, "high": 0.1, "log": True},
                                   "model.dropout": [0.0, 0.5]}
    assert sweep["method"] == {"name": "random", "n_trials": 7, "seed": 3}
    definition = load_sweep(sweep)
    assert definition.keys == ["optimizer.lr", "model.dropout"]
    assert len(definition.trials()) == 7
    again = SearchDraft.from_sweep(definition.file.model_dump(mode="json"), definition.base)
    assert (again.method, again.n_trials, again.seed, again.metric, again.at) == \
        ("random", 7, 3, "val_acc", "last")
    assert list(again.parameters) == ["optimizer.lr", "model.dropout"]


def test_grid_size_is_the_product_of_the_value_counts():
    draft = SearchDraft(tiny_preset())
    draft.add("model.dropout", [0.0, 0.2, 0.4])
    draft.add("training.batch_size", {"low": 8, "high": 32, "step": 8})
    assert draft.grid_size() == 3 * 4
    draft.add("optimizer.lr", {"low": 0.001, "high": 0.1, "log": True})
    assert draft.grid_size() is None  # a continuous range has no grid
    draft.remove("optimizer.lr")
    assert draft.trial_count() == 12


def test_changes_are_announced():
    draft = SearchDraft(tiny_preset())
    heard = []
    draft.events.changed.connect(lambda: heard.append(1))
    draft.add("seed", [0, 1])
    draft.set(method="bayesian")
    assert len(heard) == 2
    with pytest.raises(AttributeError):
        draft.set(colour="red")


ROWS = [
    {"trial": 0, "lr": 0.1, "p": 0.0, "objective": 0.5, "state": "complete"},
    {"trial": 1, "lr": 0.1, "p": 0.5, "objective": 0.3, "state": "complete"},
    {"trial": 2, "lr": 0.01, "p": 0.0, "objective": 0.9, "state": "complete"},
    {"trial": 3, "lr": 0.01, "p": 0.5, "objective": None, "state": "diverged"},
]


def test_heat_map_cells_are_the_trials_objectives():
    xs, ys, grid = views.heat_map(ROWS, "p", "lr", {"lr": [0.01, 0.1], "p": [0.0, 0.5]})
    assert xs == [0.0, 0.5] and ys == [0.01, 0.1]
    assert grid[0][0] == 0.9 and math.isnan(grid[0][1])
    assert grid[1] == [0.5, 0.3]


def test_heat_map_averages_repeated_cells():
    rows = [*ROWS, {"trial": 4, "lr": 0.1, "p": 0.5, "objective": 0.1, "state": "complete"}]
    _, _, grid = views.heat_map(rows, "p", "lr")
    assert grid[1][1] == pytest.approx((0.3 + 0.1) / 2)


def test_parallel_positions_use_log_space_for_log_ranges():
    domains = {"lr": {"low": 0.001, "high": 0.1, "log": True}, "p": [0.0, 0.5]}
    labels, lines = views.parallel_lines(ROWS, domains)
    assert labels == ["lr", "p", "objective"]
    by_trial = {line["trial"]: line["y"] for line in lines}
    assert set(by_trial) == {0, 1, 2}  # the diverged trial has no line
    assert by_trial[0][0] == pytest.approx(1.0)       # 0.1 at the top of 0.001 … 0.1
    assert by_trial[2][0] == pytest.approx(0.5)       # 0.01: half way in log space
    assert by_trial[1][1] == 1.0 and by_trial[0][1] == 0.0
    assert by_trial[1][2] == 0.0 and by_trial[2][2] == 1.0  # objective min … max
    ticks = views.axis_ticks("lr", domains["lr"], ROWS)
    assert [t for _, t in ticks] == ["0.001", "0.01", "0.1"]
    assert [p for p, _ in ticks] == pytest.approx([0.0, 0.5, 1.0])


def test_best_trials_follow_the_direction():
    assert [r["trial"] for r in views.best_trials(ROWS, "minimize", 2)] == [1, 0]
    assert [r["trial"] for r in views.best_trials(ROWS, "maximize", 5)] == [2, 0, 1]


def test_row_of_report_matches_the_results_rows():
    report = {"index": 4, "values": {"lr": 0.1}, "state": "complete", "objective": 0.2,
              "metrics": {"val_loss_best": 0.2}, "epochs": 5, "seconds": 0.1, "message": "",
              "run_dir": "x"}
    assert views.row_of_report(report) == {
        "trial": 4, "lr": 0.1, "objective": 0.2, "val_loss_best": 0.2, "epochs": 5,
        "seconds": 0.1, "state": "complete", "message": "", "run_dir": "x"}
    assert views.row_of_report({**report, "state": "interrupted"}) is None


def test_domain_text():
    assert views.domain_text({"low": 0.001, "high": 0.1, "log": True}) == "0.001 … 0.1 (log)"
    assert views.domain_text([0, 0.5]) == "0, 0.5"
    assert views.domain_text({"choices": ["tanh", "relu"]}) == '"tanh", "relu"'
