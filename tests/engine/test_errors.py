"""Configuration and data errors are ValueErrors that name the argument (and, for names, list
the allowed values)."""

import re

import numpy as np
import pytest

from trainlab.engine import Network, Optimizer, Schedule
from trainlab.engine.trainer import batch_bounds

# The vocabularies of SPEC §2-§7, written out here.
ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "gelu",
               "softplus", "maxout"]
INITS = ["auto", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal",
         "uniform", "normal", "zeros"]
OPTIMIZERS = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw", "lamb"]
SCHEDULES = ["constant", "step", "exponential", "inverse_sqrt", "inverse_time", "polynomial",
             "cosine", "plateau"]
LOSSES = ["mse", "mae", "huber", "bce", "cross_entropy"]


def message(call) -> str:
    with pytest.raises(ValueError) as info:
        call()
    return str(info.value)


def assert_lists(msg, argname, allowed, bad):
    assert msg.startswith(argname), msg
    assert repr(bad) in msg or bad in msg, msg
    for name in allowed:
        assert re.search(rf"\b{name}\b", msg), (name, msg)


@pytest.mark.parametrize("bad", ["rleu", "ReLU", "softmax", ""])
def test_unknown_activation(bad):
    assert_lists(message(lambda: Network([2, 3, 1], activation=bad)), "activation",
                 ACTIVATIONS, bad)
    assert_lists(message(lambda: Network([2, 3, 3, 1], activation=["relu", bad])),
                 "activation", ACTIVATIONS, bad)


def test_unknown_activation_suggests_close_name():
    assert "relu" in message(lambda: Network([2, 3, 1], activation="rleu")).split(";")[-1]


def test_wrong_number_of_activations():
    assert message(lambda: Network([2, 3, 3, 1], activation=["relu"])).startswith("activation")


@pytest.mark.parametrize("bad", ["glorot", "he"])
def test_unknown_init(bad):
    assert_lists(message(lambda: Network([2, 3, 1], init=bad)), "init", INITS, bad)


@pytest.mark.parametrize("bad", ["adam_w", "SGD", "nadam"])
def test_unknown_optimizer(bad):
    assert_lists(message(lambda: Optimizer(bad)), "optimizer", OPTIMIZERS, bad)


@pytest.mark.parametrize("bad", ["cosine_annealing", "linear"])
def test_unknown_schedule(bad):
    assert_lists(message(lambda: Schedule(bad)), "schedule", SCHEDULES, bad)


@pytest.mark.parametrize("bad", ["mean_squared_error", "ce", "hinge"])
def test_unknown_loss(bad):
    net = Network([2, 3, 2])
    X, y = np.zeros((3, 2)), np.array([0, 1, 0])
    assert_lists(message(lambda: net.loss_and_gradients(X, y, loss=bad)), "loss", LOSSES, bad)
    assert_lists(message(lambda: net.predict(X, loss=bad)), "loss", LOSSES, bad)


@pytest.mark.parametrize("sizes", [[2, 0, 1], [2, 3, -1], [0, 3], [2, 2.5, 1], [3]])
def test_bad_widths(sizes):
    assert message(lambda: Network(sizes)).startswith("sizes")


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_outside_unit_interval(p):
    msg = message(lambda: Network([2, 3, 1], dropout=p))
    assert msg.startswith("dropout") and "[0, 1)" in msg


def test_dtype_must_be_float32_or_float64():
    assert_lists(message(lambda: Network([2, 1], dtype="float16")), "dtype",
                 ["float64", "float32"], "float16")


def test_wrong_X_shapes():
    net = Network([3, 4, 2])
    y = np.array([0, 1])
    for X in (np.zeros((2, 2)), np.zeros(3), np.zeros((2, 3, 1)), np.zeros((0, 3))):
        assert message(lambda X=X: net.loss_and_gradients(X, y)).startswith("X")
        assert message(lambda X=X: net.predict(X)).startswith("X")
    msg = message(lambda: net.predict(np.zeros((2, 5))))
    assert "(n, 3)" in msg and "(2, 5)" in msg


def test_wrong_y_shapes():
    net = Network([3, 4, 2])
    X = np.zeros((4, 3))
    assert message(lambda: net.loss_and_gradients(X, np.zeros(3, int))).startswith("y")
    assert message(lambda: net.loss_and_gradients(X, np.zeros((4, 2), int))).startswith("y")
    assert message(lambda: net.loss_and_gradients(X, np.zeros((4, 3)), loss="mse")
                   ).startswith("y")
    assert message(lambda: net.loss_and_gradients(X, np.zeros(4), loss="mse")).startswith("y")
    net1 = Network([3, 1])
    net1.loss_and_gradients(X, np.zeros(4), loss="mse")  # (n,) is fine for one output


