"""Compile (or load from the disk cache) every kernel before the first real run."""

from __future__ import annotations

import numpy as np


def warmup(dtypes=("float64",)) -> None:
    """Run a tiny network through training, evaluation and prediction for each dtype.

    The default is the default dtype, float64; float32 kernels compile on their first use
    (or pass ``dtypes=DTYPES`` for both).

    With Numba's on-disk cache this takes well under a second after the first time; a GUI
    calls it in a background thread at launch so the first Train press does not stall.
    """
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
        net.evaluate(X, Y, 0, 0.0, np.zeros(3))
        net.predict(X)
        net.loss_and_gradients(X, np.array([0, 1, 0, 1]))
        Optimizer("sgd").step(net, net.unflatten(runner.grad))
