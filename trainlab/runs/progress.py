"""What a run reports while it goes (:class:`Progress`) and what it returns (:class:`RunResult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.runs.history import History

#: Within an epoch, the callback hears from the loop at most this often (seconds).
CHUNK_SECONDS = 0.05


@dataclass
class Progress:
    """One report from a running :func:`trainlab.train`, handed to its ``callback``.

    The callback runs in the training thread, between two compiled calls, so ``predict`` and
    ``params`` see a consistent network; a GUI should copy what it needs and return quickly.
    For an ``"epoch"`` report they give the weights at the end of that epoch, even where
    training has moved on since (short epochs run many to a compiled call, and their reports
    follow one another after it; long ones may be evaluated while the next one trains).

    ``event`` is ``"start"`` (row 0 recorded), ``"chunk"`` (some steps of an epoch done),
    ``"epoch"`` (an epoch ended and its row was appended) or ``"end"`` (``status`` is final).
    """

    event: str
    epoch: int                   # epochs completed so far
    epochs: int                  # epochs planned
    step: int                    # optimizer steps done in the current epoch
    steps_per_epoch: int
    total_steps: int             # optimizer steps done since the start of the run
    history: History             # the rows so far (read through views; do not modify)
    steps_per_second: float
    elapsed: float               # seconds of training so far (pauses excluded)
    status: str = "running"
    message: str = ""
    predict: Callable[[np.ndarray], np.ndarray] | None = None  # the net, scaled inputs
    params: Callable[[], dict[str, np.ndarray]] | None = None  # a copy of the weights
    #: the loss of every optimizer step's mini-batch so far, before its update (one per
    #: step of ``total_steps``; a read-only view); None when not recorded
    batch_loss: np.ndarray | None = None
    #: the changes in force so far: ``[{"epoch": 41, "set": {"optimizer.lr": 0.001}}, …]``
    #: (a weight set by hand: ``{"epoch": 12, "weights": {"W1": [[0, 2, 0.5]]}}``)
    changes: list = field(default_factory=list)


@dataclass
class RunResult:
    """What :func:`trainlab.train` returns."""

    status: str                          # finished | early_stopped | diverged | stopped
    message: str
    history: History
    params_initial: dict[str, np.ndarray]
    params_final: dict[str, np.ndarray]
    params_best: dict[str, np.ndarray] | None
    best_epoch: int | None
    test_metrics: dict[str, float]
    seconds: float
    preset: Any                          # the fully resolved preset (a dict, JSON-ready)
    out_dir: Path | None = None
    task: str = "classification"         # or "regression"
    dataset: Any = None                  # the scaled splits the run used
    extra: dict[str, Any] = field(default_factory=dict)
    batch_loss: np.ndarray | None = None  # float32, one per optimizer step (None: off)
    weight_copies: Any = None             # (WeightHistory, stack_of) for weights_history

    @property
    def weights_history(self) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
        """(epochs, {name: weights stacked over them}) of the kept epochs (0 = initial).
        Stacked once (the window's views all ask at the run's end): treat as read-only."""
        if self.weight_copies is None:
            return None
        history, stack_of = self.weight_copies
        return history.stacked(stack_of)

    @property
    def epochs(self) -> int:
        return len(self.history) - 1
