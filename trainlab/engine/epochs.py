"""Many whole epochs in one compiled call (SPEC §10): shuffle, steps, a row each.

For a small net on a small split an epoch is a few dozen microseconds of arithmetic; a Python
round trip per epoch (shuffle, evaluate, record) would cost more than the epoch. This kernel
runs epochs back to back and leaves one row of numbers per epoch for the run layer, which
turns them into history rows afterwards. It makes the same calls in the same order as the
epoch-at-a-time path, so the numbers are the same bit for bit.

It stops early mid-epoch, between two steps, on the control flag (pause, stop) or a
non-finite gradient, and at an epoch's end on the flag's "finish the epoch" value; a stopped
epoch resumes where it stopped on the next call. The rows are measured separately
(:func:`measure_epochs`, from copies of the weights), so that this can run in a second
thread while the next epochs train.
"""

import math

import numpy as np

from trainlab.catalog.names import Hyper
from trainlab.engine._jit import jit
from trainlab.engine.kernels import (
    _gather,
    _runtime,
    add_penalties,
    backward,
    evaluate_counting,
    forward,
    weight_stats,
)
from trainlab.engine.losses import loss_and_grad
from trainlab.engine.optimizers_kernel import clip_by_norm, optimizer_update
from trainlab.engine.rng import shuffle_in_place
from trainlab.engine.views import borrow, matrix

# ``pos`` (int64): batch to run next in the current epoch (-1: the epoch has not started)
POS_NEXT = 0
# a row: train loss, val loss, penalty, finite weights (1/0), steps, then the train metric
# accumulator (M values), the validation one (M), ‖W_l‖ (L), mean ‖∂W_l‖ over the steps (L)
R_TRAIN, R_VAL, R_PENALTY, R_FINITE, R_STEPS, R_REST = range(6)


def row_width(n_metric: int, n_layers: int) -> int:
    return R_REST + 2 * n_metric + 2 * n_layers


@jit
def measure_row(row, theta, stats, X, Y, Xv, Yv, loss_code, smoothing, l1, l2, lt, Re, p_drop,
                rng_e, wse, wsArgE, Ybe, metric, norms, layers, w_eps, amax, counts):
    """Fill a row's evaluation part for weights (theta, stats): losses and metric
    accumulators of both splits in evaluation mode, penalty, ‖W_l‖, finite weights; and,
    when ``counts`` is not empty, the unit counts of the training split
    (:func:`~trainlab.engine.kernels.evaluate_counting`), read off its evaluation."""
    M = metric.size
    n_layers = lt.shape[0]
    for split in range(2):  # one call site: the evaluation is compiled in once
        Xs = X if split == 0 else Xv
        Ys = Y if split == 0 else Yv
        cs = counts[:counts.size] if split == 0 else counts[:0]
        n = Xs.shape[0]
        metric[:] = 0.0
        loss = math.nan
        if n > 0:
            loss = evaluate_counting(Xs, Ys, loss_code, smoothing, theta, stats, lt, Re, p_drop,
                                     rng_e, wse, wsArgE, Ybe, metric, layers, w_eps, amax,
                                     cs) / n
        row[R_TRAIN if split == 0 else R_VAL] = loss
        row[R_REST + split * M:R_REST + (split + 1) * M] = metric
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
                   Re, p_drop, rng_e, wse, wsArgE, Ybe, metric, rows, layers, w_eps, amax,
                   counts):
    """:func:`measure_row` for the first ``n`` snapshots (in another thread, while the next
    epochs train). ``counts`` has a row per snapshot: row k gets the unit counts of
    snapshot k (``layers``, ``w_eps``, ``amax``: see
    :class:`~trainlab.engine.trace.UnitCounter`); with no columns, nothing is counted."""
    norms = np.zeros(lt.shape[0])
    for k in range(n):
        measure_row(rows[k], snap_theta[k], snap_stats[k], X, Y, Xv, Yv, loss_code, smoothing,
                    l1, l2, lt, Re, p_drop, rng_e, wse, wsArgE, Ybe, metric, norms, layers,
                    w_eps, amax, counts[k])


