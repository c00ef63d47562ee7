"""Racers against their definitions: every optimizer's path against a plain NumPy restatement
of its SPEC §6 formula, schedules counting updates, penalties, gradient noise, finite
differences and random perturbation."""

import math

import numpy as np
import pytest

from trainlab.engine.schedules import Schedule
from trainlab.playground import Race, race
from trainlab.playground.catalog import make_surface

STEPS = 60


def reference_path(name, grad, start, lrs, mu=0.9, nesterov=False, b1=0.9, b2=0.999,
                   eps=1e-8, rho=0.99, wd=0.01):
    """SPEC §6 restated: the point is one weight tensor (so AdamW and LAMB decay it)."""
    theta = np.array(start, dtype=float)
    b = np.zeros_like(theta)
    s = np.zeros_like(theta)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta.copy()]
    for t, lr in enumerate(lrs, start=1):
        g = grad(theta)
        if name == "sgd":
            theta = theta - lr * g
        elif name == "momentum":
            b = mu * b + g
            theta = theta - lr * (g + mu * b if nesterov else b)
        elif name == "adagrad":
            s = s + g * g
            theta = theta - lr * g / (np.sqrt(s) + eps)
        elif name == "rmsprop":
            v = rho * v + (1 - rho) * g * g
            if mu > 0:
                b = mu * b + g / (np.sqrt(v) + eps)
                theta = theta - lr * b
            else:
                theta = theta - lr * g / (np.sqrt(v) + eps)
        else:
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            if name == "adamw":
                theta = theta * (1 - lr * wd)
            if name in ("adam", "adamw"):
                theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
            else:  # lamb
                r = m_hat / (np.sqrt(v_hat) + eps) + wd * theta
                norm_theta, norm_r = np.linalg.norm(theta), np.linalg.norm(r)
                trust = norm_theta / norm_r if norm_theta > 0 and norm_r > 0 else 1.0
                theta = theta - lr * trust * r
        path.append(theta.copy())
    return np.array(path)


