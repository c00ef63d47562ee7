"""The run directory: what a run leaves on disk, written as it goes (no Qt here).

Files: ``preset.json`` (the fully resolved preset), ``metrics.csv`` (one row per epoch from
row 0, flushed row by row so a crash keeps every finished epoch), ``weights_initial.npz``,
``weights_final.npz``, ``weights_best.npz`` (when early stopping ran), ``summary.json`` and,
on request, ``data.npz`` (the exact scaled splits); :class:`RunRecord` also reads
``batch_loss.npy`` and ``weights_history.npz``. Whole files are written to a unique temp
name beside them and moved into place; the folder's rules are in
:mod:`trainlab.runs.runfolder`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from trainlab.catalog.names import slug
from trainlab.paths import default_runs_dir
from trainlab.runs.history import History
from trainlab.runs.runfolder import temp_prefix, writing


def new_run_dir(name: str, parent: Path | None = None) -> Path:
    """A new, unique folder ``<parent>/<YYYYmmdd-HHMMSS>-<name>`` (parent: user data dir)."""
    parent = Path(parent) if parent else default_runs_dir()
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-{slug(name)[:40]}-", dir=parent))


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A unique temp file beside ``path`` (its descriptor), moved onto ``path`` when the block
    ends well and removed when it does not; lack of space raises :class:`DiskFull`."""
    with writing(path):
        # a name no other writer uses (not mkstemp: its files are private to the user)
        tmp = path.with_name(f"{temp_prefix(path)}{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
        try:
            yield fd
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _atomic_write_text(path: Path, text: str) -> None:
    with _replacing(path) as fd, open(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _json_ready(value):
    """NaN/inf become null (JSON has no such numbers); numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def write_json(path: Path, data: dict) -> None:
    _atomic_write_text(Path(path), json.dumps(_json_ready(data), indent=2) + "\n")


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Plain arrays only (loadable with ``allow_pickle=False``), written atomically."""
    path = Path(path)
    with _replacing(path) as fd, open(fd, "wb") as f:
        np.savez(f, **{k: np.asarray(v) for k, v in arrays.items()})
        f.flush()


def format_value(x: float) -> str:
    """Shortest exact text for a float (round-trips bit for bit); NaN as ``nan``."""
    return repr(float(x))


def format_cell(column: str, value: float) -> str:
    """A metrics-CSV cell: the ``epoch`` column as a whole number, every other value exactly
    (:func:`format_value`)."""
    value = float(value)
    if column == "epoch" and value.is_integer():
        return str(int(value))
    return format_value(value)


class MetricsWriter:
    """``metrics.csv``: the header, then one row per history row (the one writer of the
    metrics-CSV format; :func:`write_history_csv` writes a whole history with it).

    Each row goes to the file whole, in one unbuffered write: a crash keeps every finished
    row, and a write that fails (a full disk) is cut back to the last whole row before
    :class:`DiskFull` is raised, so the file never ends in a torn row."""

    def __init__(self, path: Path, columns: list[str]):
        self.path = Path(path)
        self.columns = columns
        with writing(self.path):
            self._file = open(self.path, "wb", buffering=0)
        self._size = 0
        self._write_lines([columns])

    def write(self, row: dict[str, float]) -> None:
        self._write_lines([[format_cell(c, row[c]) for c in self.columns]])

    def write_rows(self, rows: np.ndarray) -> None:
        """Rows given as an array, one column per header column in order, in one write."""
        columns = self.columns
        self._write_lines([[format_cell(c, v) for c, v in zip(columns, row, strict=True)]
                           for row in rows.tolist()])

    def _write_lines(self, lines: list[list[str]]) -> None:
        text = io.StringIO()
        csv.writer(text).writerows(lines)
        data = text.getvalue().encode("utf-8")
        view, f = memoryview(data), self._file
        try:
            with writing(self.path):
                done = 0
                while done < len(data):
                    done += f.write(view[done:])
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(f.fileno(), self._size)
                f.seek(self._size)
            raise
        self._size += len(data)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def write_history_csv(history, path: Path) -> Path:
    """Write a whole history (a :class:`History`, or a dict of name → column) as a metrics
    CSV: the header, then one line per row, read back exactly by :func:`read_metrics`."""
    names = list(history.columns) if hasattr(history, "columns") else list(history)
    columns = [np.asarray(history[name], dtype=float).ravel() for name in names]
    writer = MetricsWriter(path, names)
    try:
        for i in range(len(columns[0]) if columns else 0):
            writer.write({name: col[i] for name, col in zip(names, columns, strict=True)})
    finally:
        writer.close()
    return writer.path


def read_metrics(path: Path) -> History:
    """A metrics CSV as a :class:`History`; a last row cut short (no line end, or fewer cells
    than the header: a run killed while writing it) is left out."""
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    if not text:
        raise ValueError(f"{path}: empty metrics file")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], [r for r in rows[1:] if r]
    if body and (not text.endswith("\n") or len(body[-1]) != len(header)):
        body.pop()
    cols = {name: np.array([float(r[j]) if j < len(r) and r[j] != "" else np.nan
                            for r in body]) for j, name in enumerate(header)}
    return History.from_dict(cols)


@dataclass
class RunRecord:
    """A finished (or crashed) run read back from its directory."""

    path: Path
    preset: dict
    history: History
    summary: dict

    @property
    def name(self) -> str:
        return str(self.preset.get("name") or self.path.name)

    @property
    def task(self) -> str:
        return "regression" if "train_r2" in self.history else "classification"

    def weights(self, which: str = "final") -> dict[str, np.ndarray]:
        with np.load(self.path / f"weights_{which}.npz", allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    @property
    def batch_loss(self) -> np.ndarray | None:
        """``batch_loss.npy``: the loss of every optimizer step's mini-batch (float32); None
        when the run did not record it."""
        path = self.path / "batch_loss.npy"
        if not path.is_file():
            return None
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: not a readable batch-loss file ({error})") from None

    @property
    def weights_history(self) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
        """``weights_history.npz`` as ``(epochs, {name: weights stacked over them})`` (0 = the
        initial weights), as ``RunResult.weights_history`` gives it; None when absent."""
        path = self.path / "weights_history.npz"
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: not a readable weight-history file ({error})") from None
        if "epochs" not in arrays:
            raise ValueError(f"{path}: no 'epochs' array")
        return arrays.pop("epochs"), arrays


def load_run(run_dir) -> RunRecord:
    """Read a run directory (``metrics.csv`` and ``preset.json`` at least)."""
    run_dir = Path(run_dir)
    if not (run_dir / "metrics.csv").is_file():
        raise ValueError(f"{run_dir}: not a TrainLab run folder (no metrics.csv)")
    try:
        preset = json.loads((run_dir / "preset.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        preset = {}
    summary = {}
    if (run_dir / "summary.json").is_file():
        try:
            summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        except ValueError:
            summary = {}
    return RunRecord(run_dir, preset, read_metrics(run_dir / "metrics.csv"), summary)
