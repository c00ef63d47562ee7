"""Per-layer values of one pass through a network, read out of the engine's own kernels.

A trace shows what happens inside: per layer and per row the pre-activation, its batch-norm
output and the activation (forward), and ∂loss/∂z with the parameter gradients (backward).
No number here is computed a second way: the compiled :func:`kernels.forward` and
:func:`kernels.backward` run as a training step runs them, and their workspace blocks
(:mod:`trainlab.engine.layout`) are copied out after the pass. Two values the kernels do not
keep are obtained from the kernels too:

* ``z`` before batch norm, which ``forward`` overwrites in place: the layer's dense product
  ``A_prev W + b`` again, the same BLAS call on the same operands (so the same bits).
* ``δ`` of the layers between the first and the output layer, which ``backward`` overwrites
  as it goes down: ``backward`` again over the layer table from layer k upward (its rows hold
  absolute offsets, so a tail of the table is a valid, shorter network), which stops with
  ``δ_k`` in its first gradient buffer. The first layer's ``δ`` is left there by the full pass.

Evaluation mode (``training=False``, the default) is what ``predict`` computes: batch norm
with its running statistics, no dropout; rows do not interact. Training mode is what
``loss_and_gradients(training=True)`` computes: batch statistics of the rows given, and
dropout masks drawn from the network's generator (which advances), running statistics left
alone.

Cost, measured on a 2-16-16-2 tanh net (one core of a shared machine): a 100 × 100 grid
through :func:`forward_trace` takes about 2 ms (median 1.9 ms in float64, 2.5 ms in
float32), a :func:`backward_trace` of one sample about 0.1 ms: a live view updating ten
times a second spends under 2 % of a core on it.
"""

from __future__ import annotations

import numpy as np

from trainlab.engine import kernels
from trainlab.engine._jit import jit
from trainlab.engine.layout import (
    CUM_A,
    CUM_H,
    DENSE_W,
    FAN_IN,
    OFF_B,
    OFF_GAMMA,
    OFF_W,
    OUT_W,
)
from trainlab.engine.losses import loss_and_grad
from trainlab.engine.names import LOSS_CODE
from trainlab.engine.network import EVAL_ROWS
from trainlab.engine.views import matrix, vector


@jit
def _copy(src, s0, dst, d0, n):
    for i in range(n):
        dst[d0 + i] = src[s0 + i]


@jit
def _read_forward(theta, lt, R, b, start, n, d0, ws, outs):
    """Copy rows 0..b-1 of the workspace's forward blocks to rows start.. of ``outs``.

    ``outs`` = (Z, H, A, F, M), flat, laid out like the workspace for ``n`` rows, the A-like
    ones without the input block: Z gets z before batch norm (batch-norm layers only), H the
    workspace's pre-activation (z, or γx̂+β after batch norm), A the activations, F and M
    f(·) before dropout and the dropout masks (when they have room).
    """
    Z, H, A, F, M = outs
    for l in range(lt.shape[0]):
        dw = lt[l, DENSE_W]
        cum = lt[l, CUM_H]
        _copy(ws[0], R * cum, H, n * cum + start * dw, b * dw)
        if lt[l, OFF_GAMMA] >= 0:
            # z before batch norm: forward's dense step again, on the same operands
            Zb = matrix(Z, n * cum + start * dw, b, dw)
            np.dot(kernels._input_of(ws[2], lt, l, R, b),
                   matrix(theta, lt[l, OFF_W], lt[l, FAN_IN], dw), Zb)
            bias = vector(theta, lt[l, OFF_B], dw)
            for i in range(b):
                for j in range(dw):
                    Zb[i, j] += bias[j]
        if l == lt.shape[0] - 1:
            break
        ow = lt[l, OUT_W]
        src = R * lt[l, CUM_A]
        dst = n * (lt[l, CUM_A] - d0) + start * ow
        _copy(ws[2], src, A, dst, b * ow)
        if F.size == A.size:
            _copy(ws[3], src, F, dst, b * ow)
            _copy(ws[4], src, M, dst, b * ow)


