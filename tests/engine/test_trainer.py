"""The compiled inner loop (trainer.StepRunner, batch_bounds): batching (SPEC §8, §10) and
equivalence with manual loss_and_gradients + Optimizer.step."""

import math

import numpy as np
import pytest

from trainlab.engine import Network, Optimizer
from trainlab.engine.trainer import StepRunner, batch_bounds


@pytest.mark.parametrize("n", [1, 2, 5, 9, 10, 11, 64, 101])
@pytest.mark.parametrize("B", [1, 2, 3, 4, 10, 64, 200])
def test_batch_bounds_plain(n, B):
    bounds = batch_bounds(n, B, batch_norm=False)
    sizes = np.diff(bounds)
    assert bounds[0] == 0 and bounds[-1] == n
    assert len(sizes) == math.ceil(n / B)
    assert np.all(sizes[:-1] == B)
    assert 1 <= sizes[-1] <= B


@pytest.mark.parametrize("n", [2, 5, 9, 10, 11, 64, 101])
@pytest.mark.parametrize("B", [2, 3, 4, 10, 64, 200])
def test_batch_bounds_with_batch_norm(n, B):
    bounds = batch_bounds(n, B, batch_norm=True)
    sizes = np.diff(bounds)
    assert bounds[0] == 0 and bounds[-1] == n
    assert np.all(sizes >= 2)
    if n % B == 1 and n > B:  # a last batch of one row is folded into the one before
        assert len(sizes) == math.ceil(n / B) - 1
        assert sizes[-1] == B + 1
    else:
        assert len(sizes) == math.ceil(n / B)
        assert np.all(sizes[:-1] == B)


def test_batch_bounds_examples():
    assert batch_bounds(10, 3, False).tolist() == [0, 3, 6, 9, 10]
    assert batch_bounds(10, 3, True).tolist() == [0, 3, 6, 10]
    assert batch_bounds(10, 4, True).tolist() == [0, 4, 8, 10]
    assert batch_bounds(10, 10, True).tolist() == [0, 10]
    assert batch_bounds(10, 50, False).tolist() == [0, 10]
    assert batch_bounds(3, 1, False).tolist() == [0, 1, 2, 3]


def problem(n=10, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.integers(0, 3, n)


def runner_for(net, opt, X, y, batch_size, **kw):
    Y = net.check_targets(y, X.shape[0], "cross_entropy")
    return StepRunner(net, opt, np.ascontiguousarray(X), Y, "cross_entropy", batch_size, **kw)


def assert_same_params(a, b, tol=1e-13):
    pa, pb = a.params, b.params
    for k in pa:
        np.testing.assert_allclose(pa[k], pb[k], rtol=tol, atol=tol, err_msg=k)


def test_full_batch_sgd_epoch_equals_manual_step():
    X, y = problem()
    net = Network([3, 5, 3], activation="tanh", seed=1)
    manual = Network([3, 5, 3], activation="tanh", seed=1)
    runner = runner_for(net, Optimizer("sgd", lr=0.1), X, y, batch_size=10, shuffle=False)
    runner.start_epoch()
    assert runner.run(100) == 1
    assert runner.epoch_done
    loss, grads = manual.loss_and_gradients(X, y)
    Optimizer("sgd", lr=0.1).step(manual, grads)
    assert_same_params(net, manual)
    assert np.isfinite(loss) and not runner.diverged
    # ‖∂objective/∂W_l‖_F of the step, summed over the epoch's (one) step
    for layer in (1, 2):
        assert runner.gnorm_acc[layer - 1] == pytest.approx(
            np.linalg.norm(grads[f"W{layer}"]), rel=1e-12)


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "lamb"])
def test_minibatch_epochs_equal_manual_steps(name, batch_norm):
    """3 epochs, unshuffled batches of 4 over 11 rows, with penalties and clipping."""
    X, y = problem(11)
    kw = dict(lr=0.05, clip_norm=0.5)
    net = Network([3, 5, 3], activation="relu", batch_norm=batch_norm, seed=2)
    manual = Network([3, 5, 3], activation="relu", batch_norm=batch_norm, seed=2)
    opt, opt_m = Optimizer(name, **kw), Optimizer(name, **kw)
    runner = runner_for(net, opt, X, y, batch_size=4, shuffle=False, l1=0.01, l2=0.02)
    bounds = [0, 4, 8, 11]
    for _ in range(3):
        runner.start_epoch()
        assert runner.run(100) == 3
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            _, g = manual.loss_and_gradients(X[a:b], y[a:b], l1=0.01, l2=0.02,
                                             update_stats=True)
            opt_m.step(manual, g)
    assert opt.steps == opt_m.steps == 9
    assert_same_params(net, manual, tol=1e-12)


