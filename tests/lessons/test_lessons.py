"""Lesson files validate; variants train into sub-directories; the examples' claims hold."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainlab.engine.schedules import Schedule
from trainlab.lessons import catalog, run_variants
from trainlab.lessons.index import lessons_dir
from trainlab.presets import PresetError, load_preset, validate_preset

LESSONS = sorted(p for p in lessons_dir().glob("*.json")  # the preset kind (see test_lesson_files)
                 if json.loads(p.read_text(encoding="utf-8"))["format"] == "trainlab-preset")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_file_validates_and_is_indexed(path):
    preset = load_preset(path)
    assert preset.lesson is not None
    assert path in [e.path for e in catalog()]


def test_catalog_is_in_topic_order():
    topics = [e.topic for e in catalog()]
    from trainlab.lessons import TOPICS
    order = list(TOPICS)
    assert [order.index(t) for t in topics] == sorted(order.index(t) for t in topics)


BASE = {"format": "trainlab-preset", "data": {"source": "line", "n_samples": 40},
        "model": {"hidden": [], "activation": "identity"}, "loss": {"name": "mse"},
        "optimizer": {"name": "sgd", "lr": 0.1}, "training": {"epochs": 3, "batch_size": 8}}


def test_unknown_variant_key_names_the_closest_one():
    with pytest.raises(PresetError, match=r"variants\[0\].set: unknown key 'optimizer.lrr'; "
                                          r"did you mean 'optimizer.lr'"):
        validate_preset({**BASE, "variants": [{"label": "a", "set": {"optimizer.lrr": 1}}]})


def test_bad_variant_value_is_refused_at_its_key():
    with pytest.raises(PresetError, match=r"variants\[0\].set.optimizer.lr: must be > 0"):
        validate_preset({**BASE, "variants": [{"label": "a", "set": {"optimizer.lr": -1}}]})


def test_lesson_formula_keys_must_be_sections_and_look_for_short():
    lesson = {"topic": "gradient_descent", "look_for": "One. Two. Three. Four.",
              "formulas": ["SGD"]}
    with pytest.raises(PresetError, match="1 to 3 sentences, got 4"):
        validate_preset({**BASE, "lesson": lesson})
    with pytest.raises(PresetError, match="no section of docs/formulas.md"):
        validate_preset({**BASE, "lesson": {**lesson, "look_for": "Watch.",
                                            "formulas": ["no such thing"]}})


def test_variants_train_into_sub_directories_on_the_same_data(tmp_path):
    preset = {**BASE, "variants": [{"label": "lr 0.1", "set": {"optimizer.lr": 0.1}},
                                   {"label": "batch 4", "set": {"training.batch_size": 4}}]}
    results = run_variants(preset, tmp_path, save_data=True)
    assert list(results) == ["lr 0.1", "batch 4"]
    for label, folder in (("lr 0.1", "lr-0-1"), ("batch 4", "batch-4")):
        saved = json.loads((tmp_path / folder / "preset.json").read_text())
        assert "variants" not in saved and results[label].out_dir == tmp_path / folder
    assert json.loads((tmp_path / "batch-4" / "preset.json").read_text())[
        "training"]["batch_size"] == 4
    a, b = (np.load(tmp_path / f / "data.npz") for f in ("lr-0-1", "batch-4"))
    assert np.array_equal(a["X_train"], b["X_train"])
    w0 = [np.load(tmp_path / f / "weights_initial.npz")["W1"] for f in ("lr-0-1", "batch-4")]
    assert np.array_equal(*w0)
    # the variant equals a plain run of its own preset.json, bit for bit
    from trainlab import train
    again = train(tmp_path / "lr-0-1" / "preset.json", write_files=False)
    assert np.array_equal(again.params_final["W1"], results["lr 0.1"].params_final["W1"])


def _last(result, column):
    return float(result.history[column][len(result.history) - 1])


def test_lr_effects_claims():
    r = run_variants(lessons_dir() / "lr_effects.json", write_files=False)
    assert _last(r["lr 1.1"], "train_loss") > 1e3 * _last(r["lr 0.1"], "train_loss")
    assert _last(r["lr 0.01"], "train_loss") > 10 * _last(r["lr 0.1"], "train_loss")
    assert float(r["lr 0.5"].history["train_loss"][1]) < float(
        r["lr 0.1"].history["train_loss"][1])


def test_online_minibatch_full_claims():
    r = run_variants(lessons_dir() / "online_minibatch_full.json", write_files=False)
    online, mini, full = (_last(r[k], "train_loss") for k in r)
    assert online < mini < full


def test_inverse_power_schedule_lr_column():
    r = run_variants(lessons_dir() / "inverse_power_schedule.json", write_files=False)
    for label, power in (("power 0.5", 0.5), ("power 1", 1.0)):
        lrs = r[label].history["lr"][1:]
        assert np.allclose(lrs, [0.05 / (1 + e) ** power for e in range(len(lrs))],
                           rtol=1e-15)
    assert np.allclose(r["constant"].history["lr"][1:], 0.05)
    s = Schedule("inverse_power", 0.3, power=2.0, warmup_epochs=2)
    assert [s.lr(e) for e in range(4)] == [0.15, 0.3, 0.3, 0.3 / 4]
    assert math.isclose(Schedule("inverse_power", 1.0, power=0.5).lr(3),
                        Schedule("inverse_sqrt", 1.0).lr(3))


def test_momentum_beats_sgd_at_the_same_rate():
    r = run_variants(lessons_dir() / "momentum_vs_sgd.json", write_files=False)
    assert _last(r["momentum 0.9"], "train_loss") < _last(r["sgd"], "train_loss")


def test_l2_keeps_the_weights_smaller():
    r = run_variants(lessons_dir() / "l2_weight_decay.json", write_files=False)
    norm = "w_norm_1"
    assert _last(r["l2 0.01"], norm) < _last(r["no penalty"], norm)
