"""Pacing a run for a lecture: how many steps to grant as time goes by (no Qt here).

The window steps a paused run with :meth:`RunControl.step_update` / ``step_epoch`` at the
rate of a :class:`Speed`; a run's numbers do not depend on it (the same history and weights
at every speed). :class:`Pacer` turns elapsed time (or frames) into the updates to grant.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Speed:
    """A speed setting: ``updates`` per ``per`` ("second" or "frame"), or whole ``epochs``
    per frame; ``fastest``: no pacing at all (the run is resumed)."""

    label: str
    updates: float = 0.0
    per: str = "second"
    epochs: int = 0
    fastest: bool = False


#: The speed settings, slowest first.
SPEEDS = (
    Speed("1 update/s", updates=1.0, per="second"),
    Speed("1 update per frame", updates=1.0, per="frame"),
    Speed("1 epoch per frame", epochs=1, per="frame"),
    Speed("fastest", fastest=True),
)


def speed_named(label: str) -> Speed:
    for speed in SPEEDS:
        if speed.label == label:
            return speed
    raise ValueError(f"speed: unknown {label!r}; one of {', '.join(s.label for s in SPEEDS)}")


class Pacer:
    """Grants steps at the rate of ``speed``: :meth:`grant` says how many updates (or epochs,
    for an epoch speed) are due at a moment, counting from :meth:`start`; what is granted
    is never granted twice, so a late frame catches up."""

    def __init__(self, speed: Speed):
        self.speed = speed
        self.t0 = 0.0
        self.frames = 0
        self.granted = 0

    def start(self, now: float) -> None:
        self.t0, self.frames, self.granted = now, 0, 0

    def grant(self, now: float, frame: bool = True) -> int:
        """Steps due at time ``now`` (seconds, any clock), after one more frame if
        ``frame``: updates for an update speed, epochs for an epoch speed (0 for
        ``fastest``, which is not paced)."""
        s = self.speed
        if s.fastest:
            return 0
        if frame:
            self.frames += 1
        if s.per == "frame":
            due = self.frames * (s.epochs or s.updates)
        else:
            due = (now - self.t0) * s.updates
        n = int(due) - self.granted
        self.granted += max(n, 0)
        return max(n, 0)

    def apply(self, control, now: float, frame: bool = True) -> int:
        """Grant what is due through ``control`` (a paused RunControl); returns the count."""
        n = self.grant(now, frame)
        for _ in range(n):
            if self.speed.epochs:
                control.step_epoch()
            else:
                control.step_update()
        return n
