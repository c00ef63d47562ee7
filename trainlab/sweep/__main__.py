"""Check sweep files from the shell, or regenerate the published JSON Schema.

python -m trainlab.sweep my.json other.json   # prints each problem; exit status 1 if any
python -m trainlab.sweep --write-schema       # rewrites resources/sweep.schema.json
"""

from __future__ import annotations

import argparse
import sys

from .definition import load_sweep
from .errors import SweepError
from .schema import schema_path, schema_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainlab.sweep", description=__doc__)
    parser.add_argument("files", nargs="*", help="sweep files to check")
    parser.add_argument("--write-schema", action="store_true", help="regenerate the schema file")
    args = parser.parse_args(argv)
    if args.write_schema:
        schema_path().write_text(schema_text(), encoding="utf-8", newline="\n")
        print(f"wrote {schema_path()}")
    failed = False
    for name in args.files:
        try:
            sweep = load_sweep(name)
        except SweepError as error:
            print(error, file=sys.stderr)
            failed = True
        else:
            print(f"{name}: ok ({sweep.name}, {len(sweep.trials())} trials)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
