"""Every kind of problem becomes one line: `file: key.path: what is wrong and what is allowed`."""

import pickle

import pytest

from trainlab.engine.names import ACTIVATIONS
from trainlab.presets import PresetError, validate_preset

FORMAT = {"format": "trainlab-preset"}


def problems_of(data, source="my.json"):
    with pytest.raises(PresetError) as info:
        validate_preset(data, source)
    return info.value


@pytest.mark.parametrize(
    "data, line",
    [
        ({"optimizer": {"lr": -0.1}}, "my.json: optimizer.lr: must be > 0, got -0.1"),
        ({"optimizer": {"lr": 0}}, "my.json: optimizer.lr: must be > 0, got 0"),
        ({"training": {"epocs": 5}},
         "my.json: training.epocs: unknown key; did you mean 'epochs'?"),
        ({"optimiser": {}}, "my.json: optimiser: unknown key; did you mean 'optimizer'?"),
        ({"training": {"lr": 0.1}},
         "my.json: training.lr: unknown key here; 'lr' belongs in optimizer"),
        ({"model": {"dropout": 1}}, "my.json: model.dropout: must be in [0, 1), got 1"),
        ({"model": {"hidden": [16, 0]}},
         "my.json: model.hidden[1]: must be in [1, 10000], got 0"),
        ({"training": {"batch_size": 0}}, "my.json: training.batch_size: must be in [1, "),
        ({"training": {"epochs": 10**7}}, "my.json: training.epochs: must be in [1, 1000000]"),
        ({"data": {"split": {"train": 0}}}, "my.json: data.split.train: must be in (0, 1], got 0"),
        ({"data": {"noise": -1}}, "my.json: data.noise: must be >= 0, got -1"),
        ({"data": {"n_samples": 3}}, "my.json: data.n_samples: must be in [4, 1000000], got 3"),
        ({"data": {"classes": 1}}, "my.json: data.classes: must be in [2, 100], got 1"),
        ({"data": {"kfold": 1}}, "my.json: data.kfold: must be in [2, 100], got 1"),
        ({"model": {"maxout_pieces": 1}}, "my.json: model.maxout_pieces: must be in [2, 16]"),
        ({"model": {"init_scale": 0}}, "my.json: model.init_scale: must be > 0, got 0"),
        ({"loss": {"label_smoothing": 1.0}},
         "my.json: loss.label_smoothing: must be in [0, 1), got 1.0"),
        ({"optimizer": {"momentum": 1}}, "my.json: optimizer.momentum: must be in [0, 1), got 1"),
        ({"optimizer": {"beta2": -0.5}}, "my.json: optimizer.beta2: must be in [0, 1), got -0.5"),
        ({"optimizer": {"eps": 0}}, "my.json: optimizer.eps: must be > 0, got 0"),
        ({"optimizer": {"rho": 1.5}}, "my.json: optimizer.rho: must be in [0, 1), got 1.5"),
        ({"optimizer": {"weight_decay": -1}}, "my.json: optimizer.weight_decay: must be >= 0"),
        ({"regularization": {"l1": -1e-3}}, "my.json: regularization.l1: must be >= 0"),
        ({"regularization": {"clip_norm": 0}},
         "my.json: regularization.clip_norm: must be > 0, got 0"),
        ({"schedule": {"gamma": 0}}, "my.json: schedule.gamma: must be in (0, 1], got 0"),
        ({"schedule": {"gamma": 1.5}}, "my.json: schedule.gamma: must be in (0, 1], got 1.5"),
        ({"schedule": {"step_size": 0}}, "my.json: schedule.step_size: must be in [1, "),
        ({"schedule": {"T": 0}}, "my.json: schedule.T: must be in [1, "),
        ({"schedule": {"factor": 1}}, "my.json: schedule.factor: must be in (0, 1), got 1"),
        ({"schedule": {"patience": -1}}, "my.json: schedule.patience: must be in [0, "),
        ({"schedule": {"power": 0}}, "my.json: schedule.power: must be > 0, got 0"),
        ({"schedule": {"decay": -0.1}}, "my.json: schedule.decay: must be >= 0, got -0.1"),
        ({"schedule": {"warmup_epochs": -1}}, "my.json: schedule.warmup_epochs: must be in [0, "),
        ({"training": {"early_stopping": {"patience": 0}}},
         "my.json: training.early_stopping.patience: must be in [1, "),
        ({"training": {"early_stopping": {"enabled": 1}}},
         "my.json: training.early_stopping.enabled: must be true or false, got 1"),
        ({"training": {"shuffle": "yes"}},
         "my.json: training.shuffle: must be true or false, got 'yes'"),
        ({"optimizer": {"lr": float("nan")}},
         "my.json: optimizer.lr: must be a finite number, got NaN"),
        ({"optimizer": {"lr": float("inf")}},
         "my.json: optimizer.lr: must be a finite number, got Infinity"),
        ({"optimizer": {"lr": "0.1"}}, "my.json: optimizer.lr: must be a number, got '0.1'"),
        ({"seed": True}, "my.json: seed: must be a whole number, got true"),
        ({"seed": -1}, "my.json: seed: must be in [0, "),
        ({"name": ""}, "my.json: name: must not be empty"),
        ({"name": 5}, "my.json: name: must be text (a JSON string), got 5"),
        ({"model": 5}, "my.json: model: must be an object { ... }, got 5"),
        ({"model": {"hidden": 16}}, "my.json: model.hidden: must be a list [ ... ], got 16"),
        ({"model": {"hidden": [1] * 101}}, "my.json: model.hidden: must have at most 100 items"),
        ({"data": {"target": 3}},
         "my.json: data.target: must be a column name (text) or null for the last column, got 3"),
        ({"version": 0}, "my.json: version: must be 1, got 0"),
        ({"version": "1"}, "my.json: version: must be 1, got '1'"),
        ({"name": "\ud800"}, "my.json: name: contains a character that cannot be stored"),
    ],
)
def test_one_problem_one_line(data, line):
    error = problems_of({**FORMAT, **data})
    assert len(error.problems) == 1, str(error)
    assert str(error).startswith(line)


