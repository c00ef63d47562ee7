"""The preset as pydantic models: one model per section, every knob with its default and range.

A preset is a JSON object; this module says which keys it may have, what each means (SPEC.md),
what values are allowed and what a missing key becomes. Checks that involve several keys (the
loss against the data source, the split adding up to 1, ...) live in :mod:`.checks`, so that
each problem can be reported at the key it is about.

Numbers are "strict-ish": an integer is accepted where a float is expected (``"lr": 1``), but
``true`` and ``"0.1"`` are not numbers, and ``NaN``/``Infinity`` are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from trainlab.catalog.data import (
    BUNDLED_CLASSES,
    CLASSIFICATION_GENERATORS,
    CLASSIFICATION_SOURCES,
    DATA_SOURCES,
    REGRESSION_GENERATORS,
    REGRESSION_SOURCES,
    SCALINGS,
    TASKS,
    TWO_CLASS_GENERATORS,
)
from trainlab.catalog.knob import (
    MAX_CLASSES,
    MAX_DESCRIPTION_LENGTH,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_NAME_LENGTH,
    MAX_POLYNOMIAL_DEGREE,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_WIDTH,
    REQUIRED,
)
from trainlab.catalog.knobs import CHOICES, FORMAT, KNOBS, VERSION, defaults_that_follow
from trainlab.catalog.names import (
    ACTIVATIONS,
    DROPOUT_MODES,
    DTYPES,
    INITS,
    LOSSES,
    OPTIMIZERS,
    SCHEDULE_UNITS,
    SCHEDULES,
)
from trainlab.lessons.model import Lesson, Variant

# Re-exported: the data vocabulary and the limits live in the catalog (trainlab.catalog).
__all__ = [
    "BUNDLED_CLASSES", "CHOICES", "CLASSIFICATION_GENERATORS", "CLASSIFICATION_SOURCES",
    "DATA_SOURCES", "FORMAT", "MAX_CLASSES", "MAX_EPOCHS", "MAX_LAYERS", "MAX_SAMPLES",
    "MAX_SEED", "MAX_WIDTH", "REGRESSION_GENERATORS", "REGRESSION_SOURCES", "SCALINGS", "TASKS",
    "TWO_CLASS_GENERATORS", "VERSION", "Preset",
]


def knob(path: str) -> Any:
    """The pydantic field of a preset key: default, range and description from the catalog."""
    entry = KNOBS[path]
    if entry.default is REQUIRED:
        return Field(description=entry.description, **entry.bounds)
    if isinstance(entry.default, tuple):  # a list value: each preset gets its own copy
        items = entry.default
        return Field(default_factory=lambda: list(items), description=entry.description,
                     **entry.bounds)
    return Field(entry.default, description=entry.description, **entry.bounds)


# --- field types -----------------------------------------------------------------------------


def _printable(text: str) -> str:
    """Text must be storable as UTF-8 (no lone surrogate from a "\\ud800" escape), without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "trainlab_text", "contains a character that cannot be stored (a lone surrogate)"
        ) from None
    if "\x00" in text:
        raise PydanticCustomError("trainlab_text", "contains a NUL character")
    return text


Text = Annotated[str, AfterValidator(_printable)]

# Literal[tuple] is Literal[*tuple]: each becomes an enum in the JSON Schema.
DataSourceName = Literal[DATA_SOURCES]  # type: ignore[valid-type]
ScalingName = Literal[SCALINGS]  # type: ignore[valid-type]
TaskName = Literal[TASKS]  # type: ignore[valid-type]
ActivationName = Literal[ACTIVATIONS]  # type: ignore[valid-type]
InitName = Literal[INITS]  # type: ignore[valid-type]
LossName = Literal[LOSSES]  # type: ignore[valid-type]
OptimizerName = Literal[OPTIMIZERS]  # type: ignore[valid-type]
ScheduleName = Literal[SCHEDULES]  # type: ignore[valid-type]
DtypeName = Literal[DTYPES]  # type: ignore[valid-type]
ScheduleUnitName = Literal[SCHEDULE_UNITS]  # type: ignore[valid-type]
DropoutModeName = Literal[DROPOUT_MODES]  # type: ignore[valid-type]

Width = Annotated[int, Field(ge=1, le=MAX_WIDTH)]


def _one_or_list(value: Any) -> str:
    # Pick the branch by shape, so that a bad value gets one error rather than one per branch.
    return "list" if isinstance(value, list) else "one"