CASES = [
    ("sgd", {"lr": 0.001}, {}),
    ("momentum", {"lr": 0.0005, "momentum": 0.9}, {"mu": 0.9}),
    ("momentum", {"lr": 0.0005, "momentum": 0.8, "nesterov": True}, {"mu": 0.8, "nesterov": True}),
    ("adagrad", {"lr": 0.3}, {"eps": 1e-10}),
    ("rmsprop", {"lr": 0.01}, {"mu": 0.0}),
    ("rmsprop", {"lr": 0.003, "momentum": 0.5, "rho": 0.9}, {"mu": 0.5, "rho": 0.9}),
    ("adam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.99}, {"b1": 0.8, "b2": 0.99}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.1}, {"wd": 0.1}),
    ("lamb", {"lr": 0.02, "weight_decay": 0.05}, {"wd": 0.05}),
]


def playground(surface, racers, steps=STEPS, **extra):
    return {"format": "trainlab-playground", "surface": surface, "steps": steps,
            "racers": racers, **extra}


@pytest.mark.parametrize("surface", [{"name": "rosenbrock"}, {"name": "himmelblau"}],
                         ids=["rosenbrock", "himmelblau"])
@pytest.mark.parametrize("name, options, ref", CASES, ids=[
    f"{c[0]}{'-nesterov' if c[1].get('nesterov') else ''}{'-mu' if c[2].get('mu') else ''}"
    for c in CASES])
def test_every_optimizer_follows_its_formula(surface, name, options, ref):
    start = [-1.2, 1.5]
    results = race(playground(surface, [{"label": "r", "optimizer": {"name": name, **options}}],
                              start=start))
    expected = reference_path(name, make_surface(surface).grad, start,
                              [options["lr"]] * STEPS, **ref)
    np.testing.assert_allclose(results["r"].points, expected, rtol=1e-11, atol=1e-13)
    f = make_surface(surface)
    np.testing.assert_allclose(results["r"].losses, [f.loss(p) for p in expected], rtol=1e-10)


def test_a_schedule_counts_updates():
    options = {"name": "step", "gamma": 0.5, "step_size": 7, "warmup_epochs": 3}
    results = race(playground({"name": "bowl"}, [
        {"label": "r", "optimizer": {"name": "sgd", "lr": 0.4}, "schedule": options}]))
    schedule = Schedule("step", 0.4, gamma=0.5, step_size=7, warmup_epochs=3)
    lrs = [schedule.lr(t) for t in range(STEPS)]
    assert lrs[0] == pytest.approx(0.4 / 3) and lrs[20] == pytest.approx(0.4 * 0.5 ** 2)
    expected = reference_path("sgd", make_surface({"name": "bowl"}).grad, (-4.5, 2.0), lrs)
    np.testing.assert_allclose(results["r"].points, expected, rtol=1e-12)


def test_penalties_add_to_the_surface_and_its_gradient():
    surface = make_surface({"name": "bowl", "center": [3.0, 1.0]})
    l1, l2 = 0.3, 0.2
    results = race(playground({"name": "bowl", "center": [3.0, 1.0]},
                              [{"label": "r", "optimizer": {"name": "sgd", "lr": 0.1}}],
                              start=[-3.0, 4.0], regularization={"l1": l1, "l2": l2}))
    grad = lambda p: surface.grad(p) + l1 * np.sign(p) + l2 * p  # noqa: E731
    expected = reference_path("sgd", grad, (-3.0, 4.0), [0.1] * STEPS)
    np.testing.assert_allclose(results["r"].points, expected, rtol=1e-12)
    p = expected[-1]
    assert results["r"].losses[-1] == pytest.approx(
        surface.loss(p) + l1 * np.abs(p).sum() + l2 / 2 * (p @ p), rel=1e-12)


def test_gradient_noise_is_seeded_and_added_to_every_gradient():
    spec = playground({"name": "bowl"}, [{"label": "a", "optimizer": {"name": "sgd", "lr": 0.1}},
                                         {"label": "b", "optimizer": {"name": "sgd", "lr": 0.1}}],
                      noise=0.5, seed=7)
    first, again = race(spec), race(spec)
    np.testing.assert_array_equal(first["a"].points, again["a"].points)
    assert not np.array_equal(first["a"].points, first["b"].points)  # each racer its own draws
    surface = make_surface({"name": "bowl"})
    rng = np.random.default_rng([7, 0])
    theta = np.array(surface.start())
    for t in range(STEPS):
        theta = theta - 0.1 * (surface.grad(theta) + 0.5 * rng.standard_normal(2))
        np.testing.assert_allclose(first["a"].points[t + 1], theta, rtol=1e-12)


def test_finite_difference_gradient_descent_follows_its_definition():
    surface = make_surface({"name": "six_hump_camel"})
    eps = 0.3
    results = race(playground({"name": "six_hump_camel"}, [
        {"label": "fd", "kind": "finite_difference", "fd_eps": eps,
         "optimizer": {"name": "sgd", "lr": 0.02}},
        {"label": "fine", "kind": "finite_difference", "fd_eps": 1e-5,
         "optimizer": {"name": "sgd", "lr": 0.02}},
        {"label": "analytic", "optimizer": {"name": "sgd", "lr": 0.02}}]))
    theta = np.array(surface.start())
    for t in range(STEPS):
        g = np.array([(surface.loss(theta + e) - surface.loss(theta - e)) / (2 * eps)
                      for e in np.eye(2) * eps])
        theta = theta - 0.02 * g
        np.testing.assert_allclose(results["fd"].points[t + 1], theta, rtol=1e-12)
    np.testing.assert_allclose(results["fine"].points, results["analytic"].points, atol=1e-7)
    assert np.abs(results["fd"].points[-1] - results["analytic"].points[-1]).max() > 1e-2


def test_random_perturbation_keeps_a_trial_only_when_the_loss_falls():
    surface = make_surface({"name": "rosenbrock"})
    results = race(playground({"name": "rosenbrock"}, [
        {"label": "rp", "kind": "random_perturbation", "perturbation": 0.2}], seed=3))
    rng = np.random.default_rng([3, 0])
    theta = np.array(surface.start())
    kept = 0
    for t in range(STEPS):
        trial = theta + 0.2 * rng.standard_normal(2)
        if surface.loss(trial) < surface.loss(theta):
            theta, kept = trial, kept + 1
        np.testing.assert_array_equal(results["rp"].points[t + 1], theta)
    assert 0 < kept < STEPS
    assert np.all(np.diff(results["rp"].losses) <= 0)


def test_race_steps_resets_and_exposes_the_arrows():
    spec = playground({"name": "rosenbrock"}, [
        {"label": "m", "optimizer": {"name": "momentum", "lr": 0.0005}},
        {"label": "sgd", "optimizer": {"name": "sgd", "lr": 0.001}}])
    r = Race(spec)
    assert r.racers[0].state.gradient is None
    before = r.racers[0].point.copy()
    assert r.step() and r.updates == 1
    state = r.racers[0].state
    g = make_surface({"name": "rosenbrock"}).grad(before)
    np.testing.assert_allclose(state.gradient, g)
    np.testing.assert_allclose(state.momentum, g)  # b = μ·0 + g
    np.testing.assert_allclose(state.step, -0.0005 * g)
    assert r.racers[1].state.momentum is None
    results = r.run()
    assert r.updates == STEPS and not r.step()
    assert results["m"].points.shape == (STEPS + 1, 2)
    r.reset(start=(0.5, 0.5))
    assert r.updates == 0 and r.racers[0].points == [pytest.approx([0.5, 0.5])]
    with pytest.raises(ValueError, match="outside the view"):
        r.reset(start=(9.0, 9.0))
    # a changed racer is replayed to the current update at once
    r.run(10)
    r.set_racer(1, {"optimizer": {"lr": 0.002}})
    assert r.racers[1].updates == 10
    fresh = race({**spec, "start": [0.5, 0.5], "racers": [
        spec["racers"][0], {"label": "sgd", "optimizer": {"name": "sgd", "lr": 0.002}}]})
    np.testing.assert_allclose(r.racers[1].path()[0], fresh["sgd"].points[:11], rtol=1e-12)


def test_a_diverging_racer_stops_and_its_path_ends_in_nan():
    results = race(playground({"name": "bowl", "kappa": 1}, [
        {"label": "lr 2.5", "optimizer": {"name": "sgd", "lr": 2.5}},
        {"label": "lr 0.5", "optimizer": {"name": "sgd", "lr": 0.5}}], steps=100))
    bad = results["lr 2.5"]
    # on κ = 1 GD multiplies the point by (1 − lr·L) = −1.5 each update
    n = bad.diverged_at
    assert n is not None and 1.5 ** n * np.hypot(4.5, 2.0) > 1e8
    assert np.isnan(bad.points[n + 1:]).all() and np.isfinite(bad.points[:n + 1]).all()
    np.testing.assert_allclose(bad.points[3], np.array([-4.5, 2.0]) * (-1.5) ** 3)
    assert results["lr 0.5"].diverged_at is None
    assert math.isfinite(results["lr 0.5"].losses[-1])


def test_the_penalized_minimum_moves_as_the_penalty_says():
    spec = {"name": "bowl", "kappa": 2.0, "center": [3.0, 1.0]}
    A = np.diag([0.5, 1.0])  # the bowl's Hessian: curvatures L/κ along x, L along y
    for l2 in (0.5, 2.0):  # (A + λ₂I)·p = A·c
        r = Race(playground(spec, [{"label": "r"}], regularization={"l2": l2}))
        np.testing.assert_allclose(r.minima()[0], np.linalg.solve(A + l2 * np.eye(2),
                                                                  A @ [3.0, 1.0]), atol=1e-9)
    # L1: per coordinate the soft threshold of the center by λ₁/curvature; y lands on 0 exactly
    r = Race(playground(spec, [{"label": "r", "optimizer": {"name": "sgd", "lr": 0.1}}],
                        regularization={"l1": 1.2}, steps=300))
    assert r.minima()[0][0] == pytest.approx(3.0 - 1.2 / 0.5) and r.minima()[0][1] == 0.0
    end = r.run()["r"].points[-1]
    assert end[0] == pytest.approx(0.6, abs=1e-6)
    assert abs(end[1]) <= 0.1 * 1.2  # GD's subgradient steps jitter around 0 by lr·λ₁
