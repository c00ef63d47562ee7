"""Train/validation/test splits (stratified for classification) and k-fold index sets.

Rounding. A split of n rows by fractions f = (f_train, f_val, f_test) gets totals by the
largest-remainder rule: each split first gets ⌊n·f_s⌋ rows, and the rows left over go one each
to the splits with the largest remainders n·f_s − ⌊n·f_s⌋ (ties: train, then val, then test).
Stratified splits keep those totals exactly and give every class c with n_c rows either
⌊n_c·f_s⌋ or ⌊n_c·f_s⌋ + 1 rows of split s, so each class's share is within one row of ideal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError, check_int
from trainlab.data.features import expand
from trainlab.data.scaling import Scaler

SPLIT_NAMES = ("train", "val", "test")
FRACTION_TOLERANCE = 1e-9


@dataclass
class Splits:
    """Scaled train/validation/test arrays plus the dataset's metadata.

    An empty split keeps its shape: ``X`` is ``(0, d)``, ``y`` is ``(0,)`` (classification)
    or ``(0, m)`` (regression). Rows of each split are in shuffled order, fixed by the seed;
    ``train_idx`` etc. are the rows of the original data set in that order.

    With ``data.features`` (``features`` not None) the columns are computed features, named
    in ``feature_names``; ``raw_inputs`` holds the source's own inputs of each split (train,
    val, test; rows in the same order), named ``raw_names``, and :meth:`inputs_from_raw` turns
    raw points (a grid over the input plane) into network inputs.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    scaler: Scaler
    task: str
    n_classes: int
    feature_names: list[str]
    class_names: list[str]
    target_name: str
    name: str
    train_idx: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    val_idx: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    test_idx: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    features: Any = None
    raw_inputs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    raw_names: list[str] = field(default_factory=list)

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    def inputs_from_raw(self, X_raw) -> np.ndarray:
        """The network's inputs for raw source inputs ``X_raw`` (n × raw inputs): the
        features, then the scaling fitted on the training split."""
        return self.scaler.transform(expand(X_raw, self.features)[0])


def check_fractions(split) -> np.ndarray:
    """The fractions (train, val, test) of a ``{"train": .., "val": .., "test": ..}`` mapping.

    A missing "val" or "test" counts as 0. Each fraction is in [0, 1], train > 0, and they sum
    to 1 within 1e-9.
    """
    if not isinstance(split, dict):
        raise DataError(f"data.split: must be a mapping of train/val/test fractions, got {split!r}")
    unknown = sorted(set(split) - set(SPLIT_NAMES))
    if unknown:
        raise DataError(f"data.split: unknown key(s) {', '.join(map(repr, unknown))}; "
                        f"the keys are {', '.join(SPLIT_NAMES)}")
    if "train" not in split:
        raise DataError("data.split.train: missing")
    fractions = []
    for key in SPLIT_NAMES:
        value = split.get(key, 0.0)
        if value is None:
            value = 0.0
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise DataError(f"data.split.{key}: must be a number, got {value!r}")
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise DataError(f"data.split.{key}: must be between 0 and 1, got {value:g}")
        fractions.append(value)
    if fractions[0] <= 0.0:
        raise DataError("data.split.train: must be > 0")
    total = sum(fractions)
    if abs(total - 1.0) > FRACTION_TOLERANCE:
        raise DataError(
            f"data.split: train + val + test must be 1, got "
            f"{fractions[0]:g} + {fractions[1]:g} + {fractions[2]:g} = {total:.12g}"
        )
    return np.asarray(fractions)


def _floors(ideal: np.ndarray) -> np.ndarray:
    """⌊ideal⌋, after rounding to 9 decimals so that 0.29·100 = 28.999… counts as 29."""
    return np.floor(np.round(ideal, 9)).astype(np.int64)


def split_counts(n: int, fractions) -> np.ndarray:
    """Rows per split by the largest-remainder rule; the counts sum to `n`."""
    fractions = np.asarray(fractions, dtype=np.float64)
    ideal = n * fractions / fractions.sum()
    counts = _floors(ideal)
    remainders = ideal - counts
    order = sorted(range(len(counts)), key=lambda s: (-remainders[s], s))
    for s in order[: max(n - int(counts.sum()), 0)]:
        counts[s] += 1
    return counts


