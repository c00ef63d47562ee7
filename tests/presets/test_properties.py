"""Whatever a file or a form holds, checking it gives a Preset or a PresetError, never a crash."""

import copy
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainlab.presets import (
    Preset,
    PresetError,
    load_preset,
    preset_to_dict,
    shipped_presets,
    validate_preset,
)

VALID = [preset_to_dict(load_preset(file)) for _, file in shipped_presets()]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["sgd", "relu", "tanh", "csv", "bce", "mse", "iris", "cosine", "float32",
                       "trainlab-preset", "zeros", "maxout", "plateau", "auto"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)


def check(data):
    """The property: a Preset that survives its own round trip, or a PresetError with lines."""
    try:
        preset = validate_preset(data, "prop.json")
    except PresetError as error:
        assert error.problems
        assert all(isinstance(p, str) and isinstance(m, str) and m for p, m in error.problems)
        assert len(str(error).splitlines()) >= len(error.problems)
        return None
    assert isinstance(preset, Preset)
    resolved = preset_to_dict(preset)
    json.dumps(resolved, allow_nan=False)  # JSON-ready
    assert validate_preset(resolved) == preset
    return preset


def key_paths(d, prefix=()):
    for key, value in d.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from key_paths(value, (*prefix, key))


ALL_PATHS = sorted({path for d in VALID for path in key_paths(d)})
KEYS = st.sampled_from(sorted({path[-1] for path in ALL_PATHS})) | st.text(max_size=8)


@st.composite
def perturbed_presets(draw):
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        node = data
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                break
            node = node[key]
        else:
            action = draw(st.sampled_from(["replace", "delete", "add", "nudge"]))
            key = path[-1]
            if action == "replace":
                node[key] = draw(json_values)
            elif action == "delete":
                node.pop(key, None)
            elif action == "add":
                node[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
            elif isinstance(node.get(key), int | float) and not isinstance(node.get(key), bool):
                node[key] = node[key] * draw(st.sampled_from([-1, 0, 0.5, 2, 10, 1e6]))
    return data


@settings(max_examples=200, deadline=None)
@given(perturbed_presets())
def test_perturbed_presets_validate_or_raise_preset_error(data):
    check(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["format", "version", "name", "seed", "data", "model",
                                        "loss", "optimizer", "schedule", "regularization",
                                        "training", "extra"]), json_values, max_size=6))
def test_random_dicts_validate_or_raise_preset_error(data):
    check(data)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_value_validates_or_raises_preset_error(data):
    check(data)


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({"format": st.just("trainlab-preset")},
                             optional={section: st.dictionaries(KEYS, scalars, max_size=4)
                                       for section in ("data", "model", "loss", "optimizer",
                                                       "schedule", "training")}))
def test_random_sections_validate_or_raise_preset_error(data):
    check(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200) | perturbed_presets().map(lambda d: json.dumps(d).encode()))
def test_any_file_loads_or_raises_preset_error(raw):
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "p.json"
        file.write_bytes(raw)
        try:
            preset = load_preset(file)
        except PresetError as error:
            assert error.problems and str(error).startswith(str(file))
        else:
            assert preset.path == file
