"""Learning-rate schedules (SPEC §7): η(e) against each formula written out here, warm-up, and
the plateau rule on hand-written loss sequences (PyTorch ReduceLROnPlateau semantics)."""

import math

import numpy as np
import pytest

from trainlab.engine import Schedule

EPOCHS = range(201)


def formula(name, lr0, e, gamma=0.5, step_size=10, decay=0.1, power=1.0, T=100, min_lr=0.0):
    """SPEC §7's table, one line per schedule."""
    if name == "constant":
        return lr0
    if name == "step":
        return lr0 * gamma ** math.floor(e / step_size)
    if name == "exponential":
        return lr0 * gamma ** e
    if name == "inverse_sqrt":
        return lr0 / np.sqrt(e + 1)
    if name == "inverse_time":
        return lr0 / (1 + decay * e)
    if name == "polynomial":
        return lr0 * (1 - min(e, T) / T) ** power
    if name == "cosine":
        return min_lr + (lr0 - min_lr) * (1 + np.cos(np.pi * min(e, T) / T)) / 2
    raise AssertionError(name)


# (name, parameters); the first of each pair uses the project defaults of the preset schema
# (gamma 0.5, step_size 10, decay 0.1, power 1, T 100, min_lr 0), the others non-default ones.
CASES = [
    ("constant", {}),
    ("step", {}),
    ("step", {"gamma": 0.3, "step_size": 7}),
    ("step", {"gamma": 0.9, "step_size": 1}),
    ("exponential", {}),
    ("exponential", {"gamma": 0.97}),
    ("inverse_sqrt", {}),
    ("inverse_time", {}),
    ("inverse_time", {"decay": 0.25}),
    ("polynomial", {}),
    ("polynomial", {"power": 2.0, "T": 150}),
    ("polynomial", {"power": 0.5, "T": 37}),
    ("cosine", {}),
    ("cosine", {"T": 120, "min_lr": 0.001}),
    ("cosine", {"T": 13, "min_lr": 0.02}),
]
IDS = [n + "-" + "-".join(f"{k}={v}" for k, v in kw.items()) for n, kw in CASES]


@pytest.mark.parametrize("name, kw", CASES, ids=IDS)
def test_schedule_follows_formula(name, kw):
    lr0 = 0.1
    sched = Schedule(name, lr=lr0, **kw)
    got = [sched.lr(e) for e in EPOCHS]
    want = [formula(name, lr0, e, **kw) for e in EPOCHS]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_schedule_landmarks():
    """A few values worked out by hand, independent of the formula helper above."""
    assert Schedule("step", lr=1.0, gamma=0.5, step_size=10).lr(9) == 1.0
    assert Schedule("step", lr=1.0, gamma=0.5, step_size=10).lr(10) == 0.5
    assert Schedule("step", lr=1.0, gamma=0.5, step_size=10).lr(25) == 0.25
    assert Schedule("exponential", lr=2.0, gamma=0.5).lr(3) == 0.25
    assert Schedule("inverse_sqrt", lr=1.0).lr(3) == 0.5
    assert Schedule("inverse_time", lr=1.0, decay=0.5).lr(2) == 0.5
    assert Schedule("polynomial", lr=1.0, T=10, power=2.0).lr(5) == pytest.approx(0.25)
    assert Schedule("polynomial", lr=1.0, T=10).lr(10) == 0.0
    assert Schedule("polynomial", lr=1.0, T=10).lr(50) == 0.0
    cos = Schedule("cosine", lr=1.0, T=10, min_lr=0.2)
    assert cos.lr(0) == 1.0
    assert cos.lr(5) == pytest.approx(0.6, rel=1e-15)
    assert cos.lr(10) == pytest.approx(0.2, rel=1e-15)
    assert cos.lr(99) == pytest.approx(0.2, rel=1e-15)


@pytest.mark.parametrize("name, kw", CASES, ids=IDS)
def test_warmup_then_schedule(name, kw):
    """W = 5: η = η₀·(e+1)/W for e < W, then the schedule at e − W."""
    lr0, W = 0.1, 5
    sched = Schedule(name, lr=lr0, warmup_epochs=W, **kw)
    for e in EPOCHS:
        want = lr0 * (e + 1) / W if e < W else formula(name, lr0, e - W, **kw)
        assert sched.lr(e) == pytest.approx(want, rel=1e-12, abs=1e-15), e
    assert [sched.lr(e) for e in range(W + 1)] == pytest.approx(
        [0.02, 0.04, 0.06, 0.08, 0.1, formula(name, lr0, 0, **kw)], rel=1e-12)


def test_warmup_of_one_epoch_and_zero():
    s1 = Schedule("exponential", lr=0.4, gamma=0.5, warmup_epochs=1)
    assert [s1.lr(e) for e in range(3)] == pytest.approx([0.4, 0.4, 0.2], rel=1e-15)
    s0 = Schedule("exponential", lr=0.4, gamma=0.5, warmup_epochs=0)
    assert [s0.lr(e) for e in range(3)] == pytest.approx([0.4, 0.2, 0.1], rel=1e-15)


