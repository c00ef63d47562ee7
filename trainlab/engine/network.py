"""The multilayer perceptron of SPEC §1: a Python object around flat buffers and kernels."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from trainlab.catalog.rules import BATCH_NORM_MIN_ROWS, batch_norm_fits
from trainlab.engine import kernels
from trainlab.engine.initializers import draw_weights, resolve_init
from trainlab.engine.layout import build_layout
from trainlab.engine.names import (
    ACTIVATIONS,
    DROPOUT_MODES,
    DTYPES,
    INITS,
    LOSS_CODE,
    LOSSES,
    check_name,
)
from trainlab.engine.rng import seed_state


class Workspace(NamedTuple):
    floats: tuple  # (wsH, wsZ, wsA, wsF, wsM, wsBN, bufA, bufB, wsT), see kernels.forward
    arg: np.ndarray  # maxout winners
    Yb: np.ndarray  # the batch's targets


#: Rows evaluated per compiled call in evaluation mode (bounds the workspace memory).
EVAL_ROWS = 1024


class Network:
    """An MLP with layer sizes ``[d0, h1, …, dL]``.

    ``activation`` is one name or one per hidden layer (SPEC §2); ``init`` a SPEC §3 rule
    (``init_scale`` is s for ``uniform``/``normal``); ``batch_norm`` and ``dropout`` p apply to
    hidden layers (SPEC §8, §9); ``maxout_pieces`` is k; ``seed`` fixes the initial weights and
    the dropout masks; ``dtype`` is "float64" (default) or "float32"; ``dropout_mode`` is
    "inverted" (default: masks scaled by 1/(1−p)) or "scale_at_test" (unscaled masks,
    evaluation multiplies the activations by 1 − p).

    Parameters live in one flat vector (``theta``); ``params`` returns copies by name
    (``W1, b1, [bn1_gamma, bn1_beta, bn1_mean, bn1_var,] …, WL, bL``).
    """

    def __init__(self, sizes, activation="tanh", init="auto", batch_norm=False, dropout=0.0,
                 seed=0, dtype="float64", maxout_pieces=2, init_scale=0.1,
                 dropout_mode="inverted"):
        sizes = [int(s) if isinstance(s, (int, np.integer)) else s for s in sizes]
        if len(sizes) < 2:
            raise ValueError(f"sizes: need at least input and output sizes, got {sizes}")
        for s in sizes:
            if not isinstance(s, int) or isinstance(s, bool) or s < 1:
                raise ValueError(f"sizes: every width must be an integer >= 1, got {sizes}")
        n_hidden = len(sizes) - 2
        acts = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(acts) != n_hidden:
            raise ValueError(f"activation: need one name per hidden layer ({n_hidden}), "
                             f"got {len(acts)}")
        for a in acts:
            check_name("activation", a, ACTIVATIONS)
        check_name("init", init, INITS)
        check_name("dtype", str(np.dtype(dtype)) if dtype in (np.float32, np.float64)
                   else dtype, DTYPES)
        if not (0.0 <= float(dropout) < 1.0):
            raise ValueError(f"dropout: must be in [0, 1), got {dropout}")
        check_name("dropout_mode", dropout_mode, DROPOUT_MODES)
        if int(maxout_pieces) < 2:
            raise ValueError(f"maxout_pieces: must be >= 2, got {maxout_pieces}")
        if not init_scale > 0:
            raise ValueError(f"init_scale: must be > 0, got {init_scale}")
        self.sizes = list(sizes)
        self.activations = acts
        self.init = init
        self.batch_norm = bool(batch_norm)
        self.dropout = float(dropout)
        self.dropout_mode = dropout_mode
        self.maxout_pieces = int(maxout_pieces)
        self.init_scale = float(init_scale)
        self.seed = int(seed)
        self.dtype = np.dtype(dtype)
        (self.lt, self.tensors, n_theta, n_stats, self._h_units,
         self._a_units) = build_layout(self.sizes, acts, self.batch_norm, self.maxout_pieces)
        self._by_name = {t.name: t for t in self.tensors}
        self.theta = np.zeros(n_theta, self.dtype)
        self.stats = np.zeros(max(n_stats, 1), self.dtype)
        self.tensor_table = np.array(
            [[t.offset, t.size, int(t.is_weight)] for t in self.tensors if t.learned],
            dtype=np.int64)
        self._rows = 0
        self.reinitialize(self.seed)

    # ---- parameters ------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def p_drop(self) -> float:
        """Dropout as the kernels take it: p (inverted), −p (scaled at test time)."""
        return -self.dropout if self.dropout_mode == "scale_at_test" else self.dropout

    @property
    def n_params(self) -> int:
        return int(self.theta.size)

    def reinitialize(self, seed: int | None = None) -> None:
        """Draw new initial weights (SPEC §3) and reset batch-norm statistics and dropout."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        self.theta[:] = 0.0
        self.stats[:] = 0.0
        for l in range(self.n_layers):
            # the output layer has no activation: ``auto`` treats it as identity
            act = self.activations[l] if l < self.n_layers - 1 else "identity"
            rule = resolve_init(self.init, act)
            W = self._by_name[f"W{l + 1}"]
            self._view(W)[...] = draw_weights(rule, W.shape[0], W.shape[1], rng, self.init_scale)
            if self.batch_norm and l < self.n_layers - 1:
                self._view(self._by_name[f"bn{l + 1}_gamma"])[...] = 1.0
                self._view(self._by_name[f"bn{l + 1}_var"])[...] = 1.0
        self.rng_state = seed_state(self.seed)

    def _view(self, t):
        buf = self.theta if t.learned else self.stats
        return buf[t.offset:t.offset + t.size].reshape(t.shape)

    @property
    def params(self) -> dict[str, np.ndarray]:
        """A copy of every parameter by SPEC name (running statistics included)."""
        return {t.name: self._view(t).copy() for t in self.tensors}

    @property
    def learned_names(self) -> list[str]:
        return [t.name for t in self.tensors if t.learned]

    def set_params(self, params: dict[str, np.ndarray]) -> None:
        """Load parameters by name; every name must be known and every shape must match.

        Running statistics (``bn*_mean``, ``bn*_var``) may be omitted; learned ones may not.
        """
        unknown = sorted(set(params) - set(self._by_name))
        if unknown:
            raise ValueError(f"params: unknown names {unknown}; expected {list(self._by_name)}")
        missing = [n for n in self.learned_names if n not in params]
        if missing:
            raise ValueError(f"params: missing {missing}")
        for name, value in params.items():
            t = self._by_name[name]
            value = np.asarray(value)
            if value.shape != t.shape:
                raise ValueError(f"params: {name} must have shape {t.shape}, got {value.shape}")
        for name, value in params.items():
            self._view(self._by_name[name])[...] = value

    def set_entries(self, name: str, entries) -> None:
        """Set single entries of the parameter ``name`` in place: each ``[*index, value]``
        (``[i, j, value]`` of a matrix, ``[j, value]`` of a vector), indexed as in
        :attr:`params`."""
        view = self._view(self._by_name[name])
        for *index, value in entries:
            view[tuple(index)] = value

    def flatten_grads(self, grads: dict[str, np.ndarray]) -> np.ndarray:
        """Gradients by name → one flat vector laid out like ``theta``."""
        flat = np.empty_like(self.theta)
        for t in self.tensors:
            if not t.learned:
                continue
            if t.name not in grads:
                raise ValueError(f"grads: missing {t.name}")
            g = np.asarray(grads[t.name])
            if g.shape != t.shape:
                raise ValueError(f"grads: {t.name} must have shape {t.shape}, got {g.shape}")
            flat[t.offset:t.offset + t.size] = g.ravel()
        return flat

    def unflatten(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {t.name: flat[t.offset:t.offset + t.size].reshape(t.shape).copy()
                for t in self.tensors if t.learned}

    # ---- workspaces --------------------------------------------------------------------
    def workspace(self, rows: int):
        """Buffers for up to ``rows`` rows per compiled call (grown on demand, reused).

        Shared by every call made through this network: one thread at a time. Code that
        runs kernels in another thread takes its own from :meth:`new_workspace`.
        """
        if rows > self._rows:
            self._rows, self._ws = self.new_workspace(rows)
        return self._rows, self._ws

    def new_workspace(self, rows: int):
        """(R, buffers) for up to ``R = max(rows, 1)`` rows, owned by the caller."""
        R = max(int(rows), 1)
        dt = self.dtype
        widest = max(max(self.sizes), int(self.lt[:, 1].max()))
        h, a = R * self._h_units, R * self._a_units
        largest_w = int((self.lt[:, 0] * self.lt[:, 1]).max())
        # (wsH, wsZ, wsA, wsF, wsM, wsBN, bufA, bufB, wsT): see kernels.forward
        ws = Workspace(
            tuple(np.zeros(n, dt) for n in (h, h, a, a, a, max(self._h_units, 1),
                                             R * widest, R * widest, largest_w)),
            np.zeros(a, np.int64), np.zeros((R, max(self.sizes[-1], 1)), dt))
        return R, ws

    # ---- data checks -------------------------------------------------------------------
    def check_inputs(self, X, argname="X") -> np.ndarray:
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"{argname}: must have shape (n, {self.sizes[0]}), got {X.shape}")
        if X.shape[0] < 1:
            raise ValueError(f"{argname}: needs at least one row")
        if not np.issubdtype(X.dtype, np.number):
            raise ValueError(f"{argname}: must be numeric, got dtype {X.dtype}")
        return np.ascontiguousarray(X, dtype=self.dtype)

    def check_targets(self, y, n: int, loss: str) -> np.ndarray:
        """Targets as the float matrix the kernels read (see :mod:`losses`)."""
        check_name("loss", loss, LOSSES)
        y = np.asarray(y)
        dL = self.sizes[-1]
        if loss in ("cross_entropy", "bce"):
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1 or y.shape[0] != n:
                raise ValueError(f"y: class targets must have shape ({n},), got {y.shape}")
            if not np.all(np.isfinite(y.astype(float))) or np.any(y != np.round(y)):
                raise ValueError("y: class targets must be integers")
            K = dL if loss == "cross_entropy" else 2
            if loss == "cross_entropy" and dL < 2:
                raise ValueError(f"loss: cross_entropy needs >= 2 outputs, the net has {dL}")
            if loss == "bce" and dL != 1:
                raise ValueError(f"loss: bce needs exactly 1 output, the net has {dL}")
            if y.size and (y.min() < 0 or y.max() >= K):
                raise ValueError(f"y: class labels must be in 0..{K - 1}, got values "
                                 f"{int(y.min())}..{int(y.max())}")
            return np.ascontiguousarray(y.reshape(-1, 1), dtype=self.dtype)
        if y.ndim == 1 and dL == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2 or y.shape != (n, dL):
            raise ValueError(f"y: regression targets must have shape ({n}, {dL}), got {y.shape}")
        return np.ascontiguousarray(y, dtype=self.dtype)

    # ---- the public calls --------------------------------------------------------------
    def loss_and_gradients(self, X, y, loss="cross_entropy", l1=0.0, l2=0.0,
                           label_smoothing=0.0, training=True, update_stats=False):
        """(data loss, gradients of data loss + penalties) on the batch ``X, y``.

        ``training=True`` uses batch statistics for batch norm and draws dropout masks from the
        network's generator (advancing it); ``update_stats=True`` also moves the running
        statistics, as a training step does. Penalties (``l1``, ``l2``) apply to weights only.
        """
        X = self.check_inputs(X)
        Y = self.check_targets(y, X.shape[0], loss)
        if l1 < 0 or l2 < 0:
            raise ValueError(f"l1/l2: penalties must be >= 0, got l1={l1}, l2={l2}")
        if not (0.0 <= label_smoothing < 1.0):
            raise ValueError(f"label_smoothing: must be in [0, 1), got {label_smoothing}")
        if training and not batch_norm_fits(self.batch_norm, X.shape[0]):
            raise ValueError(f"batch_norm: batch statistics need at least {BATCH_NORM_MIN_ROWS} "
                             "rows per batch (batch size 1 cannot be used with batch norm)")
        R, ws = self.workspace(X.shape[0])
        grad = np.zeros_like(self.theta)
        metric = np.zeros(Y.shape[1] + 1)
        loss_value = kernels.batch_loss_grad(
            X, Y, LOSS_CODE[loss], float(label_smoothing), self.theta, grad, self.stats,
            self.lt, R, bool(training), bool(update_stats), self.p_drop, self.rng_state,
            ws.floats, ws.arg, ws.Yb, metric)
        gnorms = np.zeros(self.n_layers)
        kernels.add_penalties(self.theta, grad, self.lt, float(l1), float(l2), gnorms)
        return float(loss_value), self.unflatten(grad)

    def predict(self, X, loss="cross_entropy"):
        """Outputs after the loss's link: class probabilities (softmax; sigmoid for ``bce``,
        one column = P(class 1)) or regression values. Evaluation mode."""
        return self.predict_with(X, self.theta, self.stats, loss)

    def predict_with(self, X, theta: np.ndarray, stats: np.ndarray, loss="cross_entropy"):
        """:meth:`predict` with other weights laid out like this network's (``theta``,
        ``stats``: e.g. a copy taken at the end of an epoch)."""
        X = self.check_inputs(X)
        check_name("loss", loss, LOSSES)
        if theta.shape != self.theta.shape or stats.shape != self.stats.shape:
            raise ValueError("theta/stats: must be laid out like this network's")
        R, ws = self.workspace(min(X.shape[0], EVAL_ROWS))
        P = np.empty((X.shape[0], self.sizes[-1]), self.dtype)
        kernels.predict_rows(X, LOSS_CODE[loss], np.ascontiguousarray(theta, self.dtype),
                             np.ascontiguousarray(stats, self.dtype), self.lt, R,
                             self.p_drop, self.rng_state, ws.floats, ws.arg, P)
        return P

    def forward_trace(self, X, training=False) -> list[dict]:
        """Per layer ``{"z", ["z_bn",] "a"}`` of the rows of X: see :mod:`trace`."""
        from trainlab.engine.trace import forward_trace

        return forward_trace(self, X, training=training)

    def backward_trace(self, X, y, loss="cross_entropy", l1=0.0, l2=0.0, label_smoothing=0.0,
                       training=False) -> list[dict]:
        """Per layer the forward trace plus ``"delta"`` (∂loss/∂z) and the gradients of
        :meth:`loss_and_gradients`: see :mod:`trace`."""
        from trainlab.engine.trace import backward_trace

        return backward_trace(self, X, y, loss=loss, l1=l1, l2=l2,
                              label_smoothing=label_smoothing, training=training)

    def evaluate(self, X, Y, loss_code: int, smoothing: float, metric: np.ndarray) -> float:
        """Mean data loss over prepared (X, Y) in evaluation mode; metrics into ``metric``."""
        R, ws = self.workspace(min(X.shape[0], EVAL_ROWS))
        metric[:] = 0.0
        total = kernels.evaluate(X, Y, loss_code, smoothing, self.theta, self.stats, self.lt, R,
                                 self.p_drop, self.rng_state, ws.floats, ws.arg, ws.Yb,
                                 metric)
        return total / X.shape[0]
