"""The playground as a mode of the window: File ▸ Open and Examples by format, Save."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMenu

from trainlab.gui.playground.mode import file_format, shipped_playgrounds
from trainlab.playground.files import load_playground, playground_to_dict
from trainlab.presets import load_preset

from .helpers import tiny_preset


def _write(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_open_dispatches_by_format(window, tmp_path):
    mode = window.playground
    preset = _write(tmp_path / "p.json", tiny_preset(name="Opened preset"))
    ground = _write(tmp_path / "g.json", {"format": "trainlab-playground", "name": "Mine",
                                          "surface": {"name": "himmelblau"}})
    assert file_format(preset) == "preset" and file_format(ground) == "playground"
    assert mode.open_file(ground)
    assert mode.active and window.playground.panel.isVisible()
    assert not window.plots.isVisible() and not window.settings_dock.isVisible()
    assert mode.panel.session.race.surface.name == "himmelblau"
    assert window.playground.action.isChecked()
    assert mode.open_file(preset)
    assert not mode.active and window.plots.isVisible() and window.settings_dock.isVisible()
    assert window.session.draft.name == "Opened preset"


def test_a_bad_playground_file_is_one_message(window, tmp_path):
    bad = _write(tmp_path / "bad.json", {"format": "trainlab-playground",
                                         "surface": {"name": "rosenbrok"}})
    assert not window.playground.open_file(bad)
    title, text = window.messages[-1]
    assert "bad.json" in text and "rosenbrock" in text
    assert not window.playground.active


def test_examples_menu_lists_the_playgrounds(window):
    menus = {m.title(): m for m in window.files.examples_menu.findChildren(QMenu)}
    names = [a.text() for a in menus["&Playground"].actions()]
    assert names == [name for name, _ in shipped_playgrounds()]
    menus["&Playground"].actions()[0].trigger()
    assert window.playground.active
    first = shipped_playgrounds()[0][1]
    assert window.playground.panel.session.data == playground_to_dict(load_playground(first))


def test_save_in_playground_mode_writes_a_playground(window, tmp_path):
    mode = window.playground
    mode.set_active(True)
    mode.panel.racers_editor.set_value("lr", 0.01)
    assert mode.save_to(tmp_path / "race")
    saved = load_playground(tmp_path / "race.json")
    assert saved.racers[0].optimizer.lr == 0.01
    mode.set_active(False)
    assert window.files.save_to(tmp_path / "preset.json")  # training mode saves the preset
    assert load_preset(tmp_path / "preset.json").name == window.session.draft.name


def test_view_action_switches_modes(window):
    window.playground.action.trigger()
    assert window.playground.active
    window.playground.action.trigger()
    assert not window.playground.active and window.plots.isVisible()


def test_space_plays_and_pauses_the_race_in_playground_mode(window, qtbot):
    from PySide6.QtCore import Qt

    window.show()
    mode = window.playground
    mode.set_active(True)
    panel = mode.panel
    panel.speed.setValue(1)  # slow: the race cannot end between the two presses
    panel.map.setFocus()
    qtbot.keyClick(panel.map, Qt.Key.Key_Space)
    assert panel.playing and panel.play_button.text() == "Pause"
    assert window.run_controls.controller.state == "idle"  # training did not start
    qtbot.keyClick(panel.map, Qt.Key.Key_Space)
    assert not panel.playing and panel.play_button.text() == "Play"
