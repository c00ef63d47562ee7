import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainlab.data import DataError, Dataset, kfold_indices, load_dataset, make_splits
from trainlab.data.splits import split_counts, stratified_counts

SPLIT = {"train": 0.7, "val": 0.15, "test": 0.15}


def classification(sizes, d=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = rng.normal(size=(len(y), d)) * [1.0, 10.0, 0.1][:d] + [3.0, -5.0, 100.0][:d]
    return Dataset(X, y, "classification", len(sizes), [f"f{j}" for j in range(d)], "class",
                   [f"c{k}" for k in range(len(sizes))], "toy")


def regression(n=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(5.0, 2.0, size=(n, 2))
    return Dataset(X, X.sum(axis=1), "regression", 0, ["a", "b"], "y", [], "toy")


def test_totals_follow_fractions():
    sp = make_splits(regression(100), SPLIT, "none", seed=0)
    assert (len(sp.X_train), len(sp.X_val), len(sp.X_test)) == (70, 15, 15)
    sp = make_splits(classification([50, 50]), SPLIT, "none", seed=0)
    assert (len(sp.y_train), len(sp.y_val), len(sp.y_test)) == (70, 15, 15)


def test_split_counts_largest_remainder():
    np.testing.assert_array_equal(split_counts(10, [0.7, 0.15, 0.15]), [7, 2, 1])
    np.testing.assert_array_equal(split_counts(100, [0.29, 0.71, 0.0]), [29, 71, 0])
    np.testing.assert_array_equal(split_counts(7, [1.0, 0.0, 0.0]), [7, 0, 0])


def test_splits_partition_the_rows_and_carry_metadata():
    ds = classification([30, 20, 10])
    sp = make_splits(ds, SPLIT, "standardize", seed=3)
    rows = np.concatenate([sp.train_idx, sp.val_idx, sp.test_idx])
    np.testing.assert_array_equal(np.sort(rows), np.arange(60))
    np.testing.assert_array_equal(sp.y_train, ds.y[sp.train_idx])
    np.testing.assert_allclose(sp.X_test, sp.scaler.transform(ds.X[sp.test_idx]))
    assert sp.class_names == ds.class_names and sp.name == "toy" and sp.n_classes == 3
    assert sp.feature_names == ds.feature_names and sp.task == "classification"


def test_stratification_keeps_class_ratios():
    sizes = [103, 57, 11, 29]
    ds = classification(sizes)
    sp = make_splits(ds, SPLIT, "none", seed=1)
    for y, f in ((sp.y_train, 0.7), (sp.y_val, 0.15), (sp.y_test, 0.15)):
        counts = np.bincount(y, minlength=4)
        assert np.all(np.abs(counts - f * np.asarray(sizes)) <= 1.0)


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 60), min_size=1, max_size=12),
    weights=st.tuples(st.integers(1, 20), st.integers(0, 20), st.integers(0, 20)),
)
def test_stratified_counts_property(sizes, weights):
    fractions = np.asarray(weights, dtype=float) / sum(weights)
    cells = stratified_counts(sizes, fractions)
    np.testing.assert_array_equal(cells.sum(axis=1), sizes)
    np.testing.assert_array_equal(cells.sum(axis=0), split_counts(sum(sizes), fractions))
    ideal = np.asarray(sizes)[:, None] * fractions[None, :]
    assert np.all(np.abs(cells - ideal) <= 1.0 + 1e-9)
    assert np.all(cells >= 0)


def test_seeded_determinism():
    ds = load_dataset({"source": "moons", "n_samples": 200, "noise": 0.1}, seed=0)
    a, b = make_splits(ds, SPLIT, "standardize", 4), make_splits(ds, SPLIT, "standardize", 4)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_val, b.y_val)
    c = make_splits(ds, SPLIT, "standardize", 5)
    assert not np.array_equal(a.train_idx, c.train_idx)


def test_training_rows_are_shuffled():
    sp = make_splits(classification([50, 50]), SPLIT, "none", seed=0)
    assert not np.all(np.diff(sp.y_train) >= 0)  # not grouped by class


