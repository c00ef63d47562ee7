"""Check preset files from the shell, or regenerate the published JSON Schema.

python -m trainlab.presets my.json other.json   # prints each problem; exit status 1 if any
python -m trainlab.presets --write-schema       # rewrites resources/preset.schema.json
"""

from __future__ import annotations

import argparse
import sys

from .errors import PresetError
from .files import load_preset
from .schema import schema_path, schema_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainlab.presets", description=__doc__)
    parser.add_argument("files", nargs="*", help="preset files to check")
    parser.add_argument("--write-schema", action="store_true", help="regenerate the schema file")
    args = parser.parse_args(argv)
    if args.write_schema:
        schema_path().write_text(schema_text(), encoding="utf-8", newline="\n")
        print(f"wrote {schema_path()}")
    failed = False
    for name in args.files:
        try:
            preset = load_preset(name)
        except PresetError as error:
            print(error, file=sys.stderr)
            failed = True
        else:
            print(f"{name}: ok ({preset.name})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
