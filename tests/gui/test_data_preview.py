"""The data preview (trainlab/gui/data_preview.py), driven in the window."""

from __future__ import annotations

from .helpers import tiny_preset


def test_csv_error_is_shown_in_words(qtbot, window, tmp_path):
    bad = tmp_path / "data.csv"
    bad.write_text("a,b\n1,2\nx\n")
    d = tiny_preset()
    d["data"].update(source="csv", path=str(bad), target="b")
    window.model.load(d)
    qtbot.waitUntil(lambda: bool(window.model.data_problems), timeout=10_000)
    assert not window.run_controls.train_button.isEnabled()
    field = window.config_panel.field("data.path")
    message = next(iter(window.model.data_problems.values()))
    assert field.error or message in window.config_panel.problems_label.text()
