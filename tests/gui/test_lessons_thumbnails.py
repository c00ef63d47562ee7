"""Lesson thumbnails: a brief real run drawn small, saved where the browser looks."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor, QImage

from trainlab.gui.lesson_thumbnails import PALETTE, SIZE, make_all
from trainlab.lessons import catalog
from trainlab.lessons.thumbnails import main


def _colours(image: QImage, x0: int, x1: int) -> set[str]:
    return {QColor(image.pixel(x, y)).name() for x in range(x0, x1, 3)
            for y in range(0, image.height(), 3)}


def test_a_lesson_gets_a_small_png_with_its_loss_curves_and_decision_regions(qapp, tmp_path):
    lesson = tmp_path / "xor_lesson.json"
    lesson.write_text(json.dumps({
        "format": "trainlab-preset", "name": "XOR", "data": {"source": "xor", "n_samples": 60},
        "model": {"hidden": [4]}, "training": {"epochs": 5},
        "variants": [{"label": "a", "set": {"optimizer.lr": 0.1}},
                     {"label": "b", "set": {"optimizer.lr": 0.5}}],
        "lesson": {"topic": "gradient_descent", "look_for": "Look."}}))
    entries = catalog(tmp_path)
    assert entries[0].thumbnail is None
    written = make_all(entries, report=lambda line: None)
    assert written == [tmp_path / "thumbnails" / "xor_lesson.png"]
    assert written[0].stat().st_size < 30_000
    image = QImage(str(written[0]))
    assert (image.width(), image.height()) == SIZE
    left = _colours(image, 0, SIZE[0] // 2)
    assert {PALETTE[0], PALETTE[1]} <= left  # one loss curve per variant
    right = _colours(image, SIZE[0] // 2, SIZE[0])
    assert "#c6dbef" in right or "#fdd0a2" in right  # the class regions
    assert catalog(tmp_path)[0].thumbnail == written[0]  # the browser finds it


def test_the_command_refuses_an_unknown_lesson_name(capsys):
    assert main(["no_such_lesson"]) == 2
    assert "no lesson named no_such_lesson" in capsys.readouterr().err


def test_every_shipped_lesson_has_its_thumbnail_under_30_kb():
    for entry in catalog():
        assert entry.thumbnail is not None, f"{entry.path.name}: no thumbnail"
        assert entry.thumbnail.stat().st_size < 32_000
