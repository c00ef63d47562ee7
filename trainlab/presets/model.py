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
    model_validator,
)
from pydantic_core import PydanticCustomError

from trainlab.engine.names import ACTIVATIONS, DTYPES, INITS, LOSSES, OPTIMIZERS, SCHEDULES

FORMAT = "trainlab-preset"
VERSION = 1

# --- the data vocabulary (the data layer generates/loads these by name) -------------------------

CLASSIFICATION_GENERATORS = ("spirals", "moons", "circles", "xor", "gaussians")
REGRESSION_GENERATORS = ("line", "sine", "plane")
#: Generators that always make exactly two classes.
TWO_CLASS_GENERATORS = ("moons", "circles", "xor")
#: Real data sets bundled with scikit-learn: name -> number of classes (None = regression).
BUNDLED_CLASSES: dict[str, int | None] = {
    "iris": 3,
    "wine": 3,
    "breast_cancer": 2,
    "digits": 10,
    "diabetes": None,
}
DATA_SOURCES = CLASSIFICATION_GENERATORS + REGRESSION_GENERATORS + tuple(BUNDLED_CLASSES) + ("csv",)
CLASSIFICATION_SOURCES = CLASSIFICATION_GENERATORS + tuple(
    name for name, k in BUNDLED_CLASSES.items() if k is not None
)
REGRESSION_SOURCES = REGRESSION_GENERATORS + tuple(
    name for name, k in BUNDLED_CLASSES.items() if k is None
)
SCALINGS = ("standardize", "minmax", "none")
TASKS = ("auto", "classification", "regression")

#: The allowed names of every name-valued key, by key path (the GUI fills its combo boxes here).
CHOICES: dict[str, tuple[str, ...]] = {
    "data.source": DATA_SOURCES,
    "data.scaling": SCALINGS,
    "data.task": TASKS,
    "model.activation": ACTIVATIONS,
    "model.init": INITS,
    "loss.name": LOSSES,
    "optimizer.name": OPTIMIZERS,
    "schedule.name": SCHEDULES,
    "training.dtype": DTYPES,
}

# Upper limits that only keep a typo (an extra zero or five) from freezing the machine.
MAX_EPOCHS = 1_000_000
MAX_SAMPLES = 1_000_000
MAX_WIDTH = 10_000
MAX_LAYERS = 100
MAX_CLASSES = 100
MAX_SEED = 2**63 - 1


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

Width = Annotated[int, Field(ge=1, le=MAX_WIDTH)]


def _one_or_list(value: Any) -> str:
    # Pick the branch by shape, so that a bad value gets one error rather than one per branch.
    return "list" if isinstance(value, list) else "one"


Activations = Annotated[
    Annotated[ActivationName, Tag("one")] | Annotated[list[ActivationName], Tag("list")],
    Discriminator(_one_or_list),
]


