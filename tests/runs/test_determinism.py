"""SPEC §10: same preset, same seed, same machine ⇒ bit-identical history and weights."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from trainlab.runs.loop import train

from .helpers import load_npz, metrics_rows, preset, same_params

NOISY = preset(data={"source": "spirals", "n_samples": 60, "classes": 3},
               model={"hidden": [8, 8], "activation": "relu", "dropout": 0.3},
               optimizer={"name": "adam", "lr": 0.02},
               training={"epochs": 5, "batch_size": 7, "shuffle": True})
BATCH_NORM = preset(NOISY, model={"batch_norm": True, "activation": "tanh"},
                    optimizer={"name": "momentum", "lr": 0.05, "nesterov": True})
EARLY = preset(NOISY, training={"epochs": 40, "early_stopping": {"enabled": True,
                                                                  "patience": 2}})
REGRESSION = preset(data={"source": "plane", "n_samples": 50}, loss={"name": "huber"},
                    model={"hidden": [6], "activation": "gelu", "dropout": 0.2},
                    optimizer={"name": "rmsprop", "lr": 0.01, "momentum": 0.5},
                    schedule={"name": "cosine", "T": 3, "warmup_epochs": 1},
                    training={"epochs": 4, "batch_size": 5})
CASES = {"dropout_shuffle": NOISY, "batch_norm": BATCH_NORM, "early_stopping": EARLY,
         "regression": REGRESSION}


def cells_without_seconds(run_dir):
    header, rows = metrics_rows(run_dir / "metrics.csv")
    keep = [j for j, name in enumerate(header) if name != "seconds"]
    return header, [[r[j] for j in keep] for r in rows]


def assert_same_run(a, b):
    assert cells_without_seconds(a) == cells_without_seconds(b)  # the text, bit for bit
    for which in ("initial", "final", "best"):
        fa, fb = a / f"weights_{which}.npz", b / f"weights_{which}.npz"
        assert fa.exists() == fb.exists()
        if fa.exists():
            assert same_params(load_npz(fa), load_npz(fb))
    sa = json.loads((a / "summary.json").read_text())
    sb = json.loads((b / "summary.json").read_text())
    for key in ("status", "message", "epochs", "best_epoch", "test_metrics"):
        assert sa[key] == sb[key]


@pytest.mark.parametrize("case", list(CASES))
def test_same_preset_twice_is_bit_identical(case, tmp_path):
    data = CASES[case]
    first = train(data, out_dir=tmp_path / "a")
    second = train(data, out_dir=tmp_path / "b")
    assert_same_run(tmp_path / "a", tmp_path / "b")
    for name in first.history.columns:
        if name != "seconds":
            np.testing.assert_array_equal(first.history[name], second.history[name])
    assert same_params(first.params_final, second.params_final)


def test_another_run_in_between_changes_nothing(tmp_path):
    train(NOISY, out_dir=tmp_path / "a")
    train(preset(NOISY, seed=5, model={"dropout": 0.5}), write_files=False)
    train(REGRESSION, write_files=False)
    train(NOISY, out_dir=tmp_path / "b")
    assert_same_run(tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize("case", list(CASES))
def test_another_seed_gives_another_run(case):
    data = CASES[case]
    a = train(data, write_files=False)
    b = train(preset(data, seed=1), write_files=False)
    assert not np.array_equal(a.history["train_loss"], b.history["train_loss"])
    assert not same_params(a.params_initial, b.params_initial)
    assert not same_params(a.params_final, b.params_final)


def test_the_seed_drives_shuffling_and_dropout_not_only_the_data():
    """Same data and initial weights, different training randomness: the shuffle order and the
    dropout masks depend on the seed too (checked by toggling each on its own)."""
    base = preset(NOISY, model={"dropout": 0.0}, training={"shuffle": False})
    plain = train(base, write_files=False)
    again = train(base, write_files=False)
    assert same_params(plain.params_final, again.params_final)
    shuffled = train(preset(base, training={"shuffle": True}), write_files=False)
    dropped = train(preset(base, model={"dropout": 0.3}), write_files=False)
    assert not same_params(plain.params_final, shuffled.params_final)
    assert not same_params(plain.params_final, dropped.params_final)


@pytest.mark.slow
def test_a_separate_process_reproduces_the_run(tmp_path):
    file = tmp_path / "noisy.json"
    file.write_text(json.dumps(NOISY), encoding="utf-8")
    train(file, out_dir=tmp_path / "here")
    env = dict(os.environ, PYTHONHASHSEED="123")
    done = subprocess.run([sys.executable, "-m", "trainlab", "run", str(file), "--out",
                           str(tmp_path / "there"), "--quiet"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_same_run(tmp_path / "here", tmp_path / "there")
