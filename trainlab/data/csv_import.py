"""Read a comma-separated file into a :class:`Dataset`, with errors that point at the bad cell.

The file has a header row of column names; one column is the target (by name, default the
last one) and every other column is a numeric feature. Line numbers in messages are 1-based
physical lines of the file (the header is line 1). Blank lines are skipped.

Task inference (``task="auto"``): *classification* when the target is not numeric, or when it
holds whole numbers with at most :data:`MAX_INFERRED_CLASSES` distinct values and fewer distinct
values than half the rows; *regression* otherwise. Class labels map to 0..K-1 in sorted order
(numeric order for numbers), and their spellings are kept as the class names.

Two readers, one meaning. A clean file (every cell a finite number or a label, no missing
value) is parsed by Apache Arrow's multithreaded columnar CSV reader: a 60 MB file in about a
second, at a few times its size in memory. Anything else - a missing or non-numeric cell, a
ragged row, an odd quote, a header that is not on line 1 - is read again row by row by the
exact reader below, which finds the first problem and names its line and column (and reads
the files Arrow's stricter number syntax refuses, such as ``1_000``). Only regular files are
read: a device (``/dev/zero``) or a pipe could block or never end.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError, check_choice, did_you_mean
from trainlab.paths import FileProblem, check_regular_file, one_line, open_regular_file

TASK_CHOICES = ("auto", "classification", "regression")
MAX_INFERRED_CLASSES = 20
#: Cell spellings read as "no value" (compared in lower case, after stripping spaces).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
#: The largest CSV file read: TrainLab trains small networks, on data that fits in memory.
MAX_BYTES = 1_000_000_000
#: What a message quotes of a cell or a column name (a file's content can be anything).
MAX_QUOTED = 60
#: Column names a message lists at most.
MAX_LISTED_COLUMNS = 30
# Delimiters people use instead of commas, and how a message names them.
_OTHER_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
#: What Arrow casts to a number (a decimal or inf/nan spelling).
_ARROW_NUMBER = r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|(?i:inf|infinity|nan))$"


def quote(text: str) -> str:
    """A cell or name as a message quotes it: repr (escapes included), at most ~60 chars."""
    shown = repr(text)
    return shown if len(shown) <= MAX_QUOTED else f"{shown[:MAX_QUOTED - 4]}...{shown[-1]}"


@dataclass
class _Table:
    """What either reader returns: feature matrix, target cells, and where rows are."""

    header: list[str]
    target: int
    X: np.ndarray                # (rows, features) float64
    labels: object               # the target cells, stripped: a pyarrow string array
    lines: array | None = None   # physical line of every row (the exact reader only)


class _Redo(Exception):
    """The fast reader met something only the exact reader can describe."""


def read_csv(path, target: str | None = None, task: str = "auto") -> Dataset:
    """Load `path` as a data set; raise :class:`DataError` saying what is wrong and where.

    `target` names the target column (``None`` or ``""``: the last column); `task` is
    ``"auto"``, ``"classification"`` or ``"regression"``.
    """
    task = check_choice("data.task", task, TASK_CHOICES)
    path = Path(path)
    fname = one_line(path.name, 80)
    _check_file(path)
    header, header_line = _read_header(path, fname)
    t = _target_index(header, target, fname)
    try:
        return _dataset(_fast_table(path, header, header_line, t), task, fname)
    except _Redo:
        return _dataset(_exact_table(path, fname, t), task, fname)


def _check_file(path: Path) -> None:
    try:
        size = check_regular_file(path, folder_is="is a folder, not a CSV file")
    except FileProblem as problem:
        raise DataError(f"data.path: {one_line(str(path), 160)}: {problem.reason}") from None
    if size > MAX_BYTES:
        raise DataError(f"data.path: {one_line(str(path), 160)}: {size / 1e9:.1f} GB, larger "
                        f"than the {MAX_BYTES / 1e9:g} GB a data file may have")


_PROGRESS = threading.local()


@contextlib.contextmanager
def csv_progress(callback):
    """While inside, :func:`read_csv` in this thread tells ``callback`` the share of the file
    read so far (0…1, often: a window shows it while a large file loads)."""
    old = getattr(_PROGRESS, "callback", None)
    _PROGRESS.callback = callback
    try:
        yield
    finally:
        _PROGRESS.callback = old


class _Reporting(io.RawIOBase):
    """A binary file that reports the share read to the thread's :func:`csv_progress`."""

    def __init__(self, file, report):
        super().__init__()
        self._file, self._report = file, report
        self._total = max(os.fstat(file.fileno()).st_size, 1)
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._file.readinto(buffer) or 0
        self._done += n
        self._report(min(self._done / self._total, 1.0))
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _open_binary(path: Path):
    """The file opened for reading, reporting progress when a callback is set."""
    binary = open_regular_file(path, folder_is="is a folder, not a CSV file")
    report = getattr(_PROGRESS, "callback", None)
    return binary if report is None else io.BufferedReader(_Reporting(binary, report))


