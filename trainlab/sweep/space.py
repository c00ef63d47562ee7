"""The search space: each searched preset key, its values, and how a trial gets one.

Grid and random trials are fixed up front (grid: every combination; random: trial i's values
drawn from a generator seeded with ``(seed, i)``), so they are the same trials whatever the
number of workers and whichever worker runs them. Bayesian trials are drawn by Optuna's TPE
sampler through :meth:`Parameter.suggest`.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import math
from typing import Any

import numpy as np
import optuna.distributions as od

from trainlab.catalog.names import did_you_mean
from trainlab.presets import PresetError, preset_to_dict, validate_preset
from trainlab.presets.errors import show

from .model import Choices, Range

#: Preset keys that name or label a preset rather than set it up: not searchable.
NOT_SEARCHABLE = ("format", "version", "name", "description")


def _tidy(x: float) -> float:
    """0.30000000000000004 -> 0.3: grid points as a person writes them (12 digits)."""
    return float(f"{x:.12g}")


def _encode(value: Any) -> Any:
    """A value as Optuna stores a categorical choice (lists and objects as JSON text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, sort_keys=True)


class Parameter:
    """One searched key path (``optimizer.lr``) and its domain."""

    def __init__(self, key: str, domain: list | Choices | Range):
        self.key = key
        self.range = domain if isinstance(domain, Range) else None
        self.choices = list(domain.choices if isinstance(domain, Choices) else domain) \
            if self.range is None else None

    @property
    def log(self) -> bool:
        return bool(self.range and self.range.log)

    def _steps(self) -> int | None:
        """Number of steps from low to high (the points are low + k·step, k = 0..n)."""
        r = self.range
        if r is None or r.step is None:
            return None
        return int(math.floor((r.high - r.low) / r.step + 1e-9))

    def _point(self, k: int) -> int | float:
        r = self.range
        return r.low + k * r.step if r.integer else _tidy(r.low + k * r.step)

    def grid_values(self) -> list | None:
        """Every value in order, or None for a continuous range (not griddable)."""
        if self.choices is not None:
            return list(self.choices)
        n = self._steps()
        if n is None:
            return list(range(self.range.low, self.range.high + 1)) if self.range.integer \
                else None
        return [self._point(k) for k in range(n + 1)]

    def bounds(self) -> list:
        """The values that stand for the domain when it is checked against the preset."""
        return self.choices if self.choices is not None else [self.range.low, self.range.high]

    def draw(self, rng: np.random.Generator) -> Any:
        """A value drawn uniformly (in log space for a log range)."""
        r = self.range
        if r is None:
            return self.choices[int(rng.integers(len(self.choices)))]
        n = self._steps()
        if n is not None:
            return self._point(int(rng.integers(n + 1)))
        if r.log:
            x = math.exp(rng.uniform(math.log(r.low), math.log(r.high)))
            return min(max(round(x), r.low), r.high) if r.integer else min(max(x, r.low), r.high)
        if r.integer:
            return int(rng.integers(r.low, r.high + 1))
        return float(rng.uniform(r.low, r.high))

    def distribution(self) -> od.BaseDistribution:
        r = self.range
        if r is None:
            return od.CategoricalDistribution([_encode(v) for v in self.choices])
        n = self._steps()
        high = r.high if n is None else self._point(n)
        if r.integer:
            return od.IntDistribution(r.low, high, log=r.log, step=r.step or 1)
        return od.FloatDistribution(float(r.low), float(high), log=r.log, step=r.step)

    def encode(self, value: Any) -> Any:
        """The value as Optuna records it in a trial's params."""
        return _encode(value) if self.range is None else value

    def decode(self, stored: Any) -> Any:
        """The value of a parameter as Optuna recorded it (see :meth:`encode`)."""
        if self.range is not None:
            return stored
        return self.choices[[self.encode(v) for v in self.choices].index(stored)]

    def suggest(self, trial) -> Any:
        """Ask an Optuna trial for this parameter's value (fixed, or from its sampler)."""
        d = self.distribution()
        if isinstance(d, od.CategoricalDistribution):
            picked = trial.suggest_categorical(self.key, d.choices)
            return self.choices[list(d.choices).index(picked)]
        if isinstance(d, od.IntDistribution):
            return trial.suggest_int(self.key, d.low, d.high, step=d.step, log=d.log)
        return trial.suggest_float(self.key, d.low, d.high, step=d.step, log=d.log)


def grid(parameters: list[Parameter]) -> list[dict[str, Any]]:
    """Every combination, the last parameter changing fastest."""
    columns = [p.grid_values() for p in parameters]
    return [dict(zip([p.key for p in parameters], combo, strict=True))
            for combo in itertools.product(*columns)]


def random_trial(parameters: list[Parameter], seed: int, index: int) -> dict[str, Any]:
    """Trial ``index``'s values: a function of the seed and the index only."""
    rng = np.random.default_rng([seed, index])
    return {p.key: p.draw(rng) for p in parameters}


# --- preset key paths ----------------------------------------------------------------------


def key_paths(preset: dict, prefix: str = "") -> list[str]:
    """Every leaf key path of a resolved preset dict (``data.split.train``, ``model.hidden``)."""
    paths = []
    for key, value in preset.items():
        if not prefix and key in NOT_SEARCHABLE:
            continue
        if isinstance(value, dict):
            paths += key_paths(value, f"{prefix}{key}.")
        else:
            paths.append(f"{prefix}{key}")
    return paths


def with_values(base: dict, values: dict[str, Any]) -> dict:
    """A copy of the preset dict with each key path set to its value."""
    data = copy.deepcopy(base)
    for key, value in values.items():
        *sections, last = key.split(".")
        node = data
        for section in sections:
            node = node[section]
        node[last] = copy.deepcopy(value)
    return data


def problems(parameters: list[Parameter], base: dict, method: str) -> list[tuple[str, str]]:
    """Every problem of the parameters against the base preset: unknown key paths (naming the
    closest valid one), values the preset refuses, a grid over a continuous range."""
    valid = key_paths(base)
    found: list[tuple[str, str]] = []
    for p in parameters:
        where = f"parameters[{show(p.key)}]"
        if p.key not in valid:
            hint = did_you_mean(p.key, valid) or _same_last_key(p.key, valid)
            found.append((where, f"unknown preset key;{hint}" if hint else
                          "unknown preset key; keys look like 'optimizer.lr', 'model.hidden'"))
            continue
        if method == "grid" and p.grid_values() is None:
            found.append((where, "a grid needs a list of values, choices or a range with a step"))
        names = [f"[{i}]" for i in range(len(p.bounds()))] if p.range is None \
            else [".low", ".high"]
        for name, value in zip(names, p.bounds(), strict=True):
            try:
                validate_preset(with_values(base, {p.key: value}))
            except PresetError as error:
                for key, message in error.problems:
                    text = message if key == p.key else f"{key}: {message}"
                    found.append((f"{where}{name}", text))
    return found


def _same_last_key(key: str, valid: list[str]) -> str:
    """' did you mean 'optimizer.lr'?' for 'lr' or 'optimiser.lr': by the last key alone."""
    last = {path.split(".")[-1]: path for path in valid}
    close = difflib.get_close_matches(key.split(".")[-1], list(last), n=1, cutoff=0.6)
    return f" did you mean '{last[close[0]]}'?" if close else ""


def trial_preset(base: dict, values: dict[str, Any], name: str) -> dict:
    """The resolved preset of one trial (every default written out)."""
    data = with_values(base, values)
    data["name"] = name[:200]
    return preset_to_dict(validate_preset(data, source=name))
