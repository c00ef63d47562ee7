"""The published JSON Schema matches the models."""

import json

from trainlab.engine.names import ACTIVATIONS, OPTIMIZERS
from trainlab.paths import resources_dir
from trainlab.presets import json_schema, load_preset, preset_to_dict, shipped_presets


def test_the_published_schema_is_current():
    """If this fails, run `python -m trainlab.presets --write-schema`."""
    published = json.loads((resources_dir() / "preset.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema()


def test_schema_says_what_is_required_and_allowed():
    schema = json_schema()
    assert schema["type"] == "object" and schema["required"] == ["format"]
    assert schema["additionalProperties"] is False
    defs = schema["$defs"]
    assert all(d.get("additionalProperties") is False for d in defs.values())
    assert defs["OptimizerConfig"]["properties"]["name"]["enum"] == list(OPTIMIZERS)
    one, many = defs["ModelConfig"]["properties"]["activation"]["oneOf"]
    assert one["enum"] == list(ACTIVATIONS) and many["items"]["enum"] == list(ACTIVATIONS)
    assert defs["OptimizerConfig"]["properties"]["lr"]["exclusiveMinimum"] == 0


def test_every_documented_key_has_a_description():
    for name, definition in json_schema()["$defs"].items():
        for key, prop in definition["properties"].items():
            if "$ref" not in prop:
                assert prop.get("description"), f"{name}.{key} has no description"


def test_shipped_presets_satisfy_the_schema():
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    for _, file in shipped_presets():
        validator.validate(json.loads(file.read_text(encoding="utf-8")))
        validator.validate(preset_to_dict(load_preset(file)))
