"""Live changes (the decks' babysitting): live-changeable preset keys set while a run goes,
and single weights set by hand while it waits paused, from an epoch on, written into the run's
preset as ``changes`` so that the run can be trained again bit for bit.

``{"epoch": 41, "set": {"optimizer.lr": 0.001}}`` means: epochs 41, 42, … (counted as in
``metrics.csv``) train with the new value. The live-changeable keys are the catalog's
(``Knob.live``); a value is checked as the preset key is. A new learning rate replaces the
schedule's base rate η₀, and the schedule's formula goes on over the same epoch counter.

``{"epoch": 12, "weights": {"W1": [[0, 2, 0.5]], "b2": [[1, -0.25]]}}`` sets single trained
parameters (named as in ``weights_*.npz``; indices from 0) at the start of epoch 12, after the
11 epochs before it: entry ``[i, j, value]`` of a matrix ``W_l`` (from unit i of the layer
before to unit j of layer l), ``[j, value]`` of a vector (``b_l``, ``bn<l>_gamma``,
``bn<l>_beta``). Epoch 12 trains from them; the optimizer's state (momenta, moments) stays as
it was. Within one change a later entry for the same index wins. A change may both ``set``
keys and set ``weights``.
"""

from __future__ import annotations

import copy
import math
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


#: Words for a dimension of a parameter that the data decides (unknown before it is loaded).
_DATA_DIMS = ("inputs", "outputs")


def parameter_shapes(model, n_features: int | None = None,
                     n_outputs: int | None = None) -> dict[str, tuple]:
    """The trained parameters of a network of the preset section ``model`` by name → shape
    (as in ``weights_*.npz``). Without ``n_features`` / ``n_outputs`` (the data's), the
    dimensions they decide are the words "inputs" / "outputs"."""
    from trainlab.engine.layout import build_layout

    hidden = list(model.hidden)
    acts = model.activation if isinstance(model.activation, list) \
        else [model.activation] * len(hidden)
    sizes = [n_features or 1, *hidden, n_outputs or 1]
    _, tensors, *_ = build_layout(sizes, list(acts), model.batch_norm, model.maxout_pieces)
    last = len(sizes) - 1
    shapes: dict[str, tuple] = {}
    for t in tensors:
        if not t.learned:
            continue
        shape: list = list(t.shape)
        if t.name == "W1" and n_features is None:
            shape[0] = _DATA_DIMS[0]
        if t.name in (f"W{last}", f"b{last}") and n_outputs is None:
            shape[-1] = _DATA_DIMS[1]
        shapes[t.name] = tuple(shape)
    return shapes


def _shape_text(shape: tuple) -> str:
    """``(2, 4)``, ``(4,)``, ``(inputs, 4)``."""
    return f"({', '.join(str(d) for d in shape)}{',' if len(shape) == 1 else ''})"


def _list_text(values: list) -> str:
    from trainlab.presets.errors import show

    return f"[{', '.join(show(v) for v in values)}]"


def _closest_parameter(name: str, names: list[str]) -> str:
    import difflib

    same_case = [n for n in names if n.lower() == name.lower()]
    if same_case:
        return same_case[0]
    return difflib.get_close_matches(name, names, n=1, cutoff=0.0)[0]


def _entry_problem(name: str, shape: tuple, entry: Any) -> str:
    """What is wrong with one entry ``[*index, value]`` of parameter ``name`` ("" if
    nothing)."""
    from trainlab.presets.errors import show

    form = "[row, column, value]" if len(shape) == 2 else "[index, value]"
    if not isinstance(entry, list) or len(entry) != len(shape) + 1:
        return (f"an entry of {name} (shape {_shape_text(shape)}) is {form}, got "
                f"{_list_text(entry) if isinstance(entry, list) else show(entry)}")
    *index, value = entry
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in index):
        return f"the indices of {form} must be whole numbers, got {_list_text(index)}"
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value):
        return f"the value must be a finite number, got {show(value)}"
    if any(i < 0 or (isinstance(d, int) and i >= d) for i, d in zip(index, shape, strict=True)):
        return f"index {index} is outside {name}'s shape {_shape_text(shape)}"
    return ""


