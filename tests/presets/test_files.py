"""Reading preset files (JSON only) and writing them atomically."""

import json
import os
import stat

import pytest

from trainlab.presets import (
    PresetError,
    default_preset,
    load_preset,
    preset_to_dict,
    save_preset,
    validate_preset,
)

FORMAT = {"format": "trainlab-preset"}


def write(path, text):
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- round trip ---------------------------------------------------------------------------


def test_round_trip_dict_save_load_is_equal(tmp_path):
    original = validate_preset({**FORMAT, "name": "Ünïcode ✓", "optimizer": {"name": "rmsprop"},
                                "model": {"hidden": [8, 4], "activation": ["relu", "tanh"]}})
    file = tmp_path / "p.json"
    save_preset(preset_to_dict(original), file)
    loaded = load_preset(file)
    assert loaded == original
    assert preset_to_dict(loaded) == preset_to_dict(original)
    assert loaded.path == file


def test_saving_a_preset_object_works_too(tmp_path):
    file = tmp_path / "p.json"
    save_preset(default_preset(), file)
    assert load_preset(file) == default_preset()


def test_saved_file_is_pretty_utf8_with_a_trailing_newline(tmp_path):
    file = tmp_path / "p.json"
    save_preset({**FORMAT, "name": "Größe ✓"}, file)
    raw = file.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "version": 1,\n' in text  # indent 2
    assert "Größe ✓" in text  # not \u-escaped
    assert b"\r\n" not in raw
    assert json.loads(text) == preset_to_dict(validate_preset({**FORMAT, "name": "Größe ✓"}))


def test_saving_checks_first_and_writes_nothing_when_invalid(tmp_path):
    file = tmp_path / "p.json"
    with pytest.raises(PresetError, match=r"p\.json: optimizer\.lr: must be > 0"):
        save_preset({**FORMAT, "optimizer": {"lr": -1}}, file)
    assert list(tmp_path.iterdir()) == []


def test_saving_into_a_missing_folder_is_a_preset_error(tmp_path):
    with pytest.raises(PresetError, match="does not exist"):
        save_preset(default_preset(), tmp_path / "nope" / "p.json")


def test_a_file_without_a_name_is_named_after_the_file(tmp_path):
    file = write(tmp_path / "my_experiment.json", '{"format": "trainlab-preset"}')
    assert load_preset(file).name == "my_experiment"


def test_relative_data_path_stays_relative_and_path_gives_the_folder(tmp_path):
    file = write(tmp_path / "p.json", json.dumps(
        {**FORMAT, "data": {"source": "csv", "path": "sub/data.csv"}, "loss": {"name": "mse"}}
    ))
    preset = load_preset(str(file))
    assert preset.data.path == "sub/data.csv"
    assert preset.path.parent / preset.data.path == tmp_path / "sub" / "data.csv"


def test_a_byte_order_mark_is_tolerated(tmp_path):
    file = write(tmp_path / "p.json", b"\xef\xbb\xbf" + b'{"format": "trainlab-preset"}')
    assert load_preset(file).version == 1


# --- atomic save --------------------------------------------------------------------------


@pytest.fixture
def existing(tmp_path):
    file = tmp_path / "keep.json"
    save_preset({**FORMAT, "name": "Old"}, file)
    return file


