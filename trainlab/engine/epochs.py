"""Many whole epochs in one compiled call (SPEC §10): shuffle, steps, evaluation, a row each.

For a small net on a small split an epoch is a few dozen microseconds of arithmetic; a Python
round trip per epoch (shuffle, evaluate, record) would cost more than the epoch. This kernel
runs epochs back to back and leaves one row of numbers per epoch for the run layer, which
turns them into history rows afterwards. It makes the same calls in the same order as the
epoch-at-a-time path, so the numbers are the same bit for bit.

It stops early, at the end of an epoch, where the run layer must look: a non-finite train
loss or weight (divergence), early stopping's patience used up; and mid-epoch, between two
steps, on the control flag (pause, stop) or a non-finite gradient; and at an epoch's end
on the flag's "finish the epoch" value. A stopped epoch resumes
where it stopped on the next call.
"""

import math

import numpy as np

from trainlab.engine._jit import jit
from trainlab.engine.kernels import _runtime, evaluate, train_steps, weight_stats
from trainlab.engine.rng import shuffle_in_place

# ``es`` (early stopping, float64): enabled, patience, min_delta, best loss, bad epochs
ES_ENABLED, ES_PATIENCE, ES_MIN_DELTA, ES_BEST, ES_BAD = range(5)
# ``pos`` (int64): batch to run next in the current epoch (-1: the epoch has not started)
POS_NEXT = 0
# a row: train loss, val loss, penalty, finite weights (1/0), steps, then the train metric
# accumulator (M values), the validation one (M), ‖W_l‖ (L), mean ‖∂W_l‖ over the steps (L)
R_TRAIN, R_VAL, R_PENALTY, R_FINITE, R_STEPS, R_REST = range(6)


def row_width(n_metric: int, n_layers: int) -> int:
    return R_REST + 2 * n_metric + 2 * n_layers


@jit
def measure_row(row, theta, stats, X, Y, Xv, Yv, loss_code, smoothing, l1, l2, lt, Re, p_drop,
                rng_e, wse, wsArgE, Ybe, metric, norms):
    """Fill a row's evaluation part for weights (theta, stats): losses and metric
    accumulators of both splits in evaluation mode, penalty, ‖W_l‖, finite weights."""
    M = metric.size
    n_layers = lt.shape[0]
    nv = Xv.shape[0]
    metric[:] = 0.0
    row[R_TRAIN] = evaluate(X, Y, loss_code, smoothing, theta, stats, lt, Re, p_drop,
                            rng_e, wse, wsArgE, Ybe, metric) / X.shape[0]
    row[R_REST:R_REST + M] = metric
    metric[:] = 0.0
    if nv > 0:
        row[R_VAL] = evaluate(Xv, Yv, loss_code, smoothing, theta, stats, lt, Re, p_drop,
                              rng_e, wse, wsArgE, Ybe, metric) / nv
    else:
        row[R_VAL] = math.nan
    row[R_REST + M:R_REST + 2 * M] = metric
    row[R_PENALTY] = weight_stats(theta, lt, l1, l2, norms)
    o = R_REST + 2 * M
    row[o:o + n_layers] = norms
    finite = True
    for i in range(theta.size):
        if not math.isfinite(theta[i]):
            finite = False
            break
    row[R_FINITE] = 1.0 if finite else 0.0


@jit
def measure_epochs(n, snap_theta, snap_stats, X, Y, Xv, Yv, loss_code, smoothing, l1, l2, lt,
                   Re, p_drop, rng_e, wse, wsArgE, Ybe, metric, rows):
    """:func:`measure_row` for the first ``n`` snapshots (in another thread, while the next
    epochs train)."""
    norms = np.zeros(lt.shape[0])
    for k in range(n):
        measure_row(rows[k], snap_theta[k], snap_stats[k], X, Y, Xv, Yv, loss_code, smoothing,
                    l1, l2, lt, Re, p_drop, rng_e, wse, wsArgE, Ybe, metric, norms)


@jit
def train_epochs(X, Y, order, bounds, shuffle, shuffle_state, loss_code, smoothing, l1, l2,
                 clip, theta, grad, stats, lt, R, p_drop, rng, ws, wsArg, Yb, opt_code, s1, s2,
                 s3, hyper, tensors, t, flag, gnorm_acc, out,
                 Xv, Yv, Re, wse, wsArgE, Ybe, rng_e, metric,
                 lrs, rows, es, snap_theta, snap_stats, pos, measure_here):
    """Run up to ``lrs.size`` epochs (epoch k at learning rate ``lrs[k]``); return how many
    were completed, each with its row in ``rows[k]``.

    (X, Y) is the training split (also evaluated whole, in evaluation mode, after every
    epoch), (Xv, Yv) the validation split (0 rows: none); ``Re``/``wse``/``wsArgE``/``Ybe``
    are the evaluation buffers. The weights at the end of epoch k are copied to
    ``snap_theta[k]``/``snap_stats[k]`` (the best epoch's, and what progress reports show).
    With ``measure_here`` false, rows get their steps and gradient norms only; the rest is
    :func:`measure_epochs`' to fill from the snapshots, and the run layer's to judge.
    """
    yes, _ = _runtime(R)
    n_layers = lt.shape[0]
    M = metric.size
    nv = Xv.shape[0]
    steps_per_epoch = bounds.size - 1
    norms = np.zeros(n_layers)
    for k in range(lrs.size):
        if pos[POS_NEXT] < 0:                      # a new epoch
            if shuffle:
                shuffle_in_place(order, shuffle_state)
            gnorm_acc[:] = 0.0
            out[:] = 0.0
            pos[POS_NEXT] = 0
        hyper[0] = lrs[k]
        first = pos[POS_NEXT]
        done = train_steps(X, Y, order, bounds, first, steps_per_epoch, loss_code, smoothing,
                           l1, l2, clip, theta, grad, stats, lt, R, p_drop, rng, ws, wsArg, Yb,
                           opt_code, s1, s2, s3, hyper, tensors, t, flag, gnorm_acc, out)
        pos[POS_NEXT] = first + done
        if pos[POS_NEXT] < steps_per_epoch:        # flag, or a non-finite gradient
            return k
        pos[POS_NEXT] = -1
        snap_theta[k] = theta
        snap_stats[k] = stats
        row = rows[k]
        row[R_STEPS] = steps_per_epoch
        o = R_REST + 2 * M + n_layers
        row[o:o + n_layers] = gnorm_acc / max(steps_per_epoch, 1)
        if not measure_here:                       # measured elsewhere (measure_epochs)
            if flag[0] != 0:
                return k + 1
            continue
        measure_row(row, theta, stats, X, Y, Xv, Yv, loss_code, smoothing, l1, l2, lt, Re,
                    p_drop, rng_e, wse, wsArgE, Ybe, metric, norms)
        if not (row[R_FINITE] != 0.0 and math.isfinite(row[R_TRAIN])):
            return k + 1                           # diverged: the run layer says so
        monitored = row[R_VAL] if nv > 0 else row[R_TRAIN]
        if es[ES_ENABLED] != 0.0:
            if monitored < es[ES_BEST] - es[ES_MIN_DELTA]:
                es[ES_BEST] = monitored
                es[ES_BAD] = 0.0
            else:
                es[ES_BAD] += 1.0
                if es[ES_BAD] >= es[ES_PATIENCE]:
                    return k + 1                   # early stopping
        if flag[0] != 0:                           # pause, stop, or a single epoch granted
            return k + 1
    return lrs.size
