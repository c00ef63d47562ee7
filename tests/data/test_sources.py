import numpy as np
import pytest

from trainlab.data import (
    BUNDLED,
    CLASSIFICATION_SOURCES,
    GENERATORS,
    REGRESSION_SOURCES,
    DataError,
    Dataset,
    load_dataset,
    source_task,
)


def test_source_lists_cover_every_generator_and_bundled_set():
    assert set(CLASSIFICATION_SOURCES) | set(REGRESSION_SOURCES) == set(GENERATORS) | set(BUNDLED)
    assert not set(CLASSIFICATION_SOURCES) & set(REGRESSION_SOURCES)
    assert "diabetes" in REGRESSION_SOURCES and "iris" in CLASSIFICATION_SOURCES


def test_source_task():
    assert source_task("spirals") == "classification"
    assert source_task("sine") == "regression"
    assert source_task("diabetes") == "regression"
    assert source_task("csv") is None
    with pytest.raises(DataError, match="data.source"):
        source_task("spiral")


def test_generated_dataset():
    data = {"source": "spirals", "n_samples": 300, "noise": 0.1, "classes": 3}
    ds = load_dataset(data, seed=5)
    assert isinstance(ds, Dataset)
    assert ds.name == "three spirals"
    assert ds.n_classes == 3 and ds.class_names == ["class 0", "class 1", "class 2"]
    assert ds.feature_names == ["x1", "x2"]
    np.testing.assert_array_equal(ds.X, load_dataset(data, seed=5).X)
    assert not np.array_equal(ds.X, load_dataset(data, seed=6).X)


def test_two_class_generator_ignores_classes():
    ds = load_dataset({"source": "moons", "n_samples": 100, "noise": 0.1, "classes": 5}, seed=0)
    assert ds.n_classes == 2 and ds.name == "two moons"


def test_regression_generator():
    ds = load_dataset({"source": "line", "n_samples": 50, "noise": 0.1}, seed=0)
    assert ds.task == "regression" and ds.y.shape == (50, 1)
    assert ds.feature_names == ["x"] and ds.target_name == "y"


def test_defaults_for_missing_or_none_keys():
    ds = load_dataset({"source": "circles", "n_samples": None, "path": None, "target": None}, 0)
    assert ds.n_samples == 600


def test_bundled_dataset():
    ds = load_dataset({"source": "iris", "n_samples": 10, "noise": 3.0}, seed=0)
    assert ds.X.shape == (150, 4)


def test_csv_relative_to_base_dir(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.csv").write_text("a,b\n1,x\n2,y\n3,x\n")
    ds = load_dataset({"source": "csv", "path": "sub/d.csv", "target": "b"}, 0, base_dir=tmp_path)
    assert ds.class_names == ["x", "y"] and ds.name == "d.csv"


def test_csv_target_and_task(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n7,8,9\n")
    ds = load_dataset({"source": "csv", "path": str(path), "target": "a", "task": "regression"}, 0)
    assert ds.feature_names == ["b", "c"] and ds.target_name == "a"
    np.testing.assert_array_equal(ds.y[:, 0], [1, 4, 7])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "spiral"}, "data.source: 'spiral' is not a known.*did you mean 'spirals'"),
        ({}, "data.source: missing"),
        ({"source": "csv"}, "data.path: required"),
        ({"source": "moons", "n_samples": 2}, "data.n_samples: must be ≥ 4, got 2"),
        ({"source": "moons", "noise": -1}, "data.noise: must be ≥ 0"),
        ({"source": "spirals", "classes": 1}, "data.classes: must be ≥ 2, got 1"),
        ({"source": "iris", "task": "regression"}, "data.task: 'iris' is a classification"),
        ({"source": "line", "task": "classification"}, "data.task: 'line' is a regression"),
        ({"source": "line", "task": "fancy"}, "data.task: 'fancy' is not one of"),
    ],
)
def test_errors_name_the_key(data, message):
    with pytest.raises(DataError, match=message):
        load_dataset(data, seed=0)


def test_unknown_source_lists_the_allowed_ones():
    with pytest.raises(DataError) as info:
        load_dataset({"source": "mnist"}, seed=0)
    for name in ("circles", "iris", "csv", "diabetes"):
        assert name in str(info.value)


def test_missing_csv_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_dataset({"source": "csv", "path": "absent.csv"}, 0, base_dir=tmp_path)
