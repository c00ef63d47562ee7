"""The Lessons browser, the open lesson's banner and comparison lessons in the window."""

from __future__ import annotations

import json
import math

from PySide6.QtCore import Qt

from trainlab.gui.lessons.browser import LessonsBrowser
from trainlab.lessons import catalog
from trainlab.lessons.index import lessons_dir
from trainlab.lessons.model import TOPICS

LR_LESSON = lessons_dir() / "lr_effects.json"


def _lesson_file(folder, name, **extra):
    data = {"format": "trainlab-preset", "version": 1, "name": name,
            "data": {"source": "xor", "n_samples": 40}, "model": {"hidden": [3]},
            "training": {"epochs": 3},
            "lesson": {"topic": "regularization", "look_for": f"What {name} shows."}}
    data.update(extra)
    path = folder / f"{name.lower().replace(' ', '_')}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_every_lesson_is_a_card_under_its_chapter_in_teaching_order(qtbot):
    entries = catalog()
    browser = LessonsBrowser(entries)
    qtbot.addWidget(browser)
    browser.resize(900, 700)
    browser.show()
    assert len(browser.visible_cards()) == len(entries) > 0
    grid = browser.grid
    rows = {}
    for i in range(grid.count()):
        row, *_ = grid.getItemPosition(i)
        rows.setdefault(row, []).append(grid.itemAt(i).widget())
    topics_shown = [w.text() for r in sorted(rows) for w in rows[r]
                    if w in browser.headers.values()]
    assert topics_shown == [TOPICS[t] for t in TOPICS if any(e.topic == t for e in entries)]
    # each card sits below its own chapter's heading and above the next one's
    heading_row = {w.text(): r for r in rows for w in rows[r] if w in browser.headers.values()}
    for entry in entries:
        card = browser.cards[str(entry.path)]
        row = grid.getItemPosition(grid.indexOf(card))[0]
        assert max(h for h in heading_row.values() if h < row) == heading_row[entry.topic_name]


def test_search_filters_by_title_text_and_chapter(qtbot, tmp_path):
    _lesson_file(tmp_path, "Dropout at test time")
    _lesson_file(tmp_path, "Zero init", lesson={"topic": "activations_init",
                                                "look_for": "Symmetry never breaks."})
    browser = LessonsBrowser(catalog(tmp_path))
    qtbot.addWidget(browser)
    browser.show()
    titles = lambda: [c.entry.title for c in browser.visible_cards()]  # noqa: E731
    assert titles() == ["Zero init", "Dropout at test time"]  # by chapter order
    qtbot.keyClicks(browser.search, "dropout")
    assert titles() == ["Dropout at test time"]
    assert browser.count_label.text() == "1 of 2"
    browser.search.setText("initialization")  # the chapter's name
    assert titles() == ["Zero init"]
    browser.search.setText("nothing like this")
    assert titles() == [] and not browser.empty_label.isHidden()
    assert not any(c.isVisible() for c in browser.cards.values())


