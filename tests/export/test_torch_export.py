"""The exported PyTorch script trains the same run: final weights equal to 1e-9 (float64)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from trainlab import train
from trainlab.export import ExportError, export_torch
from trainlab.export.torch_script import batch_orders

BASE = {"format": "trainlab-preset", "seed": 3,
        "data": {"source": "moons", "n_samples": 60, "noise": 0.2},
        "model": {"hidden": [5, 4], "activation": "tanh"},
        "optimizer": {"name": "sgd", "lr": 0.1}, "training": {"epochs": 6, "batch_size": 8}}


def test_batch_order_is_the_engines(tmp_path):
    run = train(BASE, tmp_path / "run", save_data=True)
    from trainlab.engine.rng import shuffle_in_place
    order = np.arange(len(run.dataset.X_train))
    state = np.random.SeedSequence([3, 2]).generate_state(1, dtype=np.uint64).copy()
    orders = batch_orders(run.preset, order.size, 6)
    for e in range(6):
        shuffle_in_place(order, state)
        assert np.array_equal(orders[e], order)
    assert sorted(orders[5]) == list(range(order.size))


def test_a_run_without_saved_data_is_refused_in_one_line(tmp_path):
    train(BASE, tmp_path / "run")
    with pytest.raises(ExportError, match="run it again with --save-data"):
        export_torch(tmp_path / "run", tmp_path / "train.py")


CASES = {
    "sgd": {},
    "momentum-nesterov": {"optimizer": {"name": "momentum", "lr": 0.05, "nesterov": True}},
    "adagrad": {"optimizer": {"name": "adagrad", "lr": 0.05}},
    "rmsprop": {"optimizer": {"name": "rmsprop", "lr": 0.01, "momentum": 0.5}},
    "adam-bn": {"optimizer": {"name": "adam", "lr": 0.01}, "model": {"hidden": [5, 4],
                                                                    "batch_norm": True}},
    "adamw": {"optimizer": {"name": "adamw", "lr": 0.01, "weight_decay": 0.1}},
    "lamb": {"optimizer": {"name": "lamb", "lr": 0.01}},
    "l1-l2-clip": {"regularization": {"l1": 0.01, "l2": 0.01, "clip_norm": 0.5}},
    "smoothing-relu": {"loss": {"name": "cross_entropy", "label_smoothing": 0.1},
                       "model": {"hidden": [6], "activation": "relu"}},
    "maxout-elu": {"model": {"hidden": [4, 3], "activation": ["maxout", "elu"]}},
    "bce": {"loss": {"name": "bce"}},
    "regression-huber": {"data": {"source": "sine", "n_samples": 50}, "loss": {"name": "huber"}},
    "step": {"schedule": {"name": "step", "gamma": 0.5, "step_size": 2}},
    "exponential": {"schedule": {"name": "exponential", "gamma": 0.8}},
    "inverse_sqrt": {"schedule": {"name": "inverse_sqrt"}},
    "inverse_time": {"schedule": {"name": "inverse_time", "decay": 0.3}},
    "inverse_power": {"schedule": {"name": "inverse_power", "power": 0.7}},
    "polynomial": {"schedule": {"name": "polynomial", "T": 4, "power": 2.0}},
    "cosine-warmup": {"schedule": {"name": "cosine", "T": 3, "warmup_epochs": 2}},
    "plateau": {"schedule": {"name": "plateau", "patience": 0, "factor": 0.5},
                "optimizer": {"name": "sgd", "lr": 2.0}},
}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_script_reproduces_the_final_weights(tmp_path, case):
    pytest.importorskip("torch")
    preset = {**BASE, **CASES[case]}
    run = train(preset, tmp_path / "run", save_data=True)
    script = export_torch(tmp_path / "run", tmp_path / "out" / "train.py")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "train loss" in done.stdout
    ours = np.load(tmp_path / "out" / "weights_torch.npz")
    assert set(ours) == set(run.params_final)
    for name, value in run.params_final.items():
        np.testing.assert_allclose(ours[name], value, rtol=0, atol=1e-9, err_msg=name)
