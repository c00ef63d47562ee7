"""Where TrainLab finds its shipped resources and keeps its user data (no Qt here)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "TrainLab"


def resources_dir() -> Path:
    """The repository's `resources/` folder (presets, screenshots) next to the package."""
    return Path(__file__).resolve().parent.parent / "resources"


def presets_dir() -> Path:
    return resources_dir() / "presets"


def user_data_dir() -> Path:
    """Per-user data folder (run directories go under `runs/` here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_runs_dir() -> Path:
    return user_data_dir() / "runs"
