"""Regenerate the published JSON Schema of playground files, next to the preset one:

    python -m trainlab.playground --write-schema    # rewrites resources/playground.schema.json

It is generated from the pydantic models (:class:`~.files.PlaygroundFile`); a test checks that
the published file is current. To check a playground file, race it: ``trainlab playground``.
"""

from __future__ import annotations

import json
import sys

from trainlab.paths import resources_dir
from trainlab.playground.files import PlaygroundFile

SCHEMA_FILE = "playground.schema.json"


def schema_text() -> str:
    return json.dumps(PlaygroundFile.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) != ["--write-schema"]:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = resources_dir() / SCHEMA_FILE
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