@jit
def _trace_forward(X, theta, stats, lt, R, training, p_drop, rng, ws, wsArg, outs):
    """Forward every row of X, R at a time, and read the blocks out after each call."""
    n, d0 = X.shape
    no = not kernels._runtime(R)[0]
    for start in range(0, n, R):
        b = min(R, n - start)
        kernels._gather_x(X, start, b, ws[2])
        kernels.forward(theta, stats, lt, R, b, training, no, p_drop, rng, ws, wsArg)
        _read_forward(theta, lt, R, b, start, n, d0, ws, outs)


@jit
def _trace_backward(X, Y, loss_code, smoothing, theta, stats, lt, R, training, p_drop, rng,
                    ws, wsArg, Yb, grads, outs, deltas):
    """One training-step pass (forward, loss, backward) over all rows; forward blocks into
    ``outs`` and every layer's δ = ∂loss/∂z into ``deltas`` (laid out like wsH for b rows).

    ``grads`` = (the pass's gradient, scratch for the partial passes, ∂loss/∂logits kept).
    """
    grad, scratch, dO_kept = grads
    b, d0 = X.shape
    L = lt.shape[0]
    yes, first = kernels._runtime(R)
    metric = np.zeros(Y.shape[1] + 1)
    total = kernels.batch_loss_grad(X, Y, loss_code, smoothing, theta, grad, stats, lt, R,
                                    training, not yes, p_drop, rng, ws, wsArg, Yb, metric)
    _read_forward(theta, lt, R, b, first, b, d0, ws, outs)
    _copy(ws[6], 0, deltas, 0, b * lt[0, DENSE_W])            # δ of the first layer
    if L > 1:
        dL = lt[L - 1, DENSE_W]
        dO = matrix(ws[6], 0, b, dL)
        loss_and_grad(loss_code, kernels._h_of(ws[0], lt, L - 1, R, b), Yb[:b], smoothing,
                      dO, yes, yes, metric)
        _copy(ws[6], 0, dO_kept, 0, b * dL)
        _copy(dO_kept, 0, deltas, b * lt[L - 1, CUM_H], b * dL)
        for k in range(1, L - 1):
            _copy(dO_kept, 0, ws[6], 0, b * dL)
            kernels.backward(theta, scratch, lt[k:], R, b, training, p_drop, ws, wsArg)
            _copy(ws[6], 0, deltas, b * lt[k, CUM_H], b * lt[k, DENSE_W])
    return total / b


@jit
def _unit_counts(X, theta, stats, lt, R, p_drop, rng, ws, wsArg, layers, w_eps, amax, counts):
    """Evaluation-mode forward of every row of X, R at a time, reduced as it goes
    (:func:`kernels.count_units`, :func:`kernels.finish_unit_counts`)."""
    n, d0 = X.shape
    no = not kernels._runtime(R)[0]
    kernels.start_unit_counts(amax, counts)
    for start in range(0, n, R):
        b = min(R, n - start)
        kernels._gather_x(X, start, b, ws[2])
        kernels.forward(theta, stats, lt, R, b, no, no, p_drop, rng, ws, wsArg)
        kernels.count_units(ws[2], lt, R, b, d0, p_drop, layers, amax, counts)
    kernels.finish_unit_counts(theta, lt, d0, w_eps, layers, amax, counts)


