"""The compiled heart: forward and backward through the whole network, penalties, evaluation
and prediction (the training steps run in :mod:`trainlab.engine.epochs`).

Every array here is flat (see :mod:`trainlab.engine.layout`); a layer's matrices are reshaped
slices. Workspaces hold ``R`` rows; a call uses the first ``b ≤ R`` of them. Forward is
written beside backward, block by block (SPEC §1: dense → batch norm → activation → dropout).
"""

import math

import numpy as np

from trainlab.engine._jit import jit, settle
from trainlab.engine.activations import activation_backward, activation_forward
from trainlab.engine.layout import (
    ACT,
    CUM_A,
    CUM_H,
    DENSE_W,
    FAN_IN,
    OFF_B,
    OFF_BETA,
    OFF_GAMMA,
    OFF_MEAN,
    OFF_VAR,
    OFF_W,
    OUT_W,
    PIECES,
)
from trainlab.engine.losses import apply_link, loss_and_grad
from trainlab.engine.optimizers_kernel import sumsq
from trainlab.engine.rng import next_uniform
from trainlab.engine.views import matrix, vector

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
#: Weight matrices with fewer entries than this are copied out transposed (8×8 tiles) for
#: ∂A = ∂Z Wᵀ, and BLAS multiplies plain row-major matrices; larger ones BLAS reads
#: transposed. Measured (batch × fan_in × fan_out, copy + product vs transposed read):
#: 32×16×16 0.43 vs 0.78 µs; 64×128×64 22.7 vs 28.6 µs; 128×256×128 209 vs 177 µs.
SMALL_W = 16384


@jit
def _runtime(R):
    """(True, 0) as values Numba cannot fold into constants.

    Calling a kernel with a literal ``True`` or ``0`` makes Numba compile a separate copy of
    it (and of everything it calls) for that literal; passing these instead keeps one
    compiled ``forward``, ``backward`` and ``loss_and_grad`` per dtype, which roughly halves
    the cold compile time.
    """
    return R > 0, R * 0


@jit
def _input_of(wsA, lt, l, R, b):
    fi = lt[l, FAN_IN]
    start = 0 if l == 0 else R * lt[l - 1, CUM_A]
    return matrix(wsA, start, b, fi)


@jit
def _h_of(wsH, lt, l, R, b):
    w = lt[l, DENSE_W]
    start = R * lt[l, CUM_H]
    return matrix(wsH, start, b, w)


@jit
def _a_of(buf, lt, l, R, b):
    """Output activation (or its mask/argmax) of hidden layer l, in a workspace laid like wsA."""
    w = lt[l, OUT_W]
    start = R * lt[l, CUM_A]
    return matrix(buf, start, b, w)


