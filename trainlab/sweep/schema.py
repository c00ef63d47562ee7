"""The published JSON Schema of a sweep file, generated from the pydantic models.

Regenerate ``resources/sweep.schema.json`` after changing :mod:`.model` with
``python -m trainlab.sweep --write-schema``; a test checks that it is current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainlab.paths import resources_dir

from .model import SweepFile


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a sweep file (pydantic's ``model_json_schema``)."""
    return SweepFile.model_json_schema()


def schema_path() -> Path:
    return resources_dir() / "sweep.schema.json"


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
