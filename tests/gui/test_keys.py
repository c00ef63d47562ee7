"""Train, Pause and Step from the keyboard wherever the focus is (trainlab.gui.keys)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .helpers import tiny_preset, wait_idle


def _focused_name_field(qtbot, window):
    editor = window.config_panel.field("name").editor
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    return editor


def test_space_in_a_text_field_types_and_esc_leaves_it(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    editor = _focused_name_field(qtbot, window)
    editor.setText("abc")
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert editor.text() == "abc "
    assert window.controller.state == "idle"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is not editor
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state == "running"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state == "paused"
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_f5_trains_from_inside_a_text_field(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    editor = _focused_name_field(qtbot, window)
    qtbot.keyClick(editor, Qt.Key.Key_F5)
    assert window.controller.state == "running"
    qtbot.keyClick(editor, Qt.Key.Key_F5)
    assert window.controller.state == "paused"
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_ctrl_e_steps_even_in_a_text_field(qtbot, window):
    window.model.load(tiny_preset(training__epochs=100_000))
    editor = _focused_name_field(qtbot, window)
    editor.setText("abc")
    editor.setCursorPosition(0)
    qtbot.keyClick(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.state in ("running", "paused")  # a paused run doing one epoch
    assert editor.cursorPosition() == 0  # not "end of line"
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_space_right_after_a_run_ended_is_ignored(qtbot, window):
    clock = [100.0]
    window.keys.now = lambda: clock[0]
    window.model.load(tiny_preset(training__epochs=100_000))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state == "running"
    window.run_controls.stop()
    wait_idle(qtbot, window)
    clock[0] += 0.3  # meant to pause the run that has just ended
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state == "idle"
    clock[0] += 1.0
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state == "running"
    window.run_controls.stop()
    wait_idle(qtbot, window)


def test_a_closed_windows_keys_see_no_other_windows_events(qtbot, tmp_path):
    """The key filter sits on the application only while its window is shown: a closed
    window must not see (nor slow) every event of the windows opened after it."""
    from PySide6.QtWidgets import QPushButton

    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    first = MainWindow(settings=Settings(tmp_path / "a.ini"), runs_dir=None, restore=False)
    qtbot.addWidget(first)
    other = QPushButton("elsewhere")
    qtbot.addWidget(other)
    other.show()
    # The filter is told that ``other`` is its window: every Space that reaches the filter
    # from ``other`` then counts as a press to train.
    presses = []
    first.keys.window, first.keys.train = other, lambda: presses.append(1)
    first.show()
    qtbot.keyClick(other, Qt.Key.Key_Space)
    assert presses == [1], "a shown window's filter sees the application's key presses"
    first.close()
    qtbot.keyClick(other, Qt.Key.Key_Space)
    assert presses == [1], "a closed window's filter saw a key press of another window"
    first.show()
    qtbot.keyClick(other, Qt.Key.Key_Space)
    assert presses == [1, 1], "shown again, its keys work again"
