"""Epochs of optimizer steps run inside compiled calls (SPEC §10's inner loop).

A :class:`StepRunner` binds a network, an optimizer and a training set; the run layer asks it
for chunks of steps (so progress, pause and stop happen between chunks, and the kernel polls a
stop flag between steps).
"""

from __future__ import annotations

import numpy as np

from trainlab.catalog.rules import BATCH_NORM_MIN_ROWS, batch_norm_fits
from trainlab.engine import epochs
from trainlab.engine.names import LOSS_CODE
from trainlab.engine.network import Network
from trainlab.engine.optimizers import Optimizer
from trainlab.engine.rng import shuffle_in_place

_NO_STEP_LRS = np.zeros(0)  # every step at its epoch's η


def batch_bounds(n: int, batch_size: int, batch_norm: bool) -> np.ndarray:
    """Start offsets of the ⌈n/B⌉ batches plus n. With batch norm, a last batch of a single
    row is folded into the one before it (SPEC §8)."""
    if batch_size < 1:
        raise ValueError(f"batch_size: must be >= 1, got {batch_size}")
    if not batch_norm_fits(batch_norm, batch_size):
        raise ValueError(f"batch_size: batch norm needs at least {BATCH_NORM_MIN_ROWS} rows per "
                         f"batch; batch size {batch_size} cannot be used with batch norm")
    starts = list(range(0, n, batch_size))
    if len(starts) > 1 and not batch_norm_fits(batch_norm, n - starts[-1]):
        starts.pop()
    if not batch_norm_fits(batch_norm, n):
        raise ValueError(f"batch norm needs at least {BATCH_NORM_MIN_ROWS} training rows")
    return np.array(starts + [n], dtype=np.int64)


class StepRunner:
    """Runs optimizer steps of ``net`` on ``(X, Y)`` (Y prepared by ``net.check_targets``).

    ``gnorm_acc`` sums ‖∂objective/∂W_l‖_F over the steps since :meth:`start_epoch`. With
    ``batch_losses`` (an object with ``extend(values)``), each step's mini-batch loss (before
    its update) is handed to it after every call. With ``step_lr`` (a function of the
    optimizer's update count t, from 0: a schedule counted in updates), update t uses η =
    ``step_lr(t)`` instead of its epoch's η.
    """

    def __init__(self, net: Network, optimizer: Optimizer, X: np.ndarray, Y: np.ndarray,
                 loss: str, batch_size: int, l1=0.0, l2=0.0, label_smoothing=0.0,
                 shuffle=True, shuffle_seed=0, flag: np.ndarray | None = None,
                 batch_losses=None):
        self.net, self.opt = net, optimizer
        self.X, self.Y = X, Y
        self.loss_code = LOSS_CODE[loss]
        self.l1, self.l2, self.smoothing = float(l1), float(l2), float(label_smoothing)
        self.batch_losses = batch_losses
        self._losses = np.zeros(0)  # the kernel's buffer for them (empty: not recorded)
        self.step_lr = None
        self.set_batch_size(batch_size)
        self.shuffle = shuffle
        seq = shuffle_seed if isinstance(shuffle_seed, np.random.SeedSequence) \
            else np.random.SeedSequence(shuffle_seed)
        self.shuffle_state = seq.generate_state(1, dtype=np.uint64).copy()
        self.order = np.arange(X.shape[0], dtype=np.int64)
        self.flag = flag if flag is not None else np.zeros(1, dtype=np.int64)
        self.gnorm_acc = np.zeros(net.n_layers)
        self.out = np.zeros(2)
        self.grad = np.zeros_like(net.theta)
        self.state = optimizer.state_for(net.theta.size, net.dtype)
        self.next_batch = 0
        # what the epochs kernel wants besides: where the epoch stands, η, a row, a copy
        self._pos = np.zeros(1, dtype=np.int64)
        self._lr = np.zeros(1)
        self._row = np.zeros((1, epochs.row_width(Y.shape[1] + 1, net.n_layers)))
        self._snap = (np.zeros((1, net.theta.size), net.dtype),
                      np.zeros((1, net.stats.size), net.dtype))

    def set_batch_size(self, batch_size: int) -> None:
        """Batches of ``batch_size`` rows from the next epoch on (a live change)."""
        self.bounds = batch_bounds(self.X.shape[0], int(batch_size), self.net.batch_norm)
        self.steps_per_epoch = len(self.bounds) - 1
        rows = int(np.max(np.diff(self.bounds)))
        if rows > getattr(self, "rows", 0):  # its own: predictions may run between chunks
            self.rows, self.ws = self.net.new_workspace(rows)

    def start_epoch(self) -> None:
        """Shuffle (seeded) and reset the per-epoch accumulators."""
        if self.shuffle:  # compiled: numpy's permutation costs more than a tiny net's epoch
            shuffle_in_place(self.order, self.shuffle_state)
        self.gnorm_acc[:] = 0.0
        self.out[:] = 0.0
        self.next_batch = 0

    @property
    def epoch_done(self) -> bool:
        return self.next_batch >= self.steps_per_epoch

    @property
    def diverged(self) -> bool:
        return self.out[1] != 0.0

    def run(self, max_steps: int) -> int:
        """Up to ``max_steps`` steps of the current epoch; returns how many were done."""
        first = self.next_batch
        if first >= self.steps_per_epoch:
            return 0
        self._pos[0] = first
        self._lr[0] = self.opt.lr
        self.epochs(self._lr, self._row, self._snap[0], self._snap[1], self._pos,
                    max(int(max_steps), 1), shuffle=False)
        now = self.steps_per_epoch if self._pos[0] < 0 else int(self._pos[0])
        self.next_batch = now
        return now - first

    def epochs(self, lrs, rows, snap_theta, snap_stats, pos, max_steps: int,
               shuffle: bool) -> int:
        """One call of :func:`epochs.train_epochs` on this runner's network, optimizer,
        data and buffers (see there for the other arguments); returns the epochs completed."""
        ws, net, opt = self.ws, self.net, self.opt
        s1, s2, s3 = self.state
        losses, t0 = self._losses, int(opt.t[0])
        step_lrs = _NO_STEP_LRS
        if self.batch_losses is not None or self.step_lr is not None:  # the call's steps
            room = min(int(max_steps), len(lrs) * self.steps_per_epoch - max(int(pos[0]), 0))
            if self.step_lr is not None:
                step_lrs = np.array([self.step_lr(t) for t in range(t0, t0 + room)])
            if self.batch_losses is not None and losses.size < room:
                losses = self._losses = np.zeros(max(room, 2 * losses.size))
        done = int(epochs.train_epochs(
            self.X, self.Y, self.order, self.bounds, bool(shuffle), self.shuffle_state,
            self.loss_code, self.smoothing, self.l1, self.l2, float(opt.clip_norm or 0.0),
            net.theta, self.grad, net.stats, net.lt, self.rows, net.p_drop, net.rng_state,
            ws.floats, ws.arg, ws.Yb, opt.code, s1, s2, s3, opt.hyper, net.tensor_table,
            opt.t, self.flag, self.gnorm_acc, self.out,
            np.ascontiguousarray(lrs, dtype=np.float64), rows, snap_theta, snap_stats, pos,
            int(max_steps), losses, step_lrs))
        if self.batch_losses is not None:
            self.batch_losses.extend(losses[:int(opt.t[0]) - t0])
        return done
