"""Input features computed from a source's raw inputs, before scaling (TensorFlow
Playground's X₁², X₂², X₁X₂, sin X₁, sin X₂; the polynomial fits of the lectures).

``data.features`` takes one of three forms:

* ``None``: the raw inputs (named ``x`` for a 1-input source, ``x1, x2, …`` otherwise);
* a list of names, in the order wanted (any subset, each at most once): for 2-input sources
  from :data:`FEATURES_2D`; for 1-input sources from :data:`POWERS_1D` (``x, x^2, …``);
* ``{"polynomial": n}`` for a 1-input source: ``x, x^2, …, x^n``.

A linear model on ``x1^2, x2^2`` separates the circles; a linear model on ``x … x^9`` is a
degree-9 polynomial fit. The names travel with the data (column names of a run's files, the
labels of the network view's inputs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from trainlab.catalog.knob import MAX_POLYNOMIAL_DEGREE
from trainlab.catalog.names import did_you_mean
from trainlab.data.errors import DataError

KEY = "data.features"

#: The features of a 2-input source, each a function of the raw (x1, x2).
_FORMULAS_2D = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
FEATURES_2D = tuple(_FORMULAS_2D)

#: The highest power of a 1-input source: x^20 of a raw input of 10 is 1e20, still finite in
#: float32 after standardization, and far beyond the degree-9 fits the lectures show.
MAX_DEGREE = MAX_POLYNOMIAL_DEGREE
POWERS_1D = ("x", *(f"x^{k}" for k in range(2, MAX_DEGREE + 1)))


def raw_names(n_inputs: int) -> list[str]:
    """The names of a source's raw input columns: ``x`` alone, else ``x1, x2, …``."""
    return ["x"] if n_inputs == 1 else [f"x{j + 1}" for j in range(n_inputs)]


def check_features(features, n_inputs: int) -> list[str]:
    """Every problem of a ``data.features`` setting for a source with ``n_inputs`` inputs,
    one line each (empty when it is fine)."""
    if features is None:
        return []
    if n_inputs not in (1, 2):
        return [f"{KEY}: computed features need a source with 1 or 2 inputs, "
                f"this one has {n_inputs}"]
    if isinstance(features, Mapping):
        return _check_polynomial(features, n_inputs)
    if isinstance(features, str) or not isinstance(features, Sequence):
        return [f"{KEY}: must be a list of feature names or {{\"polynomial\": n}}, "
                f"got {features!r}"]
    if not features:
        return [f"{KEY}: needs at least one feature (leave it out for the raw inputs)"]
    allowed = FEATURES_2D if n_inputs == 2 else POWERS_1D
    problems = []
    seen = set()
    for name in features:
        if name not in allowed:
            problems.append(_unknown(name, n_inputs, allowed))
        elif name in seen:
            problems.append(f"{KEY}: {name!r} is listed twice")
        seen.add(name)
    return problems


def _unknown(name, n_inputs: int, allowed: tuple[str, ...]) -> str:
    shown = ", ".join(allowed) if n_inputs == 2 else f"x, x^2, …, x^{MAX_DEGREE}"
    where = f"{KEY}: {name!r} is not a feature of a {n_inputs}-input source ({shown})"
    other = 3 - n_inputs
    if name in (FEATURES_2D if other == 2 else POWERS_1D):
        return f"{where}; it is one of a {other}-input source's"
    hint = did_you_mean(name, allowed)
    return where + (";" + hint if hint else "")


def _check_polynomial(features: Mapping, n_inputs: int) -> list[str]:
    extra = [k for k in features if k != "polynomial"]
    if extra or "polynomial" not in features:
        key = extra[0] if extra else None
        hint = did_you_mean(key, ["polynomial"]) if key is not None else ""
        got = sorted(map(str, features))
        return [f"{KEY}: the only key is 'polynomial' (a degree n), got {got}"
                f"{';' + hint if hint else ''}"]
    n = features["polynomial"]
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_DEGREE:
        return [f"{KEY}.polynomial: must be a whole number from 1 to {MAX_DEGREE}, got {n!r}"]
    if n_inputs != 1:
        return [f"{KEY}.polynomial: needs a source with 1 input, this one has {n_inputs} "
                f"(list features such as x1^2 instead)"]
    return []


def feature_names(features, n_inputs: int) -> list[str]:
    """The column names ``features`` gives a source of ``n_inputs`` inputs (checked first)."""
    _raise_problems(check_features(features, n_inputs))
    if features is None:
        return raw_names(n_inputs)
    if isinstance(features, Mapping):
        return list(POWERS_1D[:int(features["polynomial"])])
    return list(features)


def expand(X, features) -> tuple[np.ndarray, list[str]]:
    """(the feature columns of the raw inputs ``X`` (n × d), their names), in order."""
    X = _raw(X)
    names = feature_names(features, X.shape[1])
    if features is None:
        return X.copy(), names
    if X.shape[1] == 1:
        x = X[:, 0]
        columns = [x ** (1 if name == "x" else int(name[2:])) for name in names]
    else:
        x1, x2 = X[:, 0], X[:, 1]
        columns = [_FORMULAS_2D[name](x1, x2) for name in names]
    return np.column_stack(columns), names


def with_features(ds, features):
    """The :class:`~trainlab.data.dataset.Dataset` ``ds`` with its inputs replaced by the
    ``features`` of them (``ds`` itself when ``features`` is None); the raw inputs stay in
    ``raw_X``/``raw_names``."""
    if features is None:
        return ds
    X, names = expand(ds.X, features)
    return dataclasses.replace(ds, X=X, feature_names=names, features=features, raw_X=ds.X,
                               raw_names=list(ds.feature_names))


def polynomial(X, n: int) -> tuple[np.ndarray, list[str]]:
    """(x, x², …, xⁿ) of a 1-input ``X`` (n_rows × 1), with the names ``x, x^2, …, x^n``."""
    return expand(X, {"polynomial": n})


def _raw(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise DataError(f"{KEY}: the raw inputs must be a matrix (rows × inputs), "
                        f"got shape {X.shape}")
    return X


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise DataError("; ".join(problems))
