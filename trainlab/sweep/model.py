"""The sweep file as pydantic models: what to search over, how, for what, within what budget.

A sweep file is a JSON object::

    {"format": "trainlab-sweep", "version": 1, "name": "...", "description": "...",
     "base": "../presets/moons.json",               # or a preset inline
     "parameters": {"optimizer.lr": {"low": 1e-4, "high": 0.1, "log": true},
                    "model.dropout": [0.0, 0.25, 0.5],
                    "model.activation": {"choices": ["tanh", "relu"]}},
     "method": {"name": "random", "n_trials": 20, "seed": 0},
     "objective": {"metric": "val_loss", "at": "best"},
     "pruning": {"enabled": false},
     "budget": {"max_trials": null, "max_minutes": null}}

Key paths in ``parameters`` are checked against the preset in :mod:`.space`, where each value
is applied to the base preset and validated like a preset.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from trainlab.lessons.model import Lesson

FORMAT = "trainlab-sweep"
VERSION = 1
METRICS = ("val_loss", "val_acc", "val_r2")
#: The direction each objective metric is optimized in, unless the file says otherwise.
DIRECTIONS = {"val_loss": "minimize", "val_acc": "maximize", "val_r2": "maximize"}
MAX_TRIALS = 100_000


class Section(BaseModel):
    """Unknown keys are errors; numbers are strict-ish (like presets); values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Range(Section):
    """A number drawn from [low, high]: uniformly, or uniformly in log space (``log``), or on
    the grid low, low + step, ... (``step``). Whole numbers when low, high and step are."""

    low: int | float = Field(description="Smallest value.")
    high: int | float = Field(description="Largest value (>= low).")
    log: bool = Field(False, description="Draw uniformly in log space (needs low > 0).")
    step: int | float | None = Field(
        None, gt=0, description="Only values low + k·step (null = any value in the range)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        if self.log and self.low <= 0:
            raise ValueError(f"a log range needs low > 0, got {self.low}")
        if self.log and self.step is not None:
            raise ValueError("a range is either log or stepped, not both")
        return self

    @property
    def integer(self) -> bool:
        """True when every bound is a whole number given as an integer (``"low": 1``)."""
        return all(isinstance(v, int) for v in (self.low, self.high, self.step or 1))


class Choices(Section):
    """Pick among these values (any JSON value a preset key takes, e.g. ``[16, 16]``)."""

    choices: list[Any] = Field(min_length=1, max_length=1000, description="The values.")


def _domain_kind(value: Any) -> str:
    if isinstance(value, list):
        return "values"
    if isinstance(value, dict) and "choices" in value:
        return "choices"
    return "range"


#: A list of values is the same as ``{"choices": [...]}``.
Domain = Annotated[
    Annotated[list[Any], Tag("values"), Field(min_length=1, max_length=1000)]
    | Annotated[Choices, Tag("choices")]
    | Annotated[Range, Tag("range")],
    Discriminator(_domain_kind),
]


class GridMethod(Section):
    """Every combination of the parameters' values, in order (the last parameter fastest)."""

    name: Literal["grid"] = Field(description="Grid search.")


class RandomMethod(Section):
    """n_trials independent draws; trial i's values depend only on (seed, i)."""

    name: Literal["random"] = Field(description="Random search.")
    n_trials: int = Field(20, ge=1, le=MAX_TRIALS, description="Number of trials.")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the draws.")


class BayesianMethod(Section):
    """Optuna's TPE sampler: each trial is drawn from a model of the trials finished so far."""

    name: Literal["bayesian"] = Field(description="Bayesian optimization (TPE).")
    n_trials: int = Field(20, ge=1, le=MAX_TRIALS, description="Number of trials.")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the sampler.")
    n_startup_trials: int = Field(
        5, ge=0, le=MAX_TRIALS, description="Random trials before TPE starts modelling."
    )


Method = Annotated[GridMethod | RandomMethod | BayesianMethod, Field(discriminator="name")]


class Objective(Section):
    """The number a trial is judged by."""

    metric: Literal[METRICS] = Field(  # type: ignore[valid-type]
        "val_loss",
        description="val_loss; val_acc (classification) or val_r2 (regression).",
    )
    at: Literal["best", "last", "kfold"] = Field(
        "best",
        description="best: the best value over the epochs; last: the last epoch's; kfold: the "
        "mean over the folds of data.kfold cross-validation.",
    )
    direction: Literal["minimize", "maximize"] | None = Field(
        None, description="null = minimize for val_loss, maximize for val_acc and val_r2."
    )

    @property
    def resolved_direction(self) -> str:
        return self.direction or DIRECTIONS[self.metric]


class Pruning(Section):
    """Stop hopeless trials early: Optuna's median pruner on the objective's epoch curve."""

    enabled: bool = Field(False, description="Turn pruning on.")
    n_startup_trials: int = Field(
        5, ge=0, le=MAX_TRIALS, description="Finished trials before any trial is pruned."
    )
    n_warmup_epochs: int = Field(
        5, ge=0, le=1_000_000, description="Epochs a trial always runs before it can be pruned."
    )


class Budget(Section):
    """Limits on the whole search."""

    max_trials: int | None = Field(
        None, ge=1, le=MAX_TRIALS, description="At most this many trials (null = all)."
    )
    max_minutes: float | None = Field(
        None,
        gt=0,
        description="Start no new trial after this many minutes of this command (null = no "
        "limit); running trials finish.",
    )


class SweepFile(Section):
    """A TrainLab hyperparameter search."""

    model_config = ConfigDict(
        title="TrainLab sweep",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "A TrainLab hyperparameter search over a base preset.",
        },
    )

    format: Literal["trainlab-sweep"] = Field(description="Always 'trainlab-sweep'.")
    version: Literal[1] = Field(1, description="Sweep format version; this TrainLab reads 1.")
    name: str = Field("Untitled search", min_length=1, max_length=200, description="Name.")
    description: str = Field("", max_length=20_000, description="What to look for.")
    base: str | dict[str, Any] = Field(
        description="The preset every trial starts from: a path (relative to the sweep file) "
        "or a preset inline."
    )
    parameters: dict[str, Domain] = Field(
        min_length=1,
        description="Preset key path (e.g. 'optimizer.lr') -> a list of values, "
        "{'choices': [...]} or a range {'low', 'high', 'log', 'step'}.",
    )
    method: Method = Field(description="grid, random or bayesian.")
    objective: Objective = Field(default_factory=Objective)
    pruning: Pruning = Field(default_factory=Pruning)
    budget: Budget = Field(default_factory=Budget)
    lesson: Lesson | None = Field(
        None, description="What the search teaches, as in a preset's 'lesson' section "
        "(try_next overrides are the sweep file's own dotted keys, e.g. 'method.n_trials').")
