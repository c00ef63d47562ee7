"""validate_preset: defaults, resolved dicts, number rules, optimizer-dependent defaults."""

import copy

import pydantic
import pytest

from trainlab.presets import (
    Preset,
    PresetError,
    default_preset,
    preset_to_dict,
    validate_preset,
)

FORMAT = {"format": "trainlab-preset"}

# The contract from the issue, plus the keys added since (data.task, data.kfold,
# model.init_scale, model.dropout_mode, schedule.per) with their documented defaults.
CONTRACT = {
    "format": "trainlab-preset", "version": 1, "name": "Two spirals, Adam", "description": "",
    "seed": 0,
    "data": {"source": "spirals", "n_samples": 600, "noise": 0.1, "classes": 2,
             "path": None, "target": None,
             "split": {"train": 0.7, "val": 0.15, "test": 0.15}, "scaling": "standardize",
             "task": "auto", "kfold": None, "seed": None, "features": None},
    "model": {"hidden": [16, 16], "activation": "tanh", "init": "auto", "batch_norm": False,
              "dropout": 0.0, "dropout_mode": "inverted", "maxout_pieces": 2,
              "init_scale": 0.1},
    "loss": {"name": "cross_entropy", "label_smoothing": 0.0},
    "optimizer": {"name": "adam", "lr": 0.01, "momentum": 0.9, "nesterov": False, "beta1": 0.9,
                  "beta2": 0.999, "eps": 1e-8, "rho": 0.99, "weight_decay": 0.01},
    "schedule": {"name": "constant", "per": "epoch", "warmup_epochs": 0, "gamma": 0.5,
                 "step_size": 10, "decay": 0.1, "power": 1.0, "T": 100, "min_lr": 0.0,
                 "factor": 0.5, "patience": 5, "cooldown": 0},
    "regularization": {"l1": 0.0, "l2": 0.0, "clip_norm": None},
    "training": {"epochs": 100, "batch_size": 32, "shuffle": True, "dtype": "float64",
                 "record_batch_loss": True,
                 "early_stopping": {"enabled": False, "patience": 10, "min_delta": 0.0,
                                    "restore_best": True}},
    "changes": [],
}


def test_three_line_preset_gets_every_documented_default():
    preset = validate_preset({"format": "trainlab-preset", "version": 1,
                              "name": "Two spirals, Adam"})
    assert preset_to_dict(preset) == CONTRACT


def test_only_format_is_required():
    d = preset_to_dict(validate_preset(dict(FORMAT)))
    assert d["name"] == "Untitled"
    assert d["version"] == 1
    assert {k: v for k, v in d.items() if k != "name"} == {
        k: v for k, v in CONTRACT.items() if k != "name"
    }


def test_a_section_may_give_only_what_differs():
    preset = validate_preset({**FORMAT, "optimizer": {"name": "sgd"}})
    assert preset.optimizer.name == "sgd"
    assert preset.optimizer.lr == 0.01
    assert preset.model.hidden == [16, 16]
    assert preset.training.early_stopping.patience == 10
    assert preset.data.split.train == 0.7


def test_resolved_dict_keeps_the_contract_key_order():
    d = preset_to_dict(default_preset())
    assert list(d) == list(CONTRACT)

    def contract_order_kept(resolved, contract):
        order = [key for key in resolved if key in contract]
        assert order == list(contract)
        for key, value in contract.items():
            if isinstance(value, dict):
                contract_order_kept(resolved[key], value)

    contract_order_kept(d, CONTRACT)


def test_resolved_dict_is_plain_json_data():
    d = preset_to_dict(default_preset())
    d2 = copy.deepcopy(d)
    assert d == d2 and type(d["model"]["hidden"]) is list
    assert "path" not in d


def test_ints_are_accepted_where_floats_are_expected():
    preset = validate_preset({**FORMAT, "optimizer": {"lr": 1}, "data": {"noise": 0}})
    assert preset.optimizer.lr == 1.0 and isinstance(preset.optimizer.lr, float)
    assert isinstance(preset_to_dict(preset)["optimizer"]["lr"], float)


