"""Sweep files: the trials they define, and one clear line per problem in a bad one."""

from __future__ import annotations

import json
import math

import pytest

from trainlab.paths import resources_dir
from trainlab.sweep import SweepError, json_schema, load_sweep

from .helpers import random_sweep, sweep


def test_grid_enumerates_every_combination_last_parameter_fastest():
    trials = load_sweep(sweep()).trials()
    assert trials == [{"optimizer.lr": lr, "model.hidden": h}
                      for lr in (0.003, 0.03) for h in ([2], [4], [6])]


def test_stepped_and_integer_ranges_give_their_grid_points():
    d = load_sweep(sweep(parameters={"model.dropout": {"low": 0.0, "high": 0.35, "step": 0.1},
                                     "training.batch_size": {"low": 2, "high": 4}}))
    assert d.trials() == [{"model.dropout": p, "training.batch_size": b}
                          for p in (0.0, 0.1, 0.2, 0.3) for b in (2, 3, 4)]


def test_a_budget_caps_the_trials():
    assert len(load_sweep(sweep(budget={"max_trials": 4})).trials()) == 4


def test_random_trial_i_depends_only_on_seed_and_i():
    five = load_sweep(random_sweep(5, seed=3)).trials()
    nine = load_sweep(random_sweep(9, seed=3)).trials()
    other = load_sweep(random_sweep(5, seed=4)).trials()
    assert nine[:5] == five and other != five
    for t in nine:
        assert 0.001 <= t["optimizer.lr"] <= 0.1
        assert t["model.hidden"] in ([2], [4]) and t["training.batch_size"] in (4, 8, 12, 16)
    # log-uniform: the draws spread over the decades, not bunched at the top
    many = load_sweep(random_sweep(400, seed=0)).trials()
    logs = [math.log10(t["optimizer.lr"]) for t in many]
    assert abs(sum(logs) / len(logs) - (-2.0)) < 0.1


def test_trial_preset_is_the_base_with_the_values_and_every_default():
    d = load_sweep(sweep())
    p = d.trial_preset(4, d.trials()[4])
    assert p["optimizer"]["lr"] == 0.03 and p["model"]["hidden"] == [4]
    assert p["training"]["epochs"] == 6 and p["name"] == "tiny grid · trial 4"
    assert p["optimizer"]["beta2"] == 0.999  # a default written out


def test_the_stored_definition_reads_back_to_the_same_sweep(tmp_path):
    preset = tmp_path / "p.json"
    preset.write_text(json.dumps({"format": "trainlab-preset", "data": {"source": "moons"}}))
    file = tmp_path / "s.json"
    file.write_text(json.dumps(sweep(base="p.json")))
    d = load_sweep(file)
    assert d.base["data"]["source"] == "moons"
    again = load_sweep(d.to_dict())
    assert again.to_dict() == d.to_dict() and again.trials() == d.trials()


def problems(data) -> list[str]:
    with pytest.raises(SweepError) as caught:
        load_sweep(data, "my.json")
    return str(caught.value).splitlines()


def test_bad_sweeps_get_one_line_per_problem():
    lines = problems(sweep(parameters={"optimizer.lrr": [0.1], "model.dropout": [0.1, 1.5],
                                       "optimizer.lr": {"low": -1, "high": 1}, "lr": [1]},
                           objective={"metric": "val_r2"}))
    assert lines == [
        "my.json: parameters['optimizer.lrr']: unknown preset key; did you mean 'optimizer.lr'?",
        "my.json: parameters['model.dropout'][1]: must be in [0, 1), got 1.5",
        "my.json: parameters['optimizer.lr'].low: must be > 0, got -1",
        "my.json: parameters['lr']: unknown preset key; did you mean 'optimizer.lr'?",
        "my.json: objective.metric: val_r2 does not apply to classification (xor); "
        "use val_loss or val_acc",
    ]


def test_bad_structure_is_named_key_by_key():
    lines = problems(sweep(method={"name": "grdi"}, objectve={},
                           parameters={"optimizer.lr": {"low": 1, "hgh": 2}}))
    assert "my.json: method: 'grdi' is not one of grid, random, bayesian; did you mean 'grid'?" \
        in lines
    assert "my.json: objectve: unknown key; did you mean 'objective'?" in lines
    assert "my.json: parameters['optimizer.lr'].hgh: unknown key; did you mean 'high'?" in lines
    assert len(lines) == 4  # and .high: required


@pytest.mark.parametrize("change, line", [
    ({"parameters": {"optimizer.lr": {"low": 0.001, "high": 0.1, "log": True}}},
     "parameters['optimizer.lr']: a grid needs a list of values, choices or a range with a step"),
    ({"parameters": {"optimizer.lr": {"low": 0.1, "high": 0.01, "step": 0.01}}},
     "parameters['optimizer.lr']: high (0.01) must be >= low (0.1)"),
    ({"objective": {"metric": "val_loss", "at": "kfold"}},
     "objective.at: 'kfold' needs data.kfold in the base preset (e.g. 5)"),
    ({"base": "missing.json"}, "base (missing.json): "),
    ({"format": "trainlab-preset"}, "format: must be 'trainlab-sweep', got 'trainlab-preset'"),
])
def test_each_kind_of_mistake(change, line):
    lines = problems(sweep(**change))
    assert any(text.startswith(f"my.json: {line}") for text in lines), lines


def test_a_file_that_is_not_json_gets_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    with pytest.raises(SweepError) as caught:
        load_sweep(bad)
    assert str(caught.value).startswith(f"{bad}: not valid JSON") and "\n" not in str(
        caught.value)


def test_the_published_schema_is_current():
    """If this fails, run `python -m trainlab.sweep`."""
    published = json.loads((resources_dir() / "sweep.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema()


def test_the_example_sweeps_load_and_satisfy_the_schema():
    files = sorted((resources_dir() / "sweeps").glob("*.json"))
    methods = {load_sweep(f).file.method.name for f in files}
    assert methods == {"grid", "random", "bayesian"}
    for f in files:
        assert load_sweep(f).file.description
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    for f in files:
        validator.validate(json.loads(f.read_text(encoding="utf-8")))