def weight_problems(weights: Any, shapes: dict[str, tuple]) -> tuple[dict, list]:
    """Check a change's ``weights`` against a network's trained ``shapes``
    (:func:`parameter_shapes`): ``(weights with finite float values, problems)``, each
    problem ``(where, message)``, ``where`` a parameter name or ``name.k`` (its k-th entry)."""
    if not isinstance(weights, dict) or not weights:
        return {}, [("", 'must name parameters and their entries, e.g. {"W1": [[0, 2, 0.5]]}')]
    clean: dict[str, list] = {}
    problems: list[tuple[str, str]] = []
    names = list(shapes)
    for name, entries in weights.items():
        if name not in shapes:
            problems.append((name, f"unknown parameter; did you mean "
                                   f"'{_closest_parameter(str(name), names)}'? (this network "
                                   f"has {', '.join(names)})"))
            continue
        shape = shapes[name]
        if not isinstance(entries, list) or not entries:
            form = "[row, column, value]" if len(shape) == 2 else "[index, value]"
            problems.append((name, f"must be a non-empty list of entries {form}"))
            continue
        rows = []
        for k, entry in enumerate(entries):
            message = _entry_problem(name, shape, entry)
            if message:
                problems.append((f"{name}.{k}", message))
            else:
                rows.append([*entry[:-1], float(entry[-1])])
        clean[name] = rows
    return clean, problems


def check_weights(weights: Any, shapes: dict[str, tuple]) -> dict:
    """``weights`` checked against ``shapes``; ValueError (one line per problem) otherwise."""
    clean, problems = weight_problems(weights, shapes)
    if problems:
        raise ValueError("\n".join(f"{where}: {message}" if where else message
                                   for where, message in problems))
    return clean


def merge_weights(into: dict, weights: dict) -> dict:
    """``weights`` merged into ``into`` (both ``{name: [[*index, value], …]}``): an entry
    for an index already there replaces its value; returns ``into``."""
    for name, entries in weights.items():
        merged = {tuple(e[:-1]): e[-1] for e in into.get(name, [])}
        for e in entries:
            merged[tuple(e[:-1])] = e[-1]
        into[name] = [[*index, value] for index, value in merged.items()]
    return into


def weight_change_problems(preset, n_features: int | None = None,
                           n_outputs: int | None = None) -> list[tuple[str, str]]:
    """The problems of the ``weights`` of a preset's ``changes`` (located
    ``changes.<i>.weights…``) for a network of ``n_features`` inputs and ``n_outputs``
    outputs (None: not known yet)."""
    shapes = None
    problems: list[tuple[str, str]] = []
    for i, change in enumerate(preset.changes):
        if not change.weights:
            continue
        if shapes is None:
            shapes = parameter_shapes(preset.model, n_features, n_outputs)
        _, found = weight_problems(change.weights, shapes)
        problems += [(f"changes.{i}.weights.{where}" if where else f"changes.{i}.weights",
                      message) for where, message in found]
    return problems


def set_weights(net, weights: dict) -> None:
    """Put checked ``weights`` (``{name: [[*index, value], …]}``) into ``net``'s parameters,
    in place (the arrays the run trains)."""
    for name, entries in weights.items():
        net.set_entries(name, entries)


def change_problems(preset) -> list[tuple[str, str]]:
    """The problems of a preset's ``changes`` (located ``changes.<i>…``): keys that are not
    live-changeable, values the key does not allow (with the changes before applied), weights
    the network does not have (as far as the preset tells its shape: see
    :func:`weight_change_problems`), epochs that do not increase, changes that change
    nothing."""
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
        if not change.set and not change.weights:
            problems.append((f"changes.{i}", 'sets nothing: give "set" (keys and values), '
                             '"weights" (parameters and entries) or both'))
        if not change.set:
            continue
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
    return problems + weight_change_problems(preset)


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

    def due(self, epoch: int, asked: list[dict]) -> tuple[dict, dict]:
        """The settings and the weights that take effect with ``epoch``: the planned ones of
        that epoch and then those ``asked`` for (``{"set": …}`` or ``{"weights": …}``; later
        ones win); recorded in ``log``."""
        settings: dict = {}
        weights: dict = {}
        due = []
        while self.planned and self.planned[0]["epoch"] <= epoch:
            due.append(self.planned.pop(0))
        for change in due + asked:
            settings.update(change.get("set") or {})
            merge_weights(weights, change.get("weights") or {})
        if not settings and not weights:
            return {}, {}
        entry = {"epoch": epoch}
        if self.log and self.log[-1]["epoch"] == epoch:
            entry = self.log.pop()
        if settings:
            entry["set"] = {**entry.get("set", {}), **settings}
        if weights:
            entry["weights"] = merge_weights(copy.deepcopy(entry.get("weights", {})), weights)
        self.log.append({key: entry[key] for key in ("epoch", "set", "weights") if key in entry})
        return settings, weights

    def apply(self, settings: dict):
        """Put ``settings`` in force; returns the validated preset in force."""
        preset = with_settings(self.current, settings)
        self.current = apply_settings(self.current, settings)
        return preset

    def resolved(self, base: dict) -> dict:
        """``base`` (the preset as the run started) with the changes applied so far and
        those still planned."""
        return dict(base, changes=copy.deepcopy(self.log + self.planned))