@jit
def forward(theta, stats, lt, R, b, training, update_stats, p_drop, rng,
            ws, wsArg):
    """Run rows 0..b-1 of the input block of ``wsA`` through the net; return the logits view.

    ``ws`` = (wsH, wsZ, wsA, wsF, wsM, wsBN, bufA, bufB, wsT): pre-activations, normalized
    x̂, activations (input block first), f(H) before dropout, dropout masks, batch-norm 1/σ,
    two gradient buffers and room for one transposed weight matrix; ``wsArg`` holds the
    maxout winners.

    Training mode uses batch statistics for batch norm (and, with ``update_stats``, moves the
    running statistics) and applies dropout; evaluation mode uses the running statistics
    and no masks. ``p_drop`` is p for inverted dropout (masks of 1/(1−p) or 0) and −p for
    dropout scaled at test time (masks of 1 or 0; evaluation multiplies by 1 − p).
    """
    wsH, wsZ, wsA, wsF, wsM, wsBN, _, _, _ = ws
    L = lt.shape[0]
    O = _h_of(wsH, lt, L - 1, R, b)
    for l in range(L):
        fi = lt[l, FAN_IN]
        dw = lt[l, DENSE_W]
        W = matrix(theta, lt[l, OFF_W], fi, dw)
        bias = vector(theta, lt[l, OFF_B], dw)
        Ain = _input_of(wsA, lt, l, R, b)
        H = _h_of(wsH, lt, l, R, b)
        np.dot(Ain, W, H)                                   # Z = A_prev @ W + b
        for i in range(b):
            for j in range(dw):
                H[i, j] += bias[j]
        if l == L - 1:
            O = H
            break
        og = lt[l, OFF_GAMMA]
        if og >= 0:                                         # batch norm (SPEC §8)
            gamma = vector(theta, og, dw)
            beta = vector(theta, lt[l, OFF_BETA], dw)
            rmean = vector(stats, lt[l, OFF_MEAN], dw)
            rvar = vector(stats, lt[l, OFF_VAR], dw)
            Zh = _h_of(wsZ, lt, l, R, b)
            cum = lt[l, CUM_H]
            for j in range(dw):
                if training:
                    mu = 0.0
                    for i in range(b):
                        mu += H[i, j]
                    mu /= b
                    var = 0.0
                    for i in range(b):
                        d = H[i, j] - mu
                        var += d * d
                    var /= b                                 # biased variance
                    if update_stats:
                        rmean[j] = (1.0 - BN_MOMENTUM) * rmean[j] + BN_MOMENTUM * mu
                        rvar[j] = ((1.0 - BN_MOMENTUM) * rvar[j]
                                   + BN_MOMENTUM * var * b / (b - 1.0))
                else:
                    mu = rmean[j]
                    var = rvar[j]
                inv = 1.0 / math.sqrt(var + BN_EPS)
                wsBN[cum + j] = inv
                for i in range(b):
                    zh = (H[i, j] - mu) * inv
                    Zh[i, j] = zh
                    H[i, j] = gamma[j] * zh + beta[j]
        A = _a_of(wsA, lt, l, R, b)
        arg = _a_of(wsArg, lt, l, R, b)
        if training and p_drop != 0.0:                      # dropout (SPEC §9)
            F = _a_of(wsF, lt, l, R, b)                     # f(H) kept for the backward pass
            activation_forward(lt[l, ACT], H, F, arg, lt[l, PIECES])
            M = _a_of(wsM, lt, l, R, b)
            keep = 1.0 - abs(p_drop)
            scale = 1.0 / keep if p_drop > 0.0 else 1.0    # inverted, or scaled at test
            for i in range(b):
                for j in range(A.shape[1]):
                    m = scale if next_uniform(rng) < keep else 0.0
                    M[i, j] = m
                    A[i, j] = F[i, j] * m
        else:
            activation_forward(lt[l, ACT], H, A, arg, lt[l, PIECES])
            if p_drop < 0.0:                                # scaled at test: a·(1 − p)
                keep = 1.0 + p_drop
                for i in range(b):
                    for j in range(A.shape[1]):
                        A[i, j] *= keep
    return O


@jit
def transpose_into(W, WT):
    """WT = Wᵀ, in 8×8 tiles (which compile to register shuffles: 3 µs for a 128×64
    matrix, against 13.7 µs element by element), the ragged edges one by one."""
    fi, dw = W.shape
    fi8 = fi - fi % 8
    dw8 = dw - dw % 8
    for i0 in range(0, fi8, 8):
        for j0 in range(0, dw8, 8):
            for a in range(8):
                for c in range(8):
                    WT[j0 + c, i0 + a] = W[i0 + a, j0 + c]
    for i in range(fi8, fi):
        for j in range(dw):
            WT[j, i] = W[i, j]
    for i in range(fi8):
        for j in range(dw8, dw):
            WT[j, i] = W[i, j]