class UnitCounter:
    """Counts over the compiled evaluation-mode forward (as :func:`forward_trace` and
    ``predict`` compute it) without keeping the trace: cheap enough for every epoch.

    ``bounds`` holds one (low, high) per hidden layer (±inf for none), ``dead`` one flag per
    hidden layer (None: all). :meth:`counts` returns one vector: per hidden layer the units
    never positive on the rows (0 where ``dead`` is off), then per hidden layer the
    activations outside its bounds, then per weight matrix the weights with |w| < w_eps.
    One counter serves one thread (it keeps its workspace and :attr:`amax` between calls).

    A run counts during its evaluation of the training split instead
    (:func:`kernels.evaluate_counting` with this counter's :attr:`layers`, :attr:`w_eps` and
    :attr:`amax`): the same numbers, without a second forward pass.
    """

    def __init__(self, net, bounds, w_eps: float, dead=None):
        self.net = net
        H = net.n_layers - 1
        #: per hidden layer: low, high, whether its units' maxima are kept (1/0)
        self.layers = np.ones((H, 3))
        self.layers[:, :2] = np.reshape(bounds, (H, 2))
        if dead is not None:
            self.layers[:, 2] = np.asarray(dead, bool).reshape(H)
        self.w_eps = float(w_eps)
        #: scratch: the largest activation of each hidden unit over the rows
        self.amax = np.empty(net._a_units - net.sizes[0])
        self.size = 3 * net.n_layers - 2  # of the counts vector
        self._rows, self._ws = 0, None
        self._no_draws = np.zeros(1, np.uint64)  # evaluation mode draws no dropout masks

    def counts(self, X, theta=None, stats=None) -> np.ndarray:
        net = self.net
        X = net.check_inputs(X)
        theta, stats = _weights(net, theta, stats)
        rows = min(X.shape[0], EVAL_ROWS)
        if rows > self._rows:
            self._rows, self._ws = net.new_workspace(rows)
        out = np.empty(self.size)
        _unit_counts(X, theta, stats, net.lt, self._rows, net.p_drop, self._no_draws,
                     self._ws.floats, self._ws.arg, self.layers, self.w_eps, self.amax, out)
        return out


def _outputs(net, n: int, want_dropout: bool):
    """Flat (Z, H, A, F, M) for n rows; F and M are empty unless dropout masks are read."""
    dt = net.dtype
    h = n * net._h_units
    a = n * (net._a_units - net.sizes[0])
    fm = a if want_dropout else 0
    return (np.zeros(h, dt), np.empty(h, dt), np.empty(a, dt), np.empty(fm, dt),
            np.empty(fm, dt))


def _layers(net, n: int, outs, dropout: bool) -> list[dict]:
    """The per-layer dicts of a trace, as views of the flat outputs."""
    Z, H, A, F, M = outs
    lt, d0 = net.lt, net.sizes[0]
    layers = []
    for l in range(net.n_layers):
        dw, cum = int(lt[l, DENSE_W]), int(lt[l, CUM_H])
        pre = H[n * cum:n * (cum + dw)].reshape(n, dw)
        if l == net.n_layers - 1:
            layers.append({"z": pre, "a": pre})
            continue
        layer = {}
        if lt[l, OFF_GAMMA] >= 0:
            layer["z"] = Z[n * cum:n * (cum + dw)].reshape(n, dw)
            layer["z_bn"] = pre
        else:
            layer["z"] = pre
        ow, ca = int(lt[l, OUT_W]), int(lt[l, CUM_A]) - d0
        block = slice(n * ca, n * (ca + ow))
        layer["a"] = A[block].reshape(n, ow)
        if dropout:
            layer["f"] = F[block].reshape(n, ow)
            layer["mask"] = M[block].reshape(n, ow)
        layers.append(layer)
    return layers


