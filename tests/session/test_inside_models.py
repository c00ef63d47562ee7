"""The network view's Qt-free models: the diagram's numbers, the params feed, the backprop
steps against loss_and_gradients, the distributions against their definitions, and the
activation curves against their formulas."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from trainlab.presets import default_preset, preset_to_dict
from trainlab.session.activation_curves import PLOTTED, curves, formula
from trainlab.session.backprop import BackpropSteps
from trainlab.session.distributions import KINDS, PERCENTILES, Distributions
from trainlab.session.network_model import (
    MAX_SHOWN,
    NetworkInspector,
    ParamsFeed,
    network_for,
)


def preset(hidden, activation="tanh", **model):
    p = preset_to_dict(default_preset())
    p["model"].update(hidden=hidden, activation=activation, **model)
    return p


def params_of(p, sizes, seed=0):
    from trainlab.engine import Network

    m = p["model"]
    return Network(sizes, activation=m["activation"], batch_norm=m["batch_norm"],
                   maxout_pieces=m["maxout_pieces"], seed=seed).params


def test_columns_labels_and_wide_layers():
    p = preset([20, 3], batch_norm=True, dropout=0.25)
    params = params_of(p, [784, 20, 3, 10])
    rng = np.random.default_rng(0)
    ins = NetworkInspector(p, params, [f"px{i}" for i in range(784)], rng.normal(size=(50, 784)))
    cols = ins.columns
    assert [c.width for c in cols] == [784, 20, 3, 10]
    assert [c.more for c in cols] == [784 - MAX_SHOWN, 20 - MAX_SHOWN, 0, 0]
    assert cols[0].names[:2] == ["px0", "px1"]
    assert "BN" in cols[1].label and "dropout 0.25" in cols[1].label
    assert ins.edges(0).shape == (MAX_SHOWN, MAX_SHOWN)
    assert ins.edges(1).shape == (MAX_SHOWN, 3)
    # the values drawn are the engine's activations of the sample
    trace = network_for(p, params).forward_trace(ins.sample)
    np.testing.assert_array_equal(ins.values()[2], trace[1]["a"])
    counts, _ = ins.unit_histogram(1, 0)
    assert counts.sum() == 50


def test_unit_maps_follow_an_edited_weight():
    p = preset([2], activation="identity")
    params = params_of(p, [2, 2, 2])
    xs = np.linspace(-1, 1, 5)
    gx, gy = np.meshgrid(xs, xs)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    ins = NetworkInspector(p, params, None, grid, grid)
    assert ins.feature_names == ["x1", "x2"]
    np.testing.assert_array_equal(ins.unit_map(0, 0), gx)   # x1 over the plane
    name = ins.set_weight(0, 1, 0, 2.0)
    assert name == "W1[1, 0]" and ins.weight(0, 1, 0) == 2.0
    b = params["b1"][0]
    np.testing.assert_allclose(ins.unit_map(1, 0), params["W1"][0, 0] * gx + 2.0 * gy + b)


def feed_on_a_clock():
    """(a ParamsFeed on a clock moved by hand, its time [t], a report maker, the epochs whose
    weights were copied)."""
    t = [0.0]
    feed = ParamsFeed(interval=0.1, clock=lambda: t[0])
    calls = []

    def report(event, epoch):
        return SimpleNamespace(event=event, epoch=epoch,
                               params=lambda: calls.append(epoch) or {"e": epoch})

    return feed, t, report, calls


def test_feed_keeps_the_latest_at_most_every_interval():
    feed, t, report, calls = feed_on_a_clock()
    feed(report("start", 0))
    feed(report("epoch", 1))       # too soon: not copied
    assert calls == [0] and feed.take() == (0, {"e": 0}) and feed.take() is None
    t[0] = 0.2
    feed(report("epoch", 2))
    feed(report("end", 3))         # the end is always copied
    assert calls == [0, 2, 3] and feed.take() == (3, {"e": 3})
    assert feed.take_skipped() is None


def test_feed_copies_a_skipped_report_when_asked():
    feed, t, report, calls = feed_on_a_clock()
    feed(report("start", 0))
    feed(report("epoch", 1))       # too soon: kept, not copied
    feed(report("chunk", 1))
    assert calls == [0]
    assert feed.take_skipped() == (1, {"e": 1}) and calls == [0, 1]
    assert feed.take() is None and feed.take_skipped() is None  # the older copy is gone
    t[0] = 0.2
    feed(report("epoch", 2))       # copied: nothing skipped since
    assert feed.take_skipped() is None and feed.take() == (2, {"e": 2})


@pytest.mark.parametrize("loss,y", [("cross_entropy", 1), ("mse", [[0.5, -0.2]])])
def test_backprop_steps_equal_loss_and_gradients_on_the_sample(loss, y):
    p = preset([3, 3], activation="sigmoid")
    p["loss"]["name"] = loss
    net = network_for(p, params_of(p, [2, 3, 3, 2], seed=3))
    x = np.array([0.4, -1.2])
    steps = BackpropSteps(net, x, y, loss)
    value, grads = net.loss_and_gradients(x[None], np.asarray(y).reshape(-1, *np.shape(y)[1:])
                                          if np.ndim(y) else np.array([y]), loss=loss,
                                          training=False)
    assert steps.loss_value == value
    a_prev = x
    for l, layer in enumerate(steps.trace):
        delta = layer["delta"][0]
        # one sample: ∂L/∂b = δ and ∂L/∂W = a_prev ⊗ δ
        np.testing.assert_allclose(grads[f"b{l + 1}"], delta, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads[f"W{l + 1}"], np.outer(a_prev, delta), rtol=1e-12,
                                   atol=1e-15)
        a_prev = layer["a"][0]
    phases = [s.phase for s in steps.steps]
    assert phases.count("forward") == 1 + 3 + 3 + 2 and phases.count("backward") == 3
    last = steps.steps[-1]
    assert last.column == 1 and f"δ={float(steps.trace[0]['delta'][0, 0]):.3g}" in \
        last.labels[(1, 0)]
    # the chain rule of a hidden layer, with the engine's numbers: δ = σ'(z)·Σ w δ_next
    z, = steps.trace[1]["z"][0, :1]
    s = 1 / (1 + np.exp(-z))
    back = net.params["W3"][0] @ steps.trace[2]["delta"][0]
    np.testing.assert_allclose(steps.trace[1]["delta"][0, 0], s * (1 - s) * back, rtol=1e-9)
    assert f"{s * (1 - s):.3g}" in steps.steps[-2].formula


def test_backprop_refuses_deep_networks():
    p = preset([2, 2, 2, 2])
    with pytest.raises(ValueError, match="up to 4 layers"):
        BackpropSteps(network_for(p, params_of(p, [2, 2, 2, 2, 2, 2])), [0, 0], 0)


def test_distributions_percentiles_and_histogram():
    p = preset([4])
    params = params_of(p, [2, 4, 2])
    X = np.random.default_rng(1).normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    d = Distributions(p, params, X, y)
    d.add(0, params)
    moved = {k: v * 2 for k, v in params.items()}
    d.add(1, moved)
    epochs, bands = d.bands(0, "weights")
    np.testing.assert_array_equal(epochs, [0, 1])
    np.testing.assert_allclose(bands[1], np.percentile(2 * params["W1"], PERCENTILES))
    assert bands[1, 0] == (2 * params["W1"]).min() and bands[1, -1] == (2 * params["W1"]).max()
    counts, _ = d.histogram(0, "activations")
    assert counts.sum() == 40 * 4
    grads = network_for(p, moved).loss_and_gradients(X, y, training=False)[1]
    np.testing.assert_allclose(d.current[(1, "gradients")], grads["W2"].ravel())
    assert set(k for _, k in d.current) == set(KINDS)


def test_activation_curves_follow_their_formulas():
    x = np.linspace(-3, 3, 13)
    f, df = curves("tanh", x)
    np.testing.assert_allclose(f, np.tanh(x), rtol=1e-12)
    np.testing.assert_allclose(df, 1 - np.tanh(x) ** 2, rtol=1e-9)
    f, df = curves("step", x)
    np.testing.assert_array_equal(f, (x > 0).astype(float))
    np.testing.assert_array_equal(df, 0.0)
    assert "maxout" not in PLOTTED and formula("relu") == "f(x) = max(0,x)"
