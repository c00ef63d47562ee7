"""``data.features`` through the data layer's one path (load_dataset → make_splits) and the
preset checks."""

import numpy as np
import pytest

from trainlab.data import DataError, load_dataset, make_splits
from trainlab.presets import PresetError, validate_preset


def test_features_are_their_formulas_of_the_raw_inputs_in_the_order_given():
    raw = load_dataset({"source": "moons"}, seed=3)
    names = ["sin(x2)", "x1*x2", "x1^2", "x2"]
    ds = load_dataset({"source": "moons", "features": names}, seed=3)
    x1, x2 = raw.X[:, 0], raw.X[:, 1]
    np.testing.assert_array_equal(ds.X, np.column_stack([np.sin(x2), x1 * x2, x1 * x1, x2]))
    assert ds.feature_names == names and ds.raw_names == ["x1", "x2"]
    np.testing.assert_array_equal(ds.raw_X, raw.X)
    np.testing.assert_array_equal(ds.y, raw.y)


def test_polynomial_of_a_one_input_source():
    raw = load_dataset({"source": "sine", "n_samples": 30}, seed=1)
    ds = load_dataset({"source": "sine", "n_samples": 30, "features": {"polynomial": 4}}, seed=1)
    x = raw.X[:, 0]
    np.testing.assert_allclose(ds.X, np.column_stack([x, x**2, x**3, x**4]), rtol=1e-15)
    assert ds.feature_names == ["x", "x^2", "x^3", "x^4"]


def test_no_features_leaves_the_data_as_it_was():
    a = load_dataset({"source": "circles"}, seed=0)
    b = load_dataset({"source": "circles", "features": None}, seed=0)
    np.testing.assert_array_equal(a.X, b.X)
    assert b.raw_X is None and b.features is None and b.feature_names == ["x1", "x2"]
    s = make_splits(b, None, "standardize", seed=0)
    assert s.raw_inputs is None and s.features is None


def test_features_are_scaled_on_the_training_split_and_raw_points_map_like_the_rows():
    ds = load_dataset({"source": "circles", "features": ["x1^2", "x2^2", "x1*x2"]}, seed=2)
    s = make_splits(ds, None, "standardize", seed=2)
    assert s.feature_names == ["x1^2", "x2^2", "x1*x2"] and s.raw_names == ["x1", "x2"]
    np.testing.assert_allclose(s.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(s.X_train.std(axis=0), 1.0, rtol=1e-12)
    for X, raw, idx in zip((s.X_train, s.X_val, s.X_test), s.raw_inputs,
                           (s.train_idx, s.val_idx, s.test_idx), strict=True):
        np.testing.assert_array_equal(raw, ds.raw_X[idx])
        np.testing.assert_allclose(s.inputs_from_raw(raw), X, rtol=0, atol=1e-12)


def test_a_source_with_more_inputs_is_refused_when_loading():
    with pytest.raises(DataError, match="data.features: .*1 or 2 inputs, this one has 4"):
        load_dataset({"source": "iris", "features": ["x1"]}, seed=0)


def _problems(data: dict, loss: str = "cross_entropy") -> str:
    with pytest.raises(PresetError) as error:
        validate_preset({"format": "trainlab-preset", "data": data, "loss": {"name": loss}})
    return str(error.value)


def test_preset_checks_name_the_key_and_suggest_a_name():
    text = _problems({"source": "circles", "features": ["x1^2", "x2**2"]})
    assert "data.features" in text and "did you mean 'x2^2'" in text
    text = _problems({"source": "xor", "features": {"polynomial": 3}})
    assert "data.features.polynomial" in text and "1 input, this one has 2" in text
    text = _problems({"source": "sine", "features": ["x1"]}, "mse")
    assert "not a feature of a 1-input source" in text
    text = _problems({"source": "wine", "features": ["x1^2"]})
    assert "this one has 13" in text
    text = _problems({"source": "line", "features": {"polynomial": 21}}, "mse")
    assert "from 1 to 20" in text


def test_a_valid_setting_is_kept_as_written():
    p = validate_preset({"format": "trainlab-preset", "loss": {"name": "mse"},
                         "data": {"source": "line", "features": {"polynomial": 3}}})
    assert p.data.features == {"polynomial": 3}
