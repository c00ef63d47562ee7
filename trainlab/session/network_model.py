"""What the network view shows, without Qt: the columns of units (inputs, hidden layers,
outputs), the weights between the units drawn, and each drawn unit's picture, computed by the
engine's :func:`~trainlab.engine.trace.forward_trace` on a network of the run's shape that
holds a copy of the run's weights (never the training network itself).

A unit's picture is its value over the input plane (``grid``: the data view's boundary grid,
one row per pixel) when the inputs are a plane, else its values over a sample of the training
rows (the view draws their histogram). Wide layers show their first :data:`MAX_SHOWN` units
and count the rest.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

#: Units drawn per column; the others are counted ("+N more").
MAX_SHOWN = 10
#: Training rows a histogram (and a distribution) is taken over.
SAMPLE_ROWS = 512
#: Seconds between two copies of a running run's weights (10 pictures a second at most).
FEED_INTERVAL = 0.1
#: Points per side of a unit's map: a finer input plane is thinned to this (a thumbnail, and
#: a 40 × 40 forward pass costs a sixth of the data view's 100 × 100).
MAP_GRID = 40


def coarse_grid(grid: np.ndarray, n: int = MAP_GRID) -> np.ndarray:
    """A square raster of inputs (G × G rows, row-major, as the data view's grid) thinned to
    n × n points spread evenly over it, corners kept; other inputs unchanged."""
    g = int(round(np.sqrt(grid.shape[0])))
    if g * g != grid.shape[0] or g <= n:
        return grid
    pick = np.round(np.linspace(0, g - 1, n)).astype(int)
    return grid.reshape(g, g, -1)[pick][:, pick].reshape(n * n, -1)


def warm_traces(dtypes=("float64",)) -> None:
    """Compile (or load from the disk cache) the trace kernels the inside views use, so that
    the first live picture does not stall the window; meant for a background thread."""
    from trainlab.engine import Network  # the compiled engine, on first use

    for dtype in dtypes:
        net = Network([2, 3, 2], activation="tanh", batch_norm=True, dtype=dtype)
        X = np.zeros((4, 2), dtype)
        net.forward_trace(X)
        net.backward_trace(X, np.array([0, 1, 0, 1]), loss="cross_entropy")


@dataclass
class Column:
    """One column of the diagram: the inputs, a hidden layer, or the outputs."""

    title: str          # "inputs", "hidden 1", "outputs"
    label: str          # the title with what the layer does: "hidden 1 · 8 tanh · BN"
    width: int          # units in the layer
    names: list[str]    # the names of the units drawn (the first ones)

    @property
    def more(self) -> int:
        """Units not drawn."""
        return self.width - len(self.names)


def network_shape(preset: dict, params: dict) -> list[int]:
    """The layer widths [inputs, hidden…, outputs] of a run with ``params``."""
    n_layers = sum(1 for name in params if name.startswith("W"))
    hidden = list(preset["model"]["hidden"])
    if len(hidden) != n_layers - 1:
        raise ValueError(f"params: {n_layers} weight matrices for {len(hidden)} hidden layers")
    return [int(np.shape(params["W1"])[0]), *hidden, int(np.shape(params[f"W{n_layers}"])[1])]


def network_for(preset: dict, params: dict):
    """A network of the run's shape holding ``params``."""
    m = preset["model"]
    from trainlab.engine import Network  # the compiled engine, on first use

    net = Network(network_shape(preset, params), activation=m["activation"],
                  batch_norm=m["batch_norm"], dropout=m["dropout"],
                  maxout_pieces=m["maxout_pieces"], dtype=preset["training"]["dtype"])
    net.set_params(params)
    return net


def layer_label(title: str, width: int, activation: str, preset: dict) -> str:
    m = preset["model"]
    parts = [title, f"{width} {activation}"]
    if activation == "maxout":
        parts[-1] += f" ×{m['maxout_pieces']}"
    if m["batch_norm"]:
        parts.append("BN")
    if m["dropout"]:
        parts.append(f"dropout {m['dropout']:g}")
    return " · ".join(parts)


class NetworkInspector:
    """The diagram's numbers for a run of ``preset`` (a resolved preset dict).

    ``sample`` are network inputs (training rows) for histograms; ``grid``, network inputs for
    the pixels of the input plane (or None: histograms everywhere).
    """

    def __init__(self, preset: dict, params: dict, feature_names: list[str] | None,
                 sample: np.ndarray, grid: np.ndarray | None = None):
        self.preset = preset
        self.net = network_for(preset, params)
        self.sizes = self.net.sizes
        d = self.sizes[0]
        names = list(feature_names or [])
        self.feature_names = names if len(names) == d else [f"x{i + 1}" for i in range(d)]
        self.sample = np.ascontiguousarray(sample[:SAMPLE_ROWS], dtype=self.net.dtype)
        self.grid = None if grid is None else np.ascontiguousarray(coarse_grid(grid),
                                                                   dtype=self.net.dtype)
        self._values: list[np.ndarray] | None = None
        self.columns = self._columns()

    def _columns(self) -> list[Column]:
        acts, sizes = self.net.activations, self.sizes
        cols = [Column("inputs", f"inputs · {sizes[0]}", sizes[0],
                       self.feature_names[:MAX_SHOWN])]
        for l, act in enumerate(acts):
            w = sizes[l + 1]
            cols.append(Column(f"hidden {l + 1}", layer_label(f"hidden {l + 1}", w, act,
                                                             self.preset),
                               w, [f"h{l + 1}.{j + 1}" for j in range(min(w, MAX_SHOWN))]))
        w = sizes[-1]
        cols.append(Column("outputs", f"outputs · {w}", w,
                           [f"out {j + 1}" for j in range(min(w, MAX_SHOWN))]))
        return cols

    @property
    def on_plane(self) -> bool:
        return self.grid is not None

    def set_params(self, params: dict) -> None:
        self.net.set_params(params)
        self._values = None

    def params(self) -> dict:
        return self.net.params

    # ---- weights ---------------------------------------------------------------------------
    def _column_of_w(self, layer: int, j: int) -> int:
        """The column of W_{layer+1} that unit j of the next column reads (maxout: its first
        piece)."""
        last = layer == self.net.n_layers - 1
        act = None if last else self.net.activations[layer]
        return j * self.net.maxout_pieces if act == "maxout" else j

    def weight(self, layer: int, i: int, j: int) -> float:
        """w from unit i of column ``layer`` to unit j of column ``layer + 1``."""
        W = self.net.params[f"W{layer + 1}"]
        return float(W[i, self._column_of_w(layer, j)])

    def weight_index(self, layer: int, i: int, j: int) -> tuple[str, int, int]:
        """The edge from unit i of column ``layer`` to unit j of column ``layer + 1`` as the
        run names it: ``("W2", row, column)`` (a maxout unit: its first piece's column)."""
        return f"W{layer + 1}", i, self._column_of_w(layer, j)

    def set_weight(self, layer: int, i: int, j: int, value: float) -> str:
        """Set one weight of the copy (the pictures follow); returns its parameter name and
        index as ``W2[3, 1]``."""
        name, row, col = self.weight_index(layer, i, j)
        self.net.set_entries(name, [[row, col, float(value)]])
        self._values = None
        return f"{name}[{row}, {col}]"

    def edges(self, layer: int) -> np.ndarray:
        """The weights between the drawn units of columns ``layer`` and ``layer + 1``:
        (shown inputs × shown outputs)."""
        a, b = len(self.columns[layer].names), len(self.columns[layer + 1].names)
        W = self.net.params[f"W{layer + 1}"]
        cols = [self._column_of_w(layer, j) for j in range(b)]
        return np.asarray(W[:a][:, cols], dtype=float)

    # ---- unit values -----------------------------------------------------------------------
    def values(self) -> list[np.ndarray]:
        """Per column, (rows × drawn units): the grid's (or the sample's) inputs, then every
        layer's activation (the outputs' logits). Evaluation mode."""
        if self._values is None:
            X = self.grid if self.grid is not None else self.sample
            trace = self.net.forward_trace(X)
            cols = [X] + [t["a"] for t in trace]
            self._values = [np.asarray(v[:, :len(c.names)], dtype=float)
                            for v, c in zip(cols, self.columns, strict=True)]
        return self._values

    def unit_map(self, column: int, unit: int) -> np.ndarray:
        """A unit's values over the plane, (G × G), row 0 the lowest y (as the data view)."""
        if self.grid is None:
            raise RuntimeError("unit maps need 2-D inputs; use unit_histogram")
        g = int(round(np.sqrt(self.grid.shape[0])))
        return self.values()[column][:, unit].reshape(g, g)

    def unit_histogram(self, column: int, unit: int, bins: int = 20):
        """(counts, edges) of a unit's values over the training sample."""
        v = self.values()[column][:, unit]
        v = v[np.isfinite(v)]
        return np.histogram(v, bins=bins) if v.size else (np.zeros(bins), np.linspace(0, 1,
                                                                                    bins + 1))


class ParamsFeed:
    """The latest weights of a running run, taken from its progress reports in the training
    thread (at most every :data:`FEED_INTERVAL` seconds, and at its start and end) and read by
    the window when it wants: ``feed(progress)`` is a progress hook, :meth:`take` the reader.
    A report skipped for being too soon is kept, uncopied: :meth:`take_skipped` copies it
    once nothing trains the net any more (a run parked paused).
    """

    def __init__(self, interval: float = FEED_INTERVAL, clock=time.perf_counter):
        self.interval, self._clock = interval, clock
        self._lock = threading.Lock()
        self._latest: tuple[int, dict] | None = None
        self._skipped = None  # the report after the latest copy, if one came
        self._last = -np.inf

    def reset(self) -> None:
        with self._lock:
            self._latest, self._skipped, self._last = None, None, -np.inf

    def __call__(self, p) -> None:
        if p.params is None:
            return
        now = self._clock()
        if p.event not in ("start", "end") and now - self._last < self.interval:
            with self._lock:
                self._skipped = p
            return
        self._last = now
        latest = (int(p.epoch), p.params())
        with self._lock:
            self._latest, self._skipped = latest, None

    def take(self) -> tuple[int, dict] | None:
        """(epoch, weights) copied since the last call, or None."""
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def take_skipped(self) -> tuple[int, dict] | None:
        """(epoch, weights) of the last report, when it came too soon to be copied (None
        otherwise); it reads the run's net: call it only while the run waits parked."""
        with self._lock:
            report, self._skipped = self._skipped, None
            if report is not None:
                self._latest = None  # older than the report
        return None if report is None else (int(report.epoch), report.params())