def forward_trace(net, X, training: bool = False, theta=None, stats=None) -> list[dict]:
    """Per layer (hidden layers, then the output layer) a dict of (n × width) arrays:

    * ``"z"``: the pre-activation A_prev W + b, before batch norm. A maxout layer of d units
      with k pieces has k·d columns (unit j's pieces are columns j·k … j·k+k−1).
    * ``"z_bn"``: γ·(z − μ)/√(σ² + ε) + β, only where batch norm is on.
    * ``"a"``: the activation the next layer reads (after dropout in training mode); for the
      output layer the logits (the very array of its ``"z"``).
    * ``"f"``, ``"mask"``: in training mode with dropout, f before dropout and the mask
      (0 or 1/(1 − p); 0 or 1 when scaled at test time), so ``a = f · mask``.

    ``theta``/``stats`` (laid out like the network's, e.g. an epoch's copy) replace its weights;
    the network's own buffers are only read (its generator advances in training mode with
    dropout), so evaluation mode may run beside a training thread that owns other buffers.
    """
    X = net.check_inputs(X)
    n = X.shape[0]
    theta, stats = _weights(net, theta, stats)
    if training and net.batch_norm and n < 2:
        raise ValueError("batch_norm: batch statistics need at least 2 rows")
    dropout = bool(training and net.dropout > 0.0)
    R, ws = net.new_workspace(n if training else min(n, EVAL_ROWS))
    outs = _outputs(net, n, dropout)
    rng = net.rng_state if dropout else net.rng_state.copy()
    _trace_forward(X, theta, stats, net.lt, R, bool(training), net.p_drop, rng, ws.floats,
                   ws.arg, outs)
    return _layers(net, n, outs, dropout)


def _weights(net, theta, stats):
    theta = net.theta if theta is None else np.ascontiguousarray(theta, net.dtype)
    stats = net.stats if stats is None else np.ascontiguousarray(stats, net.dtype)
    if theta.shape != net.theta.shape or stats.shape != net.stats.shape:
        raise ValueError("theta/stats: must be laid out like this network's")
    return theta, stats


def backward_trace(net, X, y, loss="cross_entropy", l1=0.0, l2=0.0, label_smoothing=0.0,
                   training=False) -> list[dict]:
    """The forward trace of one ``loss_and_gradients`` pass, and per layer:

    * ``"delta"``: δ = ∂loss/∂z (z before batch norm; the data loss, a mean over the rows, so
      each row's δ carries its 1/n), shaped like ``"z"``;
    * ``"dW"``, ``"db"`` (and ``"dgamma"``, ``"dbeta"`` where batch norm is on): exactly
      ``loss_and_gradients(X, y, loss, l1, l2, label_smoothing, training)``'s gradients, of
      the data loss plus penalties (so ``dW = A_prevᵀ δ + λ₁ sign W + λ₂ W``, ``db = Σ δ``).

    ``training`` as in :func:`forward_trace`; the default, evaluation mode, is what a trained
    network computes on one sample. In training mode with dropout the masks are those of the
    ``loss_and_gradients`` pass, and the generator ends where that call leaves it.
    """
    rng_before = net.rng_state.copy()
    _, grads = net.loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2,
                                      label_smoothing=label_smoothing, training=training)
    rng_after = net.rng_state.copy()
    X = net.check_inputs(X)
    n = X.shape[0]
    Y = net.check_targets(y, n, loss)
    dropout = bool(training and net.dropout > 0.0)
    R, ws = net.new_workspace(n)
    outs = _outputs(net, n, dropout)
    deltas = np.empty(n * net._h_units, net.dtype)
    work = (np.empty_like(net.theta), np.empty_like(net.theta),
            np.empty(n * net.sizes[-1], net.dtype))
    net.rng_state[:] = rng_before
    _trace_backward(X, Y, LOSS_CODE[loss], float(label_smoothing), net.theta, net.stats,
                    net.lt, R, bool(training), net.p_drop, net.rng_state, ws.floats, ws.arg,
                    ws.Yb, work, outs, deltas)
    net.rng_state[:] = rng_after
    layers = _layers(net, n, outs, dropout)
    for l, layer in enumerate(layers):
        dw, cum = int(net.lt[l, DENSE_W]), int(net.lt[l, CUM_H])
        layer["delta"] = deltas[n * cum:n * (cum + dw)].reshape(n, dw)
        layer["dW"], layer["db"] = grads[f"W{l + 1}"], grads[f"b{l + 1}"]
        if net.lt[l, OFF_GAMMA] >= 0:
            layer["dgamma"] = grads[f"bn{l + 1}_gamma"]
            layer["dbeta"] = grads[f"bn{l + 1}_beta"]
    return layers
