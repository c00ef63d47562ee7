"""Pacing a run in the window (no Qt here): the speed chosen, and the steps granted to a paused
run as the window's frames go by.

A paced run is paused and stepped: at every frame the window asks :meth:`PacedSteps.tick`
how many updates (or epochs) to grant through :class:`~trainlab.runs.pacing.Pacer`. Steps are
granted only while the run waits parked and the window has drawn its last report, so at a slow
speed every update is drawn before the next one is trained; the run's numbers are those of an
unpaced run (the loop does the same steps in the same order).
"""

from __future__ import annotations

from trainlab.runs.pacing import SPEEDS, Pacer, Speed, speed_named

#: The words the window shows for each speed (by ``Speed.label``).
SPEED_WORDS = {
    "1 update/s": "1 update per second",
    "1 update per frame": "1 update per frame",
    "1 epoch per frame": "1 epoch per frame",
    "fastest": "as fast as possible",
}

DEFAULT_SPEED = "fastest"


def speed_or_default(label: str | None) -> Speed:
    """The speed called ``label``, or the default one for an unknown or missing label."""
    try:
        return speed_named(label or DEFAULT_SPEED)
    except ValueError:
        return speed_named(DEFAULT_SPEED)


def speed_words(speed: Speed) -> str:
    return SPEED_WORDS.get(speed.label, speed.label)


class PacedSteps:
    """Grants the steps of ``speed`` to a paused :class:`~trainlab.runs.control.RunControl`.

    The pacer's clock starts at the first frame where the run waits parked (after the engine's
    compile and the run's first report), so a slow start is not made up with a burst of steps.
    """

    def __init__(self, speed: Speed):
        self.speed = speed
        self.pacer = Pacer(speed)
        self.started = False
        self.granted = 0  # steps (updates or epochs) granted so far

    @property
    def paced(self) -> bool:
        return not self.speed.fastest

    def tick(self, control, now: float, ready: bool = True) -> int:
        """One frame at time ``now``: grant what is due when the run waits parked and
        ``ready`` (the window has drawn the run's last report); the count granted."""
        if not self.paced or control is None or not ready or not control.wait_parked(0):
            return 0
        if control.run_over:
            return 0
        if not self.started:
            self.pacer.start(now)
            self.started = True
            self._grant(control, 1)  # the first step at once; the rate counts from here
            return 1
        n = self.pacer.grant(now, frame=True)
        self._grant(control, n)
        return n

    def _grant(self, control, n: int) -> None:
        for _ in range(n):
            if self.speed.epochs:
                control.step_epoch()
            else:
                control.step_update()
        self.granted += n


__all__ = ["SPEEDS", "SPEED_WORDS", "PacedSteps", "speed_or_default", "speed_words"]
