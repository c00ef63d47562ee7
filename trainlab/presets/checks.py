"""Checks that involve more than one key, each reported at the key it is about.

Static checks only: what can be known without loading a CSV. Once the run layer has loaded a
CSV it calls :func:`check_loss_for_data` with what it found.
"""

from __future__ import annotations

from trainlab.catalog.data import (
    BUNDLED_CLASSES,
    CLASSIFICATION,
    CLASSIFICATION_GENERATORS,
    CSV,
    REGRESSION,
    SOURCE_INPUTS,
    TWO_CLASS_GENERATORS,
    data_task,
)
from trainlab.catalog.data import source_task as fixed_task
from trainlab.catalog.knobs import applies
from trainlab.catalog.rules import BATCH_NORM_MIN_ROWS, batch_norm_fits, loss_mismatch
from trainlab.data.features import check_features
from trainlab.data.splits import FRACTION_TOLERANCE

from .errors import PresetError
from .model import Preset

# The same tolerance as the run's own check of the fractions (one rule for validate and run).
SPLIT_TOLERANCE = FRACTION_TOLERANCE

#: Larger initial weights teach nothing more and overflow U(±s) itself (an OverflowError).
MAX_INIT_SCALE = 1e6


def source_task(preset: Preset) -> str | None:
    """'classification' or 'regression' as far as the preset alone says; None for a CSV left
    on 'auto' (the target column decides)."""
    return data_task(preset.data.source, preset.data.task)


def source_classes(preset: Preset) -> int | None:
    """How many classes the source has, when that is known without loading a CSV."""
    source = preset.data.source
    if source in CLASSIFICATION_GENERATORS:
        return preset.data.classes
    return BUNDLED_CLASSES.get(source)


def consistency_problems(preset: Preset) -> list[tuple[str, str]]:
    """Every problem found between keys of an otherwise valid preset, as (key path, message)."""
    return (
        _data_problems(preset)
        + _model_problems(preset)
        + _loss_problems(preset)
        + (_schedule_problems(preset))
    )


def _data_problems(p: Preset) -> list[tuple[str, str]]:
    data = p.data
    problems = []
    split = data.split
    total = split.train + split.val + split.test
    if abs(total - 1.0) > SPLIT_TOLERANCE:
        problems.append(
            (
                "data.split",
                f"train + val + test must add up to 1, got {split.train} + {split.val} + "
                f"{split.test} = {total:.6g}",
            )
        )
    if data.source == CSV and not (data.path and data.path.strip()):
        problems.append(
            (
                "data.path",
                "required when source is 'csv': the CSV file, relative to the preset's folder",
            )
        )
    if data.source in TWO_CLASS_GENERATORS and data.classes != 2:
        problems.append(
            (
                "data.classes",
                f"'{data.source}' always makes 2 classes, got {data.classes}; "
                "spirals and gaussians can make more",
            )
        )
    if data.source in CLASSIFICATION_GENERATORS and data.n_samples < 2 * data.classes:
        problems.append(
            (
                "data.n_samples",
                f"must be at least 2 per class ({2 * data.classes} for {data.classes} classes), "
                f"got {data.n_samples}",
            )
        )
    problems += _feature_problems(p)
    intrinsic = fixed_task(data.source)
    if data.task != "auto" and intrinsic is not None and data.task != intrinsic:
        problems.append(
            (
                "data.task",
                f"'{data.source}' is a {intrinsic} data set, got task '{data.task}'; "
                f"use 'auto' or '{intrinsic}'",
            )
        )
    return problems


def _feature_problems(p: Preset) -> list[tuple[str, str]]:
    """``data.features`` against the source's inputs (a CSV's are checked when it loads)."""
    n_inputs = SOURCE_INPUTS.get(p.data.source)
    if p.data.features is None or n_inputs is None:
        return []
    problems = []
    for line in check_features(p.data.features, n_inputs):
        key, _, message = line.partition(": ")
        problems.append((key, message))
    return problems


def _model_problems(p: Preset) -> list[tuple[str, str]]:
    model = p.model
    problems = []
    if isinstance(model.activation, list) and len(model.activation) != len(model.hidden):
        problems.append(
            (
                "model.activation",
                f"has {_count(len(model.activation), 'name')} but hidden has "
                f"{_count(len(model.hidden), 'layer')}; "
                "give one name per hidden layer, or a single name for all",
            )
        )
    if model.init_scale > MAX_INIT_SCALE:
        problems.append(
            ("model.init_scale", f"must be <= {MAX_INIT_SCALE:g}, got {model.init_scale:g}")
        )
    if not batch_norm_fits(model.batch_norm, p.training.batch_size):
        problems.append(
            (
                "model.batch_norm",
                f"batch norm needs at least {BATCH_NORM_MIN_ROWS} rows per batch, but "
                f"training.batch_size is {p.training.batch_size} (a batch of one row has no "
                "spread to normalize); raise batch_size or turn batch norm off",
            )
        )
    return problems


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _loss_problems(p: Preset) -> list[tuple[str, str]]:
    if p.data.source == CSV and p.data.task == "auto":
        return []  # only the loaded data can tell; see check_loss_for_data
    reason = loss_mismatch(p.loss.name, source_task(p), source_classes(p), _describe(p))
    return [("loss.name", reason)] if reason else []


def _schedule_problems(p: Preset) -> list[tuple[str, str]]:
    schedule = p.schedule
    if schedule.per == "step" and schedule.name == "plateau":
        return [("schedule.per", "the plateau schedule reads the validation loss once an "
                 "epoch and cannot count updates; use 'epoch'")]
    uses_min_lr = applies("schedule.min_lr", {"schedule": {"name": schedule.name}})
    if uses_min_lr and schedule.min_lr > p.optimizer.lr:
        return [
            (
                "schedule.min_lr",
                f"must not exceed optimizer.lr ({p.optimizer.lr}) for the {schedule.name} "
                f"schedule, got {schedule.min_lr}",
            )
        ]
    return []


def _describe(p: Preset) -> str:
    return "the CSV data" if p.data.source == CSV else f"'{p.data.source}'"


def check_loss_for_data(preset: Preset, task: str, n_classes: int) -> None:
    """Raise PresetError (at ``loss.name``) if the preset's loss cannot train on loaded data.

    `task` is "classification" or "regression" as found in the data (e.g. a CSV's target
    column); `n_classes` is the number of distinct classes (ignored for regression).
    """
    if task not in (CLASSIFICATION, REGRESSION):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    what = _describe(preset)
    classes = int(n_classes) if task == CLASSIFICATION else None
    reason = loss_mismatch(preset.loss.name, task, classes, what)
    if reason:
        source = str(preset.path) if preset.path is not None else "preset"
        raise PresetError([("loss.name", reason)], source=source)