@jit
def backward(theta, grad, lt, R, b, training, p_drop, ws, wsArg):
    """Given ∂loss/∂logits in ``bufA`` (b × d_L), fill ``grad`` (every learned parameter)."""
    wsH, wsZ, wsA, wsF, wsM, wsBN, bufA, bufB, wsT = ws
    L = lt.shape[0]
    cur = bufA
    other = bufB
    for l in range(L - 1, -1, -1):
        fi = lt[l, FAN_IN]
        dw = lt[l, DENSE_W]
        dZ = matrix(cur, 0, b, dw)
        Ain = _input_of(wsA, lt, l, R, b)
        dW = matrix(grad, lt[l, OFF_W], fi, dw)
        np.dot(Ain.T, dZ, dW)                               # ∂W = A_prevᵀ ∂Z
        db = vector(grad, lt[l, OFF_B], dw)
        for j in range(dw):
            db[j] = 0.0
        for i in range(b):
            for j in range(dw):
                db[j] += dZ[i, j]                           # ∂b = Σ_rows ∂Z
        if l == 0:
            break
        W = matrix(theta, lt[l, OFF_W], fi, dw)
        dA = matrix(other, 0, b, fi)
        if fi * dw < SMALL_W:
            # ∂A_prev = ∂Z Wᵀ with Wᵀ copied out first: on small and middle-sized matrices
            # OpenBLAS reads an operand transposed more slowly than the copy costs
            WT = matrix(wsT, 0, dw, fi)
            transpose_into(W, WT)
            np.dot(dZ, WT, dA)
        else:                                               # on larger ones, the reverse
            np.dot(dZ, W.T, dA)
        p = l - 1                                           # the hidden layer below
        if training and p_drop != 0.0:
            M = _a_of(wsM, lt, p, R, b)
            for i in range(b):
                for j in range(fi):
                    dA[i, j] *= M[i, j]
        pdw = lt[p, DENSE_W]
        dH = matrix(cur, 0, b, pdw)
        F = _a_of(wsF if training and p_drop != 0.0 else wsA, lt, p, R, b)
        activation_backward(lt[p, ACT], _h_of(wsH, lt, p, R, b), F, dA, dH,
                            _a_of(wsArg, lt, p, R, b), lt[p, PIECES])
        og = lt[p, OFF_GAMMA]
        if og >= 0:
            gamma = vector(theta, og, pdw)
            dgamma = vector(grad, og, pdw)
            dbeta = vector(grad, lt[p, OFF_BETA], pdw)
            Zh = _h_of(wsZ, lt, p, R, b)
            cum = lt[p, CUM_H]
            for j in range(pdw):
                s_dh = 0.0
                s_dhz = 0.0
                for i in range(b):
                    s_dh += dH[i, j]
                    s_dhz += dH[i, j] * Zh[i, j]
                dgamma[j] = s_dhz                           # ∂γ = Σ ∂out·x̂
                dbeta[j] = s_dh                             # ∂β = Σ ∂out
                inv = wsBN[cum + j]
                if training:
                    # ∂Z = γ/(B·σ) · (B·∂out − Σ∂out − x̂·Σ∂out·x̂)
                    c = gamma[j] * inv / b
                    for i in range(b):
                        dH[i, j] = c * (b * dH[i, j] - s_dh - Zh[i, j] * s_dhz)
                else:
                    c = gamma[j] * inv
                    for i in range(b):
                        dH[i, j] *= c
        # ∂Z of layer p is now in `cur`, where the next iteration reads it.


@jit
def add_penalties(theta, grad, lt, l1, l2, gnorm_acc):
    """Add λ₁·sign(W) + λ₂·W to the weight gradients; accumulate ‖∂W_l‖_F in ``gnorm_acc``.

    Returns (the penalty, ‖∂θ‖₂² over every learned parameter): the global gradient norm
    that clipping needs comes from the same sums.
    """
    penalty = 0.0
    total = 0.0
    for l in range(lt.shape[0]):
        o = lt[l, OFF_W]
        n = lt[l, FAN_IN] * lt[l, DENSE_W]
        if l1 != 0.0 or l2 != 0.0:
            W = vector(theta, o, n)  # from index 0: no negative-index wrap-around
            dW = vector(grad, o, n)
            for i in range(n):
                w = W[i]
                if l1 != 0.0:
                    penalty += l1 * abs(w)
                    dW[i] += l1 * (1.0 if w > 0.0 else (-1.0 if w < 0.0 else 0.0))
                if l2 != 0.0:
                    penalty += 0.5 * l2 * w * w
                    dW[i] += l2 * w
        sq_w, sq_rest = _layer_sumsq(grad, lt, l)
        gnorm_acc[l] += math.sqrt(sq_w)
        total += sq_w + sq_rest
    return penalty, total