Activations = Annotated[
    Annotated[ActivationName, Tag("one")] | Annotated[list[ActivationName], Tag("list")],
    Discriminator(_one_or_list),
]


def _list_or_mapping(value: Any) -> str:
    return "polynomial" if isinstance(value, dict) else "list"


class Section(BaseModel):
    """Shared rules: unknown keys are errors; numbers are strict-ish (an int is a float, a bool
    or a string is no number); NaN and infinities are refused; a validated value is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# --- sections: every field's default, range and description come from the catalog -----------


class Split(Section):
    """Fractions of the rows for training, validation and test; they add up to 1."""

    train: float = knob("data.split.train")
    val: float = knob("data.split.val")
    test: float = knob("data.split.test")


# A list of names or {"polynomial": n}. Which names and degrees fit depends on the source's
# inputs: .checks checks them (with hints), before anything is loaded.
Features = Annotated[
    Annotated[list[Text], Tag("list"), Field(max_length=MAX_POLYNOMIAL_DEGREE)]
    | Annotated[dict[str, int], Tag("polynomial")],
    Discriminator(_list_or_mapping),
]


class DataConfig(Section):
    """Where the rows come from and how they are prepared (SPEC §11)."""

    source: DataSourceName = knob("data.source")
    n_samples: int = knob("data.n_samples")
    noise: float = knob("data.noise")
    classes: int = knob("data.classes")
    path: Text | None = knob("data.path")
    target: Text | None = knob("data.target")
    split: Split = Field(default_factory=Split)
    scaling: ScalingName = knob("data.scaling")
    task: TaskName = knob("data.task")
    kfold: int | None = knob("data.kfold")
    seed: int | None = knob("data.seed")
    features: Features | None = knob("data.features")


class ModelConfig(Section):
    """The network between the inputs and the outputs (SPEC §1-3, 8, 9)."""

    hidden: Annotated[list[Width], Field(max_length=MAX_LAYERS)] = knob("model.hidden")
    activation: Activations = knob("model.activation")
    init: InitName = knob("model.init")
    batch_norm: bool = knob("model.batch_norm")
    dropout: float = knob("model.dropout")
    dropout_mode: DropoutModeName = knob("model.dropout_mode")
    maxout_pieces: int = knob("model.maxout_pieces")
    init_scale: float = knob("model.init_scale")


class LossConfig(Section):
    """The data loss (SPEC §4); the output link follows from it."""

    name: LossName = knob("loss.name")
    label_smoothing: float = knob("loss.label_smoothing")


class OptimizerConfig(Section):
    """The update rule and its constants (SPEC §6). Each key is used only by some optimizers."""

    name: OptimizerName = knob("optimizer.name")
    lr: float = knob("optimizer.lr")
    momentum: float = knob("optimizer.momentum")
    nesterov: bool = knob("optimizer.nesterov")
    beta1: float = knob("optimizer.beta1")
    beta2: float = knob("optimizer.beta2")
    eps: float = knob("optimizer.eps")
    rho: float = knob("optimizer.rho")
    weight_decay: float = knob("optimizer.weight_decay")

    @model_validator(mode="before")
    @classmethod
    def _defaults_that_depend_on_the_optimizer(cls, data: Any) -> Any:
        if isinstance(data, dict):
            name = data.get("name", KNOBS["optimizer.name"].default)
            missing = {path.rsplit(".", 1)[1]: value
                       for path, value in defaults_that_follow("optimizer.name", name).items()
                       if path.rsplit(".", 1)[1] not in data}
            if missing:
                data = {**data, **missing}
        return data


class ScheduleConfig(Section):
    """How the learning rate changes from epoch to epoch (SPEC §7)."""

    name: ScheduleName = knob("schedule.name")
    per: ScheduleUnitName = knob("schedule.per")
    warmup_epochs: int = knob("schedule.warmup_epochs")
    gamma: float = knob("schedule.gamma")
    step_size: int = knob("schedule.step_size")
    decay: float = knob("schedule.decay")
    power: float = knob("schedule.power")
    T: int = knob("schedule.T")
    min_lr: float = knob("schedule.min_lr")
    factor: float = knob("schedule.factor")
    patience: int = knob("schedule.patience")
    cooldown: int = knob("schedule.cooldown")


class RegularizationConfig(Section):
    """Penalties on the weight matrices and gradient clipping (SPEC §4-5)."""

    l1: float = knob("regularization.l1")
    l2: float = knob("regularization.l2")
    clip_norm: float | None = knob("regularization.clip_norm")


class EarlyStoppingConfig(Section):
    """Stop when the validation loss stops improving (SPEC §10)."""

    enabled: bool = knob("training.early_stopping.enabled")
    patience: int = knob("training.early_stopping.patience")
    min_delta: float = knob("training.early_stopping.min_delta")
    restore_best: bool = knob("training.early_stopping.restore_best")


class TrainingConfig(Section):
    """The loop (SPEC §10)."""

    epochs: int = knob("training.epochs")
    batch_size: int = knob("training.batch_size")
    shuffle: bool = knob("training.shuffle")
    dtype: DtypeName = knob("training.dtype")
    record_batch_loss: bool = knob("training.record_batch_loss")
    early_stopping: EarlyStoppingConfig = Field(default_factory=EarlyStoppingConfig)


#: The JSON Schema of one parameter's entries in a change's ``weights`` (checked in
#: :func:`trainlab.runs.changes.weight_problems`, which knows the network's shapes).
_WEIGHT_ENTRIES = {
    "type": "array", "minItems": 1,
    "items": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}},
}


class Change(Section):
    """Live-changeable keys set, or single weights set by hand, from an epoch on (epochs
    counted as in metrics.csv: the first trained epoch is 1); the values are checked as the
    keys are, the weights against the network's parameters."""

    model_config = ConfigDict(json_schema_extra={
        "anyOf": [{"required": ["set"]}, {"required": ["weights"]}]})

    epoch: int = Field(ge=1, le=MAX_EPOCHS, description="The first epoch trained with the "
                       "new values (new weights: set at its start).")
    set: dict[str, Any] = Field(default_factory=dict, description="Dotted key paths and "
                                "their new values, e.g. {\"optimizer.lr\": 0.001}.")
    weights: dict[str, Any] = Field(
        default_factory=dict, description="Trained parameters (named as in weights_*.npz) "
        "and entries set by hand: [row, column, value] of a matrix W<l>, [index, value] of a "
        "vector (b<l>, bn<l>_gamma, bn<l>_beta); indices from 0, e.g. {\"W1\": [[0, 2, 0.5]]}.",
        json_schema_extra={"additionalProperties": _WEIGHT_ENTRIES})

    @model_serializer(mode="wrap")
    def _without_empty_parts(self, handler) -> dict[str, Any]:
        # a change writes only what it changes: {"epoch", "set"} or {"epoch", "weights"}
        data = handler(self)
        return {key: value for key, value in data.items() if key == "epoch" or value}


