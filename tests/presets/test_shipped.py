"""The presets shipped in resources/presets/: all valid, quick, and saying what to look at."""

import math

import pytest

from trainlab.paths import presets_dir
from trainlab.presets import load_preset, save_preset, shipped_presets

SHIPPED = shipped_presets()
REQUIRED = {
    "spirals", "xor", "circles", "line_fit", "sine", "iris", "digits",
    "lr_too_big", "vanishing_gradients", "overfitting_early_stopping",
}
# Rows and input features of the bundled sets, for the time budget below.
BUNDLED_SHAPE = {"iris": (150, 4), "wine": (178, 13), "breast_cancer": (569, 30),
                 "digits": (1797, 64), "diabetes": (442, 10)}


def test_the_required_presets_are_shipped():
    assert REQUIRED <= {file.stem for _, file in SHIPPED}


def test_listed_by_file_name_with_their_display_names():
    files = [file for _, file in SHIPPED]
    assert files == sorted(presets_dir().glob("*.json"), key=lambda f: f.name)
    for name, file in SHIPPED:
        assert name == load_preset(file).name


@pytest.mark.parametrize("name, file", SHIPPED, ids=[file.stem for _, file in SHIPPED])
def test_every_shipped_preset_loads_and_explains_itself(name, file):
    preset = load_preset(file)
    assert preset.path == file
    assert name[:1].isupper() and "_" not in name  # a human-readable name
    assert len(preset.description) >= 80  # says what to look at


@pytest.mark.parametrize("file", [f for _, f in SHIPPED], ids=[f.stem for _, f in SHIPPED])
def test_shipped_files_are_stored_fully_resolved(file, tmp_path):
    """Exactly what save_preset writes: every key explicit, so a reader sees every knob."""
    again = tmp_path / file.name
    save_preset(load_preset(file), again)
    assert file.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")


@pytest.mark.parametrize("file", [f for _, f in SHIPPED], ids=[f.stem for _, f in SHIPPED])
def test_every_shipped_preset_trains_in_seconds(file):
    p = load_preset(file)
    rows, inputs = BUNDLED_SHAPE.get(p.data.source, (p.data.n_samples, None))
    if inputs is None:
        inputs = 1 if p.data.source in ("line", "sine") else 2
    outputs = p.data.classes if p.loss.name == "cross_entropy" else 1
    if p.data.source in BUNDLED_SHAPE and p.loss.name == "cross_entropy":
        outputs = {"iris": 3, "wine": 3, "breast_cancer": 2, "digits": 10}[p.data.source]
    sizes = [inputs, *p.model.hidden, outputs]
    weights = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
    train_rows = math.ceil(rows * p.data.split.train)
    work = p.training.epochs * train_rows * weights  # multiply-adds of the forward passes
    assert work < 1e9, f"{file.name}: about {work:.1e} multiply-adds per run"


def by_stem(stem):
    return load_preset(presets_dir() / f"{stem}.json")


def test_the_classroom_demos_are_set_up_to_show_their_point():
    line = by_stem("line_fit")
    assert line.model.hidden == [] and line.loss.name == "mse" and line.optimizer.name == "sgd"

    too_big = by_stem("lr_too_big")  # MSE, standardized input: GD is stable only for lr < 1
    assert too_big.optimizer.name == "sgd" and too_big.optimizer.lr > 1
    assert too_big.model.hidden == [] and too_big.data.scaling == "standardize"

    vanishing = by_stem("vanishing_gradients")
    assert vanishing.model.activation == "sigmoid" and len(vanishing.model.hidden) >= 6
    assert not vanishing.model.batch_norm

    overfit = by_stem("overfitting_early_stopping")
    assert overfit.training.early_stopping.enabled
    assert overfit.data.n_samples * overfit.data.split.train < 100
    assert min(overfit.model.hidden) >= 64

    assert by_stem("spirals").data.source == "spirals"
    assert by_stem("spirals").model.hidden == [16, 16]
    assert by_stem("spirals").optimizer.name == "adam"
