"""The shipped presets about feature inputs and unit health show what their descriptions say
(trained for a few epochs)."""

import numpy as np

import trainlab
from trainlab.presets import load_preset, preset_to_dict


def _run(stem, epochs=None, **changes):
    path = f"resources/presets/{stem}.json"
    if not changes:
        return trainlab.train(path, write_files=False, epochs=epochs)
    data = preset_to_dict(load_preset(path))
    for key, value in changes.items():
        section, name = key.split("__")
        data[section] = dict(data[section], **{name: value})
    return trainlab.train(data, write_files=False, epochs=epochs)


def test_a_linear_model_separates_the_circles_on_squared_inputs_only():
    with_squares = _run("circles_squared_features", epochs=30)
    raw = _run("circles_squared_features", epochs=30, data__features=None)
    assert with_squares.history["val_acc"][-1] > 0.95
    assert raw.history["val_acc"][-1] < 0.75


def test_higher_polynomial_degrees_fit_the_training_points_closer_with_larger_weights():
    runs = [_run(f"polynomial_fit_degree_{n}", epochs=1500) for n in (1, 3, 9)]
    loss = [r.history["train_loss"][-1] for r in runs]
    norm = [r.history["w_norm_1"][-1] for r in runs]
    assert loss[0] > loss[1] > loss[2]
    assert norm[0] < norm[1] < norm[2]
    assert [r.params_final["W1"].shape[0] for r in runs] == [1, 3, 9]


def test_a_large_learning_rate_kills_relu_units():
    h = _run("dying_relu", epochs=8).history
    assert h["dead_1"][0] == 0.0 and h["dead_1"][-1] >= 0.25


def test_a_large_init_scale_saturates_the_sigmoid_units():
    assert _run("saturated_sigmoid", epochs=3).history["saturated_1"][0] > 0.5
    assert _run("saturated_sigmoid", epochs=3, model__init="auto").history[
        "saturated_1"][0] < 0.05


def test_l1_zeroes_more_weights_than_l2():
    l1 = _run("sparsity_l1", epochs=100).history["zero_w_1"][-1]
    l2 = _run("sparsity_l2", epochs=100).history["zero_w_1"][-1]
    assert l1 > 0.5 and l2 < 0.1


def test_the_weights_below_a_binary_step_layer_never_move():
    r = _run("binary_step", epochs=10)
    for name in ("W1", "b1"):
        np.testing.assert_array_equal(r.params_final[name], r.params_initial[name])
    assert not np.array_equal(r.params_final["W2"], r.params_initial["W2"])
    assert (r.history["g_norm_1"][1:] == 0).all()
