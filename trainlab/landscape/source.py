"""A finished run's weights and data, from its directory or from a :class:`RunResult`.

A run directory gives ``preset.json`` (the data is prepared from it as the run prepared it, a
CSV path relative to the folder; ``data.npz``, when the run saved it, replaces the splits with
the exact ones), ``weights_initial.npz``, ``weights_final.npz`` and, when the run kept it,
``weights_history.npz``: one array per parameter name stacked over the kept epochs on the
first axis, and ``epochs`` (int, 0 = the initial weights).
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import numpy as np

from trainlab.runs.prepared import PreparedRun, prepare

HISTORY_FILE = "weights_history.npz"
SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")


class LandscapeError(ValueError):
    """A run that cannot give a landscape; the message is one line for the user."""


@dataclasses.dataclass
class RunWeights:
    """What a landscape is computed from."""

    run: PreparedRun
    initial: dict[str, np.ndarray]
    final: dict[str, np.ndarray]
    history: dict[str, np.ndarray] | None  # names and "epochs", or None
    label: str                               # the run folder or the preset's name


def from_run_dir(run_dir) -> RunWeights:
    folder = Path(run_dir)
    if not folder.is_dir():
        raise LandscapeError(f"{folder}: no such run directory")
    if not (folder / "preset.json").is_file():
        raise LandscapeError(f"{folder}: not a TrainLab run directory (no preset.json)")
    try:
        preset = json.loads((folder / "preset.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LandscapeError(f"{folder / 'preset.json'}: cannot be read ({error})") from None
    run = prepare(preset, folder=folder)
    if (folder / "data.npz").is_file():
        saved = _load_npz(folder / "data.npz")
        missing = [k for k in SPLIT_KEYS if k not in saved]
        if missing:
            raise LandscapeError(f"{folder / 'data.npz'}: missing {', '.join(missing)}")
        run = run.with_splits(dataclasses.replace(run.splits,
                                                  **{k: saved[k] for k in SPLIT_KEYS}))
    history = _load_npz(folder / HISTORY_FILE) if (folder / HISTORY_FILE).is_file() else None
    return RunWeights(run, _weights(folder, "initial"), _weights(folder, "final"), history,
                      str(folder))


def from_result(result, history: dict[str, np.ndarray] | None = None) -> RunWeights:
    """A :class:`~trainlab.runs.RunResult`; ``history`` (see :func:`as_history`) defaults to
    the result's ``weights_history``."""
    if history is None:
        history = getattr(result, "weights_history", None)
    run = prepare(result.preset, splits=result.dataset)
    label = result.out_dir or (result.preset or {}).get("name") or "run"
    return RunWeights(run, result.params_initial, result.params_final, as_history(history),
                      str(label))


def as_history(history) -> dict[str, np.ndarray] | None:
    """Kept weights as one dict (names and ``epochs``), from that dict or from the pair
    (epochs, {name: stacked weights}) of :attr:`RunResult.weights_history`."""
    if history is None or isinstance(history, dict):
        return history
    epochs, stacked = history
    return {**stacked, "epochs": np.asarray(epochs, np.int64)}


def _weights(folder: Path, which: str) -> dict[str, np.ndarray]:
    path = folder / f"weights_{which}.npz"
    if not path.is_file():
        raise LandscapeError(f"{folder}: no weights_{which}.npz (the run did not finish "
                             "writing its weights)")
    return _load_npz(path)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise LandscapeError(f"{path}: cannot be read ({error})") from None
