"""Read a comma-separated file into a :class:`Dataset`, with errors that point at the bad cell.

The file has a header row of column names; one column is the target (by name, default the
last one) and every other column is a numeric feature. Line numbers in messages are 1-based
physical lines of the file (the header is line 1). Blank lines are skipped.

Task inference (``task="auto"``): *classification* when the target is not numeric, or when it
holds whole numbers with at most :data:`MAX_INFERRED_CLASSES` distinct values and fewer distinct
values than half the rows; *regression* otherwise. Class labels map to 0..K-1 in sorted order
(numeric order for numbers), and their spellings are kept as the class names.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from trainlab.catalog.data import TASKS as TASK_CHOICES
from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError, check_choice, did_you_mean

MAX_INFERRED_CLASSES = 20
#: Cell spellings read as "no value" (compared in lower case, after stripping spaces).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
# Delimiters people use instead of commas, and how a message names them.
_OTHER_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def read_csv(path, target: str | None = None, task: str = "auto") -> Dataset:
    """Load `path` as a data set; raise :class:`DataError` saying what is wrong and where.

    `target` names the target column (``None`` or ``""``: the last column); `task` is
    ``"auto"``, ``"classification"`` or ``"regression"``.
    """
    task = check_choice("data.task", task, TASK_CHOICES)
    path = Path(path)
    fname = path.name
    header, lines, rows = _read_table(path)

    if target is None or target == "":
        t = len(header) - 1
    elif target in header:
        t = header.index(target)
    else:
        raise DataError(
            f"data.target: no column {target!r} in {fname}; the columns are: "
            f"{', '.join(header)}{did_you_mean(target, header)}"
        )
    target_name = header[t]
    features = [j for j in range(len(header)) if j != t]

    X = np.empty((len(rows), len(features)), dtype=np.float64)
    for i, (line, row) in enumerate(zip(lines, rows, strict=True)):
        for j in range(len(header)):
            if row[j].lower() in MISSING_TOKENS:
                shown = "empty field" if row[j] == "" else repr(row[j])
                raise DataError(
                    f"{fname}, line {line}, column {header[j]!r}: missing value ({shown}); "
                    "TrainLab does not fill in missing values - complete or remove the row"
                )
        for col, j in enumerate(features):
            X[i, col] = _feature_value(row[j], fname, line, header[j])

    labels = [row[t] for row in rows]
    numbers = _numbers_or_none(labels)
    if task == "auto":
        task = _infer_task(numbers)
    if task == "regression":
        if numbers is None:
            i = next(i for i, v in enumerate(labels) if _number(v) is None)
            raise DataError(
                f"{fname}, line {lines[i]}, column {target_name!r}: {labels[i]!r} is not a "
                f"number, so {target_name!r} cannot be a regression target"
            )
        return Dataset(X, np.asarray(numbers).reshape(-1, 1), "regression", 0,
                       [header[j] for j in features], target_name, [], fname)

    y, class_names = _encode_classes(labels, numbers)
    if len(class_names) < 2:
        raise DataError(
            f"data.target: column {target_name!r} in {fname} has a single class "
            f"({class_names[0]!r}); classification needs at least 2 classes"
        )
    return Dataset(X, y, "classification", len(class_names), [header[j] for j in features],
                   target_name, class_names, fname)


def _read_table(path: Path) -> tuple[list[str], list[int], list[list[str]]]:
    """Header names, the line number of every data row, and the rows (fields stripped)."""
    fname = path.name
    if not path.exists():
        raise DataError(f"data.path: file not found: {path}")
    if path.is_dir():
        raise DataError(f"data.path: {path} is a folder, not a CSV file")
    header: list[str] | None = None
    lines: list[int] = []
    rows: list[list[str]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, strict=True, skipinitialspace=True)
            try:
                for raw in reader:
                    if len(raw) <= 1 and (not raw or not raw[0].strip()):
                        continue  # blank line
                    fields = [c.strip() for c in raw]
                    if header is None:
                        header = _check_header(fields, fname, reader.line_num)
                    elif len(fields) != len(header):
                        raise DataError(
                            f"{fname}, line {reader.line_num}: {len(fields)} fields, but the "
                            f"header has {len(header)} columns{_delimiter_hint(raw)}"
                        )
                    else:
                        lines.append(reader.line_num)
                        rows.append(fields)
            except csv.Error as exc:
                raise DataError(f"{fname}, line {reader.line_num}: not valid CSV ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{fname}: not UTF-8 text; save it as a UTF-8 CSV file") from exc
    except OSError as exc:
        raise DataError(f"data.path: cannot read {path}: {exc.strerror or exc}") from exc
    if header is None:
        raise DataError(f"{fname}: the file is empty")
    if not rows:
        raise DataError(f"{fname}: the file has a header but no data rows")
    return header, lines, rows


def _check_header(names: list[str], fname: str, line: int) -> list[str]:
    if len(names) == 1:
        hint = _delimiter_hint(names)
        if hint:
            raise DataError(f"{fname}, line {line}: {hint.lstrip('; ')}")
        raise DataError(
            f"{fname}, line {line}: the header has one column ({names[0]!r}); a data file needs "
            "feature columns and a target column, separated by commas"
        )
    seen: set[str] = set()
    for j, name in enumerate(names):
        if not name:
            raise DataError(f"{fname}, line {line}: column {j + 1} has no name")
        if name in seen:
            raise DataError(f"{fname}, line {line}: the column name {name!r} appears twice")
        seen.add(name)
    return names


def _delimiter_hint(fields: list[str]) -> str:
    """`"; looks like the delimiter is ';' ..."` when a lone field hides another delimiter."""
    if len(fields) != 1:
        return ""
    for delimiter, spoken in _OTHER_DELIMITERS.items():
        if delimiter in fields[0]:
            return (f"; looks like the delimiter is {spoken}; "
                    "TrainLab reads comma-separated files")
    return ""


def _number(text: str) -> float | None:
    """`text` as a finite float, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _feature_value(text: str, fname: str, line: int, column: str) -> float:
    value = _number(text)
    if value is not None:
        return value
    hint = "; write decimals with a point" if _DECIMAL_COMMA.match(text) else ""
    what = "not a finite number" if _is_float(text) else "not a number"
    raise DataError(
        f"{fname}, line {line}, column {column!r}: {text!r} is {what}; "
        f"feature columns must be numeric{hint}"
    )


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numbers_or_none(values: list[str]) -> list[float] | None:
    """All `values` as floats, or None if any is not a finite number."""
    numbers = []
    for v in values:
        x = _number(v)
        if x is None:
            return None
        numbers.append(x)
    return numbers


def _infer_task(numbers: list[float] | None) -> str:
    if numbers is None:
        return "classification"
    distinct = set(numbers)
    few = len(distinct) <= MAX_INFERRED_CLASSES and len(distinct) < len(numbers) / 2
    whole = all(x.is_integer() for x in distinct)
    return "classification" if whole and few else "regression"


def _encode_classes(labels: list[str], numbers: list[float] | None):
    """Labels 0..K-1 in sorted order, and the class names in that order."""
    if numbers is not None:
        keys = sorted(set(numbers))
        index = {k: i for i, k in enumerate(keys)}
        y = np.fromiter((index[x] for x in numbers), dtype=np.int64, count=len(numbers))
        names = [str(int(k)) if k.is_integer() else repr(k) for k in keys]
        return y, names
    keys = sorted(set(labels))
    index = {k: i for i, k in enumerate(keys)}
    y = np.fromiter((index[s] for s in labels), dtype=np.int64, count=len(labels))
    return y, keys
