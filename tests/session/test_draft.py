"""The preset being edited (trainlab/session/draft.py), without a window."""

from pathlib import Path

from trainlab.presets import default_preset, preset_to_dict
from trainlab.session.draft import PresetDraft, get_path, set_path


def recorder(draft):
    calls = []
    for name in ("value_changed", "reset", "validated", "dirty_changed"):
        getattr(draft.events, name).connect(lambda *a, n=name: calls.append((n, *a)))
    return calls


def test_paths_read_and_write_nested_keys():
    d = {"optimizer": {"lr": 0.1}}
    assert get_path(d, "optimizer.lr") == 0.1
    assert get_path(d, "optimizer.beta") is None and get_path(d, "model.hidden") is None
    set_path(d, "model.hidden", [4])
    assert d["model"] == {"hidden": [4]}


def test_a_change_marks_dirty_revalidates_and_names_the_key():
    draft = PresetDraft(preset_to_dict(default_preset()))
    calls = recorder(draft)
    draft.set("optimizer.lr", 0.5)
    assert draft.get("optimizer.lr") == 0.5 and draft.dirty
    assert calls == [("dirty_changed", True), ("validated",), ("value_changed", "optimizer.lr")]
    calls.clear()
    draft.set("optimizer.lr", 0.5)  # the same value: checked again, nothing changed
    assert calls == [("validated",)]


def test_an_int_is_not_the_same_value_as_a_float():
    draft = PresetDraft(preset_to_dict(default_preset()))
    draft.set("optimizer.lr", 1.0)
    calls = recorder(draft)
    draft.set("optimizer.lr", 1)
    assert ("value_changed", "optimizer.lr") in calls


def test_problems_come_from_the_validator_and_from_fields_and_data():
    draft = PresetDraft(preset_to_dict(default_preset()))
    assert draft.valid
    draft.set("optimizer.lr", -1.0)
    assert "optimizer.lr" in draft.problems and not draft.valid
    draft.set("optimizer.lr", 0.1)
    assert draft.valid
    draft.set_local_problem("training.epochs", "not a number")
    draft.set_data_problems({"data.path": "no such file"})
    assert set(draft.all_problems()) == {"training.epochs", "data.path"}
    draft.set("training.epochs", 3)  # a good value clears the field's own problem
    draft.set_data_problems({})
    assert draft.valid


def test_data_returns_a_copy():
    draft = PresetDraft(preset_to_dict(default_preset()))
    copy = draft.data
    copy["optimizer"]["lr"] = 123.0
    assert draft.get("optimizer.lr") != 123.0


def test_load_replaces_everything_and_is_not_dirty(tmp_path):
    draft = PresetDraft(preset_to_dict(default_preset()))
    draft.set("seed", 7)
    draft.set_local_problem("seed", "bad")
    calls = recorder(draft)
    other = preset_to_dict(default_preset())
    other["name"] = "Other"
    draft.load(other, tmp_path / "other.json")
    assert draft.name == "Other" and not draft.dirty and draft.valid
    assert draft.path == tmp_path / "other.json" and draft.base_dir == tmp_path
    assert ("reset",) in calls and calls[-1] == ("dirty_changed", False)


def test_saving_records_the_file_and_cleans_the_draft():
    draft = PresetDraft(preset_to_dict(default_preset()))
    assert draft.base_dir is None and draft.name
    draft.set("seed", 3)
    draft.mark_saved(Path("/somewhere/mine.json"))
    assert not draft.dirty and draft.base_dir == Path("/somewhere")
