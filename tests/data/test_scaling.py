import numpy as np
import pytest

from trainlab.data import DataError, Scaler


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    X = rng.normal([5.0, -2.0, 0.0], [3.0, 0.1, 1.0], size=(50, 3))
    X[:, 2] = 7.0  # a constant column
    return X


def test_standardize(X):
    s = Scaler("standardize").fit(X)
    Z = s.transform(X)
    np.testing.assert_array_equal(s.offset, X.mean(axis=0))
    np.testing.assert_allclose(Z[:, :2].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :2].std(axis=0), 1.0)
    assert s.scale[2] == 1.0
    np.testing.assert_array_equal(Z[:, 2], 0.0)


def test_minmax(X):
    s = Scaler("minmax").fit(X)
    Z = s.transform(X)
    np.testing.assert_allclose(Z[:, :2].min(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(Z[:, :2].max(axis=0), 1.0)
    np.testing.assert_array_equal(Z[:, 2], 0.0)


def test_none(X):
    np.testing.assert_array_equal(Scaler("none").fit_transform(X), X)


@pytest.mark.parametrize("kind", ["standardize", "minmax", "none"])
def test_inverse_and_round_trip_through_dict(X, kind):
    s = Scaler(kind).fit(X)
    np.testing.assert_allclose(s.inverse_transform(s.transform(X)), X)
    copy = Scaler.from_dict(s.to_dict())
    np.testing.assert_array_equal(copy.transform(X), s.transform(X))


def test_errors():
    with pytest.raises(DataError, match="data.scaling: 'zscore' is not one of"):
        Scaler("zscore")
    with pytest.raises(RuntimeError):
        Scaler().transform(np.zeros((2, 2)))
    with pytest.raises(DataError):
        Scaler().fit(np.zeros((0, 2)))
