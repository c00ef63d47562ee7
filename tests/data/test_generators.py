import numpy as np
import pytest

from trainlab.data import GENERATORS, DataError
from trainlab.data.generators import GENERATOR_TASKS, USES_CLASSES, class_sizes

CLASSIFIERS = [g for g, t in GENERATOR_TASKS.items() if t == "classification"]
REGRESSORS = [g for g, t in GENERATOR_TASKS.items() if t == "regression"]


def draw(name, n=200, noise=0.1, classes=3, seed=0):
    return GENERATORS[name](n, noise, classes, np.random.default_rng(seed))


@pytest.mark.parametrize("name", list(GENERATORS))
def test_deterministic_per_seed_and_different_across_seeds(name):
    X1, y1 = draw(name, seed=7)
    X2, y2 = draw(name, seed=7)
    X3, _ = draw(name, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("n", [4, 101, 300])
def test_classification_shapes_and_balance(name, n):
    k = 3 if name in USES_CLASSES else 2
    if n < 2 * k:
        n = 2 * k
    X, y = draw(name, n=n, classes=k)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k
    assert counts.max() - counts.min() <= 1
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", USES_CLASSES)
@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_number_of_classes_follows_setting(name, k):
    _, y = draw(name, n=40 * k, classes=k)
    np.testing.assert_array_equal(np.bincount(y), np.full(k, 40))


@pytest.mark.parametrize("name", REGRESSORS)
def test_regression_shapes(name):
    X, y = draw(name, n=50)
    assert X.shape == (50, 2 if name == "plane" else 1)
    assert y.shape == (50, 1) and y.dtype == np.float64


def test_line_fits_y_equals_2x_plus_1():
    X, y = draw("line", n=2000, noise=0.1)
    slope, intercept = np.polyfit(X[:, 0], y[:, 0], 1)
    assert slope == pytest.approx(2.0, abs=0.02)
    assert intercept == pytest.approx(1.0, abs=0.02)
    assert X.min() >= -3.0 and X.max() <= 3.0


def test_noise_zero_gives_exact_formulas():
    X, y = draw("line", noise=0.0)
    np.testing.assert_allclose(y[:, 0], 2.0 * X[:, 0] + 1.0)
    X, y = draw("sine", noise=0.0)
    np.testing.assert_allclose(y[:, 0], np.sin(X[:, 0]))
    assert X.max() - X.min() > 3.5 * np.pi  # about two periods
    X, y = draw("plane", noise=0.0)
    np.testing.assert_allclose(y[:, 0], 1.5 * X[:, 0] - 2.0 * X[:, 1] + 0.5)
    X, y = draw("circles", noise=0.0)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.5))
    X, y = draw("xor", noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_noise_is_the_standard_deviation_added():
    X1, y1 = GENERATORS["line"](5000, 0.3, 2, np.random.default_rng(1))
    residual = y1[:, 0] - (2.0 * X1[:, 0] + 1.0)
    assert residual.std() == pytest.approx(0.3, rel=0.05)


def test_spirals_well_separated_at_noise_0_1():
    # the nearest point of another arm is far more distant than the nearest of the same arm
    X, y = draw("spirals", n=600, noise=0.1, classes=2, seed=3)
    d = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=-1)
    np.fill_diagonal(d, np.inf)
    other = np.where(y[:, None] != y[None, :], d, np.inf).min(axis=1)
    same = np.where(y[:, None] == y[None, :], d, np.inf).min(axis=1)
    assert np.mean(other > same) > 0.97


def test_class_sizes():
    np.testing.assert_array_equal(class_sizes(10, 3), [4, 3, 3])
    np.testing.assert_array_equal(class_sizes(9, 3), [3, 3, 3])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2, 0.1, 2), "data.n_samples: must be ≥ 4, got 2"),
        ((100, -0.1, 2), "data.noise: must be ≥ 0"),
        ((100, float("nan"), 2), "data.noise: must be a finite number"),
        ((10.5, 0.1, 2), "data.n_samples: must be a whole number"),
        (("many", 0.1, 2), "data.n_samples: must be a whole number"),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(DataError, match=message):
        GENERATORS["moons"](*args, np.random.default_rng(0))


@pytest.mark.parametrize("name", USES_CLASSES)
def test_bad_classes(name):
    with pytest.raises(DataError, match="data.classes: must be ≥ 2, got 1"):
        draw(name, classes=1)
    with pytest.raises(DataError, match="data.n_samples: 5 classes need at least 10"):
        draw(name, n=8, classes=5)
