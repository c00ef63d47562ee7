"""Surfaces: closed-form gradients against central differences, minima, grids, data surfaces,
and custom expressions (parsed by SymPy, with one-line errors)."""

import numpy as np
import pytest

from trainlab.playground.catalog import SURFACES, make_surface
from trainlab.playground.surfaces import SurfaceError

# every surface, some with parameters away from their defaults
SPECS = [{"name": name} for name in SURFACES] + [
    {"name": "bowl", "kappa": 7.0, "angle": 35.0, "curvature": 2.5, "center": [1.0, -0.5]},
    {"name": "rosenbrock", "a": -0.5, "b": 20.0},
    {"name": "rastrigin", "A": 3.0},
    {"name": "plateau", "width": 0.7},
    {"name": "parabola", "a": 3.0, "c": 1.5},
    {"name": "double_well", "tilt": -0.4},
    {"name": "line_fit", "source": "sine", "n_samples": 30, "x_scale": 2.0, "x_shift": 3.0},
    {"name": "line_fit", "x_shift": 4.0, "standardize": True},
    {"name": "logistic", "source": "moons", "noise": 0.3},
    {"name": "expression", "expression": "sin(x)*exp(-y^2/4) + 0.1x^2 + abs(y)^3"},
    {"name": "expression", "expression": "w^4 - 3w^2 + w", "range": [-2, 2]},
]


def central_differences(surface, p, h=1e-6):
    g = np.empty(p.size)
    for k in range(p.size):
        e = np.zeros(p.size)
        e[k] = h
        g[k] = (surface.loss(p + e) - surface.loss(p - e)) / (2 * h)
    return g


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "-".join(str(v) for v in s.values())[:40])
def test_gradient_matches_central_differences(spec):
    surface = make_surface(spec)
    view = np.array(surface.view())
    rng = np.random.default_rng(0)
    for _ in range(20):
        p = view[0::2] + rng.random(surface.dims) * (view[1::2] - view[0::2])
        analytic = surface.grad(p)
        numeric = central_differences(surface, p)
        scale = 1.0 + np.abs(analytic).max()
        np.testing.assert_allclose(analytic, numeric, rtol=0, atol=2e-5 * scale)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "-".join(str(v) for v in s.values())[:40])
def test_grid_is_the_pointwise_value_and_minima_are_stationary(spec):
    surface = make_surface(spec)
    grid = surface.grid(9)
    if surface.dims == 2:
        xs, ys, Z = grid
        assert Z.shape == (9, 9)
        assert Z[2, 5] == pytest.approx(surface.loss((xs[5], ys[2])), rel=1e-12, abs=1e-12)
    else:
        ws, values = grid
        assert values[3] == pytest.approx(surface.loss((ws[3],)), rel=1e-12, abs=1e-12)
    for m in surface.minima():
        assert np.abs(surface.grad(m)).max() < 1e-6
    start = surface.start()
    view = surface.view()
    assert all(view[2 * k] <= start[k] <= view[2 * k + 1] for k in range(surface.dims))


def test_textbook_minima():
    np.testing.assert_allclose(make_surface({"name": "rosenbrock"}).minima(), [[1.0, 1.0]])
    np.testing.assert_allclose(make_surface({"name": "beale"}).minima(), [[3.0, 0.5]],
                               atol=1e-9)
    himmelblau = make_surface({"name": "himmelblau"})
    minima = himmelblau.minima()
    assert len(minima) == 4
    assert np.allclose([himmelblau.loss(m) for m in minima], 0.0, atol=1e-18)
    assert any(np.allclose(m, [3.0, 2.0]) for m in minima)
    camel = make_surface({"name": "six_hump_camel"})
    minima = camel.minima()
    assert len(minima) == 6
    assert camel.loss(minima[0]) == pytest.approx(-1.0316284535, abs=1e-9)
    np.testing.assert_allclose(abs(minima[0]), [0.0898420131, 0.7126564030], atol=1e-8)
    assert make_surface({"name": "saddle"}).minima().shape == (0, 2)
    well = make_surface({"name": "double_well", "tilt": 0.3})
    assert len(well.minima()) == 2 and well.minima()[0][0] < 0  # the global one first


