"""A race: every racer of a playground file over its surface, steppable for a live view.

    race = Race("resources/playground/ravine.json")
    race.step()                    # one update of every racer (False once all are done)
    race.racers[0].state.gradient  # arrows at a head: gradient, momentum buffer, step
    race.reset(start=(1.0, 2.0))   # back to the start (a new one: must lie in the view)
    race.set_racer(0, {"optimizer": {"name": "momentum", "lr": 0.05}})  # replayed at once
    results = race.run()           # to the file's `steps`: label -> RaceResult

Headless in one call: :func:`race` (``trainlab.playground.race``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.engine import Optimizer, Schedule
from trainlab.playground.files import (
    PlaygroundFile,
    RacerConfig,
    describe,
    inside,
    load_playground,
    playground_to_dict,
    validate_playground,
)
from trainlab.playground.racers import (
    GradientRacer,
    Objective,
    Racer,
    RandomPerturbationRacer,
)


@dataclass
class RaceResult:
    """One racer's path: ``points`` (steps + 1 rows, the start first; NaN rows after a
    divergence), ``losses`` (steps + 1 values of the objective) and the update at which it
    diverged (None if it did not)."""

    label: str
    points: np.ndarray
    losses: np.ndarray
    diverged_at: int | None


class Race:
    """The racers of one playground, stepped together."""

    def __init__(self, playground: PlaygroundFile | dict | str | Path):
        if isinstance(playground, (str, Path)):
            playground = load_playground(playground)
        self.file = validate_playground(playground)
        self.surface = self.file.surface
        reg = self.file.regularization
        self.objective = Objective(self.surface, reg.l1, reg.l2)
        self.racers: list[Racer] = [self._build(i, r) for i, r in enumerate(self.file.racers)]
        #: Updates done so far (a diverged racer stops short of it).
        self.updates = 0

    @property
    def steps(self) -> int:
        return self.file.steps

    @property
    def view(self) -> tuple[float, ...]:
        return self.file.resolved_view()


    def _build(self, index: int, config: RacerConfig) -> Racer:
        f = self.file
        o, s = config.optimizer, config.schedule
        schedule = Schedule(s.name, o.lr, **s.model_dump(exclude={"name"}))
        start = f.resolved_start(config)
        seed = (f.seed, index)
        label = config.display_label()
        if config.kind == "random_perturbation":
            return RandomPerturbationRacer(label, self.objective, start, schedule, seed,
                                           config.perturbation)
        optimizer = Optimizer(**o.model_dump(), clip_norm=f.regularization.clip_norm)
        fd_eps = config.fd_eps if config.kind == "finite_difference" else None
        return GradientRacer(label, self.objective, start, schedule, seed, optimizer,
                             noise=f.noise, fd_eps=fd_eps)

    def minima(self) -> np.ndarray:
        """Minima of the objective: the surface's, moved by the file's L1/L2 penalty."""
        return self.objective.minima()

    def step(self) -> bool:
        """One update of every racer; False (and nothing done) once ``steps`` are done."""
        if self.updates >= self.steps:
            return False
        for racer in self.racers:
            racer.step()
        self.updates += 1
        return True

    def run(self, updates: int | None = None) -> dict[str, RaceResult]:
        """Step until ``updates`` (default: the file's ``steps``) are done; the results."""
        target = self.steps if updates is None else min(int(updates), self.steps)
        while self.updates < target and self.step():
            pass
        return self.results()

    def reset(self, start=None) -> None:
        """Every racer back to its start; ``start`` moves the common start (racers with a
        start of their own keep it). A start outside the view raises ValueError."""
        if start is not None:
            start = tuple(float(v) for v in start)
            if len(start) != self.surface.dims or not inside(start, self.view):
                raise ValueError(f"start: {list(start)} is outside the view "
                                 f"{describe(self.view)}")
            data = playground_to_dict(self.file)
            data["start"] = list(start)
            self.file = validate_playground(data)
        for racer, config in zip(self.racers, self.file.racers, strict=True):
            racer.reset(self.file.resolved_start(config))
        self.updates = 0

    def set_racer(self, index: int, changes: dict[str, Any]) -> None:
        """Change racer ``index`` (keys of a racer object, merged into its sections) and
        replay it to the current update, so that a slider's change shows at once."""
        data = playground_to_dict(self.file)
        racer = data["racers"][index]
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(racer.get(key), dict):
                racer[key] = {**racer[key], **value}
                if key == "optimizer" and "name" in value:  # defaults follow the optimizer
                    racer[key] = {k: v for k, v in racer[key].items()
                                  if k in value or k not in ("momentum", "eps")}
            else:
                racer[key] = value
        updates = self.updates
        self.file = validate_playground(data)
        self.racers[index] = self._build(index, self.file.racers[index])
        for _ in range(updates):
            self.racers[index].step()

    def results(self) -> dict[str, RaceResult]:
        """label → RaceResult; paths padded with NaN to ``steps + 1`` rows."""
        out = {}
        n = self.steps + 1
        for racer in self.racers:
            points, losses = racer.path()
            padded = np.full((n, self.surface.dims), np.nan)
            padded[:len(points)] = points[:n]
            padded_losses = np.full(n, np.nan)
            padded_losses[:len(losses)] = losses[:n]
            out[racer.label] = RaceResult(racer.label, padded, padded_losses, racer.diverged_at)
        return out


def race(playground: PlaygroundFile | dict | str | Path) -> dict[str, RaceResult]:
    """Run every racer of a playground (a file path, a dict or a validated file) for its
    ``steps``; label → :class:`RaceResult` with ``points`` and ``losses``."""
    return Race(playground).run()
