"""The main window as a whole: its title, its start and its end."""

from __future__ import annotations

from .helpers import RUN_TIMEOUT, tiny_preset


def test_title_shows_name_and_changes(window):
    window.model.load(tiny_preset())
    assert window.windowTitle() == "Tiny spirals — TrainLab"
    window.config_panel.field("training.epochs").editor.setValue(9)
    assert window.windowTitle() == "Tiny spirals* — TrainLab"


def test_settings_persist_recent_files_and_last_preset(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    settings = Settings(tmp_path / "s.ini")
    path = tmp_path / "keep.json"
    w = MainWindow(settings=settings, runs_dir=None, restore=True)
    qtbot.addWidget(w)
    w.model.load(tiny_preset(name="Kept"))
    w.files.save_to(path)
    w.close()
    again = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=None, restore=True)
    qtbot.addWidget(again)
    assert again.model.name == "Kept" and again.model.path == path
    assert not again.model.dirty
    assert [a.text() for a in again.files.recent_menu.actions()][0] == "keep.json"


def test_close_during_training_stops_cleanly(qtbot, window):
    window.model.load(tiny_preset(training__epochs=1_000_000))  # the most: it never ends here
    window.start_run()
    qtbot.waitUntil(lambda: window.controller.deliveries > 1, timeout=RUN_TIMEOUT)
    entry = window.session.runs.entries[window.session.runs.current]
    assert window.close()
    assert window.controller.state == "idle"
    assert entry.status == "stopped"
    assert len(entry.history) >= 1
