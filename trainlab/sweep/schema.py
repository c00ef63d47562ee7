"""The published JSON Schema of a sweep file (``resources/sweep.schema.json``), generated from
the pydantic models. After changing :mod:`.model`, regenerate it with
``python -m trainlab.sweep``; a test checks that it is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainlab.paths import resources_dir

from .model import SweepFile

SCHEMA_FILE = "sweep.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a sweep file (pydantic's ``model_json_schema``)."""
    return SweepFile.model_json_schema()


def write_schema() -> Path:
    """Write the schema next to the preset one; return its path."""
    path = resources_dir() / SCHEMA_FILE
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
