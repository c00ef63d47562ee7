"""Fixtures for the window tests: a window with a throwaway settings file and runs folder."""

from __future__ import annotations

import pytest

from .helpers import tiny_preset  # noqa: F401 (some test modules import it from here)


@pytest.fixture(autouse=True)
def _closed_widgets_deleted():
    """pytest-qt closes a test's widgets and asks Qt to delete them later, which happens only
    in an event loop: delete them now. Widgets left alive from earlier tests make each
    change of the application's style or palette repolish all of them (tens of seconds
    late in a worker's run)."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    w = MainWindow(settings=Settings(tmp_path / "settings.ini"), runs_dir=tmp_path / "runs",
                   restore=False)
    w.messages = []
    w.files.warn = lambda title, text: w.messages.append((title, text))
    w.answers = []
    w.files.ask_save_changes = lambda: w.answers.pop(0) if w.answers else "discard"
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()


@pytest.fixture(scope="session", autouse=True)
def _engine_first(compiled_engine):
    """These tests train: the engine is compiled (or loaded) once, before the first."""