def test_scaler_fitted_on_training_split_only():
    ds = regression(200)
    sp = make_splits(ds, SPLIT, "standardize", seed=2)
    np.testing.assert_array_equal(sp.scaler.offset, ds.X[sp.train_idx].mean(axis=0))
    np.testing.assert_allclose(sp.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(sp.X_train.std(axis=0), 1.0)
    assert np.all(np.abs(sp.X_val.mean(axis=0)) > 1e-6)
    assert not np.allclose(sp.X_val.std(axis=0), 1.0)


def test_targets_are_not_scaled():
    ds = regression(50)
    sp = make_splits(ds, SPLIT, "standardize", seed=0)
    np.testing.assert_array_equal(sp.y_train, ds.y[sp.train_idx])


def test_minmax_range():
    sp = make_splits(regression(200), SPLIT, "minmax", seed=0)
    np.testing.assert_allclose(sp.X_train.min(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(sp.X_train.max(axis=0), 1.0)


def test_zero_fractions_keep_two_dimensional_shapes():
    sp = make_splits(regression(20), {"train": 0.8, "val": 0.2, "test": 0.0}, "none", 0)
    assert sp.X_test.shape == (0, 2) and sp.y_test.shape == (0, 1)
    sp = make_splits(classification([10, 10]), {"train": 1.0, "val": 0, "test": 0}, "none", 0)
    assert sp.X_val.shape == (0, 3) and sp.y_val.shape == (0,) and sp.y_val.dtype == np.int64
    assert len(sp.X_train) == 20


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ({"train": 0.7, "val": 0.2, "test": 0.2}, "data.split: train \\+ val \\+ test must be 1"),
        ({"train": 0.0, "val": 0.5, "test": 0.5}, "data.split.train: must be > 0"),
        ({"train": 1.2, "val": -0.2}, "data.split.train: must be between 0 and 1"),
        ({"train": 0.5, "valid": 0.5}, "data.split: unknown key"),
        ({"val": 1.0}, "data.split.train: missing"),
        ({"train": "most"}, "data.split.train: must be a number"),
    ],
)
def test_bad_fractions(split, message):
    with pytest.raises(DataError, match=message):
        make_splits(regression(20), split, "none", 0)


def test_fractions_within_tolerance_are_accepted():
    make_splits(regression(20), {"train": 0.6, "val": 0.2, "test": 0.2 + 5e-10}, "none", 0)


def test_class_without_training_rows_is_named():
    ds = classification([40, 1])
    with pytest.raises(DataError, match="data.split.train: class 'c1' has 1 row"):
        make_splits(ds, {"train": 0.3, "val": 0.7}, "none", 0)


def test_no_training_rows():
    ds = Dataset(np.zeros((4, 1)), np.zeros(4), "regression", 0, ["a"], "y")
    with pytest.raises(DataError, match="data.split.train: leaves no training rows"):
        make_splits(ds, {"train": 0.1, "val": 0.9}, "none", 0)


def test_bad_scaling():
    with pytest.raises(DataError, match="data.scaling"):
        make_splits(regression(20), SPLIT, "robust", 0)


# -- k-fold -------------------------------------------------------------------------------------


def check_partition(folds, n, k):
    assert len(folds) == k
    val = np.concatenate([v for _, v in folds])
    np.testing.assert_array_equal(np.sort(val), np.arange(n))
    for train, v in folds:
        np.testing.assert_array_equal(np.sort(np.concatenate([train, v])), np.arange(n))
        assert not np.intersect1d(train, v).size
    sizes = [len(v) for _, v in folds]
    assert max(sizes) - min(sizes) <= 1


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 200), k=st.integers(2, 10), seed=st.integers(0, 2**32 - 1))
def test_kfold_partition(n, k, seed):
    k = min(k, n)
    check_partition(kfold_indices(n, k, seed), n, k)


@settings(max_examples=100, deadline=None)
@given(labels=st.lists(st.integers(0, 4), min_size=5, max_size=150), k=st.integers(2, 5),
       seed=st.integers(0, 1000))
def test_kfold_stratified(labels, k, seed):
    y = np.asarray(labels, dtype=np.int64)
    folds = kfold_indices(len(y), k, seed, y=y)
    check_partition(folds, len(y), k)
    for c in np.unique(y):
        per_fold = [np.sum(y[v] == c) for _, v in folds]
        assert max(per_fold) - min(per_fold) <= 1


def test_kfold_deterministic_and_seeded():
    a, b, c = kfold_indices(50, 5, 1), kfold_indices(50, 5, 1), kfold_indices(50, 5, 2)
    assert all(np.array_equal(x[1], y[1]) for x, y in zip(a, b, strict=True))
    assert not all(np.array_equal(x[1], y[1]) for x, y in zip(a, c, strict=True))


def test_kfold_regression_targets_are_not_stratified():
    check_partition(kfold_indices(30, 3, 0, y=np.linspace(0, 1, 30)), 30, 3)


def test_kfold_errors():
    with pytest.raises(DataError, match="k: must be ≥ 2"):
        kfold_indices(10, 1, 0)
    with pytest.raises(DataError, match="k: 5 folds need at least 5 rows"):
        kfold_indices(3, 5, 0)
    with pytest.raises(DataError, match="y: has 4 labels for 10 rows"):
        kfold_indices(10, 2, 0, y=np.array([0, 1, 0, 1]))
