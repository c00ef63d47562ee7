"""Replaying a run from its kept weights (no Qt here): which epochs are kept, the weights of
one of them, and the network outputs with those weights.

The weight history is ``(epochs, {name: array stacked over them})`` as
:attr:`trainlab.runs.progress.RunResult.weights_history` and ``weights_history.npz`` give it
(epoch 0: the initial weights).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from trainlab.session.network_model import network_for


class Replay:
    """The kept epochs of one run (a resolved ``preset`` dict and its weight history)."""

    def __init__(self, preset: dict, epochs: np.ndarray, stacked: dict[str, np.ndarray]):
        self.preset = preset
        self.epochs = np.asarray(epochs, dtype=np.int64)
        self.stacked = stacked
        if len(self.epochs) == 0:
            raise ValueError("no kept epochs to replay")
        self._net = None

    def __len__(self) -> int:
        return len(self.epochs)

    def index_of(self, epoch: int) -> int:
        """The kept epoch nearest ``epoch`` (its index)."""
        return int(np.argmin(np.abs(self.epochs - int(epoch))))

    def params(self, index: int) -> dict[str, np.ndarray]:
        """The weights at the end of kept epoch number ``index``."""
        return {name: np.asarray(a[index]) for name, a in self.stacked.items()}

    def predictor(self, index: int) -> Callable[[np.ndarray], np.ndarray]:
        """``predict(X)`` of the network with the weights of kept epoch ``index``."""
        params = self.params(index)
        if self._net is None:
            self._net = network_for(self.preset, params)
        else:
            self._net.set_params(params)
        net, loss = self._net, self.preset["loss"]["name"]
        return lambda X: net.predict(np.asarray(X, dtype=float), loss=loss)
