"""The run directory: what a run leaves on disk, written as it goes (no Qt here).

Files: ``preset.json`` (the fully resolved preset), ``metrics.csv`` (one row per epoch from
row 0, flushed row by row so a crash keeps every finished epoch), ``weights_initial.npz``,
``weights_final.npz``, ``weights_best.npz`` (when early stopping ran), ``summary.json`` and,
on request, ``data.npz`` (the exact scaled splits).
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from trainlab.catalog.names import slug
from trainlab.paths import default_runs_dir
from trainlab.runs.history import History


def new_run_dir(name: str, parent: Path | None = None) -> Path:
    """A new, unique folder ``<parent>/<YYYYmmdd-HHMMSS>-<name>`` (parent: user data dir)."""
    parent = Path(parent) if parent else default_runs_dir()
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-{slug(name)[:40]}-", dir=parent))


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


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
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **{k: np.asarray(v) for k, v in arrays.items()})
    os.replace(tmp, path)


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
    """``metrics.csv``: the header, then one flushed row per history row (the one writer of
    the metrics-CSV format; :func:`write_history_csv` writes a whole history with it)."""

    def __init__(self, path: Path, columns: list[str]):
        self.path = Path(path)
        self.columns = columns
        self._file = open(self.path, "w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._file)
        self._csv.writerow(columns)
        self._file.flush()

    def write(self, row: dict[str, float]) -> None:
        self._csv.writerow([format_cell(c, row[c]) for c in self.columns])
        self._file.flush()

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
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path}: empty metrics file")
    header, body = rows[0], [r for r in rows[1:] if r]
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