def _open_text(path: Path):
    try:
        binary = _open_binary(path)
    except FileProblem as problem:
        raise DataError(f"data.path: {one_line(str(path), 160)}: {problem.reason}") from None
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _rows(path: Path, fname: str):
    """(line number, raw fields) of every non-blank row, as Python's csv module reads them."""
    try:
        with _open_text(path) as f:
            reader = csv.reader(f, strict=True, skipinitialspace=True)
            try:
                for raw in reader:
                    if len(raw) <= 1 and (not raw or not raw[0].strip()):
                        continue  # blank line
                    yield reader.line_num, raw
            except csv.Error as exc:
                raise DataError(
                    f"{fname}, line {reader.line_num}: not valid CSV ({quote(str(exc))[1:-1]})"
                ) from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{fname}: not UTF-8 text; save it as a UTF-8 CSV file") from exc
    except OSError as exc:
        raise DataError(f"data.path: cannot read {one_line(str(path), 160)}: "
                        f"{exc.strerror or exc}") from exc


def _read_header(path: Path, fname: str) -> tuple[list[str], int]:
    rows = _rows(path, fname)
    try:
        line, raw = next(rows)
    except StopIteration:
        raise DataError(f"{fname}: the file is empty") from None
    finally:
        rows.close()
    return _check_header([c.strip() for c in raw], fname, line), line


def _target_index(header: list[str], target: str | None, fname: str) -> int:
    if target is None or target == "":
        return len(header) - 1
    if target in header:
        return header.index(target)
    listed = ", ".join(one_line(h, MAX_QUOTED) for h in header[:MAX_LISTED_COLUMNS])
    extra = len(header) - MAX_LISTED_COLUMNS
    more = f" and {extra} more" if extra > 0 else ""
    raise DataError(
        f"data.target: no column {quote(target)} in {fname}; the columns are: "
        f"{listed}{more}{did_you_mean(target, header) if len(target) < 100 else ''}"
    )


# --- the fast reader (Arrow) ---------------------------------------------------------------------


def _fast_table(path: Path, header: list[str], header_line: int, t: int) -> _Table:
    """The table by Arrow's CSV reader, or :class:`_Redo` for anything but a clean file."""
    if header_line != 1:
        raise _Redo
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    names = [f"c{j}" for j in range(len(header))]  # the real names may repeat after strip
    # Features convert to float64 as they are parsed; a cell that is missing, quoted oddly
    # or not a number fails the conversion, and "nan"/"inf" the finiteness check below: the
    # exact reader then names it.
    types = {n: pa.float64() for n in names}
    types[names[t]] = pa.string()
    try:
        with _open_binary(path) as file:
            table = pacsv.read_csv(
                file,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                               block_size=1 << 22),
                parse_options=pacsv.ParseOptions(delimiter=",", ignore_empty_lines=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=types, null_values=[], strings_can_be_null=False,
                    quoted_strings_can_be_null=False),
            )
    except (pa.ArrowException, OSError, FileProblem):
        raise _Redo from None
    if table.num_rows == 0:
        raise _Redo
    X = np.empty((table.num_rows, len(names) - 1), dtype=np.float64)
    for col, j in enumerate(j for j in range(len(names)) if j != t):
        X[:, col] = table.column(j).to_numpy()
    if not np.isfinite(X).all():
        raise _Redo
    labels = pc.utf8_trim_whitespace(table.column(t)).combine_chunks()
    if pc.any(pc.is_in(pc.utf8_lower(labels), value_set=pa.array(sorted(MISSING_TOKENS)))).as_py():
        raise _Redo
    if pc.any(pc.match_substring_regex(labels, '[\\r\\n"]')).as_py():
        raise _Redo  # a quote left open or inside a cell: as Python's csv module reads it
    return _Table(header, t, X, labels)


# --- the exact reader (row by row) ---------------------------------------------------------------


def _exact_table(path: Path, fname: str, t: int) -> _Table:
    """The table read row by row, raising the first problem with its line and column."""
    import pyarrow as pa

    header: list[str] | None = None
    lines = array("q")
    features = array("d")
    labels: list[str] = []
    for line, raw in _rows(path, fname):
        fields = [c.strip() for c in raw]
        if header is None:
            header = fields
            continue
        if len(fields) != len(header):
            raise DataError(
                f"{fname}, line {line}: {len(fields)} fields, but the header has "
                f"{len(header)} columns{_delimiter_hint(raw)}"
            )
        for j, cell in enumerate(fields):
            if cell.lower() in MISSING_TOKENS:
                shown = "empty field" if cell == "" else quote(cell)
                raise DataError(
                    f"{fname}, line {line}, column {quote(header[j])}: missing value ({shown}); "
                    "TrainLab does not fill in missing values - complete or remove the row"
                )
        for j, cell in enumerate(fields):
            if j != t:
                features.append(_feature_value(cell, fname, line, header[j]))
        labels.append(fields[t])
        lines.append(line)
    if header is None:
        raise DataError(f"{fname}: the file is empty")
    if not lines:
        raise DataError(f"{fname}: the file has a header but no data rows")
    X = np.frombuffer(features, dtype=np.float64).reshape(len(lines), len(header) - 1)
    return _Table(header, t, X.copy(), pa.array(labels, pa.string()), lines)


