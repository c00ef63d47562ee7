"""Thread-safe run control: pause, resume, single steps, live changes and stop from another
thread.

The training loop owns the run; the GUI (or any other thread) owns a :class:`RunControl` and
calls its methods. The compiled kernels poll ``control.flag`` (an int64 array of one element):
1 = return between two optimizer steps (a stop or a pause takes effect within one step);
2 = finish the current epoch, then return (a granted single epoch, or a live change waiting
for the epoch's end); 0 = run on. Single updates granted by :meth:`RunControl.step_update`
run with the flag at 0 and a step budget (:meth:`RunControl.updates_granted`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

#: ``flag`` value: finish the epoch under way, then return.
EPOCH_END = 2


class RunControl:
    """Commands for a running :func:`trainlab.train`.

    * :meth:`pause` - finish the current step, then wait.
    * :meth:`resume` - carry on after a pause.
    * :meth:`step_epoch` - while paused: train one more epoch, then pause again.
    * :meth:`step_update` - while paused: train one more optimizer step, then pause again.
    * :meth:`change` - set live-changeable preset keys from the next epoch on.
    * :meth:`set_weights` - while paused: set single weights by hand, from the next epoch on.
    * :meth:`stop` - finish the current step and end the run with status ``stopped``.
    * :meth:`wait_parked` - block until the run waits paused (or has ended).
    """

    def __init__(self, paused: bool = False):
        self.flag = np.zeros(1, dtype=np.int64)  # polled by the kernels: see the module doc
        self._cond = threading.Condition()
        self._paused = paused
        self._stopped = False
        self._epochs_allowed = 0   # epochs granted by step_epoch while paused
        self._updates_allowed = 0  # optimizer steps granted by step_update while paused
        #: validated ``{"set": …}`` / ``{"weights": …}``, waiting for the next epoch boundary
        self._changes: list[dict] = []
        self._parked = False  # the loop waits paused with nothing granted
        self._ended = False   # the run is over
        #: checks a change against the run's preset (set by the run; raises ValueError)
        self.validator: Callable[[dict], None] | None = None
        #: the run's trained parameters by name → shape (set by the run)
        self.shapes: dict[str, tuple] | None = None
        if paused:
            self.flag[0] = 1

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def run_over(self) -> bool:
        """The run has ended (set by the loop)."""
        return self._ended

    @property
    def weights_pending(self) -> bool:
        """Weights set by hand wait for the next epoch boundary (the net does not have
        them yet)."""
        with self._cond:
            return any("weights" in change for change in self._changes)

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self.flag[0] = 1
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._epochs_allowed = self._updates_allowed = 0
            self._parked = False
            if not self._stopped:
                self.flag[0] = EPOCH_END if self._changes else 0
            self._cond.notify_all()

    def step_epoch(self) -> None:
        """Train exactly one more epoch, then pause (pauses first if running)."""
        with self._cond:
            self._paused = True
            self._epochs_allowed += 1
            self._parked = False
            self.flag[0] = EPOCH_END if not self._stopped else 1
            self._cond.notify_all()

    def step_update(self) -> None:
        """Train exactly one more optimizer step (a mini-batch), then pause (pauses first if
        running). Granted while an epoch step is under way, it follows that epoch."""
        with self._cond:
            if not self._paused:
                self._paused = True
                self.flag[0] = 1
            self._updates_allowed += 1
            self._parked = False
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self.flag[0] = 1
            self._cond.notify_all()

    def change(self, settings: dict) -> None:
        """Set live-changeable keys (``{"optimizer.lr": 0.001}``) from the next epoch on; a
        paused run applies them before its next step. Raises ValueError (one line per
        problem) for an unknown, structural or invalid key or value."""
        from trainlab.runs.changes import check_change, with_settings

        settings = check_change(settings)
        if self.validator is not None:
            self.validator(settings)
        else:  # no run yet: checked against the defaults
            with_settings({"format": "trainlab-preset"}, settings)
        self._ask({"set": settings})

    def set_weights(self, weights: dict) -> None:
        """While paused: set single trained parameters by hand, ``{"W1": [[i, j, value]],
        "b1": [[j, value]]}`` (names and indices as in ``weights_*.npz``, see
        :mod:`trainlab.runs.changes`). They are set at the next epoch boundary, and the
        run's preset records them as ``{"epoch": E, "weights": …}``: a run paused between
        two epochs trains its next epoch E from them; one paused within an epoch (after
        single updates) first finishes that epoch with the weights it has, and E is the
        epoch after it. Raises ValueError (one line per problem) when the run is not paused,
        or for a parameter or index the network does not have or a non-finite value."""
        from trainlab.runs.changes import check_weights

        with self._cond:
            if not self._paused or self._stopped or self._ended:
                raise ValueError("weights can be set only while the run is paused")
            if self.shapes is None:
                raise ValueError("weights can be set once the run has started")
            shapes = self.shapes
        self._ask({"weights": check_weights(weights, shapes)})

    def _ask(self, change: dict) -> None:
        with self._cond:
            self._changes.append(change)
            if not self._stopped and self.flag[0] == 0:
                self.flag[0] = EPOCH_END  # an epoch boundary comes soon
            self._cond.notify_all()

    def wait_parked(self, timeout: float | None = None) -> bool:
        """Block until the run waits paused with nothing granted (everything trained so far
        recorded and reported), or has ended; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._parked or self._ended, timeout)

    # ---- used by the training loop -------------------------------------------------------
    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block while paused (and no epoch or update step was granted). Returns False when
        stopped."""
        with self._cond:
            while self._paused and not self._granted() and not self._stopped:
                self._parked = True
                self._cond.notify_all()
                if not self._cond.wait(timeout):
                    break
            self._parked = False
            self._set_flag()
            return not self._stopped

    def _granted(self) -> bool:
        return bool(self._epochs_allowed or self._updates_allowed)

    def _set_flag(self) -> None:
        if self._stopped:
            self.flag[0] = 1
        elif not self._paused:
            self.flag[0] = EPOCH_END if self._changes else 0
        elif self._epochs_allowed:
            self.flag[0] = EPOCH_END
        elif self._updates_allowed:
            self.flag[0] = 0  # the loop grants the steps with a budget
        else:
            self.flag[0] = 1

    def updates_granted(self) -> int | None:
        """The optimizer steps the next call may take when single updates were granted (and
        no epoch step comes first); None: no limit."""
        with self._cond:
            if self._paused and not self._epochs_allowed and self._updates_allowed:
                return self._updates_allowed
            return None

    def updates_done(self, steps: int) -> None:
        """Called by the loop after a call of ``steps`` optimizer steps."""
        with self._cond:
            if self._paused and not self._epochs_allowed and self._updates_allowed:
                self._updates_allowed = max(self._updates_allowed - steps, 0)
                self._set_flag()

    def epoch_done(self, epochs: int = 1) -> None:
        """Called by the loop after each epoch (or ``epochs`` of them): each consumes one
        granted single epoch."""
        with self._cond:
            if self._epochs_allowed:
                self._epochs_allowed = max(self._epochs_allowed - epochs, 0)
                self._set_flag()

    def take_changes(self) -> list[dict]:
        """The changes asked for since the last call, oldest first (at an epoch boundary):
        ``{"set": settings}`` or ``{"weights": weights}``."""
        with self._cond:
            changes, self._changes = self._changes, []
            if self.flag[0] == EPOCH_END and not self._epochs_allowed:
                self._set_flag()
            return changes

    def ended(self) -> None:
        """Called by the loop when the run is over: wakes :meth:`wait_parked`."""
        with self._cond:
            self._ended = True
            self._cond.notify_all()
