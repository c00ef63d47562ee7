"""Checks between keys (static: nothing loaded), and check_loss_for_data for loaded data."""

import pytest

from trainlab.presets import PresetError, check_loss_for_data, load_preset, validate_preset

FORMAT = {"format": "trainlab-preset"}


def preset(**sections):
    return {**FORMAT, **sections}


def problems(data):
    with pytest.raises(PresetError) as info:
        validate_preset(data, "my.json")
    return info.value.problems


# --- the loss against the data ------------------------------------------------------------


@pytest.mark.parametrize("source, classes", [("iris", 3), ("wine", 3), ("digits", 10)])
def test_bce_refuses_bundled_sets_with_more_than_two_classes(source, classes):
    [(path, message)] = problems(preset(data={"source": source}, loss={"name": "bce"}))
    assert path == "loss.name"
    assert message == f"'bce' needs exactly 2 classes, but '{source}' has {classes}; " \
        "use cross_entropy"


def test_bce_accepts_two_class_sources():
    for data in ({"source": "breast_cancer"}, {"source": "spirals", "classes": 2},
                 {"source": "moons"}, {"source": "circles"}, {"source": "xor"}):
        validate_preset(preset(data=data, loss={"name": "bce"}))


def test_bce_refuses_a_generator_with_three_classes():
    [(path, message)] = problems(
        preset(data={"source": "gaussians", "classes": 3}, loss={"name": "bce"})
    )
    assert path == "loss.name" and "needs exactly 2 classes" in message and "has 3" in message


@pytest.mark.parametrize("source", ["line", "sine", "plane", "diabetes"])
@pytest.mark.parametrize("loss", ["cross_entropy", "bce"])
def test_classification_losses_need_a_classification_source(source, loss):
    [(path, message)] = problems(preset(data={"source": source}, loss={"name": loss}))
    assert path == "loss.name"
    assert message.startswith(f"'{loss}' needs a classification data set, but '{source}' is "
                              "regression")
    assert "mse, mae, huber" in message


@pytest.mark.parametrize(
    "source", ["spirals", "moons", "circles", "xor", "gaussians", "iris", "wine",
               "breast_cancer", "digits"],
)
@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_regression_losses_need_a_regression_source(source, loss):
    [(path, message)] = problems(preset(data={"source": source}, loss={"name": loss}))
    assert path == "loss.name"
    assert message.startswith(f"'{loss}' needs a regression data set, but '{source}' is "
                              "classification")


@pytest.mark.parametrize("source", ["line", "sine", "plane", "diabetes"])
@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_regression_losses_fit_regression_sources(source, loss):
    validate_preset(preset(data={"source": source}, loss={"name": loss}))


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "bce", "cross_entropy"])
def test_a_csv_with_task_auto_is_not_judged_before_it_is_loaded(loss):
    validate_preset(preset(data={"source": "csv", "path": "data.csv"}, loss={"name": loss}))


def test_a_csv_with_an_explicit_task_is_judged_statically():
    [(path, message)] = problems(preset(
        data={"source": "csv", "path": "d.csv", "task": "regression"},
        loss={"name": "cross_entropy"},
    ))
    assert path == "loss.name" and "the CSV data is regression" in message
    [(path, message)] = problems(preset(
        data={"source": "csv", "path": "d.csv", "task": "classification"}, loss={"name": "mse"}
    ))
    assert path == "loss.name" and "the CSV data is classification" in message
    validate_preset(preset(data={"source": "csv", "path": "d.csv", "task": "classification"},
                           loss={"name": "bce"}))  # the class count is known only once loaded


# --- the data section ---------------------------------------------------------------------


def test_csv_needs_a_path():
    for data in ({"source": "csv"}, {"source": "csv", "path": ""}, {"source": "csv", "path": " "}):
        [(path, message)] = problems(preset(data=data))
        assert path == "data.path" and message.startswith("required when source is 'csv'")


@pytest.mark.parametrize("source", ["circles", "xor", "moons"])
def test_two_class_generators_refuse_other_class_counts(source):
    [(path, message)] = problems(preset(data={"source": source, "classes": 3}))
    assert path == "data.classes"
    assert message.startswith(f"'{source}' always makes 2 classes, got 3")


@pytest.mark.parametrize("source", ["spirals", "gaussians"])
def test_spirals_and_gaussians_make_any_number_of_classes(source):
    assert validate_preset(preset(data={"source": source, "classes": 5})).data.classes == 5


def test_classes_need_samples():
    [(path, message)] = problems(preset(data={"source": "gaussians", "classes": 10,
                                              "n_samples": 10}))
    assert path == "data.n_samples" and "at least 2 per class (20 for 10 classes)" in message


