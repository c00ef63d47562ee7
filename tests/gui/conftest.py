"""Fixtures for the window tests: a throwaway settings file, a runs folder, tiny presets."""

from __future__ import annotations

import copy

import pytest


def tiny_preset(**changes) -> dict:
    """A preset that trains in a blink: 60 spiral points, one layer of 4 units, 5 epochs."""
    from trainlab.presets import default_preset, preset_to_dict

    d = preset_to_dict(default_preset())
    d["name"] = "Tiny spirals"
    d["data"].update(n_samples=60)
    d["model"]["hidden"] = [4]
    d["training"]["epochs"] = 5
    for path, value in changes.items():
        node = d
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = copy.deepcopy(value)
    return d


@pytest.fixture
def window(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    w = MainWindow(settings=Settings(tmp_path / "settings.ini"), runs_dir=tmp_path / "runs",
                   restore=False)
    w.messages = []
    w._message_box = lambda title, text: w.messages.append((title, text))
    w.answers = []
    w._ask_save_changes = lambda: w.answers.pop(0) if w.answers else "discard"
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()