@pytest.mark.parametrize("labels", [[0, 1, 2, 3], [0, -1, 1, 0]])
def test_class_labels_out_of_range(labels):
    net = Network([3, 4, 3])
    msg = message(lambda: net.loss_and_gradients(np.zeros((4, 3)), np.array(labels)))
    assert msg.startswith("y") and "0..2" in msg


def test_bce_labels_and_outputs():
    net = Network([3, 1])
    X = np.zeros((3, 3))
    assert "0..1" in message(lambda: net.loss_and_gradients(X, np.array([0, 2, 1]),
                                                            loss="bce"))
    assert message(lambda: net.loss_and_gradients(X, np.array([0.5, 1, 0]), loss="bce")
                   ).startswith("y")
    assert message(lambda: Network([3, 2]).loss_and_gradients(X, np.array([0, 1, 1]),
                                                             loss="bce")).startswith("loss")
    assert message(lambda: net.loss_and_gradients(X, np.array([0, 1, 1]),
                                                  loss="cross_entropy")).startswith("loss")


@pytest.mark.parametrize("lr", [-0.1, -1e-9])
def test_negative_learning_rates(lr):
    assert message(lambda: Optimizer("sgd", lr=lr)).startswith("lr")
    assert message(lambda: Schedule("constant", lr=lr)).startswith("lr")
    opt = Optimizer("adam", lr=0.1)

    def set_lr():
        opt.lr = lr

    assert message(set_lr).startswith("lr")
    assert opt.lr == 0.1


def test_other_hyperparameters_are_checked():
    assert message(lambda: Optimizer("momentum", momentum=1.0)).startswith("momentum")
    assert message(lambda: Optimizer("adam", beta1=-0.1)).startswith("beta1")
    assert message(lambda: Optimizer("adam", beta2=1.5)).startswith("beta2")
    assert message(lambda: Optimizer("adam", eps=0.0)).startswith("eps")
    assert message(lambda: Optimizer("rmsprop", rho=1.0)).startswith("rho")
    assert message(lambda: Optimizer("adamw", weight_decay=-1)).startswith("weight_decay")
    assert message(lambda: Optimizer("sgd", clip_norm=0.0)).startswith("clip_norm")
    assert message(lambda: Schedule("constant", warmup_epochs=-1)).startswith("warmup_epochs")
    net = Network([2, 2])
    X, y = np.zeros((2, 2)), np.array([0, 1])
    assert message(lambda: net.loss_and_gradients(X, y, label_smoothing=1.0)
                   ).startswith("label_smoothing")
    assert message(lambda: net.loss_and_gradients(X, y, l2=-1.0)).startswith("l1/l2")


def test_batch_norm_with_one_row():
    net = Network([2, 3, 2], batch_norm=True)
    msg = message(lambda: net.loss_and_gradients(np.zeros((1, 2)), np.array([0])))
    assert "batch" in msg and "1" in msg
    # evaluation mode with one row is fine
    net.loss_and_gradients(np.zeros((1, 2)), np.array([0]), training=False)
    net.predict(np.zeros((1, 2)))


def test_batch_bounds_rejects_batch_size_one_with_batch_norm():
    msg = message(lambda: batch_bounds(10, 1, batch_norm=True))
    assert msg.startswith("batch_size") and "batch norm" in msg
    batch_bounds(10, 1, batch_norm=False)  # fine without batch norm
    assert message(lambda: batch_bounds(10, 0, batch_norm=False)).startswith("batch_size")
    assert "2" in message(lambda: batch_bounds(1, 4, batch_norm=True))


def test_optimizer_step_checks_gradients():
    opt = Optimizer("sgd")
    p = {"W1": np.zeros((2, 2)), "b1": np.zeros(2)}
    assert message(lambda: opt.step(p, {"W1": np.zeros((2, 2))})).startswith("grads")
    net = Network([2, 2])
    assert message(lambda: opt.step(net, {"W1": np.zeros((2, 2))})).startswith("grads")
    assert message(lambda: opt.step(net, {"W1": np.zeros((2, 3)), "b1": np.zeros(2)})
                   ).startswith("grads")
