"""Data losses on the logits (SPEC §4), each with its gradient, plus evaluation metrics.

Targets are one float matrix ``Y``: regression values ``(B, m)``; for ``bce`` a column of 0/1;
for ``cross_entropy`` a column holding the class index. Losses are means over the samples
(and, for the regression losses, over the outputs too, as PyTorch's ``reduction="mean"``).
``dO`` receives ∂loss/∂logits. Cross-entropy uses log-sum-exp; BCE uses softplus(z) − y·z.
"""

import math

from trainlab.catalog.names import LossCode as Loss
from trainlab.engine._jit import jit
from trainlab.engine.activations import sigmoid
from trainlab.engine.fastexp import exp_nonpos
from trainlab.engine.views import vector

HUBER_DELTA = 1.0


@jit
def _softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


@jit
def loss_and_grad(code, O, Y, smoothing, dO, want_grad, want_loss, stats):
    """Return the *sum* over rows of the per-row loss; fill ``dO`` with ∂(mean loss)/∂O.

    ``dO`` is scaled by 1/B (B = rows of O), i.e. it is the gradient of the mean. It is
    written as scratch even when ``want_grad`` is false. ``want_loss`` false skips the loss
    value (0 is returned) where it costs extra work: a training step needs the gradient only.
    ``stats`` accumulates metrics: classification → stats[0] += correct predictions;
    regression → stats[j] += Σ(ŷ_j − y_j)² per output j.
    """
    B, K = O.shape
    inv_b = 1.0 / B
    total = 0.0
    if code == Loss.CROSS_ENTROPY:
        # softmax with the row maximum subtracted: z − max into dO, then e^(z − max) over
        # all of dO at once (a loop that vectorizes), then per row: Σe, log-sum-exp, ∂
        for i in range(B):
            zmax = O[i, 0]
            best = 0
            for c in range(1, K):
                if O[i, c] > zmax:
                    zmax = O[i, c]
                    best = c
            for c in range(K):
                dO[i, c] = O[i, c] - zmax
            if best == int(Y[i, 0]):
                stats[0] += 1.0
        flat = vector(dO, 0, B * K)
        for j in range(B * K):
            flat[j] = exp_nonpos(flat[j])
        off = smoothing / K
        for i in range(B):
            s = 0.0
            for c in range(K):
                s += dO[i, c]
            target = int(Y[i, 0])
            if want_loss:
                zmax = O[i, 0]
                for c in range(1, K):
                    zmax = max(zmax, O[i, c])
                lse = zmax + math.log(s)                # log Σ_c e^(z_c)
                row = 0.0
                for c in range(K):
                    q = off + (1.0 - smoothing if c == target else 0.0)
                    row += q * (lse - O[i, c])
                total += row
            if want_grad:
                inv_s = 1.0 / s
                for c in range(K):
                    q = off + (1.0 - smoothing if c == target else 0.0)
                    dO[i, c] = (dO[i, c] * inv_s - q) * inv_b
    elif code == Loss.BCE:
        for i in range(B):
            z = O[i, 0]
            y = Y[i, 0]
            total += _softplus(z) - y * z
            if want_grad:
                dO[i, 0] = (sigmoid(z) - y) * inv_b
            if (1.0 if z > 0.0 else 0.0) == y:
                stats[0] += 1.0
    else:
        inv_bk = inv_b / K
        for i in range(B):
            row = 0.0
            for j in range(K):
                d = O[i, j] - Y[i, j]
                stats[j] += d * d
                if code == Loss.MSE:
                    row += d * d
                    g = 2.0 * d
                elif code == Loss.MAE:
                    row += abs(d)
                    g = 1.0 if d > 0.0 else (-1.0 if d < 0.0 else 0.0)
                else:  # Loss.HUBER
                    if abs(d) < HUBER_DELTA:
                        row += 0.5 * d * d
                        g = d
                    else:
                        row += HUBER_DELTA * (abs(d) - 0.5 * HUBER_DELTA)
                        g = HUBER_DELTA if d > 0.0 else -HUBER_DELTA
                if want_grad:
                    dO[i, j] = g * inv_bk
            total += row / K
    return total


@jit
def apply_link(code, O, P):
    """P = link(O): softmax for cross-entropy, sigmoid for BCE, identity for regression."""
    B, K = O.shape
    for i in range(B):
        if code == Loss.CROSS_ENTROPY:
            zmax = O[i, 0]
            for c in range(1, K):
                zmax = max(zmax, O[i, c])
            s = 0.0
            for c in range(K):
                P[i, c] = math.exp(O[i, c] - zmax)
                s += P[i, c]
            for c in range(K):
                P[i, c] /= s
        elif code == Loss.BCE:
            P[i, 0] = sigmoid(O[i, 0])
        else:
            for c in range(K):
                P[i, c] = O[i, c]
