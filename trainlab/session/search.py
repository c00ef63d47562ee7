"""The Search window's state without Qt: the sweep being put together from the current settings
(:class:`SearchDraft`), and what its results look like as a heat map, parallel coordinates and
the best trials' curves.

A draft holds the base preset (a copy of the settings when the search was opened), the searched
keys with their domains, the method, the objective and the budget; :meth:`SearchDraft.to_sweep`
writes the ``trainlab-sweep`` dict that :class:`trainlab.sweep.Sweep` runs and that is saved as
a file. No Qt here.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from trainlab.session.events import Events

METHODS = ("grid", "random", "bayesian")
OBJECTIVES = ("val_loss", "val_acc", "val_r2")
WHEN = ("best", "last", "kfold")


def default_domain(value: Any, choices: list | None = None) -> Any:
    """A first domain to search around a setting's current value: its choices; both truth
    values; half, the value and twice it for a count; a decade either side (log) for a
    positive number; a few values from 0 for a number at 0."""
    if choices:
        return list(choices)
    if isinstance(value, bool):
        return [False, True]
    if isinstance(value, int):
        return sorted({max(1, value // 2), value, value * 2})
    if isinstance(value, float):
        if value > 0:
            return {"low": float(f"{value / 10:.6g}"), "high": float(f"{value * 10:.6g}"),
                    "log": True}
        return [0.0, 0.2, 0.4]
    return [copy.deepcopy(value)]


def parse_values(text: str) -> list:
    """``"0.1, 0.2"`` → ``[0.1, 0.2]``; ``"[8], [16, 16]"`` → two lists; bare words are
    strings (``"tanh, relu"``). Raises ValueError with one line when nothing is given."""
    text = text.strip()
    if not text:
        raise ValueError("give at least one value, separated by commas")
    try:
        values = json.loads(f"[{text}]")
    except ValueError:
        values = [_word(part.strip()) for part in text.split(",") if part.strip()]
    if not values:
        raise ValueError("give at least one value, separated by commas")
    return values


def _word(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_domain(text: str, log: bool = False) -> Any:
    """A domain from the window's text: ``"0.001 … 0.1"`` (or ``..``) is a range (in log
    space with ``log``), anything else a list of values (:func:`parse_values`)."""
    for sep in ("…", ".."):
        if sep in text:
            ends = [part.strip() for part in text.split(sep)]
            try:
                low, high = (json.loads(e) for e in ends)
            except ValueError:
                raise ValueError(f"a range reads 'low … high', got {text.strip()!r}") from None
            if not all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in (low, high)) or len(ends) != 2:
                raise ValueError(f"a range reads 'low … high', got {text.strip()!r}")
            return {"low": low, "high": high, "log": bool(log)}
    return parse_values(text)


def row_of_report(report: dict) -> dict | None:
    """A results row (as :meth:`trainlab.sweep.Sweep.results` gives) from what a worker
    reports when a trial ends; None for an interrupted trial (it runs again)."""
    if report.get("state") == "interrupted":
        return None
    row = {"trial": report["index"], **report.get("values", {}),
           "objective": report.get("objective")}
    row.update(report.get("metrics") or {})
    for key in ("epochs", "seconds", "state", "message", "run_dir"):
        row[key] = report.get(key)
    return row


def domain_text(domain: Any) -> str:
    """How a domain reads in the window: ``0.001 … 0.1 (log)`` or ``0, 0.2, 0.4``."""
    if isinstance(domain, dict) and "low" in domain:
        step = f" step {domain['step']:g}" if domain.get("step") else ""
        log = " (log)" if domain.get("log") else ""
        return f"{domain['low']:g} … {domain['high']:g}{step}{log}"
    values = domain["choices"] if isinstance(domain, dict) else domain
    return ", ".join(json.dumps(v) for v in values)


def domain_size(domain: Any) -> int | None:
    """How many values a grid takes from the domain (None: a continuous range)."""
    if isinstance(domain, list):
        return len(domain)
    if "choices" in domain:
        return len(domain["choices"])
    low, high, step = domain["low"], domain["high"], domain.get("step")
    if step:
        return int(math.floor((high - low) / step + 1e-9)) + 1
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        return high - low + 1
    return None


class SearchDraft:
    """A sweep being set up. Events: ``changed()`` after every edit."""

    def __init__(self, base: dict, name: str = ""):
        self.events = Events("changed")
        self.base = copy.deepcopy(base)
        self.name = name or f"Search over {base.get('name') or 'the settings'}"
        self.description = ""
        self.parameters: dict[str, Any] = {}
        self.method = "grid"
        self.n_trials = 20
        self.seed = 0
        self.metric = "val_loss"
        self.at = "best"
        self.max_minutes: float | None = None
        self.pruning: dict = {"enabled": False}

    # ---- parameters ---------------------------------------------------------------------
    def add(self, key: str, domain: Any = None, choices: list | None = None) -> None:
        """Search over ``key`` (a preset key path); ``domain`` None = around its value."""
        if domain is None:
            domain = default_domain(self.value(key), choices)
        self.parameters[key] = domain
        self.events.changed.emit()

    def remove(self, key: str) -> None:
        self.parameters.pop(key, None)
        self.events.changed.emit()

    def value(self, key: str) -> Any:
        """The base preset's value at a key path."""
        node: Any = self.base
        for part in key.split("."):
            node = node[part]
        return node

    def set(self, **fields: Any) -> None:
        """Change method, n_trials, seed, metric, at, max_minutes, name or description."""
        for name, value in fields.items():
            if not hasattr(self, name) or name in ("events", "parameters", "base"):
                raise AttributeError(f"a search has no setting {name!r}")
            setattr(self, name, value)
        self.events.changed.emit()

    def grid_size(self) -> int | None:
        """Trials of a grid over the parameters (None: a continuous range has no grid)."""
        total = 1
        for domain in self.parameters.values():
            n = domain_size(domain)
            if n is None:
                return None
            total *= n
        return total if self.parameters else 0

    def trial_count(self) -> int | None:
        return self.grid_size() if self.method == "grid" else self.n_trials

    # ---- files --------------------------------------------------------------------------
    def to_sweep(self) -> dict:
        """The ``trainlab-sweep`` dict (base inline), as saved and as run."""
        method: dict[str, Any] = {"name": self.method}
        if self.method != "grid":
            method.update(n_trials=int(self.n_trials), seed=int(self.seed))
        return {"format": "trainlab-sweep", "version": 1, "name": self.name,
                "description": self.description, "base": copy.deepcopy(self.base),
                "parameters": copy.deepcopy(self.parameters), "method": method,
                "objective": {"metric": self.metric, "at": self.at},
                "pruning": dict(self.pruning),
                "budget": {"max_trials": None, "max_minutes": self.max_minutes}}

    @classmethod
    def from_sweep(cls, data: dict, base: dict) -> SearchDraft:
        """A draft of a checked sweep file's dict, with its resolved base preset."""
        draft = cls(base, data.get("name") or "")
        draft.description = data.get("description", "")
        draft.parameters = copy.deepcopy(data["parameters"])
        method = data["method"]
        draft.method = method["name"]
        draft.n_trials = method.get("n_trials", 20)
        draft.seed = method.get("seed", 0)
        objective = data.get("objective") or {}
        draft.metric = objective.get("metric", "val_loss")
        draft.at = objective.get("at", "best")
        draft.pruning = dict(data.get("pruning") or {"enabled": False})
        draft.max_minutes = (data.get("budget") or {}).get("max_minutes")
        return draft


