"""Unit health per layer: dead units, saturated activations, weights at zero.

Three figures a run can record per epoch (columns of ``metrics.csv``), each a share in [0, 1]
or NaN where it is not defined for the layer's activation:

* ``dead_l`` (hidden layer l): the share of its units that are never active on the training
  set, i.e. whose output is not positive for any row. Defined for the ReLU family, where such
  a unit passes (almost) no gradient and stays dead: relu (output 0 for every row),
  leaky_relu and elu (output ≤ 0 for every row: only the small negative branch is used);
  and for the binary step (output 0 for every row: the unit is off everywhere).
  NaN for every other activation (sigmoid, tanh, maxout … have no "off" state).
* ``saturated_l`` (hidden layer l): the share of its activations (units × rows) in a
  saturated range, where f′ is nearly 0: sigmoid a < 0.03 or a > 0.97 (f′ < 0.03),
  tanh |a| > 0.97 (f′ < 0.06). NaN for every other activation.
* ``zero_w_l`` (every weight matrix W_l, the output layer's too): the share of weights with
  |w| < 1e-3 — what L1 drives to zero.

The activations are those of evaluation mode (running batch-norm statistics, no dropout;
with dropout scaled at test time, f before its ×(1 − p) is held against the bounds). A run
counts them while it evaluates the training split for the row's loss and accuracy
(:func:`trainlab.engine.kernels.evaluate_counting`, from the activations each forward block
leaves in the workspace), so no second forward pass runs; :class:`HealthMeter` counts the
same numbers with a pass of its own (:class:`trainlab.engine.trace.UnitCounter`) for any
weights and inputs.

Cost, spirals preset (2-16-16-2 tanh, 420 training rows, float64, 500 epochs headless; CPU
time, as the shared 2-core machine was loaded; five rounds of interleaved runs with and
without the columns, medians of 5 or 15 runs each): about 6 µs a row (2 µs of counting, the
rest bookkeeping) against about 200 µs an epoch. The run costs +3 % (rounds from +2 to
+11 %) with compiled epochs and +5 % (−3 to +14 %) one epoch at a time; the separate pass it
replaces cost +45 % and +39 % (about 50 µs a row).
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.catalog.names import RELU_FAMILY

SIGMOID_RANGE = (0.03, 0.97)
TANH_LIMIT = 0.97
ZERO_WEIGHT = 1e-3

#: Activations with a saturated range: the (low, high) outside which a is saturated.
SATURATION_BOUNDS = {"sigmoid": SIGMOID_RANGE, "tanh": (-TANH_LIMIT, TANH_LIMIT)}
#: Activations with an "off" state, where ``dead_l`` is defined.
DEAD_ACTIVATIONS = (*RELU_FAMILY, "step")


def health_columns(n_layers: int) -> list[str]:
    """Column names for a network of ``n_layers`` weight matrices (``Network.n_layers``):
    ``dead_1 … dead_H, saturated_1 … saturated_H`` for the H = n_layers − 1 hidden layers,
    then ``zero_w_1 … zero_w_L``."""
    hidden = range(1, n_layers)
    return ([f"dead_{l}" for l in hidden] + [f"saturated_{l}" for l in hidden]
            + [f"zero_w_{l}" for l in range(1, n_layers + 1)])


class HealthMeter:
    """The health figures of one network, measured as often as wanted (keep one per run and
    thread: it holds its workspace and the per-layer constants)."""

    def __init__(self, net):
        self.net = net
        self.columns = health_columns(net.n_layers)
        acts = net.activations
        from trainlab.engine.trace import UnitCounter  # the compiled engine, on first use

        #: the counting (its bounds, w_eps and scratch also serve a run's evaluation of the
        #: training split, which counts as it goes: see RowMeasurer)
        self.counter = UnitCounter(
            net, [SATURATION_BOUNDS.get(a, (-math.inf, math.inf)) for a in acts], ZERO_WEIGHT,
            dead=[a in DEAD_ACTIVATIONS for a in acts])
        widths = np.array(net.sizes[1:-1], float)
        # counts → shares: divide by units, by activations (× rows below), by weights;
        # NaN where the figure is not defined for the layer's activation
        self._units = np.concatenate([
            np.where([a in DEAD_ACTIVATIONS for a in acts], widths, math.nan),
            np.where([a in SATURATION_BOUNDS for a in acts], widths, math.nan),
            [t.size for t in net.tensors if t.is_weight]])
        self._per_row = np.r_[np.zeros(len(acts)), np.ones(len(acts)), np.zeros(net.n_layers)]

    def measure(self, X_train, theta=None, stats=None) -> dict[str, float]:
        """Every figure on the (scaled) training inputs. ``theta``/``stats`` measure other
        weights laid out like the network's (an epoch's copy); the network is only read, so
        this may run beside the thread that trains it."""
        return dict(zip(self.columns, self.shares(X_train, theta, stats).tolist(), strict=True))

    def shares(self, X_train, theta=None, stats=None) -> np.ndarray:
        """:meth:`measure` as one vector, in :attr:`columns` order."""
        return self.shares_of(self.counter.counts(X_train, theta, stats),
                              np.shape(X_train)[0])

    def shares_of(self, counts: np.ndarray, rows: int) -> np.ndarray:
        """The figures from the counter's counts over ``rows`` rows (a vector, or one row of
        counts per measurement)."""
        return counts / self.divisors(rows)

    def divisors(self, rows: int) -> np.ndarray:
        """What each count is divided by, counted over ``rows`` rows: units, activations
        (units × rows) or weights; NaN where the figure is not defined."""
        return self._units * (1.0 + self._per_row * (rows - 1))


def measure_health(net, X_train, theta=None, stats=None) -> dict[str, float]:
    """:meth:`HealthMeter.measure` once (a run measuring every epoch keeps a meter)."""
    return HealthMeter(net).measure(X_train, theta, stats)