# The arguments stay flat on purpose: Numba types every argument at every call, and a tuple
# costs far more to type than its arrays one by one. Grouped into six named tuples, a call's
# dispatch went from 1.7 to 8.5 µs (20 µs when the tuples are built per call), against a
# 2-16-16-2 step of 9.6 µs that StepRunner.run makes one call per chunk of. Callers go through
# StepRunner.epochs, the one call site.
@jit
def train_epochs(X, Y, order, bounds, shuffle, shuffle_state, loss_code, smoothing, l1, l2,
                 clip, theta, grad, stats, lt, R, p_drop, rng, ws, wsArg, Yb, opt_code, s1, s2,
                 s3, hyper, tensors, t, flag, gnorm_acc, out, lrs, rows, snap_theta,
                 snap_stats, pos, max_steps, batch_loss, step_lrs):
    """Run up to ``lrs.size`` epochs (epoch k at learning rate ``lrs[k]``), and at most
    ``max_steps`` optimizer steps; return how many epochs were completed. ``pos`` says where
    the current epoch stands (and is left so for the next call). An epoch's batch j holds
    rows ``order[bounds[j]:bounds[j+1]]``; ``t[0]`` counts the optimizer's steps.

    Between two steps it stops on ``flag[0] == 1`` (pause/stop from another thread), and
    before applying a step whose gradient or penalty is not finite (``out[1]`` = 1 then);
    ``out[0]`` is unused.

    When ``batch_loss`` is not empty, the data loss of each step's mini-batch (training
    mode, before the step's update) goes to ``batch_loss[i]`` for the call's i-th step; it
    needs room for every step the call may take. The forward pass has the outputs already:
    the loss costs one more pass over them.

    When ``step_lrs`` is not empty (a schedule counted in updates), the call's i-th step
    uses η = ``step_lrs[i]`` instead of its epoch's ``lrs[k]``; it needs the same room.

    Epoch k's row gets its steps and mean gradient norms; the weights at its end are copied
    to ``snap_theta[k]``/``snap_stats[k]``, from which :func:`measure_epochs` fills in the
    rest of the row (here, or in another thread while the next epochs train). Judging the
    rows (divergence, early stopping) is the run layer's: it undoes what was trained past
    the epoch a run ends with.
    """
    yes, _ = _runtime(R)
    scratch = np.zeros(Y.shape[1] + 1)
    # the hot loop hands these on many times a step: borrowed, they need no reference counts
    X, Y, order, theta, grad, stats, lt = (borrow(X), borrow(Y), borrow(order), borrow(theta),
                                          borrow(grad), borrow(stats), borrow(lt))
    s1, s2, s3, Yb, wsArg = borrow(s1), borrow(s2), borrow(s3), borrow(Yb), borrow(wsArg)
    ws = (borrow(ws[0]), borrow(ws[1]), borrow(ws[2]), borrow(ws[3]), borrow(ws[4]),
          borrow(ws[5]), borrow(ws[6]), borrow(ws[7]), borrow(ws[8]))
    n_layers = lt.shape[0]
    M = (rows.shape[1] - R_REST - 2 * n_layers) // 2
    steps_per_epoch = bounds.size - 1
    want_loss = batch_loss.size > 0
    per_step = step_lrs.size > 0
    n_steps = 0
    for k in range(lrs.size):
        if pos[POS_NEXT] < 0:                      # a new epoch
            if shuffle:
                shuffle_in_place(order, shuffle_state)
            gnorm_acc[:] = 0.0
            out[:] = 0.0
            pos[POS_NEXT] = 0
        hyper[Hyper.LR] = lrs[k]
        first = pos[POS_NEXT]
        done = 0
        for j in range(first, min(steps_per_epoch, first + max_steps)):
            if flag[0] == 1:                       # pause or stop: before the step
                break
            start = bounds[j]
            b = bounds[j + 1] - start
            _gather(X, Y, order, start, b, ws[2], Yb[:b])
            O = forward(theta, stats, lt, R, b, yes, yes, p_drop, rng, ws, wsArg)
            dO = matrix(ws[6], 0, O.shape[0], O.shape[1])
            # ∂loss is what a step needs (a non-finite loss shows as a non-finite gradient);
            # the loss itself only when it is recorded
            loss = loss_and_grad(loss_code, O, Yb[:b], smoothing, dO, yes, want_loss, scratch)
            backward(theta, grad, lt, R, b, yes, p_drop, ws, wsArg)
            penalty, gsq = add_penalties(theta, grad, lt, l1, l2, gnorm_acc)
            if not (math.isfinite(penalty) and math.isfinite(gsq)):
                out[1] = 1.0                       # diverged: the step is not applied
                break
            clip_by_norm(grad, clip, math.sqrt(gsq))
            if want_loss:
                batch_loss[n_steps] = loss / b
            if per_step:
                hyper[Hyper.LR] = step_lrs[n_steps]
            n_steps += 1
            t[0] += 1
            optimizer_update(opt_code, theta, grad, s1, s2, s3, hyper, t[0], tensors)
            done += 1
        max_steps -= done
        pos[POS_NEXT] = first + done
        if pos[POS_NEXT] < steps_per_epoch:        # flag, divergence, or the step budget
            return k
        pos[POS_NEXT] = -1
        snap_theta[k] = theta
        snap_stats[k] = stats
        row = rows[k]
        row[R_STEPS] = steps_per_epoch
        o = R_REST + 2 * M + n_layers
        row[o:o + n_layers] = gnorm_acc / max(steps_per_epoch, 1)
        if flag[0] != 0:                           # pause, stop, or a single epoch granted
            return k + 1
    return lrs.size
