"""Playground files: the shipped examples validate and race; bad files get one plain line per
problem; the published schema is current; `trainlab playground` writes the CSV."""

import csv
import json

import numpy as np
import pytest

from trainlab import cli
from trainlab.paths import resources_dir
from trainlab.playground import PlaygroundError, load_playground, race, validate_playground
from trainlab.playground.__main__ import SCHEMA_FILE, schema_text
from trainlab.presets.model import OptimizerConfig, ScheduleConfig

EXAMPLES = sorted((resources_dir() / "playground").glob("*.json"))
REQUIRED = {"ravine", "rosenbrock_race", "saddle", "plateau", "local_minima", "line_fit",
            "learning_rate_bound", "feature_scaling_unscaled", "feature_scaling_standardized",
            "constraint_l1", "constraint_l2", "finite_differences", "random_perturbation"}


def test_the_examples_the_issue_asks_for_are_shipped():
    assert REQUIRED <= {f.stem for f in EXAMPLES}


@pytest.mark.parametrize("file", EXAMPLES, ids=lambda f: f.stem)
def test_every_example_validates_says_what_to_look_for_and_races(file):
    playground = load_playground(file)
    assert playground.name and playground.description and playground.look_for
    results = race(file)
    assert list(results) == [r.display_label() for r in playground.racers]
    for result in results.values():
        assert result.points.shape == (playground.steps + 1, playground.surface.dims)
        assert result.losses.shape == (playground.steps + 1,)
        np.testing.assert_allclose(result.points[0], playground.resolved_start(
            playground.racers[list(results).index(result.label)]))


def test_examples_show_what_they_say():
    ravine = race(resources_dir() / "playground" / "ravine.json")
    assert ravine["momentum"].losses[-1] < 1e-3 * ravine["GD"].losses[-1]
    bound = race(resources_dir() / "playground" / "learning_rate_bound.json")
    assert bound["lr 1.95"].losses[-1] < bound["lr 1.95"].losses[0]
    assert bound["lr 2.1"].losses[-1] > bound["lr 2.1"].losses[0]  # past 2/L: divergence
    plateau = race(resources_dir() / "playground" / "plateau.json")
    assert plateau["GD"].losses[-1] > 0.99 and plateau["Adam"].losses[-1] < 1e-3
    minima = race(resources_dir() / "playground" / "local_minima.json")
    ends = {tuple(np.round(r.points[-1], 2)) for r in minima.values()}
    assert len(ends) == 4  # four starts, four different minima


def minimal(**changes):
    return {"format": "trainlab-playground", **changes}


def test_racers_have_the_preset_sections_keys_and_defaults():
    racer = validate_playground(minimal(racers=[{"optimizer": {"name": "rmsprop"}}])).racers[0]
    assert racer.optimizer == OptimizerConfig(name="rmsprop")
    assert racer.optimizer.momentum == 0.0  # the preset's rmsprop default
    assert racer.schedule == ScheduleConfig()
    assert racer.display_label() == "rmsprop"


@pytest.mark.parametrize("data, line", [
    (minimal(surface={"name": "rosenbrok"}),
     "surface.name: 'rosenbrok' is not one of bowl, rosenbrock,"),
    (minimal(surface={"name": "himmelblau"}, start=[7.0, 0.0]),
     "start: [7.0, 0.0] is outside the view x in [-5, 5], y in [-5, 5]"),
    (minimal(racers=[{"optimizer": {"name": "adamm"}}]),
     "racers[0].optimizer.name: 'adamm' is not one of sgd, momentum, adagrad, rmsprop, adam, "
     "adamw, lamb; did you mean 'adam'?"),
    (minimal(surface={"name": "expression", "expression": "x^2 + q"}),
     "surface.expression: unknown name 'q'"),
    (minimal(racers=[{"optimizer": {"lr": -1}}]), "racers[0].optimizer.lr: must be > 0, got -1"),
    (minimal(racers=[{"label": "a"}, {"label": "a"}]), "racers[1].label: 'a' is also the label"),
    (minimal(racers=[{}] * 9), "racers: must have at most 8 items"),
    (minimal(racers=[{"strat": [0, 0]}]), "racers[0].strat: unknown key; did you mean 'start'?"),
    (minimal(surface={"name": "parabola"}, start=[1.0, 2.0]),
     "start: needs 1 number for this surface, got 2"),
    (minimal(surface={"name": "bowl"}, racers=[{"start": [0.0, 9.0]}]),
     "racers[0].start: [0.0, 9.0] is outside the view"),
    (minimal(view=[1.0, 0.0, 0.0, 1.0]), "view: each minimum must be below its maximum"),
    ({"format": "trainlab-preset"}, "format: must be 'trainlab-playground'"),
])
def test_a_bad_file_gets_one_plain_line_per_problem(data, line):
    with pytest.raises(PlaygroundError) as error:
        validate_playground(data, "my.json")
    text = str(error.value)
    assert f"my.json: {line}" in text
    assert "Traceback" not in text and "pydantic" not in text


def test_a_missing_or_broken_file_says_so(tmp_path):
    with pytest.raises(PlaygroundError, match="file not found"):
        load_playground(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(PlaygroundError, match="not valid JSON"):
        load_playground(broken)


def test_the_published_schema_is_current():
    """If this fails, run `python -m trainlab.playground --write-schema`."""
    path = resources_dir() / SCHEMA_FILE
    assert path.read_text(encoding="utf-8") == schema_text()


def test_the_schema_states_each_surface_formula_and_accepts_the_examples():
    schema = json.loads(schema_text())
    assert "(a − x)² + b·(y − x²)²" in schema["$defs"]["Rosenbrock"]["description"]
    assert "(x² + y − 11)² + (x + y² − 7)²" in schema["$defs"]["Himmelblau"]["description"]
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    for file in EXAMPLES:
        validator.validate(json.loads(file.read_text(encoding="utf-8")))


def test_cli_writes_one_row_per_racer_and_step(tmp_path, capsys):
    out = tmp_path / "traj.csv"
    code = cli.main(["playground", "ravine", "--out", str(out), "--steps", "5"])
    stdout = capsys.readouterr().out
    assert code == 0 and "momentum" in stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["racer"] for r in rows] == ["GD"] * 6 + ["momentum"] * 6 + ["Nesterov"] * 6
    assert [int(r["step"]) for r in rows[:6]] == list(range(6))
    expected = race({**json.loads((resources_dir() / "playground" / "ravine.json").read_text(
        encoding="utf-8")), "steps": 5})
    assert float(rows[8]["x"]) == expected["momentum"].points[2][0]
    assert float(rows[8]["loss"]) == expected["momentum"].losses[2]


def test_cli_refuses_a_bad_file_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(minimal(surface={"name": "himmelblau"}, start=[9, 9])),
                   encoding="utf-8")
    assert cli.main(["playground", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "outside the view" in err