def test_batch_norm_last_single_row_is_folded():
    X, y = problem(9)
    net = Network([3, 4, 3], batch_norm=True, seed=3)
    manual = Network([3, 4, 3], batch_norm=True, seed=3)
    runner = runner_for(net, Optimizer("sgd", lr=0.1), X, y, batch_size=4, shuffle=False)
    assert runner.steps_per_epoch == 2
    runner.start_epoch()
    assert runner.run(10) == 2
    opt = Optimizer("sgd", lr=0.1)
    for a, b in [(0, 4), (4, 9)]:
        _, g = manual.loss_and_gradients(X[a:b], y[a:b], update_stats=True)
        opt.step(manual, g)
    assert_same_params(net, manual)


def test_run_in_chunks_equals_one_run():
    X, y = problem(10)
    a = Network([3, 4, 3], seed=4)
    b = Network([3, 4, 3], seed=4)
    ra = runner_for(a, Optimizer("adam"), X, y, batch_size=2, shuffle=True, shuffle_seed=7)
    rb = runner_for(b, Optimizer("adam"), X, y, batch_size=2, shuffle=True, shuffle_seed=7)
    for _ in range(2):
        ra.start_epoch()
        rb.start_epoch()
        assert [ra.run(2), ra.run(2), ra.run(2)] == [2, 2, 1]
        assert ra.epoch_done and ra.run(5) == 0
        assert rb.run(5) == 5
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_shuffle_is_seeded():
    X, y = problem(12)

    def train(shuffle_seed):
        net = Network([3, 4, 3], seed=0)
        r = runner_for(net, Optimizer("sgd", lr=0.1), X, y, batch_size=3, shuffle=True,
                       shuffle_seed=shuffle_seed)
        for _ in range(3):
            r.start_epoch()
            r.run(100)
        return net.params["W1"]

    np.testing.assert_array_equal(train(1), train(1))
    assert not np.array_equal(train(1), train(2))


def test_stop_flag_prevents_steps():
    X, y = problem(10)
    net = Network([3, 4, 3], seed=5)
    before = net.params
    opt = Optimizer("sgd", lr=0.1)
    runner = runner_for(net, opt, X, y, batch_size=2, shuffle=False)
    runner.start_epoch()
    runner.flag[0] = 1
    assert runner.run(5) == 0
    assert opt.steps == 0 and runner.next_batch == 0
    for k, v in net.params.items():
        np.testing.assert_array_equal(v, before[k])
    runner.flag[0] = 0
    assert runner.run(5) == 5
    assert opt.steps == 5


def test_shared_stop_flag():
    flag = np.zeros(1, dtype=np.int64)
    X, y = problem(6)
    runner = runner_for(Network([3, 2, 3]), Optimizer("sgd"), X, y, batch_size=2, flag=flag)
    runner.start_epoch()
    flag[0] = 1
    assert runner.run(3) == 0


def test_compiled_shuffle_is_a_uniform_permutation():
    """Each epoch's order is a permutation; over many epochs every row visits every slot
    about equally often (Fisher-Yates, not a biased swap)."""
    from trainlab.engine.rng import shuffle_in_place

    n, epochs = 6, 12_000
    order = np.arange(n, dtype=np.int64)
    state = np.array([12345], dtype=np.uint64)
    counts = np.zeros((n, n))
    seen = set()
    for _ in range(epochs):
        shuffle_in_place(order, state)
        assert sorted(order) == list(range(n))
        counts[order, np.arange(n)] += 1
        seen.add(tuple(order))
    expected = epochs / n
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))
    assert len(seen) > 600  # of 720 permutations, nearly all appear
