import numpy as np
import pytest

from trainlab.data import BUNDLED, DataError, load_bundled

SHAPES = {
    "iris": (150, 4, 3),
    "wine": (178, 13, 3),
    "breast_cancer": (569, 30, 2),
    "digits": (1797, 64, 10),
    "diabetes": (442, 10, 0),
}


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_shapes_and_types(name):
    ds = load_bundled(name)
    n, d, k = SHAPES[name]
    assert ds.X.shape == (n, d) and ds.X.dtype == np.float64
    assert len(ds.feature_names) == d
    assert ds.n_classes == k
    if k:
        assert ds.task == "classification"
        assert ds.y.shape == (n,) and ds.y.dtype == np.int64
        assert set(np.unique(ds.y)) == set(range(k))
        assert len(ds.class_names) == k
    else:
        assert ds.task == "regression"
        assert ds.y.shape == (n, 1) and ds.y.dtype == np.float64
        assert ds.class_names == []


def test_iris_class_names():
    assert load_bundled("iris").class_names == ["setosa", "versicolor", "virginica"]


def test_diabetes_features_are_raw():
    ds = load_bundled("diabetes")
    age = ds.X[:, ds.feature_names.index("age")]
    assert age.min() > 15 and age.max() < 90  # years, not the pre-scaled copy


def test_unknown_bundled_name():
    with pytest.raises(DataError, match="data.source"):
        load_bundled("titanic")