def test_a_card_shows_the_thumbnail_when_there_is_one_else_a_placeholder(qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    with_thumb = _lesson_file(tmp_path, "With picture")
    _lesson_file(tmp_path, "Without picture")
    (tmp_path / "thumbnails").mkdir()
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff0000"))
    image.save(str(tmp_path / "thumbnails" / f"{with_thumb.stem}.png"))
    browser = LessonsBrowser(catalog(tmp_path))
    qtbot.addWidget(browser)
    cards = {c.entry.title: c for c in browser.cards.values()}
    red = cards["With picture"].thumbnail.pixmap().toImage()
    assert cards["With picture"].has_thumbnail
    assert QColor(red.pixel(red.width() // 2, red.height() // 2)) == QColor("#ff0000")
    plain = cards["Without picture"]
    assert not plain.has_thumbnail
    assert plain.thumbnail.pixmap().size() == plain.thumbnail.size()  # fills its room


def test_help_lessons_shows_the_browser_in_place_of_the_plots_and_close_brings_them_back(
        window, qtbot):
    lessons = window.lessons
    assert not lessons.browsing  # tests start with restore=False: no start page
    titles = [a.text() for a in window.menuBar().actions()[-1].menu().actions()]
    assert titles[:2] == ["&Lessons", "&Formulas"]
    lessons.browser_action.trigger()
    qtbot.waitUntil(lambda: lessons.browser.isVisible())
    assert not window.plots.isVisible()
    qtbot.mouseClick(lessons.browser.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.plots.isVisible())
    assert not lessons.browser.isVisible()


def test_the_browser_is_the_start_page_of_a_first_start_only(qtbot, tmp_path):
    from trainlab.gui.settings import Settings
    from trainlab.gui.window import MainWindow

    seen = []
    for _ in range(2):
        w = MainWindow(settings=Settings(tmp_path / "s.ini"), runs_dir=tmp_path / "runs",
                       restore=True)
        qtbot.addWidget(w)
        seen.append(w.lessons.browsing)
        w.settings.sync()
        w.controller.shutdown()
    assert seen == [True, False]


def test_one_click_opens_the_lesson_with_its_look_for_banner(window, qtbot):
    lessons = window.lessons
    lessons.show_browser(True)
    card = lessons.browser.cards[str(LR_LESSON)]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lessons.banner.isVisible())
    draft = window.session.draft
    assert draft.path == LR_LESSON and draft.name == "The effects of different learning rates"
    assert window.plots.isVisible() and not lessons.browser.isVisible()
    text = json.loads(LR_LESSON.read_text())["lesson"]["look_for"]
    assert lessons.banner.look_for.text() == f"Look for: {text}"
    # the banner sits above the plots
    assert lessons.banner.geometry().bottom() <= window.plots.geometry().top()
    # a try-next button applies its overrides with one click
    button = lessons.banner.try_buttons[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert draft.get("optimizer.lr") == 0.99 and draft.dirty
    qtbot.mouseClick(lessons.banner.close_button, Qt.MouseButton.LeftButton)
    assert not lessons.banner.isVisible() and lessons.state.current is None


def test_train_on_a_comparison_card_trains_every_variant_on_the_same_data_and_seed(
        window, qtbot):
    lessons = window.lessons
    lessons.show_browser(True)
    card = lessons.browser.cards[str(LR_LESSON)]
    qtbot.mouseClick(card.train_button, Qt.MouseButton.LeftButton)
    labels = [v["label"] for v in json.loads(LR_LESSON.read_text())["variants"]]
    runs = window.session.runs
    qtbot.waitUntil(lambda: len(runs.entries) == len(labels) and lessons._base is None
                    and not runs.active, timeout=120_000)
    entries = list(runs.entries.values())
    assert [e.name.split(" ", 1)[1] for e in entries] == labels
    assert [e.preset["optimizer"]["lr"] for e in entries] == [0.01, 0.1, 0.5, 1.1]
    assert {e.preset["seed"] for e in entries} == {0}
    # same data and initial weights: the same loss before the first update
    first = {e.history["train_loss"][0] for e in entries}
    assert len(first) == 1
    # all overlaid, and the lesson's claim: 1.1 climbs away, 0.1 goes down
    assert set(runs.visible_ids()) == {e.run_id for e in entries}
    rising = entries[3].history["train_loss"]
    assert entries[3].status == "diverged" or rising[-1] > rising[0]
    falling = entries[1].history["train_loss"]
    assert falling[len(falling) - 1] < falling[0]
    # the settings come back as the file has them
    assert window.session.draft.get("optimizer.lr") == 0.1 and not window.session.draft.dirty
    assert not math.isnan(entries[0].history["train_loss"][-1])


def test_a_sweep_lesson_without_a_search_view_says_how_to_run_it(window, qtbot, tmp_path):
    path = tmp_path / "grid.json"
    path.write_text(json.dumps({"format": "trainlab-sweep", "name": "A grid",
                                "lesson": {"topic": "validation", "look_for": "Look."}}))
    if hasattr(window, "search"):
        return  # the search view takes it; its own tests cover that
    assert not window.lessons.open(path)
    assert "trainlab sweep" in window.banner.text and "A grid" in window.banner.text
    assert window.lessons.state.current is None


def test_an_unreadable_lesson_file_is_one_line_in_the_banner(window, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    assert not window.lessons.open(path)
    assert window.banner.text.startswith("Cannot open the lesson broken.json:")
    assert "\n" not in window.banner.text
