"""Runs to take landscapes of: trained here, their per-epoch weights kept by the callback and
written as ``weights_history.npz`` (names stacked over epochs, plus ``epochs``)."""

from __future__ import annotations

import numpy as np
import pytest

import trainlab
from tests.runs.helpers import preset

SPIRALS = preset(data={"source": "spirals", "n_samples": 120, "noise": 0.1,
                       "split": {"train": 0.7, "val": 0.3, "test": 0.0}},
                 model={"hidden": [6, 5], "activation": "tanh"},
                 optimizer={"name": "adam", "lr": 0.03},
                 training={"epochs": 12, "batch_size": 16})


class Trained:
    """A finished run, its kept weights by name and ``epochs``, and its run folder."""

    def __init__(self, data: dict, out_dir=None):
        snaps: dict[int, dict] = {}

        def keep(p):
            if p.event in ("start", "epoch"):
                snaps[p.epoch] = p.params()

        self.result = trainlab.train(data, out_dir=out_dir, callback=keep,
                                     write_files=out_dir is not None)
        epochs = sorted(snaps)
        self.history = {name: np.stack([snaps[e][name] for e in epochs])
                        for name in snaps[epochs[0]]}
        self.history["epochs"] = np.array(epochs, np.int64)
        self.dir = out_dir
        if out_dir is not None:
            np.savez(out_dir / "weights_history.npz", **self.history)


@pytest.fixture(scope="package")
def spirals():
    return Trained(SPIRALS)


@pytest.fixture(scope="package")
def spirals_dir(tmp_path_factory):
    return Trained(SPIRALS, tmp_path_factory.mktemp("spirals") / "run")


@pytest.fixture(scope="session", autouse=True)
def _engine_first(compiled_engine):
    """These tests train: the engine is compiled (or loaded) once, before the first."""
