"""Playground files: ``"format": "trainlab-playground", "version": 1`` as pydantic models.

A racer's ``optimizer`` and ``schedule`` objects are a preset's own sections (the very keys and
defaults of :class:`~trainlab.presets.model.OptimizerConfig` and ``ScheduleConfig``), and so
is ``regularization`` (l1, l2 as penalties on the point, clip_norm on its gradient). In the
playground a schedule counts updates where a run counts epochs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from trainlab.lessons.model import Lesson
from trainlab.playground.catalog import SurfaceSpec
from trainlab.playground.errors import PlaygroundError, problems_from
from trainlab.playground.surfaces import Rosenbrock
from trainlab.presets.errors import PresetError, show
from trainlab.presets.model import (
    MAX_SEED,
    OptimizerConfig,
    RegularizationConfig,
    ScheduleConfig,
    Section,
    Text,
)

FORMAT = "trainlab-playground"
VERSION = 1
MAX_RACERS = 8
MAX_STEPS = 100_000
KINDS = ("optimizer", "finite_difference", "random_perturbation")

Point = Annotated[list[float], Field(min_length=1, max_length=2)]


class RacerConfig(Section):
    """One racer: a point that starts at ``start`` and moves by its own rule."""

    label: Annotated[Text, Field(min_length=1, max_length=60)] | None = Field(
        None, description="Its name in the legend and the results (null = from the optimizer).")
    kind: Literal[KINDS] = Field(  # type: ignore[valid-type]
        "optimizer",
        description="optimizer: the engine optimizer fed the analytic gradient; "
        "finite_difference: the same, fed central differences (F(p+εe)−F(p−εe))/2ε; "
        "random_perturbation: try p + δ, δ ~ N(0, σ²I), keep it when the loss falls.")
    optimizer: OptimizerConfig = Field(
        default_factory=OptimizerConfig,
        description="As in a preset. Used by kinds optimizer and finite_difference.")
    schedule: ScheduleConfig = Field(
        default_factory=ScheduleConfig,
        description="As in a preset, counting updates instead of epochs. For "
        "random_perturbation it scales σ by η(t)/η₀.")
    start: Point | None = Field(None, description="Its own start (null = the file's start).")
    fd_eps: float = Field(1e-4, gt=0, le=1, description="ε of finite_difference.")
    perturbation: float = Field(0.1, gt=0, le=1e3,
                                description="σ of random_perturbation's trial steps.")

    def display_label(self) -> str:
        if self.label:
            return self.label
        if self.kind == "random_perturbation":
            return "random perturbation"
        name = self.optimizer.name
        if name == "momentum" and self.optimizer.nesterov:
            name = "nesterov"
        return f"{name} (finite differences)" if self.kind == "finite_difference" else name


class PlaygroundFile(Section):
    """A TrainLab optimizer playground: a surface, a start and up to eight racers."""

    model_config = Section.model_config | {
        "title": "TrainLab playground",
        "json_schema_extra": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "Optimizers racing over a loss surface. Every key but 'format' may "
            "be left out and takes its default."}}

    format: Literal["trainlab-playground"] = Field(description="Always 'trainlab-playground'.")
    version: Literal[1] = Field(1, description="Playground format version; this TrainLab reads 1.")
    name: Annotated[Text, Field(min_length=1, max_length=200)] = Field(
        "Untitled", description="Display name.")
    description: Annotated[Text, Field(max_length=20_000)] = Field(
        "", description="What the race shows.")
    look_for: Annotated[Text, Field(max_length=20_000)] = Field(
        "", description="What to watch while it runs.")
    surface: SurfaceSpec = Field(default_factory=Rosenbrock,
                                 description="The loss surface, chosen by its 'name'.")
    start: Point | None = Field(
        None, description="[x, y] ([w] for a 1-D surface) where racers start (null = the "
        "surface's default start).")
    steps: int = Field(200, ge=1, le=MAX_STEPS, description="Updates per racer.")
    racers: Annotated[list[RacerConfig], Field(min_length=1, max_length=MAX_RACERS)] = Field(
        default_factory=lambda: [RacerConfig()], description="Up to 8 racers.")
    noise: float = Field(0.0, ge=0, le=1e6,
                         description="σ of Gaussian noise added to every gradient (seeded).")
    regularization: RegularizationConfig = Field(
        default_factory=RegularizationConfig,
        description="l1: λ₁·Σ|p| and l2: (λ₂/2)·Σp² added to the surface; clip_norm clips "
        "the gradient (as in a preset).")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the noise and the trials.")
    view: Annotated[list[float], Field(min_length=2, max_length=4)] | None = Field(
        None, description="[xmin, xmax, ymin, ymax] ([wmin, wmax] in 1-D; null = the "
        "surface's default view).")
    lesson: Lesson | None = Field(
        None, description="What the file teaches, as in a preset's 'lesson' section (try_next "
        "overrides are the playground's own dotted keys, e.g. 'noise' or 'surface.kappa').")

    def resolved_view(self) -> tuple[float, ...]:
        return tuple(self.view) if self.view is not None else self.surface.view()

    def resolved_start(self, racer: RacerConfig | None = None) -> tuple[float, ...]:
        if racer is not None and racer.start is not None:
            return tuple(racer.start)
        return tuple(self.start) if self.start is not None else self.surface.start()


def validate_playground(data: dict | PlaygroundFile, source: str = "playground"
                        ) -> PlaygroundFile:
    """Check a playground given as a dict (as read from JSON); raise :class:`PlaygroundError`
    with every problem, one line each."""
    if isinstance(data, PlaygroundFile):
        data = data.model_dump()
    if not isinstance(data, dict):
        raise PlaygroundError([("", "a playground must be a JSON object { ... }")], source)
    if data.get("format") != FORMAT:
        got = "missing" if "format" not in data else f"got {show(data['format'])}"
        raise PlaygroundError([("format", f"must be '{FORMAT}' ({got})")], source)
    try:
        playground = PlaygroundFile.model_validate(data)
    except ValidationError as error:
        raise PlaygroundError(problems_from(error, root=PlaygroundFile), source) from None
    problems = consistency_problems(playground)
    if problems:
        raise PlaygroundError(problems, source)
    return playground


def consistency_problems(p: PlaygroundFile) -> list[tuple[str, str]]:
    """What the models alone cannot see: dimensions, starts inside the view, labels."""
    dims = p.surface.dims
    problems: list[tuple[str, str]] = []
    view = p.resolved_view()
    if len(view) != 2 * dims:
        problems.append(("view", f"needs {2 * dims} numbers for this surface, got {len(view)}"))
        return problems
    if any(view[2 * k] >= view[2 * k + 1] for k in range(dims)):
        problems.append(("view", "each minimum must be below its maximum"))
        return problems
    starts = [("start", p.start)] + [(f"racers[{i}].start", r.start)
                                     for i, r in enumerate(p.racers)]
    for key, start in starts:
        if start is None:
            continue
        if len(start) != dims:
            problems.append((key, f"needs {dims} number{'s' if dims > 1 else ''} for this "
                             f"surface, got {len(start)}"))
        elif not inside(start, view):
            problems.append((key, f"{show(list(start))} is outside the view {describe(view)}"))
    seen: dict[str, int] = {}
    for i, racer in enumerate(p.racers):
        label = racer.display_label()
        if label in seen:
            problems.append((f"racers[{i}].label", f"{label!r} is also the label of "
                             f"racers[{seen[label]}]; give each racer its own label"))
        seen.setdefault(label, i)
    return problems


def inside(point, view) -> bool:
    return all(view[2 * k] <= point[k] <= view[2 * k + 1] for k in range(len(point)))


def describe(view) -> str:
    names = ("w",) if len(view) == 2 else ("x", "y")
    return ", ".join(f"{n} in [{view[2 * k]:g}, {view[2 * k + 1]:g}]"
                     for k, n in enumerate(names))


def load_playground(path: str | Path) -> PlaygroundFile:
    """Read and check a playground file (JSON only); :class:`PlaygroundError` names the file
    and each problem. A file without a ``name`` is named after the file."""
    from trainlab.presets.files import _read_json  # the preset reader: same JSON rules

    path = Path(path)
    try:
        data = _read_json(path, str(path))
    except PresetError as error:
        raise PlaygroundError(error.problems, str(path)) from None
    if isinstance(data, dict) and "name" not in data and path.stem:
        data["name"] = path.stem
    return validate_playground(data, str(path))


def playground_to_dict(p: PlaygroundFile) -> dict[str, Any]:
    """Every key explicit, JSON-ready."""
    return p.model_dump(mode="json")


def is_playground(data: Any) -> bool:
    """True for a JSON object that says it is a playground (the window's Open tells the two
    kinds of file apart with it)."""
    return isinstance(data, dict) and data.get("format") == FORMAT
