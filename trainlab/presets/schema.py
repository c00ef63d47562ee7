"""The published JSON Schema of a preset, generated from the pydantic models.

Editors use ``resources/preset.schema.json`` for completion and checking. Regenerate it after
changing :mod:`.model` with ``python -m trainlab.presets --write-schema``; a test checks that it
is current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainlab.paths import resources_dir

from .model import Preset


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a preset file (pydantic's ``model_json_schema``)."""
    return Preset.model_json_schema()


def schema_path() -> Path:
    return resources_dir() / "preset.schema.json"


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