# ---- plateau -----------------------------------------------------------------------------
def run_plateau(losses, **kw):
    """η used in each epoch e; the loss of epoch e is observed after it (drives epoch e+1)."""
    sched = Schedule("plateau", **kw)
    used = []
    for e, loss in enumerate(losses):
        used.append(sched.lr(e))
        sched.observe(e, loss)
    used.append(sched.lr(len(losses)))
    return used


def test_plateau_patience_relative_threshold_and_floor():
    # patience 2, factor 0.5, no cooldown, floor 0.2. Relative threshold: an epoch improves
    # only when loss < best·(1 − 1e-4).
    losses = [
        10.0,    # e0: best 10
        9.0,     # e1: best 9                      (9·(1−1e-4) = 8.9991)
        8.9995,  # e2: not < 8.9991 → bad 1
        9.5,     # e3: bad 2
        8.9990,  # e4: < 8.9991 → improvement, best 8.999, bad 0
        8.9992,  # e5: not < 8.9981 → bad 1
        8.9985,  # e6: bad 2 (better than 8.999, but by less than 1e-4 relative)
        8.9983,  # e7: bad 3 > patience → η 1 → 0.5 from epoch 8, bad 0
        8.0,     # e8: best 8
        8.0,     # e9: bad 1
        8.0,     # e10: bad 2
        8.0,     # e11: bad 3 → η 0.25 from epoch 12
        8.0,     # e12: bad 1
        8.0,     # e13: bad 2
        8.0,     # e14: bad 3 → η max(0.125, 0.2) = 0.2 from epoch 15
        8.0, 8.0, 8.0,  # e15..e17: bad 1, 2, 3 → max(0.1, 0.2) = 0.2: stays at the floor
    ]
    want = [1.0] * 8 + [0.5] * 4 + [0.25] * 3 + [0.2] * 4
    got = run_plateau(losses, lr=1.0, factor=0.5, patience=2, cooldown=0, min_lr=0.2)
    assert got == pytest.approx(want, rel=1e-15)


def test_plateau_threshold_is_relative_not_absolute():
    # Around 1000, a drop of 0.05 is 5e-5 relative: not an improvement. patience 0: every bad
    # epoch reduces η at once.
    losses = [1000.0, 999.95, 999.0, 998.95]
    #   e0 best 1000 | e1 bad (999.95 ≥ 999.9) → reduce | e2 best 999 | e3 bad → reduce
    got = run_plateau(losses, lr=1.0, factor=0.1, patience=0, cooldown=0)
    assert got == pytest.approx([1.0, 1.0, 0.1, 0.1, 0.01], rel=1e-15)


def test_plateau_cooldown():
    # patience 1, cooldown 2, factor 0.1. Per epoch (PyTorch order): update best / bad count;
    # in cooldown: cooldown −1 and bad count := 0; then reduce if bad > patience.
    losses = [
        5.0,  # e0: best 5
        5.0,  # e1: bad 1
        5.0,  # e2: bad 2 > 1 → η 0.1 from epoch 3, cooldown 2
        5.0,  # e3: bad 1, in cooldown → cooldown 1, bad 0
        5.0,  # e4: bad 1, in cooldown → cooldown 0, bad 0
        5.0,  # e5: bad 1
        5.0,  # e6: bad 2 → η 0.01 from epoch 7, cooldown 2
        4.0,  # e7: best 4, cooldown 1
        5.0,  # e8: bad 1, cooldown 0, bad 0
        5.0,  # e9: bad 1
        5.0,  # e10: bad 2 → η 0.001 from epoch 11
    ]
    want = [1.0] * 3 + [0.1] * 4 + [0.01] * 4 + [0.001]
    got = run_plateau(losses, lr=1.0, factor=0.1, patience=1, cooldown=2)
    assert got == pytest.approx(want, rel=1e-12)
    # the same losses without cooldown: reductions after e2, e4, e6, e9 (e7 improves)
    want0 = [1.0] * 3 + [0.1] * 2 + [0.01] * 2 + [1e-3] * 3 + [1e-4] * 2
    got0 = run_plateau(losses, lr=1.0, factor=0.1, patience=1, cooldown=0)
    assert got0 == pytest.approx(want0, rel=1e-12)


def test_plateau_constant_until_observed_and_reset():
    s = Schedule("plateau", lr=0.3, patience=0, factor=0.5)
    assert [s.lr(e) for e in range(5)] == [0.3] * 5
    s.observe(0, 1.0)
    s.observe(1, 1.0)  # bad 1 > 0 → 0.15
    assert s.lr(2) == pytest.approx(0.15)
    s.reset()
    assert s.lr(2) == 0.3


def test_plateau_after_warmup():
    """With W = 3 the ramp comes first; the plateau starts at η₀ on epoch W and counts bad
    epochs from there (losses of warm-up epochs are not part of the schedule)."""
    W = 3
    losses = [5.0, 5.0, 5.0,   # warm-up epochs (ignored by the plateau rule)
              5.0,             # e3: best 5
              5.0,             # e4: bad 1
              5.0]             # e5: bad 2 > 1 → η 0.5 from epoch 6
    got = run_plateau(losses, lr=1.0, factor=0.5, patience=1, warmup_epochs=W)
    assert got == pytest.approx([1 / 3, 2 / 3, 1.0, 1.0, 1.0, 1.0, 0.5], rel=1e-15)
