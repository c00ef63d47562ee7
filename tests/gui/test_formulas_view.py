"""Help ▸ Formulas: docs/formulas.md rendered in the window, found, opened at a section; the
settings' "?" buttons; the page ships with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from trainlab import paths
from trainlab.gui.formulas_view import FormulasView
from trainlab.lessons.model import anchor
from trainlab.session.formulas import key_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def view(qtbot):
    v = FormulasView()
    qtbot.addWidget(v)
    v.show()
    return v


def _heading_at_top(view) -> str:
    """The heading of the first block whose top is at or below the scrolled-to line."""
    doc = view.browser.document()
    top = view.browser.verticalScrollBar().value()
    block = doc.begin()
    while block.isValid():
        rect = doc.documentLayout().blockBoundingRect(block)
        if rect.top() >= top - 1 and block.blockFormat().headingLevel() > 0:
            return block.text()
        block = block.next()
    return ""


def test_the_page_is_rendered_markdown_with_every_section_of_the_key_table(view):
    anchors = view.anchors()
    assert "key-table" in anchors and "adam" in anchors
    text = view.browser.document().toPlainText()
    assert "| preset key |" not in text  # tables are rendered, not shown as source
    missing = {s.anchor for s in key_table().values()} - set(anchors)
    assert missing == set()


def test_a_section_opens_by_anchor_at_the_top_of_the_view(view, qtbot):
    view.resize(800, 500)
    assert view.open_section("#optimizerlr")
    assert view.browser.verticalScrollBar().value() > 0
    assert _heading_at_top(view) == "optimizer.lr"
    assert view.open_section("cosine-annealing")
    assert _heading_at_top(view) == "Cosine annealing"
    assert not view.open_section("no-such-section")


def test_a_link_of_the_key_table_opens_its_section(view):
    view.resize(800, 500)
    from PySide6.QtCore import QUrl

    view.browser.anchorClicked.emit(QUrl("#datasplit"))
    assert _heading_at_top(view) == "data.split"


def test_the_find_field_selects_each_occurrence_and_says_when_there_is_none(view, qtbot):
    qtbot.keyClicks(view.find_field, "Nesterov")
    first = view.browser.textCursor()
    assert first.selectedText().lower() == "nesterov"
    qtbot.keyClick(view.find_field, Qt.Key.Key_Return)
    second = view.browser.textCursor()
    assert second.selectedText().lower() == "nesterov"
    assert second.selectionStart() > first.selectionStart()
    view.find_field.clear()
    qtbot.keyClicks(view.find_field, "qwxzy")
    assert view.found_label.text() == "not found"


def test_each_settings_field_has_a_help_button_that_opens_its_section(window, qtbot):
    buttons = window.lessons.help_buttons
    panel = window.config_panel
    assert set(buttons) == {k for k in panel.fields if k != "model.hidden"}
    window.resize(1400, 900)
    qtbot.mouseClick(buttons["optimizer.lr"], Qt.MouseButton.LeftButton)
    view = window.lessons.formulas
    qtbot.waitUntil(lambda: view.isVisible())
    assert view.current == "optimizerlr"
    # a choice opens the section of the value the settings hold
    window.session.draft.set("optimizer.name", "adam")
    qtbot.mouseClick(buttons["optimizer.name"], Qt.MouseButton.LeftButton)
    assert view.current == "adam"
    qtbot.mouseClick(buttons["data.split.val"], Qt.MouseButton.LeftButton)
    assert view.current == "datasplit"
    # the button hides with its field's row (beta1 is Adam's)
    window.session.draft.set("optimizer.name", "sgd")
    qtbot.waitUntil(lambda: not buttons["optimizer.beta1"].isVisible())


def test_help_formulas_opens_the_page(window, qtbot):
    window.lessons.formulas_action.trigger()
    qtbot.waitUntil(lambda: window.lessons.formulas is not None
                    and window.lessons.formulas.isVisible())
    assert anchor("Key table") in window.lessons.formulas.anchors()


def test_a_missing_page_is_said_in_words(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr("trainlab.gui.formulas_view.formulas_md", lambda: tmp_path / "f.md")
    v = FormulasView()
    qtbot.addWidget(v)
    assert "missing from this installation" in v.browser.document().toPlainText()


def test_the_wheel_ships_formulas_md_where_the_installed_package_finds_it(tmp_path,
                                                                          monkeypatch):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"]["trainlab.resources.docs"] == "docs"
    assert config["package-data"]["trainlab.resources.docs"] == ["formulas.md"]
    assert "trainlab.resources.docs" in config["packages"]
    assert paths.formulas_md() == ROOT / "docs" / "formulas.md"  # a checkout
    package = tmp_path / "site-packages" / "trainlab"
    (package / "resources" / "docs").mkdir(parents=True)
    (package / "resources" / "docs" / "formulas.md").write_text("# Formulas\n")
    monkeypatch.setattr(paths.resources, "files", lambda name: package)
    assert paths.formulas_md() == package / "resources" / "docs" / "formulas.md"