@pytest.mark.parametrize("value", [True, "0.1", None, [0.1], {"v": 0.1}])
def test_bools_strings_and_others_are_not_numbers(value):
    with pytest.raises(PresetError) as info:
        validate_preset({**FORMAT, "optimizer": {"lr": value}})
    assert info.value.problems[0][0] == "optimizer.lr"
    assert "must be a number" in info.value.problems[0][1]


@pytest.mark.parametrize("value", [100.0, 100.5, True, "100"])
def test_whole_numbers_must_be_integers(value):
    with pytest.raises(PresetError, match=r"training\.epochs: must be a whole number"):
        validate_preset({**FORMAT, "training": {"epochs": value}})


@pytest.mark.parametrize(
    "optimizer, momentum, eps",
    [
        ("momentum", 0.9, 1e-8),
        ("rmsprop", 0.0, 1e-8),
        ("adagrad", 0.9, 1e-10),
        ("adam", 0.9, 1e-8),
        ("sgd", 0.9, 1e-8),
        ("adamw", 0.9, 1e-8),
        ("lamb", 0.9, 1e-8),
    ],
)
def test_absent_momentum_and_eps_resolve_per_optimizer(optimizer, momentum, eps):
    preset = validate_preset({**FORMAT, "optimizer": {"name": optimizer}})
    assert preset.optimizer.momentum == momentum
    assert preset.optimizer.eps == eps
    stored = preset_to_dict(preset)["optimizer"]
    assert stored["momentum"] == momentum and stored["eps"] == eps


def test_given_momentum_and_eps_are_kept():
    preset = validate_preset(
        {**FORMAT, "optimizer": {"name": "rmsprop", "momentum": 0.5, "eps": 1e-6}}
    )
    assert (preset.optimizer.momentum, preset.optimizer.eps) == (0.5, 1e-6)
    preset = validate_preset({**FORMAT, "optimizer": {"name": "adagrad", "eps": 1e-8}})
    assert preset.optimizer.eps == 1e-8


def test_resolved_defaults_survive_a_round_trip():
    preset = validate_preset({**FORMAT, "optimizer": {"name": "rmsprop"}})
    again = validate_preset(preset_to_dict(preset))
    assert again == preset and again.optimizer.momentum == 0.0


def test_activation_may_be_one_name_per_hidden_layer():
    preset = validate_preset(
        {**FORMAT, "model": {"hidden": [8, 4, 2], "activation": ["relu", "tanh", "gelu"]}}
    )
    assert preset.model.activation == ["relu", "tanh", "gelu"]


def test_no_hidden_layer_is_allowed():
    preset = validate_preset({**FORMAT, "model": {"hidden": []}})
    assert preset.model.hidden == []


def test_default_preset_is_two_spirals_tanh_adam():
    preset = default_preset()
    assert preset.data.source == "spirals" and preset.data.classes == 2
    assert preset.model.hidden == [16, 16] and preset.model.activation == "tanh"
    assert preset.optimizer.name == "adam" and preset.optimizer.lr == 0.01
    assert preset.loss.name == "cross_entropy"
    assert preset.training.epochs == 300  # enough to separate the spirals
    assert preset.name and preset.description
    assert preset.path is None


def test_presets_are_immutable_and_change_through_their_dict():
    preset = default_preset()
    with pytest.raises(pydantic.ValidationError):
        preset.optimizer.lr = 0.5  # type: ignore[misc]
    d = preset_to_dict(preset)
    d["optimizer"]["lr"] = 0.5
    assert validate_preset(d).optimizer.lr == 0.5
    assert preset.optimizer.lr == 0.01


def test_a_preset_is_checked_again_and_keeps_its_path(tmp_path):
    preset = default_preset()
    preset._path = tmp_path / "x.json"
    again = validate_preset(preset)
    assert again == preset and again.path == tmp_path / "x.json"
    preset.model.hidden.append(0)  # lists inside can still be changed in place ...
    with pytest.raises(PresetError, match=r"model\.hidden\[2\]"):  # ... so check again
        validate_preset(preset)


def test_equality_ignores_where_a_preset_came_from(tmp_path):
    a, b = default_preset(), default_preset()
    b._path = tmp_path / "b.json"
    assert a == b
    assert a != validate_preset({**FORMAT, "seed": 1})
    assert isinstance(a, Preset)

