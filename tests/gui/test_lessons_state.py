"""The Qt-free side of the lessons in the window: the formulas key table, the open lesson,
the browser's search and the variant queue."""

from __future__ import annotations

import json

from trainlab.lessons import catalog
from trainlab.lessons.index import LessonEntry
from trainlab.lessons.model import TOPICS
from trainlab.session.formulas import Section, key_table, parse_key_table, section_for
from trainlab.session.lesson import LessonState, VariantQueue, grouped, matches, read_lesson

TABLE = """# Title

| preset key | section |
|---|---|
| `optimizer` | [Optimizers](#optimizers) |
| `optimizer.name=adam` | [Adam](#adam) |
| `data.split` | [data.split](#datasplit) |
"""


def test_the_key_table_maps_keys_and_choices_to_sections():
    table = parse_key_table(TABLE)
    assert table == {"optimizer": Section("Optimizers", "optimizers"),
                     "optimizer.name=adam": Section("Adam", "adam"),
                     "data.split": Section("data.split", "datasplit")}
    assert section_for("optimizer.name", "adam", table).anchor == "adam"
    # no row of its own: the closest parent's section
    assert section_for("optimizer.name", "sgd", table).anchor == "optimizers"
    assert section_for("data.split.train", None, table).anchor == "datasplit"
    assert section_for("training.epochs", None, table) is None


def test_every_settings_key_has_a_section_in_the_shipped_table():
    from trainlab.gui.tooltips import FIELDS

    table = key_table()
    assert len(table) > 50
    missing = [key for key in FIELDS if section_for(key, table=table) is None]
    assert missing == []


def _entry(tmp_path, title, topic, line, kind="preset"):
    return LessonEntry(tmp_path / f"{title}.json", title, topic, line, kind, None)


def test_search_matches_every_word_in_title_line_or_chapter(tmp_path):
    a = _entry(tmp_path, "Nesterov look-ahead", "momentum_adaptive", "Momentum, one step early.")
    b = _entry(tmp_path, "Dropout", "regularization", "Units switched off at random.")
    assert matches(a, "") and matches(b, "")
    assert matches(a, "NESTEROV") and not matches(b, "nesterov")
    assert matches(b, "regularization random") and not matches(b, "regularization momentum")
    assert matches(a, "adaptive")  # the chapter's display name
    groups = grouped([b, a], "")
    assert list(groups) == ["momentum_adaptive", "regularization"]  # teaching order
    assert grouped([a, b], "dropout") == {"regularization": [b]}


def test_the_shipped_lessons_group_in_teaching_order():
    entries = catalog()
    order = list(grouped(entries))
    assert order == [t for t in TOPICS if t in order]
    assert sum(len(v) for v in grouped(entries).values()) == len(entries)


def test_a_lesson_file_reads_into_what_the_banner_shows(tmp_path):
    path = tmp_path / "l.json"
    path.write_text(json.dumps({
        "format": "trainlab-preset", "name": "Rates",
        "variants": [{"label": "a", "set": {"optimizer.lr": 0.1}},
                     {"label": "b", "set": {"optimizer.lr": 1.0}}],
        "lesson": {"topic": "gradient_descent", "look_for": "Watch it.",
                   "try_next": [{"label": "tiny", "set": {"optimizer.lr": 0.001}}],
                   "formulas": ["SGD"]}}), encoding="utf-8")
    lesson = read_lesson(path)
    assert (lesson.title, lesson.kind, lesson.topic_name) == ("Rates", "preset",
                                                             "Gradient descent")
    assert lesson.look_for == "Watch it."
    assert lesson.try_next == (("tiny", {"optimizer.lr": 0.001}),)
    assert [label for label, _ in lesson.variants] == ["a", "b"]
    assert lesson.formulas == ("SGD",)
    state = LessonState()
    seen = []
    state.events.opened.connect(lambda lesson: seen.append(lesson.title))
    state.events.closed.connect(lambda: seen.append("closed"))
    state.open(lesson)
    state.close()
    state.close()  # closing twice tells once
    assert seen == ["Rates", "closed"]


def test_the_variant_queue_hands_out_each_variant_once_in_order():
    queue = VariantQueue((("a", {}), ("b", {}), ("c", {})))
    assert queue.next()[0] == "a" and queue.done == 1
    assert queue.next()[0] == "b"
    queue.cancel()
    assert queue.next() is None and queue.total == 3
