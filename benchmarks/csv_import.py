"""How fast, and in how much memory, does TrainLab import a large CSV?

    python benchmarks/csv_import.py               # a 60 MB file, both readers
    python benchmarks/csv_import.py --mb 20       # another size
    python benchmarks/csv_import.py --reader fast # one reader only

Writes a CSV of 20 numeric feature columns and a text label column (about 60 MB), then imports
it in a fresh process per reader and prints MB/s and the peak resident memory the import
added (peak RSS minus RSS after the imports of NumPy, pyarrow and TrainLab):

* ``fast``: ``trainlab.data.read_csv`` as a run calls it (Arrow's columnar reader);
* ``exact``: the row-by-row reader it falls back to for files with a problem (Python's csv
  module), which finds and names the first bad cell.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

FEATURES = 20

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import numpy as np, pyarrow, pyarrow.csv
from trainlab.data import csv_import

def rss_now():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0

path, reader = sys.argv[1], sys.argv[2]
base = rss_now()
start = time.perf_counter()
if reader == "fast":
    ds = csv_import.read_csv(path)
else:
    table = csv_import._exact_table(Path(path), Path(path).name, FEATURES)
    ds = csv_import._dataset(table, "auto", Path(path).name)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "added": peak - base, "rows": int(ds.X.shape[0]),
                  "task": ds.task}))
""".replace("FEATURES", str(FEATURES))


def write_csv(path: Path, megabytes: float) -> None:
    rng = np.random.default_rng(0)
    header = ",".join(f"x{j}" for j in range(FEATURES)) + ",label\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        while f.tell() < megabytes * 1e6:
            block = rng.normal(size=(10_000, FEATURES))
            labels = rng.choice(["cat", "dog", "bird"], size=10_000)
            lines = [",".join(f"{v:.6g}" for v in row) + f",{lab}" for row, lab in
                     zip(block, labels, strict=True)]
            f.write("\n".join(lines) + "\n")


def measure(path: Path, reader: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), reader], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=60.0, help="size of the CSV in MB")
    parser.add_argument("--reader", choices=("fast", "exact", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        write_csv(path, args.mb)
        size = path.stat().st_size
        print(f"file: {size / 1e6:.1f} MB, {FEATURES} features + a text label\n")
        print("| reader | rows | seconds | MB/s | peak memory added | × file size |")
        print("|---|---|---|---|---|---|")
        for reader in ("fast", "exact") if args.reader == "both" else (args.reader,):
            r = measure(path, reader)
            print(f"| {reader} | {r['rows']:,} | {r['seconds']:.2f} | "
                  f"{size / 1e6 / r['seconds']:.0f} | {r['added'] / 1e6:,.0f} MB | "
                  f"{r['added'] / size:.1f} |")


if __name__ == "__main__":
    main()
