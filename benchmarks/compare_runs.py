"""Do two folders of run directories hold the same runs, bit for bit?

    python benchmarks/compare_runs.py BEFORE AFTER

Each subfolder of BEFORE holding a ``metrics.csv`` is a run; AFTER must hold a run of the same
name with the same ``metrics.csv`` (the ``seconds`` column aside: it is wall-clock time), the
same ``weights_*.npz`` (every array equal, dtype and shape included, NaN equal to NaN) and the
same ``summary.json`` (``seconds`` and ``steps_per_second`` aside). Prints one line per
difference and a last line with the count; exits 1 on any difference, 0 otherwise.
``--baseline-keys`` (or ``--ignore-new-columns``) compares only the metrics columns and
summary keys BEFORE has (for runs written before new columns or keys were added).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

#: Wall-clock numbers, which differ from one run to the next.
CLOCK_COLUMNS = ("seconds",)
CLOCK_KEYS = ("seconds", "steps_per_second")


#: Set by ``--baseline-keys``: only the reference's columns and summary keys are compared.
BASELINE_KEYS = False


def read_metrics(path: Path, columns=None) -> list[list[str]]:
    """The rows of a metrics file as text, clock columns left out (and, with ``columns``,
    every column not named there)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    keep = [j for j, name in enumerate(rows[0]) if name not in CLOCK_COLUMNS
            and (columns is None or name in columns)] if rows else []
    return [[r[j] if j < len(r) else "" for j in keep] for r in rows]


def compare_metrics(a: Path, b: Path) -> list[str]:
    ra = read_metrics(a)
    rb = read_metrics(b, set(ra[0]) if BASELINE_KEYS and ra else None)
    if ra[:1] != rb[:1]:
        return [f"{b}: header {rb[:1]} != {ra[:1]}"]
    if len(ra) != len(rb):
        return [f"{b}: {len(rb) - 1} rows, expected {len(ra) - 1}"]
    for i, (x, y) in enumerate(zip(ra, rb, strict=True)):
        if x != y:
            cols = [ra[0][j] for j in range(len(x)) if x[j] != y[j]]
            return [f"{b}: row {i - 1} differs in {', '.join(cols)}"]
    return []


def compare_npz(a: Path, b: Path) -> list[str]:
    with np.load(a, allow_pickle=False) as za, np.load(b, allow_pickle=False) as zb:
        if sorted(za.files) != sorted(zb.files):
            return [f"{b}: arrays {sorted(zb.files)} != {sorted(za.files)}"]
        return [f"{b}: {name} differs" for name in za.files
                if za[name].dtype != zb[name].dtype
                or not np.array_equal(za[name], zb[name], equal_nan=za[name].dtype.kind in "fc")]


def compare_summary(a: Path, b: Path) -> list[str]:
    sa, sb = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    for s in (sa, sb):
        for key in CLOCK_KEYS:
            s.pop(key, None)
    if BASELINE_KEYS:
        sb = {k: v for k, v in sb.items() if k in sa}
    if sa == sb:
        return []
    keys = sorted(k for k in set(sa) | set(sb) if sa.get(k) != sb.get(k))
    return [f"{b}: summary differs in {', '.join(keys)}"]


def compare_run(a: Path, b: Path) -> list[str]:
    """Differences between run directories ``a`` (the reference) and ``b``."""
    if not b.is_dir():
        return [f"{b}: missing"]
    problems = compare_metrics(a / "metrics.csv", b / "metrics.csv")
    names = {p.name for p in a.glob("weights_*.npz")} | {p.name for p in b.glob("weights_*.npz")}
    if (a / "summary.json").exists() or (b / "summary.json").exists():
        names.add("summary.json")
    for name in sorted(names):
        if not (a / name).exists() or not (b / name).exists():
            problems.append(f"{b / name}: in only one of the two runs")
        elif name.endswith(".npz"):
            problems += compare_npz(a / name, b / name)
        else:
            problems += compare_summary(a / name, b / name)
    return problems


def compare_folders(before: Path, after: Path) -> list[str]:
    runs = sorted(p for p in before.iterdir() if (p / "metrics.csv").is_file())
    if not runs:
        return [f"{before}: no run directories"]
    problems = []
    for run in runs:
        problems += compare_run(run, after / run.name)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the reference folder of run directories")
    parser.add_argument("after", type=Path, help="the folder to check against it")
    parser.add_argument("--baseline-keys", "--ignore-new-columns", action="store_true",
                        help="compare only the metrics columns and summary keys of BEFORE")
    args = parser.parse_args(argv)
    global BASELINE_KEYS
    BASELINE_KEYS = args.baseline_keys
    problems = compare_folders(args.before, args.after)
    for line in problems:
        print(line)
    n = sum(1 for p in args.before.iterdir() if (p / "metrics.csv").is_file())
    print(f"{len(problems)} difference(s) in {n} run(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
