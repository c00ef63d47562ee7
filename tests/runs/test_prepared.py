"""One path from a preset to its splits: prepare() validates once and loads the data once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import trainlab.runs.prepared as prepared_module
from trainlab.presets import PresetError, validate_preset
from trainlab.runs.loop import train
from trainlab.runs.prepared import PreparedRun, prepare, resolve_csv_path

from .helpers import preset


def test_a_prepared_run_holds_the_validated_preset_its_resolved_dict_and_splits():
    run = prepare(preset(data={"source": "spirals", "n_samples": 90, "classes": 3}))
    assert isinstance(run, PreparedRun)
    assert run.resolved["data"]["classes"] == 3 and run.resolved["loss"]["name"]
    assert run.preset.data.classes == 3
    assert run.task == "classification" and run.output_width == 3
    assert run.splits.X_train.shape[1] == 2
    assert prepare(run) is run  # a prepared run is taken as it is


@pytest.mark.parametrize("loss, width", [("cross_entropy", 2), ("bce", 1)])
def test_output_width_follows_the_loss(loss, width):
    assert prepare(preset(loss={"name": loss})).output_width == width


def test_train_uses_the_prepared_splits_without_loading_the_data_again(monkeypatch):
    run = prepare(preset())

    def refuse(*args, **kwargs):
        raise AssertionError("the data was loaded a second time")

    monkeypatch.setattr(prepared_module, "load_dataset", refuse)
    result = train(run, write_files=False)
    assert result.status == "finished" and result.dataset is run.splits
    with pytest.raises(AssertionError):
        prepare(preset())


def test_the_epochs_override_keeps_the_preset_file_and_is_checked(tmp_path):
    file = tmp_path / "p.json"
    file.write_text(json.dumps(preset(training={"epochs": 9})), encoding="utf-8")
    run = prepare(file, epochs=3)
    assert run.preset.training.epochs == 3 and run.resolved["training"]["epochs"] == 3
    assert run.preset.path == file
    assert prepare(run, epochs=5).resolved["training"]["epochs"] == 5
    with pytest.raises(PresetError) as error:
        prepare(file, epochs=0)
    assert str(error.value).startswith(f"{file}: training.epochs: ")
    assert "\n" not in str(error.value)


def test_a_preset_given_as_a_preset_is_not_validated_again(monkeypatch):
    p = validate_preset(preset())
    monkeypatch.setattr(prepared_module, "validate_preset", None)  # would fail if called
    assert prepare(p).preset is p


def test_the_csv_path_rule(tmp_path):
    d = preset(data={"source": "csv", "path": "t.csv"})
    assert resolve_csv_path(d, None) is d  # no file: relative to the working folder
    out = resolve_csv_path(d, tmp_path)
    assert Path(out["data"]["path"]) == tmp_path / "t.csv" and d["data"]["path"] == "t.csv"
    absolute = preset(data={"source": "csv", "path": str(tmp_path / "x.csv")})
    assert resolve_csv_path(absolute, Path("/elsewhere")) is absolute
    generated = preset()
    assert resolve_csv_path(generated, tmp_path) is generated


def test_a_dict_with_a_folder_reads_its_csv_from_there(tmp_path, monkeypatch):
    rows = "".join(f"{i},{i % 3},{'ab'[i % 2]}\n" for i in range(20))
    (tmp_path / "t.csv").write_text("p,q,r\n" + rows, encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)  # not the CSV's folder
    run = prepare(preset(data={"source": "csv", "path": "t.csv"}), folder=tmp_path)
    assert run.splits.n_features == 2 and run.resolved["data"]["path"] == "t.csv"


def test_with_splits_keeps_the_preset():
    run = prepare(preset())
    other = prepare(preset(seed=3)).splits
    moved = run.with_splits(other)
    assert moved.preset is run.preset and moved.splits is other
    assert not np.array_equal(moved.splits.X_train, run.splits.X_train)


def test_given_splits_are_checked_against_the_loss():
    regression = prepare(preset(data={"source": "sine", "n_samples": 40},
                                loss={"name": "mse"})).splits
    with pytest.raises(ValueError, match="loss"):
        prepare(preset(), splits=regression)  # cross-entropy on a regression set
