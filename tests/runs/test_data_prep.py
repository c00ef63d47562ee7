"""SPEC §11 as a run sees it: seeded stratified splits, scaling fitted on the training rows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainlab.data import load_dataset
from trainlab.presets import load_preset, preset_to_dict, validate_preset
from trainlab.runs.loop import train
from trainlab.runs.prepared import prepare

from .helpers import load_npz, preset


def raw_dataset(p):
    d = preset_to_dict(p)["data"]
    return load_dataset(d, seed=p.seed, base_dir=p.path.parent if p.path else None)


SOURCES = {
    "spirals": preset(data={"source": "spirals", "n_samples": 90, "classes": 3}),
    "sine": preset(data={"source": "sine", "n_samples": 50}, loss={"name": "mse"}),
    "wine": preset(data={"source": "wine"}),
}


@pytest.mark.parametrize("case", list(SOURCES))
def test_standardize_is_fitted_on_the_training_rows_only(case):
    p = validate_preset(SOURCES[case])
    splits = prepare(p).splits
    ds = raw_dataset(p)
    raw_train = ds.X[splits.train_idx]
    # the scaler's offset is the mean of the unscaled training rows, exactly
    assert np.array_equal(splits.scaler.offset, raw_train.mean(axis=0))
    assert np.array_equal(splits.scaler.scale, raw_train.std(axis=0))
    # ...not the mean of all rows
    assert not np.allclose(splits.scaler.offset, ds.X.mean(axis=0), rtol=1e-9, atol=0)
    # training columns are standardized; the other splits use the training statistics
    np.testing.assert_allclose(splits.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(splits.X_train.std(axis=0), 1.0, rtol=1e-12)
    for name, idx in (("val", splits.val_idx), ("test", splits.test_idx)):
        expected = (ds.X[idx] - splits.scaler.offset) / splits.scaler.scale
        assert np.array_equal(getattr(splits, f"X_{name}"), expected)
        assert np.array_equal(getattr(splits, f"y_{name}"), ds.y[idx])


def test_minmax_maps_the_training_range_to_0_1():
    p = validate_preset(preset(SOURCES["spirals"], data={"scaling": "minmax"}))
    splits = prepare(p).splits
    raw_train = raw_dataset(p).X[splits.train_idx]
    assert np.array_equal(splits.scaler.offset, raw_train.min(axis=0))
    assert np.array_equal(splits.X_train.min(axis=0), np.zeros(2))
    assert np.array_equal(splits.X_train.max(axis=0), np.ones(2))


def test_no_scaling_keeps_the_raw_values():
    p = validate_preset(preset(SOURCES["spirals"], data={"scaling": "none"}))
    splits = prepare(p).splits
    ds = raw_dataset(p)
    assert np.array_equal(splits.X_train, ds.X[splits.train_idx])


def test_splits_partition_the_rows_by_the_fractions():
    p = validate_preset(SOURCES["sine"])
    splits = prepare(p).splits
    rows = np.concatenate([splits.train_idx, splits.val_idx, splits.test_idx])
    assert np.array_equal(np.sort(rows), np.arange(50))
    assert (len(splits.train_idx), len(splits.val_idx), len(splits.test_idx)) == (35, 8, 7)


def test_data_npz_holds_the_splits_the_run_trained_on(tmp_path):
    data = SOURCES["spirals"]
    train(data, out_dir=tmp_path / "run", save_data=True)
    saved = load_npz(tmp_path / "run" / "data.npz")
    splits = prepare(validate_preset(data)).splits
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        assert np.array_equal(saved[name], getattr(splits, name)), name
    assert saved["y_train"].dtype.kind == "i"


def test_stratification_keeps_the_class_ratios(tmp_path):
    """60/30/10 rows of three classes: every split holds each class within one row of its
    share, and the totals follow the fractions."""
    labels = ["common"] * 60 + ["middle"] * 30 + ["rare"] * 10
    rng = np.random.default_rng(7)
    rng.shuffle(labels)
    lines = [f"{i},{(i * 37) % 101},{label}" for i, label in enumerate(labels)]
    (tmp_path / "uneven.csv").write_text("u,v,kind\n" + "\n".join(lines) + "\n", encoding="utf-8")
    file = tmp_path / "uneven.json"
    fractions = {"train": 0.6, "val": 0.25, "test": 0.15}
    file.write_text(json.dumps(preset(data={"source": "csv", "path": "uneven.csv",
                                            "split": fractions})), encoding="utf-8")
    p = load_preset(file)
    splits = prepare(p).splits
    assert splits.class_names == ["common", "middle", "rare"]
    sizes = np.array([60, 30, 10])
    for name, f in fractions.items():
        y = getattr(splits, f"y_{name}")
        counts = np.bincount(y, minlength=3)
        assert np.all(np.abs(counts - sizes * f) < 1), (name, counts)
        assert len(y) == round(100 * f)
    # the same through data.npz of a run
    train(file, out_dir=tmp_path / "run", save_data=True, epochs=1)
    saved = load_npz(tmp_path / "run" / "data.npz")
    for name, f in fractions.items():
        counts = np.bincount(saved[f"y_{name}"], minlength=3)
        assert np.all(np.abs(counts - sizes * f) < 1)


def test_splits_are_seeded():
    a = prepare(validate_preset(SOURCES["wine"])).splits
    b = prepare(validate_preset(SOURCES["wine"])).splits
    c = prepare(validate_preset(preset(SOURCES["wine"], seed=1))).splits
    assert np.array_equal(a.train_idx, b.train_idx) and np.array_equal(a.X_val, b.X_val)
    assert not np.array_equal(a.train_idx, c.train_idx)


def test_a_relative_csv_path_is_read_from_the_presets_folder(tmp_path, monkeypatch):
    lab = tmp_path / "lab"
    lab.mkdir()
    rows = "".join(f"{i},{i % 3},{'ab'[i % 2]}\n" for i in range(20))
    (lab / "t.csv").write_text("p,q,r\n" + rows, encoding="utf-8")
    (lab / "p.json").write_text(json.dumps(preset(data={"source": "csv", "path": "t.csv"})),
                                encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    splits = prepare(lab / "p.json").splits
    assert splits.n_features == 2 and splits.class_names == ["a", "b"]
