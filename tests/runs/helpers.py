"""Shared helpers of the run-layer tests: small presets, metrics.csv readers, a NumPy forward pass.

The forward pass is written from SPEC §1-4 independently of the engine, so tests can recompute
what the loop records (losses, accuracies, R²) from the weight files alone.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import numpy as np

from trainlab.runs.health import health_columns

BASE = {
    "format": "trainlab-preset",
    "version": 1,
    "name": "test run",
    "seed": 0,
    "data": {"source": "xor", "n_samples": 40},
    "model": {"hidden": [4], "activation": "tanh"},
    "optimizer": {"name": "adam", "lr": 0.01},
    "training": {"epochs": 2, "batch_size": 8},
}


def merge(base: dict, changes: dict) -> dict:
    """A deep copy of `base` with `changes` merged in, section by section."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def preset(base: dict | None = None, /, **changes) -> dict:
    """`base` (default: xor, 40 rows, 2-4-2 tanh, Adam, 2 epochs) with `changes` merged in."""
    return merge(BASE if base is None else base, changes)


def metrics_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a metrics.csv, as text."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def metrics_columns(path: Path) -> dict[str, np.ndarray]:
    """metrics.csv as float columns."""
    header, rows = metrics_rows(path)
    return {name: np.array([float(r[j]) for r in rows]) for j, name in enumerate(header)}


def expected_header(n_layers: int, task: str) -> list[str]:
    metric = "acc" if task == "classification" else "r2"
    return (["epoch", "lr", "train_loss", "val_loss", f"train_{metric}", f"val_{metric}",
             "penalty"]
            + [f"w_norm_{l}" for l in range(1, n_layers + 1)]
            + [f"g_norm_{l}" for l in range(1, n_layers + 1)]
            + ["seconds"] + health_columns(n_layers))


def load_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def same_params(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def weight_names(params: dict) -> list[str]:
    """W1..WL in layer order."""
    n = sum(1 for k in params if k.startswith("W"))
    return [f"W{l}" for l in range(1, n + 1)]


_ACTIVATIONS = {
    "identity": lambda z: z,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
}


def forward(params: dict, X: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """Logits of a plain MLP (no batch norm, evaluation mode) per SPEC §1."""
    f = _ACTIVATIONS[activation]
    L = len(weight_names(params))
    A = np.asarray(X, dtype=np.float64)
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        A = f(Z) if l < L else Z
    return A


def data_loss(logits: np.ndarray, y: np.ndarray, loss: str) -> float:
    """Mean data loss per SPEC §4 (no label smoothing)."""
    if loss == "cross_entropy":
        m = logits.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
        return float(np.mean(lse - logits[np.arange(len(y)), y]))
    if loss == "bce":
        z = logits[:, 0]
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    y = y.reshape(logits.shape)
    if loss == "mse":
        return float(np.mean((logits - y) ** 2))
    if loss == "mae":
        return float(np.mean(np.abs(logits - y)))
    raise ValueError(loss)


def accuracy(logits: np.ndarray, y: np.ndarray, loss: str) -> float:
    pred = (logits[:, 0] > 0).astype(int) if loss == "bce" else logits.argmax(axis=1)
    return float(np.mean(pred == y))


def r2(pred: np.ndarray, y: np.ndarray) -> float:
    y = y.reshape(pred.shape)
    sse = ((pred - y) ** 2).sum(axis=0)
    sst = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    return float(np.mean(1.0 - sse / sst))


def penalty(params: dict, l1: float, l2: float) -> float:
    W = [params[k] for k in weight_names(params)]
    return l1 * sum(np.abs(w).sum() for w in W) + 0.5 * l2 * sum((w * w).sum() for w in W)


def assert_same_run(a, b) -> None:
    """Two RunResults agree bit for bit: status, message, best epoch, every history column
    but ``seconds``, final and best weights, test metrics."""
    assert (a.status, a.message, a.best_epoch) == (b.status, b.message, b.best_epoch)
    assert len(a.history) == len(b.history)
    for name in a.history.columns:
        if name != "seconds":
            np.testing.assert_array_equal(a.history[name], b.history[name], err_msg=name)
    assert same_params(a.params_final, b.params_final)
    assert (a.params_best is None) == (b.params_best is None)
    if a.params_best is not None:
        assert same_params(a.params_best, b.params_best)
    assert a.test_metrics == b.test_metrics


def train_in_thread(data, control, callback, options=None, out_dir=None):
    """``train`` in a daemon thread, as the GUI runs it: (thread, dict with "result");
    files only with ``out_dir``."""
    import threading

    from trainlab.runs.loop import train

    out = {}

    def run():
        out["result"] = train(data, out_dir, control=control, callback=callback,
                              write_files=out_dir is not None, options=options)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def train_with_pause(data, act, at: int, options=None, out_dir=None, wait: float = 60):
    """``train`` in a thread (as the GUI runs it), paused at the report of epoch ``at``
    (epochs trained ahead stay); ``act(control)`` while it waits parked, then resumed: the
    RunResult."""
    from trainlab.runs.control import RunControl

    control = RunControl()

    def callback(p):
        if p.event == "epoch" and p.epoch == at:
            control.pause()

    thread, out = train_in_thread(data, control, callback, options, out_dir)
    assert control.wait_parked(wait)
    act(control)
    control.resume()
    thread.join(wait)
    return out["result"]


class EpochLog:
    """A callback that records the epochs reported, for a test thread to wait on."""

    def __init__(self):
        import threading

        self.epochs: list[int] = []
        self.cond = threading.Condition()

    def __call__(self, progress):
        with self.cond:
            if progress.event == "epoch":
                self.epochs.append(progress.epoch)
            self.cond.notify_all()

    def wait_for(self, n: int, timeout: float = 30.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.epochs) >= n, timeout)
