"""Thread-safe run control: pause, resume, single-step and stop from another thread.

The training loop owns the run; the GUI (or any other thread) owns a :class:`RunControl` and
calls its methods. The compiled kernels poll ``control.flag`` (an int64 array of one element):
1 = return between two optimizer steps (a stop or a pause takes effect within one step);
2 = finish the current epoch, then return (a granted single epoch); 0 = run on.
"""

from __future__ import annotations

import threading

import numpy as np

#: ``flag`` value: finish the epoch under way, then return.
EPOCH_END = 2


class RunControl:
    """Commands for a running :func:`trainlab.train`.

    * :meth:`pause` - finish the current step, then wait.
    * :meth:`resume` - carry on after a pause.
    * :meth:`step_epoch` - while paused: train one more epoch, then pause again.
    * :meth:`stop` - finish the current step and end the run with status ``stopped``.
    """

    def __init__(self, paused: bool = False):
        self.flag = np.zeros(1, dtype=np.int64)  # polled by the kernels: see the module doc
        self._cond = threading.Condition()
        self._paused = paused
        self._stopped = False
        self._steps_allowed = 0  # epochs granted by step_epoch while paused
        if paused:
            self.flag[0] = 1

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stopped(self) -> bool:
        return self._stopped

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self.flag[0] = 1
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._steps_allowed = 0
            if not self._stopped:
                self.flag[0] = 0
            self._cond.notify_all()

    def step_epoch(self) -> None:
        """Train exactly one more epoch, then pause (pauses first if running)."""
        with self._cond:
            self._paused = True
            self._steps_allowed += 1
            self.flag[0] = EPOCH_END if not self._stopped else 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self.flag[0] = 1
            self._cond.notify_all()

    # ---- used by the training loop -------------------------------------------------------
    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block while paused (and no epoch step was granted). Returns False when stopped."""
        with self._cond:
            while self._paused and self._steps_allowed == 0 and not self._stopped:
                if not self._cond.wait(timeout):
                    break
            if not self._stopped and not self._paused:
                self.flag[0] = 0
            elif not self._stopped and self._steps_allowed:
                self.flag[0] = EPOCH_END
            return not self._stopped

    def epoch_done(self) -> None:
        """Called by the loop after each epoch: consumes one granted single step."""
        with self._cond:
            if self._steps_allowed:
                self._steps_allowed -= 1
                if self._steps_allowed == 0 and self._paused:
                    self.flag[0] = 1
