"""schedule.per: a schedule counted in optimizer updates (update t, from 0, at η(t)).

The per-step rates are checked against the schedule's formula evaluated at t, and the
weights against plain SGD replayed here: θ ← θ − η(t)·∇L(batch of update t).
"""

import numpy as np
import pytest

from trainlab.catalog.names import Hyper
from trainlab.engine import Network, Optimizer, Schedule
from trainlab.engine.trainer import StepRunner
from trainlab.presets import PresetError, validate_preset
from trainlab.runs.loop import train
from trainlab.runs.options import RunOptions

N, B = 20, 4  # 5 updates an epoch


def data(rng):
    X = rng.normal(size=(N, 2))
    y = (X[:, :1] - 0.5 * X[:, 1:]) + 0.1 * rng.normal(size=(N, 1))
    return X, y


def runner_for(net, opt, X, y, schedule):
    r = StepRunner(net, opt, X, net.check_targets(y, N, "mse"), "mse", B, shuffle=False)
    r.step_lr = schedule.lr
    return r


def test_each_update_takes_the_schedule_at_t(rng):
    """η after update t is η(t) = η₀·γᵗ: it falls within an epoch, not only between epochs."""
    X, y = data(rng)
    net = Network([2, 3, 1], seed=1)
    opt = Optimizer("sgd", 0.1)
    schedule = Schedule("exponential", 0.1, gamma=0.8, per="step")
    r = runner_for(net, opt, X, y, schedule)
    seen = []
    for _ in range(2):
        r.start_epoch()
        opt.lr = schedule.lr(int(opt.t[0]))
        while not r.epoch_done:
            assert r.run(1) == 1
            seen.append(opt.hyper[Hyper.LR])
    t = np.arange(10)
    np.testing.assert_allclose(seen, 0.1 * 0.8 ** t, rtol=1e-15)
    assert np.all(np.diff(seen[:5]) < 0)  # within the first epoch


@pytest.mark.parametrize("name", ["step", "inverse_sqrt", "cosine"])
def test_weights_follow_sgd_with_eta_of_t(name, rng):
    """Two epochs in one compiled call (t crossing the epoch boundary) against a replay."""
    X, y = data(rng)
    net = Network([2, 3, 1], seed=1)
    replay = Network([2, 3, 1], seed=1)
    schedule = Schedule(name, 0.2, step_size=3, T=7, warmup_epochs=2, per="step")
    opt = Optimizer("sgd", 0.2)
    r = runner_for(net, opt, X, y, schedule)
    spe = r.steps_per_epoch
    pos = np.array([-1])
    rows = np.zeros((2, r._row.shape[1]))
    snaps = np.zeros((2, net.theta.size)), np.zeros((2, net.stats.size))
    lrs = np.array([schedule.lr(0), schedule.lr(spe)])
    assert r.epochs(lrs, rows, *snaps, pos, 1 << 40, shuffle=False) == 2
    p = replay.params
    for t in range(2 * spe):
        j = t % spe
        replay.set_params(p)
        _, g = replay.loss_and_gradients(X[j * B:(j + 1) * B], y[j * B:(j + 1) * B],
                                         loss="mse", training=True)
        p = {k: v - schedule.lr(t) * g[k] for k, v in p.items()}
    for k, v in net.params.items():
        np.testing.assert_allclose(v, p[k], rtol=1e-12, atol=1e-14)


def preset(**schedule):
    return validate_preset({
        "format": "trainlab-preset", "seed": 5,
        "data": {"source": "moons", "n_samples": 100, "split": {"train": 0.8, "val": 0.2,
                                                                  "test": 0.0}},
        "model": {"hidden": [6]},
        "optimizer": {"name": "sgd", "lr": 0.3},
        "schedule": schedule,
        "training": {"epochs": 6, "batch_size": 16},
    })


@pytest.mark.parametrize("compiled", [True, False])
def test_constant_per_step_is_per_epoch_bit_for_bit(compiled):
    opts = RunOptions(compiled_epochs=compiled, pipeline=False)
    a = train(preset(), write_files=False, options=opts)
    b = train(preset(per="step"), write_files=False, options=opts)
    for key in ("lr", "train_loss", "val_loss"):
        np.testing.assert_array_equal(a.history[key], b.history[key])
    for k, v in a.params_final.items():
        np.testing.assert_array_equal(v, b.params_final[k])


def test_lr_column_shows_each_epochs_first_update():
    """80 training rows, batches of 16: epoch e (from 0) starts at update t = 5e; row e + 1
    records η(5e). Both paths (one epoch a call, many) give the same run."""
    runs = [train(preset(name="exponential", gamma=0.9, per="step"), write_files=False,
                  options=RunOptions(compiled_epochs=c, pipeline=False)) for c in (True, False)]
    lr = np.asarray(runs[0].history["lr"])
    np.testing.assert_allclose(lr[1:], 0.3 * 0.9 ** (5 * np.arange(6)), rtol=1e-15)
    per_epoch = train(preset(name="exponential", gamma=0.9), write_files=False)
    np.testing.assert_allclose(per_epoch.history["lr"][1:], 0.3 * 0.9 ** np.arange(6))
    for key in ("lr", "train_loss", "val_loss"):
        np.testing.assert_array_equal(runs[0].history[key], runs[1].history[key])


def test_plateau_counts_epochs_only():
    with pytest.raises(ValueError, match="plateau"):
        Schedule("plateau", 0.1, per="step")
    with pytest.raises(PresetError, match="schedule.per"):
        preset(name="plateau", per="step")
    with pytest.raises(ValueError, match="per"):
        Schedule("constant", 0.1, per="update")


def test_the_lesson_per_update_decays_faster_and_ends_higher():
    """resources/lessons/schedule_per_step.json: 320 rows in batches of 16, 20 updates an
    epoch, η₀ = 0.5, 100 epochs."""
    from trainlab.lessons import run_variants
    from trainlab.lessons.index import lessons_dir

    r = run_variants(lessons_dir() / "schedule_per_step.json", write_files=False)
    epoch, step = (np.asarray(r[k].history["lr"]) for k in ("per epoch", "per update"))
    np.testing.assert_allclose(step[[2, -1]], [0.5 / np.sqrt(21), 0.5 / np.sqrt(99 * 20 + 1)])
    np.testing.assert_allclose(epoch[-1], 0.5 / 10)
    loss = {k: np.asarray(v.history["train_loss"]) for k, v in r.items()}
    assert loss["per update"][-1] > loss["per epoch"][-1]
    assert np.all(loss["per update"][20:] > loss["per epoch"][20:])


def test_the_pytorch_export_refuses_a_schedule_per_update(tmp_path):
    from trainlab.export import ExportError, export_torch

    p = preset(name="exponential", per="step")
    run = train(p, tmp_path / "run", save_data=True, epochs=1)
    with pytest.raises(ExportError, match="per update"):
        export_torch(run.out_dir, tmp_path / "train.py")