def test_bowl_condition_number_and_rotation():
    bowl = make_surface({"name": "bowl", "kappa": 9.0, "angle": 30.0, "curvature": 2.0})
    H = np.array([central_differences_of_gradient(bowl, np.zeros(2), k) for k in range(2)]).T
    eig = np.linalg.eigvalsh((H + H.T) / 2)
    np.testing.assert_allclose(eig, [2.0 / 9.0, 2.0], rtol=1e-6)
    # the shallow direction is u = (cos 30°, sin 30°)
    u = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)])
    assert bowl.loss(u) == pytest.approx(0.5 * 2.0 / 9.0)


def central_differences_of_gradient(surface, p, k, h=1e-6):
    e = np.zeros(2)
    e[k] = h
    return (surface.grad(p + e) - surface.grad(p - e)) / (2 * h)


def test_line_fit_is_half_the_mean_squared_error_with_the_least_squares_minimum():
    surface = make_surface({"name": "line_fit", "n_samples": 25, "noise": 0.3, "data_seed": 4})
    x, y = surface.data()
    a, b = 1.3, -0.7
    assert surface.loss((a, b)) == pytest.approx(0.5 * np.mean((y - a * x - b) ** 2), rel=1e-12)
    slope, intercept = np.polyfit(x, y, 1)
    np.testing.assert_allclose(surface.closed_form_minimum(), [slope, intercept], rtol=1e-10)
    np.testing.assert_allclose(surface.minima()[0], [slope, intercept], rtol=1e-8)


def test_feature_scaling_turns_the_line_fit_bowl_round():
    scaled = make_surface({"name": "line_fit", "x_scale": 3.0, "x_shift": 10.0,
                           "standardize": True})
    x, _ = scaled.data()
    assert x.mean() == pytest.approx(0.0, abs=1e-12) and x.std() == pytest.approx(1.0)
    # Hessian of ½·mean (y − ax − b)² is [[E x², E x], [E x, 1]] = I after standardizing
    g0 = scaled.grad((0.0, 0.0))
    np.testing.assert_allclose(scaled.grad((1.0, 0.0)) - g0, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(scaled.grad((0.0, 1.0)) - g0, [0.0, 1.0], atol=1e-12)


def test_logistic_loss_is_the_mean_binary_cross_entropy():
    surface = make_surface({"name": "logistic"})
    X, y = surface.data()
    w = np.array([0.8, -1.1])
    z = X @ w
    p = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert surface.loss(w) == pytest.approx(expected, rel=1e-12)
    minimum = surface.minima()[0]
    assert np.abs(surface.grad(minimum)).max() < 1e-8


@pytest.mark.parametrize("text, words", [
    ("x + z", "unknown name 'z'"),
    ("sinn(x)", "did you mean 'sin'?"),
    ("x +", "syntax error"),
    ("(x + y", "syntax error"),
    ("x.real", "'.' is not allowed"),
    ("__import__('os').system('true')", "unknown name '__import__'"),
    ("sqrt(x)", "not real or not finite"),
    ("log(x)", "not real or not finite"),
    ("x + w", "not both"),
    ("", "empty"),
    ("2**2**2**2**2**2 * x", "cannot evaluate"),
    ("1j * x", "imaginary"),
])
def test_a_bad_expression_gets_one_plain_line(text, words):
    with pytest.raises(SurfaceError) as error:
        make_surface({"name": "expression", "expression": text})
    message = str(error.value)
    assert words in message and "\n" not in message
    assert message.startswith("surface.expression: ")


def test_expression_follows_its_formula_and_derivative():
    surface = make_surface({"name": "expression", "expression": "x^2 + 3 y^2 + x y"})
    assert surface.dims == 2
    assert surface.loss((1.0, 2.0)) == pytest.approx(1 + 12 + 2)
    np.testing.assert_allclose(surface.grad((1.0, 2.0)), [2 + 2, 12 + 1])
    np.testing.assert_allclose(surface.minima(), [[0.0, 0.0]], atol=1e-9)
    curve = make_surface({"name": "expression", "expression": "(w - 1)^2"})
    assert curve.dims == 1 and curve.view() == (-3.0, 3.0)
    np.testing.assert_allclose(curve.minima(), [[1.0]])
    constant = make_surface({"name": "expression", "expression": "3"})
    assert constant.grid(4)[2].shape == (4, 4)


def test_unknown_surface_says_did_you_mean():
    with pytest.raises(SurfaceError, match="surface.name: 'rosenbrok' is not one of .*did "
                       "you mean 'rosenbrock'"):
        make_surface({"name": "rosenbrok"})