@pytest.mark.parametrize(
    "split", [{"train": 0.5}, {"train": 0.7, "val": 0.2, "test": 0.2},
              {"train": 1.0, "val": 0.1, "test": 0.0}],
)
def test_split_fractions_must_add_up_to_one(split):
    [(path, message)] = problems(preset(data={"split": split}))
    assert path == "data.split" and message.startswith("train + val + test must add up to 1")


def test_split_may_be_all_training_and_tolerates_rounding():
    validate_preset(preset(data={"split": {"train": 1, "val": 0, "test": 0}}))
    validate_preset(preset(data={"split": {"train": 0.6, "val": 0.3, "test": 0.1}}))
    validate_preset(preset(data={"split": {"train": 0.1, "val": 0.2, "test": 0.7}}))


def test_task_must_agree_with_a_known_source():
    [(path, message)] = problems(preset(data={"source": "spirals", "task": "regression"}))
    assert path == "data.task"
    assert message == "'spirals' is a classification data set, got task 'regression'; " \
        "use 'auto' or 'classification'"
    validate_preset(preset(data={"source": "spirals", "task": "classification"}))


# --- model, training, schedule ------------------------------------------------------------


def test_batch_norm_with_batch_size_one_is_refused_plainly():
    [(path, message)] = problems(
        preset(model={"batch_norm": True}, training={"batch_size": 1})
    )
    assert path == "model.batch_norm"
    assert "batch norm needs at least 2 rows per batch" in message
    assert "batch_size is 1" in message
    validate_preset(preset(model={"batch_norm": True}, training={"batch_size": 2}))
    validate_preset(preset(model={"batch_norm": False}, training={"batch_size": 1}))


def test_an_activation_list_needs_one_name_per_hidden_layer():
    [(path, message)] = problems(
        preset(model={"hidden": [8, 8, 8], "activation": ["relu", "tanh"]})
    )
    assert path == "model.activation"
    assert message.startswith("has 2 names but hidden has 3 layers")


@pytest.mark.parametrize("schedule", ["cosine", "plateau"])
def test_min_lr_may_not_exceed_lr(schedule):
    [(path, message)] = problems(
        preset(optimizer={"lr": 0.01}, schedule={"name": schedule, "min_lr": 0.1})
    )
    assert path == "schedule.min_lr" and "optimizer.lr" in message
    validate_preset(preset(optimizer={"lr": 0.01}, schedule={"name": "step", "min_lr": 0.1}))


def test_problems_between_keys_are_all_reported():
    found = problems(preset(
        data={"source": "xor", "classes": 3, "split": {"train": 0.5}},
        model={"batch_norm": True, "hidden": [4], "activation": ["relu", "relu"]},
        training={"batch_size": 1},
    ))
    assert [path for path, _ in found] == [
        "data.split", "data.classes", "model.activation", "model.batch_norm",
    ]


# --- after the data is loaded -------------------------------------------------------------


def csv_preset(loss):
    return validate_preset(preset(data={"source": "csv", "path": "d.csv"}, loss={"name": loss}))


def test_check_loss_for_data_accepts_what_fits():
    check_loss_for_data(csv_preset("cross_entropy"), "classification", 5)
    check_loss_for_data(csv_preset("bce"), "classification", 2)
    check_loss_for_data(csv_preset("mse"), "regression", 0)
    check_loss_for_data(csv_preset("huber"), "regression", 0)


@pytest.mark.parametrize(
    "loss, task, n_classes, words",
    [
        ("bce", "classification", 3, "'bce' needs exactly 2 classes, but the CSV data has 3"),
        ("mse", "classification", 2, "'mse' needs a regression data set"),
        ("cross_entropy", "regression", 0, "'cross_entropy' needs a classification data set"),
        ("bce", "regression", 0, "'bce' needs a classification data set"),
        ("cross_entropy", "classification", 1, "needs at least 2 classes"),
    ],
)
def test_check_loss_for_data_refuses_what_does_not(loss, task, n_classes, words):
    with pytest.raises(PresetError) as info:
        check_loss_for_data(csv_preset(loss), task, n_classes)
    [(path, message)] = info.value.problems
    assert path == "loss.name" and words in message
    assert str(info.value).startswith("preset: loss.name: ")


def test_check_loss_for_data_names_the_file(tmp_path):
    file = tmp_path / "mine.json"
    file.write_text('{"format": "trainlab-preset", "loss": {"name": "bce"},'
                    ' "data": {"source": "csv", "path": "d.csv"}}', encoding="utf-8")
    with pytest.raises(PresetError) as info:
        check_loss_for_data(load_preset(file), "classification", 4)
    assert str(info.value).startswith(f"{file}: loss.name: 'bce' needs exactly 2 classes")


def test_check_loss_for_data_wants_a_known_task():
    with pytest.raises(ValueError, match="task must be"):
        check_loss_for_data(csv_preset("mse"), "clustering", 0)
