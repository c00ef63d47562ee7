"""TensorBoard-style distributions, without Qt: per layer and per kind (weights, biases,
pre-activations, activations, gradients) the percentiles of the values at each epoch added,
and the values of the latest one for its histogram.

Values come from the engine: the weights themselves, a :func:`forward_trace` of a sample of
the training rows (pre-activations z before batch norm, activations a) and a
:func:`backward_trace` of the same rows for the gradients ∂L/∂W (evaluation mode).
"""

from __future__ import annotations

import numpy as np

from trainlab.session.network_model import network_for

KINDS = ("weights", "biases", "pre-activations", "activations", "gradients")
#: TensorBoard's bands: min, then ±1.5σ, ±1σ, ±0.5σ of a normal, the median, … max.
PERCENTILES = (0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0)
#: Epochs kept (the oldest are thinned to every other one beyond this).
MAX_EPOCHS = 400
#: Training rows (the first ones, fixed) the traces and gradients are taken over: enough for
#: percentiles, small enough to redraw live.
SAMPLE_ROWS = 128


class Distributions:
    """Collects distributions for a run of ``preset`` on training rows ``X, y``."""

    def __init__(self, preset: dict, params: dict, X, y):
        self.preset = preset
        self.net = network_for(preset, params)
        n = min(len(X), SAMPLE_ROWS)
        self.X = np.ascontiguousarray(X[:n], dtype=self.net.dtype)
        self.y = np.asarray(y)[:n]
        self.loss = preset["loss"]["name"]
        self.layers = [f"layer {l + 1}" for l in range(self.net.n_layers)]
        self.epochs: list[int] = []
        self._bands: dict[tuple[int, str], list[np.ndarray]] = {}
        self.current: dict[tuple[int, str], np.ndarray] = {}

    def values(self, params: dict) -> dict[tuple[int, str], np.ndarray]:
        """Every (layer, kind)'s values for weights ``params``."""
        self.net.set_params(params)
        trace = self.net.backward_trace(self.X, self.y, loss=self.loss)
        out = {}
        for l, layer in enumerate(trace):
            out[(l, "weights")] = params[f"W{l + 1}"].ravel()
            out[(l, "biases")] = params[f"b{l + 1}"].ravel()
            out[(l, "pre-activations")] = layer["z"].ravel()
            out[(l, "activations")] = layer["a"].ravel()
            out[(l, "gradients")] = layer["dW"].ravel()
        return out

    def add(self, epoch: int, params: dict) -> None:
        """Record epoch ``epoch`` (a later call for the same epoch replaces it)."""
        values = self.values(params)
        if self.epochs and self.epochs[-1] == epoch:
            self.epochs.pop()
            for bands in self._bands.values():
                bands.pop()
        self.epochs.append(int(epoch))
        for key, v in values.items():
            v = np.asarray(v, dtype=float)
            v = v[np.isfinite(v)]
            p = np.percentile(v, PERCENTILES) if v.size else np.full(len(PERCENTILES), np.nan)
            self._bands.setdefault(key, []).append(p)
        self.current = values
        if len(self.epochs) > MAX_EPOCHS:
            keep = list(range(0, len(self.epochs) - 1, 2)) + [len(self.epochs) - 1]
            self.epochs = [self.epochs[i] for i in keep]
            for key, bands in self._bands.items():
                self._bands[key] = [bands[i] for i in keep]

    def bands(self, layer: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, percentiles: epochs × len(PERCENTILES))."""
        rows = self._bands.get((layer, kind), [])
        return (np.asarray(self.epochs, dtype=float),
                np.asarray(rows, dtype=float).reshape(len(rows), len(PERCENTILES)))

    def histogram(self, layer: int, kind: str, bins: int = 30):
        """(counts, edges) of the latest epoch's values."""
        v = np.asarray(self.current.get((layer, kind), []), dtype=float)
        v = v[np.isfinite(v)]
        if not v.size:
            return np.zeros(bins), np.linspace(0.0, 1.0, bins + 1)
        return np.histogram(v, bins=bins)
