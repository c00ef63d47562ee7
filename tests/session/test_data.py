"""The data of the settings (trainlab/session/data.py): loaded once, handed to the run."""

import numpy as np
import pytest

from trainlab.presets import PresetError, default_preset, preset_to_dict
from trainlab.session.data import PreparedData, prepare_run
from trainlab.session.draft import PresetDraft


def small_preset(**data):
    d = preset_to_dict(default_preset())
    d["data"].update(source="xor", n_samples=40, **data)
    d["model"]["hidden"] = [3]
    return d


@pytest.fixture
def prepared():
    return PreparedData(PresetDraft(small_preset()))


def events_of(prepared):
    calls = []
    prepared.events.ready.connect(lambda key, splits: calls.append(("ready", key)))
    prepared.events.failed.connect(lambda message: calls.append(("failed", message)))
    return calls


def test_a_job_loads_the_splits_the_run_will_train_on(prepared):
    calls = events_of(prepared)
    job = prepared.begin()
    splits = job.run()
    assert prepared.finish(job, splits, None)
    assert calls == [("ready", job.key)] and prepared.splits is splits
    assert prepared.begin() is None  # that data is here already
    expected = prepare_run(small_preset(), None).splits
    np.testing.assert_array_equal(splits.X_train, expected.X_train)
    np.testing.assert_array_equal(splits.y_val, expected.y_val)


def test_only_data_settings_change_the_key(prepared):
    key = prepared.wanted_key()
    prepared.draft.set("optimizer.lr", 0.5)
    assert prepared.wanted_key() == key
    prepared.draft.set("seed", 9)
    assert prepared.wanted_key() != key


def test_a_stale_outcome_is_dropped(prepared):
    old = prepared.begin()
    prepared.draft.set("data.noise", 0.3)
    new = prepared.begin()
    assert not prepared.finish(old, old.run(), None)
    assert prepared.splits is None
    assert prepared.finish(new, new.run(), None) and prepared.key == new.key


def test_nothing_to_load_while_a_data_setting_is_wrong(prepared):
    prepared.draft.set("data.n_samples", -5)
    assert prepared.wanted_key() is None and prepared.begin() is None
    prepared.draft.set("data.n_samples", 40)
    prepared.draft.set_local_problem("data.noise", "not a number")
    assert prepared.begin() is None


def test_a_data_error_becomes_a_problem_of_its_key(prepared, tmp_path):
    calls = events_of(prepared)
    job = prepared.begin()
    prepared.finish(job, None, ValueError("data.path: no such file: x.csv"))
    assert prepared.draft.data_problems == {"data.path": "no such file: x.csv"}
    assert calls == [("failed", "no such file: x.csv")] and prepared.splits is None
    job = prepared.begin()
    prepared.finish(job, None, ValueError("something else"))
    assert prepared.draft.data_problems == {"data.source": "something else"}
    job = prepared.begin()
    prepared.finish(job, job.run(), None)
    assert prepared.draft.data_problems == {} and prepared.draft.valid


def test_run_inputs_reuse_the_loaded_splits(prepared):
    job = prepared.begin()
    splits = job.run()
    prepared.finish(job, splits, None)
    prepared.draft.set("optimizer.lr", 0.25)  # not a data setting
    inputs = prepared.run_inputs()
    assert inputs.run.splits is splits and inputs.key == job.key
    assert inputs.run.resolved["optimizer"]["lr"] == 0.25
    prepared.draft.set("seed", 4)  # a data setting: loaded anew
    again = prepared.run_inputs()
    assert again.run.splits is not splits and prepared.splits is again.run.splits


def test_run_inputs_check_the_loss_against_reused_splits(prepared):
    job = prepared.begin()
    prepared.finish(job, job.run(), None)
    prepared.draft.set("loss.name", "mse")  # xor is a classification set
    with pytest.raises(PresetError, match="loss"):
        prepared.run_inputs()


def test_a_relative_csv_path_is_read_from_the_preset_folder(tmp_path):
    (tmp_path / "points.csv").write_text(
        "x,y,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(30)))
    d = small_preset()
    d["data"] = dict(d["data"], source="csv", path="points.csv", target="label")
    draft = PresetDraft(d, tmp_path / "mine.json")
    run = PreparedData(draft).run_inputs().run
    assert run.resolved["data"]["path"] == str(tmp_path / "points.csv")
    assert run.splits.n_features == 2
