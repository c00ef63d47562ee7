"""Checks that involve more than one key, each reported at the key it is about.

Static checks only: what can be known without loading a CSV. Once the run layer has loaded a
CSV it calls :func:`check_loss_for_data` with what it found.
"""

from __future__ import annotations

from trainlab.engine.names import CLASSIFICATION_LOSSES, REGRESSION_LOSSES

from .errors import PresetError
from .model import (
    BUNDLED_CLASSES,
    CLASSIFICATION_GENERATORS,
    CLASSIFICATION_SOURCES,
    REGRESSION_SOURCES,
    TWO_CLASS_GENERATORS,
    Preset,
)

SPLIT_TOLERANCE = 1e-6


def source_task(preset: Preset) -> str | None:
    """'classification' or 'regression' as far as the preset alone says; None for a CSV left
    on 'auto' (the target column decides)."""
    source = preset.data.source
    if source in CLASSIFICATION_SOURCES:
        return "classification"
    if source in REGRESSION_SOURCES:
        return "regression"
    return None if preset.data.task == "auto" else preset.data.task


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
    if data.source == "csv" and not (data.path and data.path.strip()):
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
    intrinsic = None if data.source == "csv" else source_task(p)
    if data.task != "auto" and intrinsic is not None and data.task != intrinsic:
        problems.append(
            (
                "data.task",
                f"'{data.source}' is a {intrinsic} data set, got task '{data.task}'; "
                f"use 'auto' or '{intrinsic}'",
            )
        )
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
    if model.batch_norm and p.training.batch_size == 1:
        problems.append(
            (
                "model.batch_norm",
                "batch norm needs at least 2 rows per batch, but training.batch_size is 1 "
                "(a batch of one row has no spread to normalize); raise batch_size or turn batch "
                "norm off",
            )
        )
    return problems


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _loss_problems(p: Preset) -> list[tuple[str, str]]:
    if p.data.source == "csv" and p.data.task == "auto":
        return []  # only the loaded data can tell; see check_loss_for_data
    reason = _loss_mismatch(p.loss.name, source_task(p), source_classes(p), _describe(p))
    return [("loss.name", reason)] if reason else []


def _schedule_problems(p: Preset) -> list[tuple[str, str]]:
    schedule = p.schedule
    if schedule.name in ("cosine", "plateau") and schedule.min_lr > p.optimizer.lr:
        return [
            (
                "schedule.min_lr",
                f"must not exceed optimizer.lr ({p.optimizer.lr}) for the {schedule.name} "
                f"schedule, got {schedule.min_lr}",
            )
        ]
    return []


def _describe(p: Preset) -> str:
    return "the CSV data" if p.data.source == "csv" else f"'{p.data.source}'"


def _loss_mismatch(loss: str, task: str | None, n_classes: int | None, what: str) -> str:
    """Why `loss` cannot train on this data ('' when it can)."""
    if task == "regression" and loss in CLASSIFICATION_LOSSES:
        return (
            f"'{loss}' needs a classification data set, but {what} is regression "
            f"(a numeric target); use one of {', '.join(REGRESSION_LOSSES)}"
        )
    if task == "classification" and loss in REGRESSION_LOSSES:
        return (
            f"'{loss}' needs a regression data set, but {what} is classification; "
            "use cross_entropy (or bce for two classes)"
        )
    if task == "classification" and n_classes is not None and n_classes < 2:
        return f"classification needs at least 2 classes, but {what} has {n_classes}"
    if loss == "bce" and task == "classification" and n_classes not in (None, 2):
        return f"'bce' needs exactly 2 classes, but {what} has {n_classes}; use cross_entropy"
    return ""


def check_loss_for_data(preset: Preset, task: str, n_classes: int) -> None:
    """Raise PresetError (at ``loss.name``) if the preset's loss cannot train on loaded data.

    `task` is "classification" or "regression" as found in the data (e.g. a CSV's target
    column); `n_classes` is the number of distinct classes (ignored for regression).
    """
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    what = _describe(preset)
    classes = int(n_classes) if task == "classification" else None
    reason = _loss_mismatch(preset.loss.name, task, classes, what)
    if reason:
        source = str(preset.path) if preset.path is not None else "preset"
        raise PresetError([("loss.name", reason)], source=source)
