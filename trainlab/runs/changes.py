"""Live changes (the decks' babysitting): live-changeable preset keys set while a run goes,
from an epoch on, and written into the run's preset as ``changes`` so that the run can be
trained again bit for bit.

``{"epoch": 41, "set": {"optimizer.lr": 0.001}}`` means: epochs 41, 42, … (counted as in
``metrics.csv``) train with the new value. The live-changeable keys are the catalog's
(``Knob.live``); a value is checked as the preset key is. A new learning rate replaces the
schedule's base rate η₀, and the schedule's formula goes on over the same epoch counter.
"""

from __future__ import annotations

import copy
from typing import Any

from trainlab.catalog.knobs import KNOBS, LIVE_KEYS


def check_change(settings: Any) -> dict:
    """``settings`` as a dict of live-changeable keys; ValueError (one line per problem) for
    anything else. Values are checked against a preset by :func:`with_settings`."""
    if not isinstance(settings, dict) or not settings:
        raise ValueError("a change is a non-empty dict of key paths and values, e.g. "
                         '{"optimizer.lr": 0.001}')
    problems = []
    for key in settings:
        if key not in KNOBS:
            problems.append(f"{key}: unknown key")
        elif key not in LIVE_KEYS:
            problems.append(f"{key}: cannot change while a run goes (only "
                            f"{', '.join(sorted(LIVE_KEYS))})")
    if problems:
        raise ValueError("\n".join(problems))
    return dict(settings)


def apply_settings(resolved: dict, settings: dict) -> dict:
    """A copy of the preset dict ``resolved`` with ``settings`` (dotted paths) set."""
    out = copy.deepcopy(resolved)
    for key, value in settings.items():
        *sections, last = key.split(".")
        node = out
        for s in sections:
            node = node.setdefault(s, {})
        node[last] = value
    return out


def with_settings(resolved: dict, settings: dict, where: str = "change"):
    """The validated :class:`~trainlab.presets.Preset` of ``resolved`` with ``settings`` set
    (its ``changes`` left out); ValueError naming each bad key otherwise."""
    from trainlab.presets import PresetError, validate_preset

    new = apply_settings(resolved, settings)
    new["changes"] = []
    try:
        return validate_preset(new, where)
    except PresetError as error:
        raise ValueError(str(error)) from None


def change_problems(preset) -> list[tuple[str, str]]:
    """The problems of a preset's ``changes`` (located ``changes.<i>…``): keys that are not
    live-changeable, values the key does not allow (with the changes before applied), epochs
    that do not increase."""
    from trainlab.presets import PresetError, validate_preset
    from trainlab.presets.validate import preset_to_dict

    if not preset.changes:
        return []
    problems: list[tuple[str, str]] = []
    current = preset_to_dict(preset)
    current["changes"] = []
    last = 0
    for i, change in enumerate(preset.changes):
        if change.epoch <= last:
            problems.append((f"changes.{i}.epoch", f"must be greater than the epoch before "
                             f"({last}), got {change.epoch}"))
        last = max(last, change.epoch)
        try:
            check_change(change.set)
        except ValueError as error:
            problems += [(f"changes.{i}.set", line) for line in str(error).splitlines()]
            continue
        candidate = apply_settings(current, change.set)
        try:
            validate_preset(candidate)
        except PresetError as error:
            problems += [(f"changes.{i}.set.{loc}" if loc else f"changes.{i}.set", message)
                         for loc, message in error.problems]
            continue
        current = candidate
    return problems


class LiveChanges:
    """A run's changes: the preset's planned ones and those asked for while it goes.

    ``current`` is the resolved preset in force (changes applied, ``changes`` empty);
    ``log`` the changes applied so far, in epoch order, as the run's preset records them.
    """

    def __init__(self, resolved: dict):
        self.planned = [dict(c) for c in resolved.get("changes") or []]
        self.current = dict(copy.deepcopy(resolved), changes=[])
        self.log: list[dict] = []

    def validate(self, settings: dict) -> None:
        """Raise ValueError when ``settings`` are not valid for the preset in force."""
        with_settings(self.current, settings)

    def next_planned(self) -> int | None:
        """The epoch of the next planned change (None: none left)."""
        return self.planned[0]["epoch"] if self.planned else None

    def due(self, epoch: int, asked: list[dict]) -> dict:
        """The settings that take effect with ``epoch``: the planned ones of that epoch and
        then those ``asked`` for (later ones win); recorded in ``log``."""
        merged: dict = {}
        while self.planned and self.planned[0]["epoch"] <= epoch:
            merged.update(self.planned.pop(0)["set"])
        for settings in asked:
            merged.update(settings)
        if not merged:
            return {}
        if self.log and self.log[-1]["epoch"] == epoch:
            self.log[-1]["set"].update(merged)
        else:
            self.log.append({"epoch": epoch, "set": dict(merged)})
        return merged

    def apply(self, settings: dict):
        """Put ``settings`` in force; returns the validated preset in force."""
        preset = with_settings(self.current, settings)
        self.current = apply_settings(self.current, settings)
        return preset

    def resolved(self, base: dict) -> dict:
        """``base`` (the preset as the run started) with the changes applied so far and
        those still planned."""
        return dict(base, changes=copy.deepcopy(self.log + self.planned))