def crash_half_way(monkeypatch):
    real_dump = json.dump

    def dump(obj, fp, **kwargs):
        text = json.dumps(obj, **kwargs)
        fp.write(text[: len(text) // 2])  # a torn write ...
        raise RuntimeError("power cut")  # ... and then the crash

    monkeypatch.setattr(json, "dump", dump)
    return real_dump


def test_a_crash_while_writing_leaves_the_old_file_and_no_temp(existing, monkeypatch):
    before = existing.read_bytes()
    crash_half_way(monkeypatch)
    with pytest.raises(RuntimeError, match="power cut"):
        save_preset({**FORMAT, "name": "New"}, existing)
    assert existing.read_bytes() == before
    assert load_preset(existing).name == "Old"
    assert sorted(p.name for p in existing.parent.iterdir()) == ["keep.json"]


def test_a_crash_before_the_first_save_leaves_no_file(tmp_path, monkeypatch):
    crash_half_way(monkeypatch)
    with pytest.raises(RuntimeError):
        save_preset({**FORMAT}, tmp_path / "new.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failing_disk_is_a_preset_error_and_leaves_the_old_file(existing, monkeypatch, step):
    before = existing.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(PresetError, match="cannot save: No space left on device"):
        save_preset({**FORMAT, "name": "New"}, existing)
    monkeypatch.undo()
    assert existing.read_bytes() == before
    assert sorted(p.name for p in existing.parent.iterdir()) == ["keep.json"]


def test_the_new_file_is_complete_when_replaced(existing, monkeypatch):
    seen = {}
    real_replace = os.replace

    def replace(src, dst):
        seen["text"] = open(src, encoding="utf-8").read()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    save_preset({**FORMAT, "name": "New"}, existing)
    assert json.loads(seen["text"])["name"] == "New"
    assert load_preset(existing).name == "New"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_keeps_the_permissions_of_the_file_it_replaces(existing):
    os.chmod(existing, 0o640)
    save_preset({**FORMAT, "name": "New"}, existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


# --- what cannot be read ------------------------------------------------------------------


def load_problem(file):
    with pytest.raises(PresetError) as info:
        load_preset(file)
    return info.value


def test_missing_file(tmp_path):
    error = load_problem(tmp_path / "nope.json")
    assert str(error) == f"{tmp_path / 'nope.json'}: file not found"
    assert error.problems == [("", "file not found")]


def test_a_folder_is_not_a_file(tmp_path):
    assert "is a folder" in str(load_problem(tmp_path))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path):
    file = write(tmp_path / "p.json", '{"format": "trainlab-preset"}')
    os.chmod(file, 0)
    assert "cannot read the file" in str(load_problem(file))


def test_bad_json_names_line_and_column(tmp_path):
    file = write(tmp_path / "my.json", '{\n  "format": "trainlab-preset",\n  "seed": 1,\n}\n')
    error = load_problem(file)
    [(path, message)] = error.problems
    assert path == ""
    assert message.startswith("not valid JSON: ")
    assert "(line 4, column 1)" in message
    assert str(error).startswith(f"{file}: not valid JSON")


def test_python_is_not_json_and_is_never_run(tmp_path):
    file = write(tmp_path / "p.json", "{'format': __import__('os').getcwd()}")
    assert "not valid JSON" in str(load_problem(file))


def test_code_in_strings_stays_a_string(tmp_path):
    file = write(tmp_path / "p.json", json.dumps({**FORMAT, "name": "__import__('os')"}))
    assert load_preset(file).name == "__import__('os')"


@pytest.mark.parametrize("text, kind", [("[1, 2]", "a list"), ('"x"', "text"), ("3", "a number"),
                                        ("null", "null")])
def test_json_that_is_not_an_object(tmp_path, text, kind):
    error = load_problem(write(tmp_path / "p.json", text))
    assert error.problems == [("", f"a preset must be a JSON object {{ ... }}, got {kind}")]


def test_empty_file(tmp_path):
    assert load_problem(write(tmp_path / "p.json", " \n")).problems == [("", "the file is empty")]


def test_not_utf8(tmp_path):
    error = load_problem(write(tmp_path / "p.json", b'{"name": "\xff"}'))
    assert "not UTF-8 text" in str(error)


def test_a_repeated_key_is_reported(tmp_path):
    file = write(tmp_path / "p.json",
                 '{"format": "trainlab-preset", "optimizer": {"lr": 0.1, "lr": 0.2}}')
    assert load_problem(file).problems == [("", "key 'lr' appears twice in the same object")]


def test_problems_inside_a_file_name_the_file(tmp_path):
    file = write(tmp_path / "my.json", json.dumps({**FORMAT, "optimizer": {"lr": -0.1}}))
    assert str(load_problem(file)) == f"{file}: optimizer.lr: must be > 0, got -0.1"


def test_future_version_file(tmp_path):
    file = write(tmp_path / "my.json", json.dumps({**FORMAT, "version": 2, "new_thing": 1}))
    assert str(load_problem(file)) == (
        f"{file}: version: this preset was written by a newer TrainLab (preset version 2); "
        "this TrainLab reads version 1"
    )


def test_nan_in_a_file_is_refused_at_its_key(tmp_path):
    file = write(tmp_path / "p.json", '{"format": "trainlab-preset", "optimizer": {"lr": NaN}}')
    assert load_problem(file).problems == [("optimizer.lr", "must be a finite number, got NaN")]


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path):
    file = write(tmp_path / "p.json", "[" * 100_000 + "]" * 100_000)
    error = load_problem(file)
    assert error.problems[0][0] == ""


def test_a_huge_file_is_refused(tmp_path):
    file = write(tmp_path / "p.json", '{"format": "trainlab-preset", "description": "'
                 + "x" * 2_000_000 + '"}')
    assert "not a preset" in str(load_problem(file))


def test_a_number_too_long_for_python_is_a_preset_error(tmp_path):
    file = write(tmp_path / "p.json", '{"format": "trainlab-preset", "seed": ' + "1" * 5000 + "}")
    assert load_problem(file).problems == [("", "not valid JSON: a number has too many digits")]