def stratified_counts(class_sizes, fractions) -> np.ndarray:
    """Rows of each class in each split: array (K, 3) with rows summing to `class_sizes` and
    columns summing to :func:`split_counts` of the total.

    Every cell starts at ⌊n_c·f_s⌋; the leftover rows of each class are then placed one per
    split, each class in turn, into the splits that still need the most rows (Ryser's
    construction of a 0-1 matrix with given margins; it always succeeds here because no class
    has more than two leftover rows and no split needs more than one per class).
    Ties prefer the split where the class's remainder is largest.
    """
    sizes = np.asarray(class_sizes, dtype=np.int64)
    fractions = np.asarray(fractions, dtype=np.float64)
    ideal = sizes[:, None] * (fractions / fractions.sum())[None, :]
    cells = _floors(ideal)
    need = split_counts(int(sizes.sum()), fractions) - cells.sum(axis=0)
    leftover = sizes - cells.sum(axis=1)
    remainder = ideal - cells
    for c in np.argsort(-leftover, kind="stable"):
        ranked = sorted(range(len(fractions)), key=lambda s: (-need[s], -remainder[c, s], s))
        for s in ranked[: leftover[c]]:
            if need[s] <= 0:
                raise AssertionError("stratified rounding failed")  # pragma: no cover
            cells[c, s] += 1
            need[s] -= 1
    return cells


def make_splits(ds: Dataset, split=None, scaling: str = "standardize", seed: int = 0) -> Splits:
    """Split `ds` into train/val/test by `split` fractions and scale the features.

    Classification splits are stratified (see the module docstring). The scaler is fitted on
    the training rows only and then applied to all three splits; targets are not scaled.
    """
    fractions = check_fractions({"train": 0.7, "val": 0.15, "test": 0.15} if split is None
                                else split)
    scaler = Scaler(scaling)
    seed = check_int("seed", seed, 0)
    rng = np.random.default_rng(seed)
    n = ds.n_samples

    if ds.task == "classification":
        sizes = np.bincount(ds.y, minlength=ds.n_classes)
        cells = stratified_counts(sizes, fractions)
        for c in range(ds.n_classes):
            if sizes[c] > 0 and cells[c, 0] == 0:
                raise DataError(
                    f"data.split.train: class {ds.class_names[c]!r} has {sizes[c]} row(s) and gets "
                    f"none in the training split at train = {fractions[0]:g}; raise the train "
                    "fraction or add rows of that class"
                )
        parts: list[list[np.ndarray]] = [[], [], []]
        for c in range(ds.n_classes):
            rows = rng.permutation(np.flatnonzero(ds.y == c))
            bounds = np.cumsum(cells[c])
            for s, chunk in enumerate(np.split(rows, bounds[:-1])):
                parts[s].append(chunk)
        index = [rng.permutation(np.concatenate(p)).astype(np.int64) for p in parts]
    else:
        counts = split_counts(n, fractions)
        rows = rng.permutation(n).astype(np.int64)
        index = np.split(rows, np.cumsum(counts)[:-1])

    if len(index[0]) == 0:
        raise DataError(f"data.split.train: leaves no training rows ({n} rows, train = "
                        f"{fractions[0]:g})")
    scaler.fit(ds.X[index[0]])
    X = [scaler.transform(ds.X[i]) for i in index]
    y = [ds.y[i] for i in index]
    return Splits(
        X_train=X[0], y_train=y[0], X_val=X[1], y_val=y[1], X_test=X[2], y_test=y[2],
        scaler=scaler, task=ds.task, n_classes=ds.n_classes,
        feature_names=list(ds.feature_names), class_names=list(ds.class_names),
        target_name=ds.target_name, name=ds.name,
        train_idx=index[0], val_idx=index[1], test_idx=index[2], features=ds.features,
        raw_inputs=None if ds.raw_X is None else tuple(ds.raw_X[i] for i in index),
        raw_names=list(ds.raw_names),
    )


def kfold_indices(n: int, k: int, seed: int, y=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """k (train_idx, val_idx) pairs over rows 0..n-1; every row is in exactly one val fold.

    Rows are shuffled (seeded) and dealt out so that fold sizes differ by at most one. With
    class labels `y` (1-D integers) the folds are stratified: the rows of each class, shuffled,
    are dealt round-robin across the folds in turn, so each fold holds every class in the same
    proportion give or take one row. A floating `y` (regression targets) is ignored. Index
    arrays are sorted.
    """
    n = check_int("n", n, 1)
    k = check_int("k", k, 2)
    if k > n:
        raise DataError(f"k: {k} folds need at least {k} rows, got {n}")
    rng = np.random.default_rng(check_int("seed", seed, 0))
    labels = None if y is None else np.asarray(y)
    if labels is not None and labels.ndim == 1 and np.issubdtype(labels.dtype, np.integer):
        if len(labels) != n:
            raise DataError(f"y: has {len(labels)} labels for {n} rows")
        order = np.concatenate(
            [rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)]
        )
    else:
        order = rng.permutation(n)
    fold_of = np.empty(n, dtype=np.int64)
    fold_of[order] = np.arange(n) % k
    return [
        (np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(k)
    ]
