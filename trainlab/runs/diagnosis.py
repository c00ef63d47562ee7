"""Non-finite numbers blamed on their true cause (no Qt here).

* :func:`check_scaled_splits`: the data a run trains on must be finite in the run's dtype,
  before anything is trained (an overflowing standardization, CSV values near 1e308, values
  beyond float32's range), so that a non-finite first row can only come from the weights or
  the penalty (:func:`~trainlab.runs.judge.judge_start` says which).
* :func:`keep_finite_weights`: a diverged run keeps the last finite weights as its final ones.
"""

from __future__ import annotations

import numpy as np

from trainlab.data import DataError, Splits


def check_scaled_splits(splits: Splits, dtype: str, scaling: str) -> None:
    """Raise :class:`DataError` naming the first input column that is not finite after
    scaling ``scaling`` (or that does not fit ``dtype``), and the split it is in."""
    largest = float(np.finfo(np.dtype(dtype)).max)
    for split in ("train", "val", "test"):
        X = np.asarray(getattr(splits, f"X_{split}"), dtype=np.float64)
        if X.size == 0:
            continue
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(X) <= largest)  # NaN compares False: counted as bad
        if not bad.any():
            continue
        j = int(np.argmax(bad.any(axis=0)))
        names = list(splits.feature_names)
        name = names[j] if j < len(names) else f"input {j + 1}"
        raise DataError(
            f"data: column {name!r} is not a finite {dtype} number after scaling "
            f"({scaling}) in the {split} split: its values are too large or too far apart "
            "to scale; rescale that column in the file (or drop it)")


def keep_finite_weights(fit) -> str:
    """For a diverged :class:`~trainlab.runs.fit.Fit`: leave the network at finite weights
    (the last epoch whose weights were finite, when the current ones are not) and say which
    they are, for ``summary.json``'s ``final_weights``."""
    net = fit.net
    last = fit.last_finite
    if np.isfinite(net.theta).all() and np.isfinite(net.stats).all():
        if last is not None and np.array_equal(net.theta, last[1][0]) \
                and np.array_equal(net.stats, last[1][1]):
            return f"last finite, epoch {last[0]}"
        return f"last finite, during epoch {fit.epoch + 1} (the failing step was not taken)"
    if last is None:
        return "not finite (no finite weights were reached)"
    from trainlab.runs.evaluation import restore_weights  # the engine: loaded by a run only

    restore_weights(net, last[1])
    return f"last finite, epoch {last[0]}"