def test_a_bad_name_lists_what_is_allowed_and_the_nearest_one():
    error = problems_of({**FORMAT, "model": {"activation": "relux"}})
    assert str(error) == (
        "my.json: model.activation: 'relux' is not one of "
        + ", ".join(ACTIVATIONS)
        + "; did you mean 'relu'?"
    )
    assert error.problems == [("model.activation", str(error).split(": ", 2)[2])]


@pytest.mark.parametrize(
    "section, key, value, allowed, nearest",
    [
        ("optimizer", "name", "adma", "sgd, momentum, adagrad", "adam"),
        ("loss", "name", "crossentropy", "mse, mae, huber, bce, cross_entropy", "cross_entropy"),
        ("schedule", "name", "cosin", "constant, step", "cosine"),
        ("model", "init", "he_norml", "auto, xavier_uniform", "he_normal"),
        ("data", "source", "spiral", "spirals, moons", "spirals"),
        ("data", "scaling", "standardise", "standardize, minmax, none", "standardize"),
        ("data", "task", "regresion", "auto, classification, regression", "regression"),
        ("training", "dtype", "float16", "float64, float32", "float64"),
    ],
)
def test_every_name_key_says_the_choices(section, key, value, allowed, nearest):
    error = problems_of({**FORMAT, section: {key: value}})
    message = str(error)
    assert message.startswith(f"my.json: {section}.{key}: '{value}' is not one of {allowed}")
    assert message.endswith(f"; did you mean '{nearest}'?")


def test_no_did_you_mean_when_nothing_is_close():
    error = problems_of({**FORMAT, "optimizer": {"name": "zzzzzz"}})
    assert "did you mean" not in str(error)
    assert str(error).endswith("lamb")
    error = problems_of({**FORMAT, "training": {"zzzzzz": 1}})
    assert ("allowed keys here: epochs, batch_size, shuffle, dtype, record_batch_loss, "
            "early_stopping") in str(error)


def test_a_bad_name_in_an_activation_list_is_located():
    error = problems_of({**FORMAT, "model": {"activation": ["tanh", "sigmoyd"]}})
    assert str(error).startswith("my.json: model.activation[1]: 'sigmoyd' is not one of")
    assert str(error).endswith("did you mean 'sigmoid'?")


def test_several_problems_one_line_each_in_key_order():
    error = problems_of({
        **FORMAT,
        "model": {"activation": "relux", "dropout": -0.5},
        "optimizer": {"lr": -0.1},
        "training": {"epocs": 5},
    })
    lines = str(error).splitlines()
    assert len(lines) == len(error.problems) == 4
    assert all(line.startswith("my.json: ") for line in lines)
    assert [path for path, _ in error.problems] == [
        "model.activation", "model.dropout", "optimizer.lr", "training.epocs",
    ]


def test_future_version_is_refused_plainly():
    error = problems_of({**FORMAT, "version": 2, "brand_new_section": {}})
    assert error.problems == [(
        "version",
        "this preset was written by a newer TrainLab (preset version 2); "
        "this TrainLab reads version 1",
    )]
    assert "my.json" in str(error)


def test_a_foreign_json_object_is_not_a_preset():
    error = problems_of({"format": "other-app", "a": 1, "b": 2})
    assert error.problems == [
        ("format", "must be 'trainlab-preset', got 'other-app'; this is not a TrainLab preset")
    ]
    error = problems_of({"optimizer": {"name": "sgd"}})
    assert error.problems[0][0] == "format" and "missing" in error.problems[0][1]


@pytest.mark.parametrize("data, kind", [([1, 2], "a list"), ("x", "text"), (None, "null"),
                                        (3, "a number")])
def test_not_an_object(data, kind):
    error = problems_of(data)
    assert str(error) == f"my.json: a preset must be a JSON object {{ ... }}, got {kind}"
    assert error.problems == [("", f"a preset must be a JSON object {{ ... }}, got {kind}")]


def test_source_defaults_to_preset():
    with pytest.raises(PresetError, match=r"^preset: optimizer\.lr: "):
        validate_preset({**FORMAT, "optimizer": {"lr": -1}})


def test_preset_error_is_a_value_error_and_pickles():
    error = problems_of({**FORMAT, "optimizer": {"lr": -1}})
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)


def test_non_string_keys_are_reported_not_crashed_on():
    error = problems_of({**FORMAT, 1: 2})
    assert str(error) == "my.json: 1: keys should be strings, got 1"


def test_long_values_are_shortened_in_messages():
    error = problems_of({**FORMAT, "optimizer": {"name": "x" * 5000}})
    assert len(str(error)) < 300


def test_huge_integers_are_reported_without_printing_them():
    error = problems_of({**FORMAT, "seed": 10**5000, "optimizer": {"lr": -(10**5000)}})
    assert error.problems == [
        ("seed", "must be in [0, 9223372036854775807], got an integer of about 5001 digits"),
        ("optimizer.lr", "must be a number, got an integer of about 5001 digits"),
    ]
