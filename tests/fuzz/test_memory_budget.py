"""The memory estimate of a run and its limit (trainlab.runs.budget)."""

from __future__ import annotations

import tracemalloc

import pytest

from trainlab.presets import PresetError, validate_preset
from trainlab.runs import budget

BASE = {"format": "trainlab-preset", "data": {"source": "spirals", "n_samples": 600}}


def preset(**sections):
    return validate_preset({**BASE, **sections})


def test_the_parameters_part_counts_every_weight_and_its_copies():
    p = preset(model={"hidden": [100, 50]}, optimizer={"name": "sgd"})
    weights = 2 * 100 + 100 + 100 * 50 + 50 + 50 * 2 + 2  # spirals: 2 inputs, 2 classes
    assert budget.estimate(p).parameters == 8 * weights * budget.PARAMETER_COPIES
    adam = preset(model={"hidden": [100, 50]}, optimizer={"name": "adam"})
    assert budget.estimate(adam).parameters - budget.estimate(p).parameters == 8 * weights * 2


def test_float32_halves_the_parameters_and_the_workspaces():
    wide = {"hidden": [256, 256]}
    f64 = budget.estimate(preset(model=wide))
    f32 = budget.estimate(preset(model=wide, training={"dtype": "float32"}))
    assert f32.parameters * 2 == f64.parameters
    assert f32.activations < f64.activations


def test_the_estimate_is_near_what_a_run_allocates(tmp_path):
    # a net whose own arrays dwarf the interpreter's: tracemalloc sees NumPy's allocations
    from trainlab.engine import warmup
    from trainlab.runs.loop import train

    warmup()
    settings = {**BASE, "data": {"source": "spirals", "n_samples": 1000},
                "model": {"hidden": [700, 700]}, "training": {"epochs": 2, "batch_size": 64}}
    need = budget.estimate_bytes(validate_preset(settings))
    tracemalloc.start()
    try:
        train(settings, write_files=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 0.6 < need / peak < 1.6, (need, peak)


def test_a_huge_net_is_refused_at_model_hidden_without_allocating_it():
    tracemalloc.start()
    try:
        with pytest.raises(PresetError) as info:
            preset(model={"hidden": [10_000] * 100})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50e6
    [(key, message)] = info.value.problems
    assert key == "model.hidden" and "memory" in message and "GB" in message


@pytest.mark.parametrize(("setting", "expected"), [
    ("123", 123), ("2k", 2000), ("512M", 512e6), ("8G", 8e9), ("1.5g", 1.5e9), ("8GB", 8e9),
    ("8GiB", 8e9),
])
def test_the_limit_setting_reads_sizes(setting, expected, monkeypatch):
    monkeypatch.setenv(budget.LIMIT_VARIABLE, setting)
    assert budget.memory_limit()[0] == int(expected)


def test_a_share_of_the_machine_and_the_default(monkeypatch):
    monkeypatch.setattr(budget, "machine_memory", lambda: 16_000)
    monkeypatch.setenv(budget.LIMIT_VARIABLE, "75%")
    assert budget.memory_limit()[0] == 12_000
    monkeypatch.delenv(budget.LIMIT_VARIABLE)
    assert budget.memory_limit()[0] == 8_000


def test_the_limit_decides_and_a_bad_setting_is_one_clear_line(monkeypatch):
    need = budget.estimate_bytes(preset())
    monkeypatch.setenv(budget.LIMIT_VARIABLE, str(need))
    preset()  # exactly at the limit: accepted
    monkeypatch.setenv(budget.LIMIT_VARIABLE, str(need - 1))
    with pytest.raises(PresetError, match="more than the limit"):
        preset()
    monkeypatch.setenv(budget.LIMIT_VARIABLE, "lots")
    with pytest.raises(PresetError, match="TRAINLAB_MAX_MEMORY: 'lots' is not an amount"):
        preset()


def test_a_csv_preset_is_estimated_from_the_file(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a,b,c,y\n" + "1.25,2.5,3.75,x\n" * 1000)
    file = tmp_path / "p.json"
    file.write_text('{"format": "trainlab-preset", "data": {"source": "csv", "path": "t.csv"}}')
    from trainlab.presets import load_preset

    p = load_preset(file)
    rows, features = budget._csv_shape(p)
    assert features == 3 and 1000 <= rows <= 3000  # an upper bound of the 1000 rows, not far
