"""The File menu's preset commands (trainlab/gui/preset_files.py), driven in the window."""

from __future__ import annotations

import json

from trainlab.presets import load_preset, preset_to_dict

from .helpers import tiny_preset


def test_save_then_open_round_trip_is_exact(window, tmp_path):
    window.model.load(tiny_preset())
    panel = window.config_panel
    panel.field("optimizer.name").editor.setCurrentIndex(
        panel.field("optimizer.name").editor.findData("lamb"))
    panel.field("optimizer.weight_decay").editor.setText("0.03")
    panel.field("optimizer.weight_decay").editor.textEdited.emit("0.03")
    panel.field("model.hidden").add_layer()
    shown = window.model.data
    path = tmp_path / "mine.json"
    assert window.files.save_to(path)
    assert not window.model.dirty and "*" not in window.windowTitle()
    on_disk = json.loads(path.read_text())
    assert on_disk == preset_to_dict(load_preset(path)) == shown

    window.files.new_preset()
    assert window.model.data != shown
    assert window.files.open_preset(path)
    assert window.model.data == shown
    assert panel.field("optimizer.weight_decay").editor.text() == "0.03"
    assert window.settings.recent_files()[0] == path.resolve()


def test_unsaved_changes_ask_before_opening_another(window, tmp_path):
    path = tmp_path / "a.json"
    window.model.load(tiny_preset())
    window.files.save_to(path)
    window.config_panel.field("seed").editor.setValue(5)
    window.answers = ["cancel"]
    assert not window.files.open_preset(path)
    assert window.model.get("seed") == 5
    window.answers = ["discard"]
    assert window.files.open_preset(path)
    assert window.model.get("seed") == 0


def test_bad_preset_file_is_explained_not_raised(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "trainlab-preset", "version": 1, "optimizer": {"lr": -1}}')
    assert not window.files.open_preset(bad)
    title, text = window.messages[-1]
    assert "optimizer.lr" in text and "bad.json" in text
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert not window.files.open_preset(broken)


def test_every_example_opens_and_fills_the_fields(window):
    from trainlab.presets import shipped_presets

    examples = shipped_presets()
    assert examples
    for name, path in examples:
        assert window.files.open_preset(path), name
        assert window.model.data == preset_to_dict(load_preset(path)), name
        assert window.model.valid, (name, window.model.all_problems())
        assert window.windowTitle() == f"{window.model.name} — TrainLab"
    # The presets come first; other kinds of examples (playgrounds, sweeps) follow them.
    shown = [a.text() for a in window.files.examples_menu.actions()]
    assert shown[:len(examples)] == [n for n, _ in examples]
