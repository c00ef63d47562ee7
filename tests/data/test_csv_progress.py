"""read_csv tells a progress callback how much of the file it has read."""

import numpy as np

from trainlab.data.csv_import import csv_progress, read_csv


def big_csv(path, rows=60_000, clean=True):
    X = np.random.default_rng(0).normal(size=(rows, 3))
    with open(path, "w", encoding="utf-8") as f:
        f.write("a,b,y\n")
        np.savetxt(f, X, delimiter=",", fmt="%.6f")
        if not clean:
            f.write("1,,2\n")  # a missing cell: the exact reader reads it again


def test_progress_rises_to_one_and_is_off_outside(tmp_path):
    path = tmp_path / "big.csv"
    big_csv(path)
    seen = []
    with csv_progress(seen.append):
        ds = read_csv(path)
    assert ds.X.shape == (60_000, 2)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 1
    before = len(seen)
    read_csv(path)
    assert len(seen) == before  # no callback outside the block


def test_the_row_by_row_reader_reports_too(tmp_path):
    path = tmp_path / "gap.csv"
    big_csv(path, rows=20_000, clean=False)
    seen = []
    with csv_progress(seen.append):
        try:
            read_csv(path)
        except ValueError:
            pass
    assert len(seen) > 1 and max(seen) == 1.0
