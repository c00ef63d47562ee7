"""Fuzzed presets: `trainlab validate` and `trainlab run` end with exit 0, 1 or 2 and, on bad
input, printable and capped error lines - never a traceback or a hang.

Values come from the classes of faults seen so far (booleans for numbers, huge and tiny
numbers, over-long and control-character keys and names, nets too big for memory, special
files as the CSV), on top of a small valid preset; runs are a few epochs of a few rows by
construction.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trainlab import cli
from trainlab.presets import PresetError, validate_preset

BASE = {"format": "trainlab-preset", "seed": 0, "data": {"source": "xor", "n_samples": 24},
        "model": {"hidden": [4]}, "training": {"epochs": 2, "batch_size": 8}}
KEYS = [
    "version", "name", "seed", "data.source", "data.n_samples", "data.noise", "data.classes",
    "data.path", "data.target", "data.split.train", "data.split.val", "data.split.test",
    "data.scaling", "data.task", "data.kfold", "model.hidden", "model.activation",
    "model.init", "model.init_scale", "model.batch_norm", "model.dropout",
    "model.maxout_pieces", "loss.name", "loss.label_smoothing", "optimizer.name",
    "optimizer.lr", "optimizer.momentum", "optimizer.weight_decay", "schedule.name",
    "schedule.warmup_epochs", "schedule.min_lr", "regularization.l1", "regularization.l2",
    "regularization.clip_norm", "training.epochs", "training.batch_size", "training.dtype",
    "training.early_stopping.enabled", "training.early_stopping.patience",
]
ODD_KEYS = st.one_of(st.text(max_size=12), st.just("k" * 10_000),
                     st.sampled_from(["optimizr", "a\nb", "\x1b[31mred", "\u202egnp.evil"]))
VALUES = st.one_of(
    st.booleans(), st.none(),
    st.integers(-3, 12), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e308, -1e308, 5e-324]),
    st.sampled_from(["adam", "sgd", "relu", "tanh", "uniform", "normal", "csv", "spirals",
                     "line", "mse", "bce", "cosine", "plateau", "float32", "auto"]),
    st.text(max_size=20), st.just("x" * 5_000),
    st.lists(st.integers(1, 12), max_size=3), st.just([10_000] * 100),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def set_key(preset: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = preset
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[last] = value


#: Values a knob may well take, so that many fuzzed presets are valid and train.
PLAUSIBLE = st.one_of(
    st.integers(0, 8), st.floats(0, 1), st.booleans(),
    st.sampled_from(["adam", "sgd", "momentum", "lamb", "relu", "tanh", "maxout", "uniform",
                     "normal", "spirals", "moons", "line", "mse", "bce", "cross_entropy",
                     "cosine", "plateau", "step", "minmax", "none", "float32", "auto"]),
    st.lists(st.integers(1, 6), max_size=2),
)


@st.composite
def presets(draw, plausible: bool = False) -> dict:
    preset = json.loads(json.dumps(BASE))
    keys = st.sampled_from(KEYS) if plausible else st.one_of(st.sampled_from(KEYS), ODD_KEYS)
    values = PLAUSIBLE if plausible else st.one_of(PLAUSIBLE, VALUES)
    for _ in range(draw(st.integers(0, 3))):
        set_key(preset, draw(keys), draw(values))
    return preset


def assert_clean_lines(text: str) -> None:
    assert "Traceback" not in text
    for line in text.splitlines():
        assert line.isprintable(), line
        assert len(line) <= cli.MAX_ERROR_LINE


@pytest.fixture(scope="module")
def special_files(tmp_path_factory) -> Path:
    """CSV candidates for data.path: a pipe, a folder, a link loop, a good table."""
    folder = tmp_path_factory.mktemp("special")
    os.mkfifo(folder / "pipe.csv")
    (folder / "folder.csv").mkdir()
    (folder / "loop.csv").symlink_to(folder / "loop2.csv")
    (folder / "loop2.csv").symlink_to(folder / "loop.csv")
    (folder / "good.csv").write_text("a,b,y\n" + "".join(
        f"{i % 5},{i % 3},{'xy'[i % 2]}\n" for i in range(24)))
    return folder


CSV_PATHS = st.sampled_from(["pipe.csv", "folder.csv", "loop.csv", "good.csv", "/dev/zero",
                             "absent.csv", "/proc/self/environ"])
FILE_NAMES = st.one_of(st.just("p.json"), st.text(
    alphabet=st.characters(blacklist_characters="/\x00", codec="utf-8"), min_size=1,
    max_size=40).map(lambda s: s + ".json"))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(preset=presets(), name=FILE_NAMES)
def test_validate_a_fuzzed_preset_file(tmp_path, capsys, preset, name):
    file = tmp_path / name
    try:
        file.write_text(json.dumps(preset), encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        return  # a name this file system refuses
    code = cli.main(["validate", str(file)])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    event(f"exit {code}")
    assert_clean_lines(err)
    assert (code == 0) == (err == "")
    file.unlink()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(preset=st.one_of(presets(plausible=True), presets()),
       csv_path=st.one_of(st.none(), st.none(), CSV_PATHS))
def test_run_a_fuzzed_preset(special_files, tmp_path_factory, capsys, preset, csv_path):
    if csv_path is not None:
        preset["data"] = {"source": "csv", "path": csv_path}
    # a few epochs of a few rows, whatever was drawn: no example can run long
    training = preset.get("training") if isinstance(preset.get("training"), dict) else {}
    preset["training"] = {**training, "epochs": 2}
    if isinstance(preset.get("data"), dict) and preset["data"].get("source") != "csv":
        preset["data"]["n_samples"] = 24
        preset["data"].pop("kfold", None)
    file = special_files / "fuzzed.json"
    file.write_text(json.dumps(preset), encoding="utf-8")
    out_dir = tmp_path_factory.mktemp("run")
    code = cli.main(["run", str(file), "--out", str(out_dir / "r"), "--quiet"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    event(f"exit {code}")
    assert_clean_lines(err)
    if code == 2:
        assert len(err.strip().splitlines()) >= 1 and not (out_dir / "r" / "metrics.csv").exists()


@settings(max_examples=200, deadline=None)
@given(preset=presets())
def test_validate_preset_raises_only_preset_errors(preset):
    try:
        validate_preset(preset)
    except PresetError as error:
        assert_clean_lines(str(error))
