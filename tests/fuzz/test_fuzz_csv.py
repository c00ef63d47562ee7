"""Fuzzed CSV files: every outcome is a data set or one DataError whose lines are printable and
short, and the fast (Arrow) and exact (row by row) readers always agree.

Files are a few rows of a few cells, so no example can take long or grow memory.
"""

from __future__ import annotations

import csv
import io
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.data.csv_readers import both_readers

NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-10**20, 10**20).map(str),
    st.integers(0, 3).map(str),
    st.sampled_from(["1e400", "1e-400", "1_000", " 2 ", '"3"', "+.5", "5.", "0x10", "\u0661",
                     "\u22121", "1,5"]),
)
ODD = st.one_of(
    st.sampled_from(["", " ", "NA", "n/a", "nan", "NaN", "null", "None", "?", "inf", "-inf"]),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=60, max_size=200),
)
LABELS = st.one_of(st.sampled_from(["cat", "dog", "Cat ", "bird", "0", "1", "2.5"]), NUMBERS)
CELLS = st.one_of(NUMBERS, NUMBERS, NUMBERS, ODD)
CLEAN = st.one_of(st.floats(-1e6, 1e6).map(repr), st.integers(-5, 5).map(str))
GOOD_HEADERS = st.sampled_from([["a", "y"], ["a", "b", "y"], [" a ", "b", "label"],
                                ["x1", "x2", "x3", "y"]])
ODD_NAMES = st.one_of(st.sampled_from(["a", "b", "y", "label", ""]), st.text(max_size=8))


@st.composite
def csv_files(draw) -> bytes:
    if draw(st.integers(0, 4)):
        header = draw(GOOD_HEADERS)
    else:
        header = draw(st.lists(ODD_NAMES, min_size=1, max_size=4))
    width = len(header)
    clean = draw(st.booleans())  # half the files are well-formed (and mostly load)

    def row():
        n = width if clean or draw(st.integers(0, 9)) else draw(st.integers(0, width + 1))
        cells = draw(st.lists(CLEAN if clean else CELLS, min_size=n, max_size=n))
        if cells and draw(st.booleans()):
            cells[-1] = draw(LABELS)
        return cells

    rows = [row() for _ in range(draw(st.integers(0 if not clean else 2, 8)))]
    style = "csv" if clean else draw(st.sampled_from(["csv", "raw", "semicolon"]))
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        writer.writerow(header)
        writer.writerows(rows)
        text = out.getvalue()
    else:
        sep = "," if style == "raw" else ";"
        text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    if not clean and draw(st.booleans()):
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines)))
        text = "\n".join(lines[:at] + [draw(st.sampled_from(["", "  ", ",,", "\t"]))] + lines[at:])
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if not clean and draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=6))
    return data


def check_message(message: str) -> None:
    assert message.strip()
    for line in message.splitlines():
        assert line.isprintable(), line
        assert len(line) < 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_files(), task=st.sampled_from(["auto", "classification", "regression"]),
       target=st.sampled_from([None, "y", "a", "nope"]))
def test_a_fuzzed_csv_gives_a_data_set_or_one_clear_error_the_same_from_both_readers(
        tmp_path_factory, data, task, target):
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "fuzz.csv"
    path.write_bytes(data)
    fast, exact = both_readers(path, task, target)
    assert fast == exact
    event(fast[0] if fast[0] == "ok" else fast[1].split(":")[1][:30])
    if fast[0] == "error":
        check_message(fast[1])
    else:
        assert fast[2][0] >= 1  # rows
    os.remove(path)