class Preset(Section):
    """A complete, validated TrainLab preset.

    Build one with :func:`~trainlab.presets.validate_preset` or
    :func:`~trainlab.presets.load_preset`; sections are attributes (``p.optimizer.lr``).
    Values are immutable: to change one, edit :func:`~trainlab.presets.preset_to_dict`'s dict
    and validate it again (that re-runs the checks that involve several keys).
    """

    model_config = ConfigDict(
        title="TrainLab preset",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "A TrainLab training setup. Every key but 'format' may be left out "
            "and takes its default.",
        },
    )

    format: Literal[FORMAT] = knob("format")  # type: ignore[valid-type]
    version: Literal[VERSION] = knob("version")  # type: ignore[valid-type]
    name: Annotated[Text, Field(min_length=1, max_length=MAX_NAME_LENGTH)] = knob("name")
    description: Annotated[Text, Field(max_length=MAX_DESCRIPTION_LENGTH)] = knob("description")
    seed: int = knob("seed")
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    loss: LossConfig = Field(default_factory=LossConfig)
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    regularization: RegularizationConfig = Field(default_factory=RegularizationConfig)
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    changes: list[Change] = knob("changes")

    lesson: Lesson | None = knob("lesson")
    variants: list[Variant] = knob("variants")

    _path: Path | None = PrivateAttr(default=None)

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_no_bool(cls, value: Any) -> Any:
        # JSON's true equals 1 in Python, and Literal[1] would take it.
        if isinstance(value, bool):
            raise PydanticCustomError(
                "trainlab_version", f"must be the number {VERSION}, got {str(value).lower()}"
            )
        return value

    @property
    def path(self) -> Path | None:
        """The file this preset was loaded from (None if it was not loaded from a file)."""
        return self._path

    def __eq__(self, other: object) -> bool:
        # Two presets are equal when their settings are; where they came from does not matter.
        if not isinstance(other, Preset):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # lists inside: not hashable
