import numpy as np
import pytest

from trainlab.data import DataError, Dataset


def test_coerces_dtypes_and_shapes():
    ds = Dataset([[1, 2], [3, 4]], [0.5, 1.5], "regression", 7, ["a", "b"], "t")
    assert ds.X.dtype == np.float64 and ds.y.shape == (2, 1) and ds.n_classes == 0
    ds = Dataset([[1.0], [2.0]], [1, 0], "classification", 2, ["a"], "t")
    assert ds.y.dtype == np.int64 and ds.class_names == ["0", "1"]
    assert ds.n_samples == 2 and ds.n_features == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"X": [1.0, 2.0]},
        {"y": [0, 2]},
        {"y": [0, 1, 1]},
        {"feature_names": ["a", "b"]},
        {"class_names": ["only one"]},
        {"task": "clustering"},
        {"n_classes": 1, "y": [0, 0]},
    ],
)
def test_inconsistent_datasets_are_rejected(kwargs):
    args = {"X": [[1.0], [2.0]], "y": [0, 1], "task": "classification", "n_classes": 2,
            "feature_names": ["a"], "target_name": "t"} | kwargs
    with pytest.raises(DataError):
        Dataset(**args)