# ---- results as pictures ------------------------------------------------------------------
def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else json.dumps(value)


def axis_values(rows: list[dict], key: str, domain: Any = None) -> list:
    """The distinct values of a key among the rows, in the domain's order when it lists them,
    else sorted."""
    seen = []
    for row in rows:
        if row.get(key) not in seen:
            seen.append(row.get(key))
    listed = domain if isinstance(domain, list) else (domain or {}).get("choices")
    if listed:
        return [v for v in listed if v in seen] + [v for v in seen if v not in listed]
    try:
        return sorted(seen)
    except TypeError:
        return seen


def heat_map(rows: list[dict], x_key: str, y_key: str, domains: dict | None = None
             ) -> tuple[list, list, list[list[float]]]:
    """(x values, y values, grid[y][x]): the objective of the complete trials at each pair of
    values (the mean where several trials share a cell; NaN where none completed)."""
    domains = domains or {}
    done = [r for r in rows if r.get("state") == "complete" and r.get("objective") is not None]
    xs = axis_values(rows, x_key, domains.get(x_key))
    ys = axis_values(rows, y_key, domains.get(y_key))
    grid = []
    for y in ys:
        line = []
        for x in xs:
            cell = [r["objective"] for r in done if r[x_key] == x and r[y_key] == y]
            line.append(math.fsum(cell) / len(cell) if cell else math.nan)
        grid.append(line)
    return xs, ys, grid


def axis_position(value: Any, domain: Any, values: list) -> float:
    """Where a value sits on its parallel-coordinates axis, 0 … 1: by its number (in log
    space for a log range) between the range's ends, or by its rank among listed values."""
    if isinstance(domain, dict) and "low" in domain and isinstance(value, int | float):
        low, high = domain["low"], domain["high"]
        if domain.get("log"):
            low, high, value = math.log10(low), math.log10(high), math.log10(value)
        return 0.5 if high == low else (value - low) / (high - low)
    if len(values) < 2:
        return 0.5
    return values.index(value) / (len(values) - 1)


def parallel_lines(rows: list[dict], domains: dict[str, Any]) -> tuple[list[str], list[dict]]:
    """Axis labels (each key, then the objective) and, per complete trial, its positions on
    the axes: ``{"trial", "objective", "y": [..]}``; the objective's axis runs min … max."""
    keys = list(domains)
    done = [r for r in rows if r.get("state") == "complete" and r.get("objective") is not None]
    values = {k: axis_values(done, k, domains[k]) for k in keys}
    objectives = [r["objective"] for r in done]
    low, high = (min(objectives), max(objectives)) if objectives else (0.0, 1.0)
    lines = []
    for r in done:
        y = [axis_position(r[k], domains[k], values[k]) for k in keys]
        y.append(0.5 if high == low else (r["objective"] - low) / (high - low))
        lines.append({"trial": r["trial"], "objective": r["objective"], "y": y})
    return [*keys, "objective"], lines


def axis_ticks(key: str, domain: Any, rows: list[dict]) -> list[tuple[float, str]]:
    """(position, text) ticks of a parallel-coordinates axis: its ends for a range (the
    middle too, geometric for log), its values for a list."""
    if isinstance(domain, dict) and "low" in domain:
        low, high = domain["low"], domain["high"]
        middle = math.sqrt(low * high) if domain.get("log") else (low + high) / 2
        return [(axis_position(v, domain, []), f"{v:.3g}") for v in (low, middle, high)]
    done = [r for r in rows if r.get("state") == "complete"]
    values = axis_values(done, key, domain)
    return [(axis_position(v, domain, values), _label(v)) for v in values]


def best_trials(rows: list[dict], direction: str, k: int) -> list[dict]:
    """The k complete trials with the best objective, best first (lower index among ties)."""
    sign = 1 if direction == "minimize" else -1
    done = [r for r in rows if r.get("state") == "complete" and r.get("objective") is not None]
    return sorted(done, key=lambda r: (sign * r["objective"], r["trial"]))[:k]