class Section(BaseModel):
    """Shared rules: unknown keys are errors; numbers are strict-ish (an int is a float, a bool
    or a string is no number); NaN and infinities are refused; a validated value is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# --- sections --------------------------------------------------------------------------------


class Split(Section):
    """Fractions of the rows for training, validation and test; they add up to 1."""

    train: float = Field(0.7, gt=0, le=1, description="Fraction of rows to train on (> 0).")
    val: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Fraction for validation (monitored each epoch, early stopping).",
    )
    test: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Fraction for the test set, evaluated once at the end of the run.",
    )


class DataConfig(Section):
    """Where the rows come from and how they are prepared (SPEC §11)."""

    source: DataSourceName = Field(
        "spirals",
        description="A generator (spirals, moons, circles, xor, gaussians: classification; "
        "line, sine, plane: regression), a bundled data set (iris, wine, breast_cancer, digits: "
        "classification; diabetes: regression) or 'csv'.",
    )
    n_samples: int = Field(
        600,
        ge=4,
        le=MAX_SAMPLES,
        description="Number of rows to generate. Only used by generators.",
    )
    noise: float = Field(
        0.1, ge=0, description="Noise level of the generator. Only used by generators."
    )
    classes: int = Field(
        2,
        ge=2,
        le=MAX_CLASSES,
        description="Number of classes. Only used by spirals and gaussians "
        "(moons, circles and xor always have 2).",
    )
    path: Text | None = Field(
        None,
        description="The CSV file, relative to the preset's folder. Required when source is 'csv'.",
    )
    target: Text | None = Field(
        None,
        description="The CSV target column, by its header name (null = the last column). "
        "Only used when source is 'csv'.",
    )
    split: Split = Field(default_factory=Split)
    scaling: ScalingName = Field(
        "standardize", description="Feature scaling, fitted on the training split only."
    )
    task: TaskName = Field(
        "auto",
        description="classification or regression; 'auto' decides from the source (for a CSV, "
        "from the target column).",
    )
    kfold: int | None = Field(
        None,
        ge=2,
        le=100,
        description="k-fold cross-validation over train+validation with k folds (null = off).",
    )


class ModelConfig(Section):
    """The network between the inputs and the outputs (SPEC §1-3, 8, 9)."""

    hidden: Annotated[list[Width], Field(max_length=MAX_LAYERS)] = Field(
        default_factory=lambda: [16, 16],
        description="Width of each hidden layer, input side first ([] = no hidden layer).",
    )
    activation: Activations = Field(
        "tanh",
        description="Activation of the hidden layers: one name for all, or a list with one "
        "name per hidden layer.",
    )
    init: InitName = Field(
        "auto",
        description="Weight initialization; auto = he_normal for relu, leaky_relu and elu, "
        "xavier_uniform otherwise.",
    )
    batch_norm: bool = Field(
        False,
        description="Batch normalization after each hidden dense layer (needs batch_size >= 2).",
    )
    dropout: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="Dropout probability p on hidden activations (inverted dropout).",
    )
    maxout_pieces: int = Field(
        2, ge=2, le=16, description="Pieces k per maxout unit. Only used by the maxout activation."
    )
    init_scale: float = Field(
        0.1, gt=0, description="Scale s of the 'uniform' (U(±s)) and 'normal' (N(0, s²)) inits."
    )


class LossConfig(Section):
    """The data loss (SPEC §4); the output link follows from it."""

    name: LossName = Field(
        "cross_entropy",
        description="mse, mae, huber: regression; bce (two classes), cross_entropy: "
        "classification.",
    )
    label_smoothing: float = Field(
        0.0, ge=0, lt=1, description="Label smoothing α. Only used by cross_entropy."
    )


def _optimizer_default_momentum(name: Any) -> float:
    # PyTorch: SGD is used with momentum 0.9 in SPEC; RMSprop's momentum defaults to 0.
    return 0.0 if name == "rmsprop" else 0.9


def _optimizer_default_eps(name: Any) -> float:
    return 1e-10 if name == "adagrad" else 1e-8


class OptimizerConfig(Section):
    """The update rule and its constants (SPEC §6). Each key is used only by some optimizers."""

    name: OptimizerName = Field("adam", description="The optimizer.")
    lr: float = Field(0.01, gt=0, description="Initial learning rate η₀ (> 0).")
    momentum: float = Field(
        0.9,
        ge=0,
        lt=1,
        description="Momentum μ, used by momentum and (optionally) rmsprop. Default 0.9, "
        "but 0.0 for rmsprop (PyTorch's default).",
    )
    nesterov: bool = Field(False, description="Nesterov momentum. Only used by momentum.")
    beta1: float = Field(0.9, ge=0, lt=1, description="β₁. Used by adam, adamw, lamb.")
    beta2: float = Field(0.999, ge=0, lt=1, description="β₂. Used by adam, adamw, lamb.")
    eps: float = Field(
        1e-8,
        gt=0,
        description="ε in the denominator. Used by adagrad, rmsprop, adam, adamw, lamb. "
        "Default 1e-8, but 1e-10 for adagrad (PyTorch's default).",
    )
    rho: float = Field(0.99, ge=0, lt=1, description="ρ (squared-gradient decay). Only rmsprop.")
    weight_decay: float = Field(
        0.01,
        ge=0,
        description="Decoupled weight decay λ_wd on weight matrices. Used by adamw, lamb.",
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults_that_depend_on_the_optimizer(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("momentum" not in data or "eps" not in data):
            name = data.get("name", "adam")
            data = dict(data)
            data.setdefault("momentum", _optimizer_default_momentum(name))
            data.setdefault("eps", _optimizer_default_eps(name))
        return data


class ScheduleConfig(Section):
    """How the learning rate changes from epoch to epoch (SPEC §7)."""

    name: ScheduleName = Field("constant", description="The learning-rate schedule.")
    warmup_epochs: int = Field(
        0,
        ge=0,
        le=MAX_EPOCHS,
        description="Linear warm-up W epochs before the schedule (all schedules).",
    )
    gamma: float = Field(
        0.5, gt=0, le=1, description="Factor γ per step (step) or per epoch (exponential)."
    )
    step_size: int = Field(10, ge=1, le=MAX_EPOCHS, description="Epochs s per step (step).")
    decay: float = Field(0.1, ge=0, description="k in η₀/(1+k·e) (inverse_time).")
    power: float = Field(1.0, gt=0, description="Power p (polynomial).")
    T: int = Field(
        100,
        ge=1,
        le=MAX_EPOCHS,
        description="Epochs T until the end of the decay (polynomial, cosine).",
    )
    min_lr: float = Field(
        0.0, ge=0, description="Lowest learning rate η_min (cosine, plateau); at most lr."
    )
    factor: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Factor f applied to η when the loss stops improving (plateau).",
    )
    patience: int = Field(
        5, ge=0, le=MAX_EPOCHS, description="Bad epochs tolerated before η is reduced (plateau)."
    )
    cooldown: int = Field(
        0,
        ge=0,
        le=MAX_EPOCHS,
        description="Epochs after a reduction in which bad epochs are not counted (plateau).",
    )


class RegularizationConfig(Section):
    """Penalties on the weight matrices and gradient clipping (SPEC §4-5)."""

    l1: float = Field(0.0, ge=0, description="λ₁ of the L1 penalty λ₁·Σ|W|.")
    l2: float = Field(0.0, ge=0, description="λ₂ of the L2 penalty (λ₂/2)·ΣW².")
    clip_norm: float | None = Field(
        None, gt=0, description="Clip the global gradient norm to c (null = no clipping)."
    )


class EarlyStoppingConfig(Section):
    """Stop when the validation loss stops improving (SPEC §10)."""

    enabled: bool = Field(False, description="Turn early stopping on.")
    patience: int = Field(
        10, ge=1, le=MAX_EPOCHS, description="Epochs without improvement before stopping."
    )
    min_delta: float = Field(
        0.0, ge=0, description="An epoch improves when the loss < best − min_delta."
    )
    restore_best: bool = Field(True, description="End with the weights of the best epoch.")


class TrainingConfig(Section):
    """The loop (SPEC §10)."""

    epochs: int = Field(100, ge=1, le=MAX_EPOCHS, description="Number of epochs.")
    batch_size: int = Field(
        32,
        ge=1,
        le=100 * MAX_SAMPLES,
        description="Rows per optimizer step (1 = online SGD, >= rows = full batch).",
    )
    shuffle: bool = Field(True, description="Shuffle the training rows every epoch (seeded).")
    dtype: DtypeName = Field("float64", description="Floating-point type of the run.")
    early_stopping: EarlyStoppingConfig = Field(default_factory=EarlyStoppingConfig)


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

    format: Literal["trainlab-preset"] = Field(description="Always 'trainlab-preset'.")
    version: Literal[1] = Field(1, description="Preset format version; this TrainLab reads 1.")
    name: Annotated[Text, Field(min_length=1, max_length=200)] = Field(
        "Untitled", description="Display name."
    )
    description: Annotated[Text, Field(max_length=20_000)] = Field(
        "", description="What the preset shows and what to look at."
    )
    seed: int = Field(
        0,
        ge=0,
        le=MAX_SEED,
        description="Seed of every random choice (data, init, shuffling, dropout).",
    )
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    loss: LossConfig = Field(default_factory=LossConfig)
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    regularization: RegularizationConfig = Field(default_factory=RegularizationConfig)
    training: TrainingConfig = Field(default_factory=TrainingConfig)

    _path: Path | None = PrivateAttr(default=None)

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
