"""What a sweep leaves: one row per trial (``results.csv``), the best trial's preset, and the
table ``trainlab sweep-show`` prints. Rows come from the study, so any machine can write them."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from optuna.trial import TrialState

from trainlab.presets import save_preset

from .definition import SweepDefinition
from .model import DIRECTIONS
from .worker import CURVES, OUTCOME_ATTR

RESULTS_FILE = "results.csv"
BEST_FILE = "best_preset.json"
DEFINITION_FILE = "sweep.json"
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


def result_rows(study, definition: SweepDefinition) -> list[dict[str, Any]]:
    """One dict per finished trial, by trial index: ``trial``, each parameter's value,
    ``objective`` (None unless complete), the metrics, ``epochs``, ``seconds``, ``state``,
    ``message``, ``run_dir``. Interrupted attempts (queued again) are left out."""
    rows: dict[int, dict[str, Any]] = {}
    for t in study.get_trials(deepcopy=False, states=FINISHED):
        outcome = t.user_attrs.get(OUTCOME_ATTR)
        if outcome is None or t.user_attrs.get("interrupted"):
            continue
        row: dict[str, Any] = {"trial": int(t.user_attrs["index"])}
        for p in definition.parameters:
            row[p.key] = p.decode(t.params[p.key]) if p.key in t.params else None
        row["objective"] = outcome["objective"]
        row.update(outcome["metrics"])
        for key in ("epochs", "seconds", "state", "message", "run_dir"):
            row[key] = outcome[key]
        rows[row["trial"]] = row
    return [rows[i] for i in sorted(rows)]


def progress_counts(study) -> tuple[int, int]:
    """(finished trials, all trials) of a sweep, counting each trial index once."""
    finished, every = set(), set()
    for t in study.get_trials(deepcopy=False):
        index = t.user_attrs.get("index")
        every.add(index)
        if t.state in FINISHED and not t.user_attrs.get("interrupted"):
            finished.add(index)
    return len(finished), len(every)


def best_row(rows: list[dict], direction: str) -> dict | None:
    """The complete trial with the best objective (the lowest index among equals)."""
    ordered = sorted_rows(rows, direction)
    return ordered[0] if ordered and ordered[0]["state"] == "complete" else None


def sorted_rows(rows: list[dict], direction: str) -> list[dict]:
    """Complete trials best first, then the others by trial."""
    sign = 1 if direction == "minimize" else -1
    done = [r for r in rows if r["state"] == "complete" and r["objective"] is not None]
    rest = [r for r in rows if r not in done]
    return sorted(done, key=lambda r: (sign * r["objective"], r["trial"])) + rest


def columns(rows: list[dict], definition: SweepDefinition) -> list[str]:
    metric_names = [f"{m}_{w}" for m in CURVES for w in ("last", "best")]
    present = {k for r in rows for k in r}
    extra = sorted(k for k in present if k.startswith(("test_", "kfold_")))
    return (["trial", *definition.keys, "objective"]
            + [m for m in metric_names if m in present] + extra
            + ["epochs", "seconds", "state", "message"])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "nan"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def csv_text(rows: list[dict], definition: SweepDefinition) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = columns(rows, definition)
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def write_outputs(out_dir: Path, study, definition: SweepDefinition) -> list[dict]:
    """Write ``results.csv``, ``best_preset.json`` (when a trial completed) and ``sweep.json``
    (the resolved definition); return the rows."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = result_rows(study, definition)
    _write(out_dir / RESULTS_FILE, csv_text(rows, definition))
    _write(out_dir / DEFINITION_FILE,
           json.dumps(definition.to_dict(), indent=2, ensure_ascii=False) + "\n")
    best = best_row(rows, definition.direction)
    if best is not None:
        values = {key: best[key] for key in definition.keys}
        preset = definition.trial_preset(best["trial"], values)
        preset["name"] = f"{definition.name} · best (trial {best['trial']})"[:200]
        metric = definition.file.objective
        preset["description"] = (f"The best trial of the search '{definition.name}': "
                                 f"{metric.metric} ({metric.at}) = {best['objective']:.6g} with "
                                 + ", ".join(f"{k} = {json.dumps(v)}" for k, v in values.items())
                                 + ".")
        save_preset(preset, out_dir / BEST_FILE)
    return rows


def read_table(out_dir: Path) -> tuple[list[str], list[dict[str, str]], str]:
    """``results.csv`` of a sweep directory as (columns, rows sorted by objective, direction).
    Raises FileNotFoundError when the folder holds no sweep results."""
    out_dir = Path(out_dir)
    with open(out_dir / RESULTS_FILE, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        names, rows = list(reader.fieldnames or []), list(reader)
    try:
        stored = json.loads((out_dir / DEFINITION_FILE).read_text(encoding="utf-8"))
        objective = stored.get("objective", {})
        direction = objective.get("direction") or DIRECTIONS[objective.get("metric", "val_loss")]
    except (OSError, ValueError, KeyError):
        direction = "minimize"
    sign = 1 if direction == "minimize" else -1

    def key(row: dict) -> tuple:
        value = float(row["objective"]) if row.get("objective") not in ("", None) else math.nan
        if row.get("state") != "complete" or not math.isfinite(value):
            return (1, 0.0, int(row["trial"]))
        return (0, sign * value, int(row["trial"]))

    return names, sorted(rows, key=key), direction


def format_table(names: list[str], rows: list[dict[str, str]]) -> str:
    """A plain-text table; numbers shown with 4 significant digits."""

    def show(value: str) -> str:
        try:
            number = float(value)
        except ValueError:
            return value
        return value if value.lstrip("-").isdigit() else f"{number:.4g}"

    shown = [n for n in names if n not in ("message", "run_dir")]
    cells = [[show(row.get(n, "")) for n in shown] for row in rows]
    widths = [max([len(n), *(len(c[i]) for c in cells)]) for i, n in enumerate(shown)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(shown, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)