def _check_header(names: list[str], fname: str, line: int) -> list[str]:
    if len(names) == 1:
        hint = _delimiter_hint(names)
        if hint:
            raise DataError(f"{fname}, line {line}: {hint.lstrip('; ')}")
        raise DataError(
            f"{fname}, line {line}: the header has one column ({quote(names[0])}); a data file "
            "needs feature columns and a target column, separated by commas"
        )
    seen: set[str] = set()
    for j, name in enumerate(names):
        if not name:
            raise DataError(f"{fname}, line {line}: column {j + 1} has no name")
        if name in seen:
            raise DataError(f"{fname}, line {line}: the column name {quote(name)} appears twice")
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
        f"{fname}, line {line}, column {quote(column)}: {quote(text)} is {what}; "
        f"feature columns must be numeric{hint}"
    )


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- from a table to a data set ------------------------------------------------------------------


def _label_numbers(labels) -> np.ndarray | None:
    """The target cells as finite floats, or None if any is not a finite number."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        numbers = pc.cast(labels, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, ValueError):
        # Python's float() takes a few spellings Arrow does not ("1_000"): ask it about the
        # first cell Arrow would refuse, and only then about every cell.
        odd = pc.invert(pc.match_substring_regex(labels, _ARROW_NUMBER))
        first = pc.index(odd, True).as_py()
        if first >= 0 and _number(labels[first].as_py()) is None:
            return None
        found = [_number(c) for c in labels.to_pylist()]
        if any(x is None for x in found):
            return None
        numbers = np.asarray(found, dtype=np.float64)
    return numbers if np.isfinite(numbers).all() else None


def _dataset(table: _Table, task: str, fname: str) -> Dataset:
    header, t = table.header, table.target
    target_name = header[t]
    feature_names = [h for j, h in enumerate(header) if j != t]
    numbers = _label_numbers(table.labels)
    if task == "auto":
        task = _infer_task(numbers)
    if task == "regression":
        if numbers is None:
            if table.lines is None:
                raise _Redo  # the exact reader knows the line
            cells = table.labels.to_pylist()
            i = next(i for i, v in enumerate(cells) if _number(v) is None)
            raise DataError(
                f"{fname}, line {table.lines[i]}, column {quote(target_name)}: {quote(cells[i])} "
                f"is not a number, so {quote(target_name)} cannot be a regression target"
            )
        return Dataset(table.X, numbers.reshape(-1, 1), "regression", 0, feature_names,
                       target_name, [], fname)

    y, class_names = _encode_classes(table.labels, numbers)
    if len(class_names) < 2:
        raise DataError(
            f"data.target: column {quote(target_name)} in {fname} has a single class "
            f"({quote(class_names[0])}); classification needs at least 2 classes"
        )
    return Dataset(table.X, y, "classification", len(class_names), feature_names, target_name,
                   class_names, fname)


def check_enough_rows(ds: Dataset) -> None:
    """Raise DataError when a CSV's data set is too small to split and train on (fewer rows
    than the generators' least ``data.n_samples``). Checked before the loss is matched to
    the task: a task guessed from one row would be blamed on the loss."""
    from trainlab.catalog.knobs import KNOBS

    rows, least = len(ds.y), KNOBS["data.n_samples"].int_range()[0]
    if rows < least:
        raise DataError(f"data.path: {ds.name} has {rows} data row{'s' if rows != 1 else ''}; "
                        f"a data set needs at least {least} (train, validation and test)")


def _infer_task(numbers: np.ndarray | None) -> str:
    if numbers is None:
        return "classification"
    distinct = np.unique(numbers)
    few = distinct.size <= MAX_INFERRED_CLASSES and distinct.size < numbers.size / 2
    whole = bool(np.all(distinct == np.floor(distinct)))
    return "classification" if whole and few else "regression"


def _encode_classes(labels, numbers: np.ndarray | None):
    """Labels 0..K-1 in sorted order, and the class names in that order."""
    if numbers is not None:
        keys, y = np.unique(numbers, return_inverse=True)
        names = [str(int(k)) if float(k).is_integer() else repr(float(k)) for k in keys]
        return y.astype(np.int64).reshape(-1), names
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = sorted(pc.unique(labels).to_pylist())
    y = pc.index_in(labels, value_set=pa.array(keys, pa.string()))
    return y.to_numpy(zero_copy_only=False).astype(np.int64), keys
