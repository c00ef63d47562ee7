"""Compile (or load from the disk cache) every kernel before the first real run."""

from __future__ import annotations

import numpy as np


def warmup(dtypes=("float64",), api: bool = False) -> None:
    """Run a tiny network through what a training run uses, for each dtype: steps, whole
    compiled epochs, evaluation, weight norms, prediction; ``api=True`` adds the Python
    API's kernels (``Network.loss_and_gradients``, ``Optimizer.step``), which otherwise
    load on their first use.

    The default is the default dtype, float64; float32 kernels compile on their first use
    (or pass ``dtypes=DTYPES`` for both).

    With Numba's on-disk cache this takes well under a second after the first time; a GUI
    calls it in a background thread at launch so the first Train press does not stall.
    """
    from trainlab.engine.kernels import weight_stats
    from trainlab.engine.network import Network
    from trainlab.engine.optimizers import Optimizer
    from trainlab.engine.trainer import StepRunner

    for dtype in dtypes:
        net = Network([2, 3, 2], activation="tanh", batch_norm=True, dropout=0.1, dtype=dtype)
        X = np.zeros((4, 2), dtype)
        Y = net.check_targets(np.array([0, 1, 0, 1]), 4, "cross_entropy")
        runner = StepRunner(net, Optimizer("adam"), X, Y, "cross_entropy", batch_size=2)
        runner.start_epoch()
        runner.run(2)
        _warm_epochs(runner)
        net.evaluate(X, Y, 0, 0.0, np.zeros(3))
        weight_stats(net.theta, net.lt, 0.0, 0.0, np.zeros(net.n_layers))
        net.predict(X)
        if api:
            net.loss_and_gradients(X, np.array([0, 1, 0, 1]))
            Optimizer("sgd").step(net, net.unflatten(runner.grad))


def _warm_epochs(runner) -> None:
    """One call of the many-epochs kernels (what short epochs run on)."""
    from trainlab.engine.epochs import measure_epochs, row_width
    from trainlab.engine.trace import UnitCounter

    net, opt = runner.net, runner.opt
    R, ws = net.new_workspace(4)
    metric = np.zeros(runner.Y.shape[1] + 1)
    rows = np.zeros((1, row_width(metric.size, net.n_layers)))
    snaps = np.zeros((1, net.theta.size), net.dtype), np.zeros((1, net.stats.size), net.dtype)
    c = UnitCounter(net, np.zeros((net.n_layers - 1, 2)), 0.0)  # unit counts: one row
    runner.epochs(np.full(1, opt.lr), rows, snaps[0], snaps[1], np.array([-1], dtype=np.int64),
                  1, shuffle=True)
    measure_epochs(1, snaps[0], snaps[1], runner.X, runner.Y, runner.X, runner.Y,
                   runner.loss_code, 0.0, 0.0, 0.0, net.lt, R, net.p_drop,
                   net.rng_state.copy(), ws.floats, ws.arg, ws.Yb, metric, rows, c.layers,
                   c.w_eps, c.amax, np.zeros((1, c.size)))
