"""Feature expansion (trainlab/data/features.py): each column equals its formula."""

import numpy as np
import pytest

from trainlab.data.errors import DataError
from trainlab.data.features import (
    FEATURES_2D,
    MAX_DEGREE,
    check_features,
    expand,
    feature_names,
    polynomial,
    raw_names,
)

X2 = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -1.5]])


def test_every_2d_feature_by_hand():
    got, names = expand(X2, list(FEATURES_2D))
    assert names == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    expected = np.array([
        [1.0, 2.0, 1.0, 4.0, 2.0, np.sin(1.0), np.sin(2.0)],
        [-3.0, 0.5, 9.0, 0.25, -1.5, np.sin(-3.0), np.sin(0.5)],
        [0.0, -1.5, 0.0, 2.25, -0.0, 0.0, np.sin(-1.5)],
    ])
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)


def test_any_subset_in_the_order_given():
    got, names = expand(X2, ["sin(x2)", "x1*x2", "x1^2"])
    assert names == ["sin(x2)", "x1*x2", "x1^2"]
    np.testing.assert_array_equal(got[:, 0], np.sin(X2[:, 1]))
    np.testing.assert_array_equal(got[:, 1], X2[:, 0] * X2[:, 1])
    np.testing.assert_array_equal(got[:, 2], X2[:, 0] ** 2)


def test_circles_become_linearly_separable_with_squares():
    """Points inside radius 1 and outside radius 2: on (x1², x2²) the line u + v = 2 splits them,
    which no line on (x1, x2) can do for a ring around the origin."""
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    inner = 0.8 * np.column_stack([np.cos(angles), np.sin(angles)])
    outer = 2.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    squares, _ = expand(np.vstack([inner, outer]), ["x1^2", "x2^2"])
    side = squares.sum(axis=1) - 2.0
    assert np.all(side[:12] < 0) and np.all(side[12:] > 0)


def test_polynomial_powers():
    X = np.array([[2.0], [-1.0], [0.5]])
    got, names = polynomial(X, 4)
    assert names == ["x", "x^2", "x^3", "x^4"]
    np.testing.assert_array_equal(got, [[2, 4, 8, 16], [-1, 1, -1, 1],
                                        [0.5, 0.25, 0.125, 0.0625]])
    one, names = polynomial(X, 1)
    assert names == ["x"]
    np.testing.assert_array_equal(one, X)


def test_degree_nine_fit_is_a_least_squares_polynomial():
    """A linear model on x … x⁹ is numpy's degree-9 polynomial fit (D2 Fig. 7)."""
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 30)
    y = np.sin(3 * x) + rng.normal(0, 0.1, 30)
    F, _ = polynomial(x.reshape(-1, 1), 9)
    design = np.column_stack([np.ones(30), F])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(design @ coef, np.polyval(np.polyfit(x, y, 9), x), atol=1e-8)


def test_listed_1d_powers_and_raw_inputs():
    X = np.array([[3.0], [-2.0]])
    got, names = expand(X, ["x^3", "x"])
    assert names == ["x^3", "x"]
    np.testing.assert_array_equal(got, [[27.0, 3.0], [-8.0, -2.0]])
    same, names = expand(X2, None)
    assert names == ["x1", "x2"]
    np.testing.assert_array_equal(same, X2)
    assert raw_names(1) == ["x"] and raw_names(4) == ["x1", "x2", "x3", "x4"]
    assert feature_names({"polynomial": 3}, 1) == ["x", "x^2", "x^3"]


@pytest.mark.parametrize("features, n_inputs, message", [
    (["x1", "x1^3"], 2, "data.features: 'x1^3' is not a feature of a 2-input source "
                        "(x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)); did you mean 'x1^2'?"),
    (["sinx1"], 2, "did you mean 'sin(x1)'?"),
    (["x", "x1"], 1, "data.features: 'x1' is not a feature of a 1-input source "
                     f"(x, x^2, …, x^{MAX_DEGREE}); it is one of a 2-input source's"),
    (["x^2"], 2, "'x^2' is not a feature of a 2-input source (x1, x2, x1^2, x2^2, x1*x2, "
                 "sin(x1), sin(x2)); it is one of a 1-input source's"),
    (["x^30"], 1, "'x^30' is not a feature of a 1-input source"),
    (["x1", "x1"], 2, "data.features: 'x1' is listed twice"),
    ([], 2, "data.features: needs at least one feature"),
    ("x1^2", 2, "data.features: must be a list of feature names"),
    (["x1"], 4, "data.features: computed features need a source with 1 or 2 inputs, "
                "this one has 4"),
    ({"polynomial": 3}, 2, "data.features.polynomial: needs a source with 1 input"),
    ({"polynomial": 0}, 1, "data.features.polynomial: must be a whole number from 1 to 20"),
    ({"polynomial": 2.5}, 1, "must be a whole number"),
    ({"polynomial": True}, 1, "must be a whole number"),
    ({"polynomail": 3}, 1, "the only key is 'polynomial'"),
])
def test_problems_are_one_clear_line_each(features, n_inputs, message):
    problems = check_features(features, n_inputs)
    assert len(problems) == 1
    assert message in problems[0]
    assert "\n" not in problems[0]


def test_every_problem_is_listed_and_expand_refuses():
    assert check_features(["x1", "x3", "x1", "cos(x1)"], 2) == [
        "data.features: 'x3' is not a feature of a 2-input source "
        "(x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2))",
        "data.features: 'x1' is listed twice",
        "data.features: 'cos(x1)' is not a feature of a 2-input source "
        "(x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)); did you mean 'sin(x1)'?",
    ]
    with pytest.raises(DataError, match="'x3' is not a feature.*; data.features: 'x1' is"):
        expand(X2, ["x1", "x3", "x1"])
    with pytest.raises(DataError, match="must be a matrix"):
        expand(np.zeros(3), ["x1"])
    assert check_features(None, 7) == []
    assert check_features(list(FEATURES_2D), 2) == []
