"""Kept weights stacked by parameter: the same arrays as ``net.params`` at each copy."""

from __future__ import annotations

import numpy as np

from trainlab.engine import Network
from trainlab.runs.evaluation import copy_weights, params_of, params_of_rows
from trainlab.runs.replay import WeightHistory


def _copies(net: Network, n: int) -> list:
    rng = np.random.default_rng(3)
    out = []
    for _ in range(n):
        net.theta[:] = rng.normal(size=net.theta.shape)
        net.stats[:] = rng.normal(size=net.stats.shape)
        out.append(copy_weights(net))
    return out


def test_params_of_stacked_rows_equal_params_of_each_copy():
    net = Network([2, 5, 3, 2], activation="tanh", batch_norm=True, seed=1)
    copies = _copies(net, 4)
    stacked = params_of_rows(net, np.stack([c[0] for c in copies]),
                             np.stack([c[1] for c in copies]))
    assert set(stacked) == set(net.params)  # running statistics included
    for k, w in enumerate(copies):
        for name, value in params_of(net, w).items():
            np.testing.assert_array_equal(stacked[name][k], value)
    assert stacked["W2"].shape == (4, 5, 3)


def test_history_stacks_once_until_an_epoch_is_added():
    net = Network([2, 4, 2], activation="relu", seed=2)
    history = WeightHistory()
    for epoch, w in enumerate(_copies(net, 3)):
        history.add(epoch, w)
    calls = []

    def stack_of(theta_rows, stats_rows):
        calls.append(len(theta_rows))
        return params_of_rows(net, theta_rows, stats_rows)

    first = history.stacked(stack_of)
    assert history.stacked(stack_of) is first and calls == [3]
    history.add(3, copy_weights(net))
    epochs, arrays = history.stacked(stack_of)
    assert calls == [3, 4] and list(epochs) == [0, 1, 2, 3]
    np.testing.assert_array_equal(arrays["W1"][3], net.params["W1"])
    history.truncate(1)
    assert list(history.stacked(stack_of)[0]) == [0, 1] and calls == [3, 4, 2]
    assert history.stacked(lambda t, s: {})[1] == {}  # another stacking is not the cached one


def test_kept_rows_are_the_copies_added_whatever_the_thinning_and_undoing():
    net = Network([2, 3, 2], activation="tanh", batch_norm=True, seed=4)
    copies = _copies(net, 40)
    size = copies[0][0].nbytes + copies[0][1].nbytes
    history = WeightHistory(budget=12 * size)  # thinned several times over 40 epochs
    for epoch, w in enumerate(copies):
        history.add(epoch, w)
    epochs, arrays = history.stacked(lambda t, s: params_of_rows(net, t, s))
    assert epochs[0] == 0 and epochs[-1] == 39 and len(epochs) <= 12
    for k, epoch in enumerate(epochs):  # each kept row is the copy of its epoch
        for name, value in params_of(net, copies[epoch]).items():
            np.testing.assert_array_equal(arrays[name][k], value)
    history.truncate(20)
    epochs, arrays = history.stacked(lambda t, s: params_of_rows(net, t, s))
    assert epochs[-1] <= 20
    for k, epoch in enumerate(epochs):
        np.testing.assert_array_equal(arrays["W2"][k], params_of(net, copies[epoch])["W2"])
    history.add(21, copies[21])
    assert history.epochs()[-1] == 21
