"""Comparison presets: every variant of a preset trained on the same data and seed.

``run_variants(preset, out_dir)`` trains variant i into ``out_dir/<slug(label_i)>/``, an
ordinary run directory whose ``preset.json`` is the preset with the variant's overrides
applied and no ``variants`` left, so that ``trainlab run`` of that folder repeats it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainlab.catalog import did_you_mean
from trainlab.catalog import slug as folder_name
from trainlab.runs.changes import apply_settings

from .model import unique_labels


def _key_paths(node: dict, prefix: str = "") -> list[str]:
    paths = []
    for key, value in node.items():
        if isinstance(value, dict) and prefix + key not in ("lesson",):
            paths += _key_paths(value, f"{prefix}{key}.")
        else:
            paths.append(f"{prefix}{key}")
    return paths


def variant_preset(resolved: dict, overrides: dict[str, Any], label: str) -> dict:
    """The preset dict of one variant: ``overrides`` applied, no variants, named after it."""
    data = apply_settings(resolved, overrides)
    data["variants"] = []
    data["name"] = f"{resolved.get('name', 'Untitled')} — {label}"[:200]
    return data


def variant_problems(preset) -> list[tuple[str, str]]:
    """Every problem of a preset's ``variants`` and ``lesson.try_next`` overrides: unknown
    keys (naming the closest valid one) and values the preset refuses once applied."""
    from trainlab.presets import PresetError, preset_to_dict, validate_preset

    lists = [("variants", preset.variants)]
    if preset.lesson is not None:
        lists.append(("lesson.try_next", preset.lesson.try_next))
    if not any(items for _, items in lists):
        return []
    resolved = preset_to_dict(preset)
    resolved["lesson"] = None
    valid = [p for p in _key_paths(resolved) if p not in ("variants", "lesson", "changes")]
    found: list[tuple[str, str]] = []
    for where, items in lists:
        found += unique_labels(items, where)
        for i, v in enumerate(items):
            here = f"{where}[{i}]"
            unknown = [k for k in v.set if k not in valid]
            for key in unknown:
                hint = did_you_mean(key, valid)
                found.append((f"{here}.set", f"unknown key {key!r}" + (f";{hint}" if hint
                                                                       else "")))
            if unknown:
                continue
            try:
                validate_preset(variant_preset(resolved, v.set, v.label), source=v.label)
            except PresetError as error:
                found += [(f"{here}.set.{key}" if key in v.set else f"{here}.set",
                           message if key in v.set else f"{key}: {message}")
                          for key, message in error.problems]
    return found


def run_variants(preset, out_dir=None, callback=None, **train_options) -> dict[str, Any]:
    """Train every variant of `preset` (a path, a dict or a Preset) on the same data and seed;
    return ``{label: RunResult}`` in the preset's order.

    ``out_dir``: the parent folder (each variant in ``out_dir/<slug(label)>/``); None → a new
    folder under the user's data directory. ``callback(label, progress)`` is called with each
    run's progress. Other keywords go to :func:`trainlab.train` (``epochs``, ``save_data``,
    ``overwrite``, ``options``, ``control``, ``write_files``). A preset without variants is
    refused (ValueError): train it with :func:`trainlab.train`.
    """
    from trainlab.presets import load_preset, preset_to_dict, validate_preset
    from trainlab.runs.loop import train
    from trainlab.runs.records import new_run_dir

    if isinstance(preset, (str, Path)):
        preset = load_preset(preset)
    elif isinstance(preset, dict):
        preset = validate_preset(preset)
    if not preset.variants:
        raise ValueError(f"{preset.name}: the preset has no variants to compare")
    resolved = preset_to_dict(preset)
    base_dir = preset.path.parent if preset.path is not None else None
    if train_options.get("write_files", True):
        out_dir = Path(out_dir) if out_dir else new_run_dir(preset.name)
    results = {}
    for v in preset.variants:
        data = variant_preset(resolved, v.set, v.label)
        one = validate_preset(data, source=v.label)
        if base_dir is not None:
            one._path = preset.path  # data.path stays relative to the preset's folder
        report = None if callback is None else (lambda p, label=v.label: callback(label, p))
        sub = None if out_dir is None else Path(out_dir) / folder_name(v.label)
        results[v.label] = train(one, sub, report, **train_options)
    return results


def comparison_table(results: dict[str, Any]) -> str:
    """One line per variant: status, epochs, final and best losses (and accuracy)."""
    rows = [("variant", "status", "epochs", "train_loss", "val_loss", "best_val", "val_acc")]
    for label, r in results.items():
        h = r.history
        last = len(h) - 1 if len(h) else None

        def at(col, i=last, h=h):
            return float(h[col][i]) if i is not None and col in h else float("nan")

        vals = h["val_loss"] if "val_loss" in h else []
        best = min((v for v in vals if v == v), default=float("nan"))
        rows.append((label, r.status, str(last if last is not None else 0),
                     f"{at('train_loss'):.4g}", f"{at('val_loss'):.4g}", f"{best:.4g}",
                     f"{at('val_acc'):.4g}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)
