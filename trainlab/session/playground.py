"""The playground as the window sees it while it steps (no Qt): a :class:`PlaygroundSession`.

It holds one :class:`~trainlab.playground.Race` and the file it came from, and turns what the
user does (a step, a new start, a slider, another surface, a racer added) into changes of the
race. Views subscribe to its events:

* ``loaded()``: a new race (surface, view or racers changed): draw everything again;
* ``moved()``: the racers' paths changed (a step, a reset, a hyperparameter replayed);
* ``failed(message)``: what the user asked for cannot be done (one line; the race stays).

What the view draws comes from here too: :meth:`paths`, :meth:`arrows`, :meth:`rows` (each
racer's value and distance to the nearest minimum), :meth:`surface_grid`,
:meth:`penalized_minimum`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.playground import PlaygroundError
from trainlab.playground.files import MAX_RACERS, load_playground, playground_to_dict
from trainlab.playground.surfaces import SurfaceError
from trainlab.session.events import Events

GRID = 400  # points per axis of the drawn surface


def _first_line(error: Exception) -> str:
    if isinstance(error, PlaygroundError):
        return "; ".join(f"{k}: {m}" if k else m for k, m in error.problems[:3])
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _race(playground):
    """A :class:`~trainlab.playground.Race` (the engine's optimizers load on first use)."""
    from trainlab.playground import Race

    return Race(playground)


class PlaygroundSession:
    """One race being watched: stepping, editing, and what a view draws."""

    def __init__(self, playground: dict | str | Path | None = None):
        self.events = Events("loaded", "moved", "failed")
        self.path: Path | None = None
        self.error = ""  # the last refusal, one line ("" after a change that worked)
        self._grid_cache: tuple[Any, Any] | None = None
        self._buffers: list[_PathBuffer] = []  # each racer's path as growing arrays
        self.race = _race(playground or {"format": "trainlab-playground"})

    # ---- loading and saving --------------------------------------------------------------
    @property
    def data(self) -> dict:
        """The playground as a file's dict, every key explicit."""
        return playground_to_dict(self.race.file)

    def load(self, playground: dict | str | Path) -> None:
        """A new playground (a file or a dict); PlaygroundError for a bad one (nothing
        changes then)."""
        path = None
        if isinstance(playground, (str, Path)):
            path = Path(playground)
            playground = load_playground(path)
        self._replace(_race(playground))
        self.path = path

    def save(self, path: str | Path) -> Path:
        """Write the playground as a file (JSON, every key explicit)."""
        from trainlab.runs.records import write_json

        path = Path(path)
        write_json(path, self.data)
        self.path = path
        return path

    def _replace(self, race) -> None:
        self.race = race
        self._grid_cache = None
        self.events.loaded.emit()

    def change(self, **changes: Any) -> bool:
        """Top-level keys of the file changed (``surface``, ``noise``, ``regularization`` —
        merged —, ``steps``, ``view``, ``racers``); the race is rebuilt and replayed to the
        current update. False (and ``failed``) when the result is not a valid playground."""
        data = self.data
        updates = self.race.updates
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict) and key != "surface":
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        new_surface = "surface" in changes and \
            changes["surface"].get("name") != self.race.surface.name
        if new_surface:  # another surface brings its own view and start
            _default_view_and_start(data, changes)
        try:
            try:
                race = _race(data)
            except PlaygroundError:
                if "surface" not in changes or new_surface:
                    raise
                _default_view_and_start(data, changes)  # the old start left the new view
                race = _race(data)
        except (PlaygroundError, SurfaceError, ValueError) as error:
            return self._refuse(error)
        race.run(updates)
        self.error = ""
        self._replace(race)
        return True

    def _refuse(self, error: Exception | str) -> bool:
        self.error = error if isinstance(error, str) else _first_line(error)
        self.events.failed.emit(self.error)
        return False

    # ---- racers --------------------------------------------------------------------------
    def set_racer(self, index: int, changes: dict[str, Any]) -> bool:
        """Change one racer (a slider: ``{"optimizer": {"lr": 0.1}}``); its path is replayed
        to the current update at once."""
        try:
            self.race.set_racer(index, changes)
        except (PlaygroundError, ValueError) as error:
            return self._refuse(error)
        self.error = ""
        self.events.moved.emit()
        return True

    def add_racer(self, racer: dict | None = None) -> bool:
        racers = self.data["racers"]
        if len(racers) >= MAX_RACERS:
            return self._refuse(f"at most {MAX_RACERS} racers")
        racer = dict(racer or {"optimizer": {"name": "adam", "lr": 0.1}})
        labels = {self.race.racers[i].label for i in range(len(racers))}
        base = racer.get("label") or _default_label(racer)
        label, n = base, 2
        while label in labels:
            label, n = f"{base} {n}", n + 1
        racer["label"] = label
        return self.change(racers=[*racers, racer])

    def remove_racer(self, index: int) -> bool:
        racers = self.data["racers"]
        if len(racers) <= 1:
            return self._refuse("a race needs at least one racer")
        return self.change(racers=racers[:index] + racers[index + 1:])

    # ---- stepping ------------------------------------------------------------------------
    @property
    def updates(self) -> int:
        return self.race.updates

    @property
    def finished(self) -> bool:
        return self.race.updates >= self.race.steps

    def step(self, n: int = 1) -> int:
        """Up to ``n`` updates of every racer; how many were done."""
        done = 0
        while done < n and self.race.step():
            done += 1
        if done:
            self.events.moved.emit()
        return done

    def reset(self) -> None:
        self.race.reset()
        self.events.moved.emit()

    def move_start(self, point) -> bool:
        """The common start moves to ``point`` (a click on the map) and the race restarts;
        a point outside the view is refused (``failed``)."""
        try:
            self.race.reset(start=point)
        except ValueError as error:
            return self._refuse(error)
        self.events.moved.emit()
        return True

    # ---- what a view draws -----------------------------------------------------------------
    @property
    def dims(self) -> int:
        return self.race.surface.dims

    def paths(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(label, points, losses) of every racer so far (updates + 1 rows, the start first;
        a diverged racer's path ends at its last finite point)."""
        while len(self._buffers) < len(self.race.racers):
            self._buffers.append(_PathBuffer())
        out = []
        for racer, buffer in zip(self.race.racers, self._buffers, strict=False):
            points, losses = buffer.follow(racer)
            if racer.done:
                points, losses = points[:racer.diverged_at], losses[:racer.diverged_at]
            out.append((racer.label, points, losses))
        return out

    def arrows(self, index: int) -> dict[str, np.ndarray | None]:
        """The arrows at racer ``index``'s head: ``gradient`` (the one it used),
        ``momentum`` (its buffer, None for optimizers without one) and ``step`` (the update
        just taken); all None before the first update."""
        state = self.race.racers[index].state
        return {"gradient": state.gradient, "momentum": state.momentum, "step": state.step}

    def minima(self) -> np.ndarray:
        return self.race.surface.minima()

    def rows(self) -> list[tuple[str, float, float, bool]]:
        """(label, current value of the objective, distance to the nearest minimum of the
        surface (nan without minima), diverged) for every racer."""
        minima = self.minima()
        out = []
        for racer in self.race.racers:
            point = racer.points[racer.diverged_at - 1] if racer.done else racer.point
            value = racer.objective.value(point)
            if len(minima):
                distance = float(np.min(np.linalg.norm(minima - point, axis=1)))
            else:
                distance = float("nan")
            out.append((racer.label, float(value), distance, racer.done))
        return out

    def surface_grid(self, n: int = GRID):
        """The surface f on the view's grid: ``(xs, ys, Z)`` (2-D) or ``(ws, values)``."""
        key = (n, self.race.view)
        if self._grid_cache is None or self._grid_cache[0] != key:
            with np.errstate(all="ignore"):
                self._grid_cache = (key, self.race.surface.grid(n, self.race.view))
        return self._grid_cache[1]

    def penalty(self) -> tuple[str, float] | None:
        """("l1" or "l2", λ) when the file adds a penalty (the larger one if both)."""
        reg = self.race.file.regularization
        if reg.l1 <= 0 and reg.l2 <= 0:
            return None
        return ("l1", reg.l1) if reg.l1 >= reg.l2 else ("l2", reg.l2)

    def penalized_minimum(self, n: int = GRID) -> np.ndarray | None:
        """Where F = f + penalty is lowest on the view's grid (None without a penalty): the
        point the constraint region of the same norm touches."""
        if self.penalty() is None or self.dims != 2:
            return None
        xs, ys, Z = self.surface_grid(n)
        X, Y = np.meshgrid(xs, ys)
        reg = self.race.file.regularization
        F = Z + reg.l1 * (np.abs(X) + np.abs(Y)) + 0.5 * reg.l2 * (X * X + Y * Y)
        F = np.where(np.isfinite(F), F, np.inf)
        i, j = np.unravel_index(int(np.argmin(F)), F.shape)
        return np.array([xs[j], ys[i]])

    def text(self) -> str:
        """The playground as the JSON a file holds."""
        return json.dumps(self.data, indent=2, ensure_ascii=False)


class _PathBuffer:
    """A racer's points and losses as arrays that grow by the new rows only (a frame costs
    the updates it shows, not the whole path); views of them are handed out."""

    def __init__(self):
        self.source: list | None = None
        self.points = np.zeros((0, 2))
        self.losses = np.zeros(0)
        self.n = 0

    def follow(self, racer) -> tuple[np.ndarray, np.ndarray]:
        rows = len(racer.points)
        if racer.points is not self.source or rows < self.n:  # a reset or another racer
            self.source, self.n = racer.points, 0  # new arrays: views handed out stay
            self.losses = np.zeros(0)
        if rows > len(self.losses) or self.points.shape[1:] != racer.points[0].shape:
            capacity = max(64, 2 * rows)
            points = np.empty((capacity, *racer.points[0].shape))
            losses = np.empty(capacity)
            if self.n:
                points[:self.n], losses[:self.n] = self.points[:self.n], self.losses[:self.n]
            self.points, self.losses = points, losses
        if rows > self.n:
            self.points[self.n:rows] = racer.points[self.n:rows]
            self.losses[self.n:rows] = racer.losses[self.n:rows]
            self.n = rows
        return self.points[:rows], self.losses[:rows]


def _default_view_and_start(data: dict, changes: dict) -> None:
    data["view"] = changes.get("view")
    data["start"] = changes.get("start")
    for racer in data["racers"]:
        racer["start"] = None


def _default_label(racer: dict) -> str:
    if racer.get("kind") == "random_perturbation":
        return "random perturbation"
    return str((racer.get("optimizer") or {}).get("name", "sgd"))