@jit
def _layer_sumsq(grad, lt, l):
    """(Σ ∂W_l², Σ² of the layer's other parameters: bias, batch-norm γ and β, which follow
    its W in theta)."""
    o = lt[l, OFF_W]
    n = lt[l, FAN_IN] * lt[l, DENSE_W]
    end = lt[l + 1, OFF_W] if l + 1 < lt.shape[0] else grad.size
    return sumsq(grad, o, n), sumsq(grad, o + n, end - o - n)


@jit
def grad_sumsq(grad, lt):
    """‖∂θ‖₂², summed exactly as a training step sums it (so both clip alike)."""
    total = 0.0
    for l in range(lt.shape[0]):
        sq_w, sq_rest = _layer_sumsq(grad, lt, l)
        total += sq_w + sq_rest
    return total


@jit
def weight_stats(theta, lt, l1, l2, norms):
    """‖W_l‖_F into ``norms``; return the penalty λ₁Σ|W| + (λ₂/2)ΣW² over all weights."""
    penalty = 0.0
    for l in range(lt.shape[0]):
        o = lt[l, OFF_W]
        n = lt[l, FAN_IN] * lt[l, DENSE_W]
        W = vector(theta, o, n)
        sq = 0.0
        ab = 0.0
        for i in range(n):
            sq += W[i] * W[i]
            ab += abs(W[i])
        norms[l] = math.sqrt(sq)
        penalty += l1 * ab + 0.5 * l2 * sq
    return penalty


@jit
def _gather(X, Y, rows, start, b, A0, Yb):
    d = X.shape[1]
    m = Y.shape[1]
    for i in range(b):
        r = rows[start + i]
        for j in range(d):
            A0[i * d + j] = X[r, j]
        for j in range(m):
            Yb[i, j] = Y[r, j]


@jit
def _gather_x(X, start, b, A0):
    d = X.shape[1]
    for i in range(b):
        for j in range(d):
            A0[i * d + j] = X[start + i, j]


@jit
def batch_loss_grad(X, Y, loss_code, smoothing, theta, grad, stats, lt, R, training,
                    update_stats, p_drop, rng, ws, wsArg, Yb, metric_acc):
    """Mean data loss of the rows of X and its gradient (no penalties) in ``grad``."""
    b = X.shape[0]
    rows = np.arange(b)
    yes, first = _runtime(R)
    _gather(X, Y, rows, first, b, ws[2], Yb[:b])
    O = forward(theta, stats, lt, R, b, training, update_stats, p_drop, rng,
                ws, wsArg)
    dO = matrix(ws[6], 0, O.shape[0], O.shape[1])
    total = loss_and_grad(loss_code, O, Yb[:b], smoothing, dO, yes, yes, metric_acc)
    backward(theta, grad, lt, R, b, training, p_drop, ws, wsArg)
    return total / b


@jit
def evaluate(X, Y, loss_code, smoothing, theta, stats, lt, R, p_drop, rng,
             ws, wsArg, Yb, metric_acc):
    """Σ over rows of the data loss in evaluation mode; metrics accumulate in ``metric_acc``."""
    none = np.empty(0)
    return evaluate_counting(X, Y, loss_code, smoothing, theta, stats, lt, R, p_drop, rng,
                             ws, wsArg, Yb, metric_acc, np.empty((0, 3)), 0.0, none, none)


