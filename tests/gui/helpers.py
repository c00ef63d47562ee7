"""Shared helpers of the GUI tests: tiny presets, made-up histories, what a plot shows."""

from __future__ import annotations

import copy

import numpy as np

from trainlab.runs.history import History, history_columns


def tiny_preset(**changes) -> dict:
    """A preset that trains in a blink: 60 spiral points, one layer of 4 units, 5 epochs."""
    from trainlab.presets import default_preset, preset_to_dict

    d = preset_to_dict(default_preset())
    d["name"] = "Tiny spirals"
    d["data"].update(n_samples=60)
    d["model"]["hidden"] = [4]
    d["training"]["epochs"] = 5
    for path, value in changes.items():
        node = d
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = copy.deepcopy(value)
    return d


def make_history(rows=10, layers=2, task="classification", val=True, seed=0):
    """A History like the loop writes: row 0 initial weights, g_norm NaN at row 0."""
    rng = np.random.default_rng(seed)
    metric = "acc" if task == "classification" else "r2"
    h = History(history_columns(layers, task))
    for e in range(rows):
        row = {
            "epoch": e,
            "lr": 0.1,
            "train_loss": 1.0 / (e + 1),
            "val_loss": 1.2 / (e + 1) if val else np.nan,
            f"train_{metric}": 0.5 + 0.04 * e,
            f"val_{metric}": 0.45 + 0.04 * e if val else np.nan,
            "penalty": 0.0,
            "seconds": 0.01 * e,
        }
        for layer in range(1, layers + 1):
            row[f"w_norm_{layer}"] = layer + 0.1 * e + 0.01 * rng.random()
            row[f"g_norm_{layer}"] = np.nan if e == 0 else 10.0**-layer
        h.append(row)
    return h


def shown(qtbot, widget, width: int, height: int):
    """``widget`` in the projector look, sized, closed after the test."""
    from trainlab.gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    qtbot.addWidget(widget)
    widget.resize(width, height)
    return widget


def curve_count(panel, plot_name: str) -> int:
    """Curves on screen in ``plot_name`` with at least one finite point."""
    return len(panel.curves(plot_name))


RUN_TIMEOUT = 120_000  # the first run of a session may compile the engine


def wait_idle(qtbot, window, timeout=RUN_TIMEOUT):
    """Wait until the window's run has ended."""
    qtbot.waitUntil(lambda: window.controller.state == "idle", timeout=timeout)


def train_to_end(qtbot, window, preset=None):
    """Load ``preset`` (if given), press Train and wait for the end; the run's entry."""
    if preset is not None:
        window.model.load(preset)
    with qtbot.waitSignal(window.controller.finished, timeout=RUN_TIMEOUT):
        assert window.start_run()
    wait_idle(qtbot, window)
    return window.session.runs.entries[window.session.runs.current]
