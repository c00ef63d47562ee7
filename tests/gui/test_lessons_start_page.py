"""The Lessons browser as the window's start page: it takes the whole window and gives the
docks back as they were, its cards fill rows that grow with the width, no card text leaves
its card, and a fresh window's size follows the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication

from trainlab.gui.lessons.browser import SPACING, LessonsBrowser
from trainlab.gui.lessons.cards import (
    LINE_LINES,
    TITLE_LINES,
    WIDTH_IN_LINES,
    LessonCard,
    card_size,
    elide_lines,
)
from trainlab.gui.lessons.controller import BROWSING, READY
from trainlab.lessons import catalog
from trainlab.lessons.index import LessonEntry, lessons_dir

LR_LESSON = lessons_dir() / "lr_effects.json"


def _docks(window):
    return [window.settings_dock, window.data_dock, window.runs_dock]


def test_the_browser_takes_the_whole_window_and_gives_the_docks_back_as_they_were(
        window, qtbot):
    window.runs_dock.hide()  # closed by the teacher before: it stays closed afterwards
    before = [d.isHidden() for d in _docks(window)]
    lessons = window.lessons
    lessons.show_browser(True)
    qtbot.waitUntil(lambda: lessons.browser.isVisible())
    assert all(d.isHidden() for d in _docks(window))
    assert window.plots.isHidden() and window.timeline.widget.isHidden()
    central = window.centralWidget()
    qtbot.waitUntil(lambda: central.width() >= window.width() - 20)
    assert window.notices.current() == BROWSING
    qtbot.mouseClick(lessons.browser.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.plots.isVisible())
    assert [d.isHidden() for d in _docks(window)] == before == [False, False, True]
    assert not window.timeline.widget.isHidden()
    assert window.notices.current() == READY


def test_opening_a_lesson_from_the_start_page_brings_the_docks_back(window, qtbot):
    lessons = window.lessons
    lessons.show_browser(True)
    card = lessons.browser.cards[str(LR_LESSON)]
    qtbot.waitUntil(card.isVisible)
    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.settings_dock.isVisible())
    assert not any(d.isHidden() for d in _docks(window))
    assert lessons.banner.isVisible() and not lessons.browser.isVisible()


def test_closing_the_window_on_the_start_page_saves_its_docks_shown(window, qtbot):
    window.lessons.show_browser(True)
    window.close()
    assert not any(d.isHidden() for d in _docks(window))
    assert not window.lessons.browsing


def test_a_first_start_opens_on_the_browser_alone(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    w = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=tmp_path / "runs",
                   restore=True)
    qtbot.addWidget(w)
    w.show()
    assert w.lessons.browsing and w.notices.current() == BROWSING
    # the parts the window adds after the lessons (the timeline) step aside too
    qtbot.waitUntil(lambda: w.timeline.widget.isHidden())
    assert all(d.isHidden() for d in _docks(w)) and w.plots.isHidden()
    w.lessons.show_browser(False)
    assert not any(d.isHidden() for d in _docks(w)) and not w.timeline.widget.isHidden()
    w.controller.shutdown()


def test_the_status_line_names_the_key_that_trains_everywhere(window):
    action = window.run_controls.train_action
    assert QKeySequence(Qt.Key.Key_F5) in action.shortcuts()
    assert window.notices.current() == READY
    assert "F5" in READY and "Space too, when no text field has the focus" in READY


def _columns_at(browser, qtbot, width):
    browser.resize(width, 700)
    qtbot.waitUntil(lambda: browser.scroll.width() > width - 60)
    qtbot.waitUntil(lambda: browser.columns == browser._fitting_columns()[0])
    return browser.columns


def test_cards_to_a_row_grow_with_the_width_and_fill_it(qtbot):
    browser = LessonsBrowser(catalog())
    qtbot.addWidget(browser)
    browser.show()
    widths = [700, 1024, 1280, 1600, 1920, 2400]
    columns = [_columns_at(browser, qtbot, w) for w in widths]
    assert columns == sorted(columns) and columns[0] < columns[-1]
    assert 3 <= columns[widths.index(1280)] and columns[widths.index(1920)] <= 5
    _columns_at(browser, qtbot, 1280)
    cards = browser.visible_cards()
    first_row = {browser.grid.getItemPosition(browser.grid.indexOf(c))[0] for c in cards[:3]}
    assert len(first_row) == 1  # three cards side by side
    room = browser.scroll.viewport().width()
    width = cards[0].width()
    assert width >= card_size().min_width
    assert browser.columns * width + (browser.columns - 1) * SPACING <= room
    for card in cards:  # the card's rows get the height they ask for: nothing squeezed
        assert card.layout().minimumSize().height() <= card.height()
        assert card.title.height() >= TITLE_LINES * QFontMetricsF(card.title.font()).height()


def _entry(tmp_path, title, line):
    path = tmp_path / "long.json"
    path.write_text("{}", encoding="utf-8")
    return LessonEntry(path=path, title=title, one_line=line, topic="regularization",
                       kind="preset", thumbnail=None)


def test_long_titles_and_lines_are_cut_to_their_lines_and_end_in_an_ellipsis(qtbot, tmp_path):
    words = "a very long sentence about weights and gradients that goes on " * 6
    card = LessonCard(_entry(tmp_path, "Title " + words, "Line " + words))
    qtbot.addWidget(card)
    card.fit(card_size().min_width, card_size())
    card.show()
    for label, lines, start in ((card.title, TITLE_LINES, "Title"),
                                (card.line, LINE_LINES, "Line")):
        shown = label.text().split("\n")
        assert len(shown) == lines and shown[-1].endswith("…")
        assert shown[0].startswith(start)
        metrics = QFontMetricsF(label.font())
        assert all(metrics.horizontalAdvance(row) <= label.contentsRect().width() + 1
                   for row in shown)
        assert lines * metrics.lineSpacing() <= label.height()
        kept = " ".join(row.rstrip("…").strip() for row in shown)
        assert words.replace("  ", " ").strip().startswith(kept.split(" ", 1)[1][:40])


def test_a_short_line_is_left_whole():
    font = QFont(QApplication.font())
    assert elide_lines("Two weights, full batch.", font, 400, 3) == "Two weights, full batch."


def test_a_card_s_size_follows_the_font_so_the_zoom_counts(qapp):
    original = QFont(qapp.font())
    try:
        small = card_size()
        assert small.min_width == round(WIDTH_IN_LINES * QFontMetricsF(qapp.font()).height())
        bigger = QFont(original)
        bigger.setPointSizeF(original.pointSizeF() * 1.5)  # what a zoom of 1.5 does
        qapp.setFont(bigger)
        big = card_size()
        assert big.min_width > small.min_width * 1.3 and big.height > small.height * 1.3
    finally:
        qapp.setFont(original)


def test_a_fresh_window_takes_most_of_a_big_screen_and_all_of_a_small_one():
    from trainlab.gui.window import FRAME_ROOM, fresh_size

    assert fresh_size(1920, 1080) == (1728, 972)  # 90 %
    assert fresh_size(2560, 1440) == (2304, 1296)
    assert fresh_size(1280, 720) == (1280 - FRAME_ROOM[0], 720 - FRAME_ROOM[1])  # all of it
    assert fresh_size(1024, 768) == (1024 - FRAME_ROOM[0], 768 - FRAME_ROOM[1])


def test_the_fresh_window_size_follows_the_screen_s_available_geometry(
        qtbot, tmp_path, monkeypatch):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1920, 1080))
    w = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=None, restore=False)
    qtbot.addWidget(w)
    assert (w.width(), w.height()) == (1728, 972)
    assert (w.x(), w.y()) == ((1920 - 1728) // 2, (1080 - 972) // 2)  # centred
    w.controller.shutdown()