@jit
def evaluate_counting(X, Y, loss_code, smoothing, theta, stats, lt, R, p_drop, rng,
                      ws, wsArg, Yb, metric_acc, layers, w_eps, amax, counts):
    """:func:`evaluate`, and (when ``counts`` is not empty) the unit counts of its rows, read
    from the activations each forward block leaves in the workspace (no second pass): see
    :func:`count_units` and :func:`finish_unit_counts` for what ``counts`` gets."""
    n = X.shape[0]
    rows = np.arange(n)
    no = not _runtime(R)[0]
    counting = counts.size > 0
    if counting:
        start_unit_counts(amax, counts)
    total = 0.0
    for start in range(0, n, R):
        b = min(R, n - start)
        _gather(X, Y, rows, start, b, ws[2], Yb[:b])
        O = forward(theta, stats, lt, R, b, no, no, p_drop, rng,
                    ws, wsArg)
        if counting:
            count_units(ws[2], lt, R, b, X.shape[1], p_drop, layers, amax, counts)
        dO = matrix(ws[6], 0, O.shape[0], O.shape[1])
        total += loss_and_grad(loss_code, O, Yb[:b], smoothing, dO, no, not no, metric_acc)
    if counting:
        finish_unit_counts(theta, lt, X.shape[1], w_eps, layers, amax, counts)
    return total


@jit
def start_unit_counts(amax, counts):
    for j in range(amax.size):
        amax[j] = -np.inf
    for j in range(counts.size):
        counts[j] = 0.0


@jit
def count_units(wsA, lt, R, b, d0, p_drop, layers, amax, counts):
    """After an evaluation-mode forward of b rows (d0 inputs), per hidden layer l:

    * where ``layers[l, 2]`` is not 0, the largest activation so far of each of its units
      into ``amax`` (one entry per hidden unit, layer after layer);
    * the activations outside (layers[l, 0], layers[l, 1]) added to ``counts[L − 1 + l]``
      (skipped for (−inf, inf)). With dropout scaled at test time (``p_drop`` < 0) the bounds
      apply to f before its ×(1 − p): the activations are held against (1 − p)·bounds.
    """
    L = lt.shape[0]
    keep = 1.0 + p_drop if p_drop < 0.0 else 1.0
    for l in range(L - 1):
        w = lt[l, OUT_W]
        A = vector(wsA, R * lt[l, CUM_A], b * w)  # its b × w block, flat (runs vectorize)
        if layers[l, 2] != 0.0:
            m = vector(amax, lt[l, CUM_A] - d0, w)
            for i in range(b):
                row = i * w
                for j in range(w):
                    m[j] = max(m[j], A[row + j])
        lo, hi = layers[l, 0] * keep, layers[l, 1] * keep
        if lo == -np.inf and hi == np.inf:
            continue
        outside = 0
        for k in range(A.size):
            v = A[k]
            outside += (v < lo) | (v > hi)  # no branch
        counts[L - 1 + l] += outside


@jit
def finish_unit_counts(theta, lt, d0, w_eps, layers, amax, counts):
    """After the last :func:`count_units`: per hidden layer l whose maxima were kept, the
    units never positive into ``counts[l]``; per weight matrix l the weights with
    |w| < w_eps into ``counts[2(L − 1) + l]``."""
    L = lt.shape[0]
    for l in range(L - 1):
        if layers[l, 2] == 0.0:
            continue
        off = lt[l, CUM_A] - d0
        for j in range(lt[l, OUT_W]):
            if amax[off + j] <= 0.0:
                counts[l] += 1.0
    for l in range(L):
        W = vector(theta, lt[l, OFF_W], lt[l, FAN_IN] * lt[l, DENSE_W])
        zero = 0
        for i in range(W.size):
            if abs(W[i]) < w_eps:
                zero += 1
        counts[2 * (L - 1) + l] += zero


@jit
def predict_rows(X, loss_code, theta, stats, lt, R, p_drop, rng, ws, wsArg, P):
    """P = link(net(X)) in evaluation mode, R rows at a time."""
    n = X.shape[0]
    no = not _runtime(R)[0]
    for start in range(0, n, R):
        b = min(R, n - start)
        _gather_x(X, start, b, ws[2])
        O = forward(theta, stats, lt, R, b, no, no, p_drop, rng,
                    ws, wsArg)
        apply_link(loss_code, O, P[start:start + b])


settle()  # the last engine module to load Numba's machinery: see _jit.settle
