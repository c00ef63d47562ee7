"""Every key of a preset: default, range, names allowed, when it applies, label, help, formula.

``KNOBS[path]`` is the :class:`~trainlab.catalog.knob.Knob` of a dotted key path. The
pydantic models (``presets/model.py``) take their defaults, ranges and schema descriptions
from here; the window's settings panel its labels, tooltips, spin-box ranges and which fields
show; the engine its defaults.
"""

from __future__ import annotations

from dataclasses import replace

from trainlab.catalog import choices as f
from trainlab.catalog.data import (
    BUNDLED_NAMES,
    CLASSIFICATION,
    CLASSIFICATION_GENERATORS,
    CSV,
    DATA_SOURCES,
    GENERATOR_NAMES,
    REGRESSION,
    REGRESSION_GENERATORS,
    SCALINGS,
    SOURCE_INFO,
    TASKS,
    USES_CLASSES,
)
from trainlab.catalog.knob import (
    MAX_CLASSES,
    MAX_EPOCHS,
    MAX_FOLDS,
    MAX_MAXOUT_PIECES,
    MAX_POLYNOMIAL_DEGREE,
    MAX_SAMPLES,
    MAX_SEED,
    REQUIRED,
    Knob,
    When,
)
from trainlab.catalog.names import (
    ACTIVATIONS,
    CLASSIFICATION_LOSSES,
    DROPOUT_MODES,
    DTYPES,
    INITS,
    LOSSES,
    OPTIMIZERS,
    REGRESSION_LOSSES,
    RELU_FAMILY,
    SCALED_INITS,
    SCHEDULE_UNITS,
    SCHEDULES,
)

FORMAT = "trainlab-preset"
VERSION = 1


def _by_task(names, task) -> str:
    return ", ".join(n for n in names if SOURCE_INFO[n].task == task)


_SOURCE_DOC = (
    f"A generator ({', '.join(CLASSIFICATION_GENERATORS)}: classification; "
    f"{', '.join(REGRESSION_GENERATORS)}: regression), a bundled data set "
    f"({_by_task(BUNDLED_NAMES, CLASSIFICATION)}: classification; "
    f"{_by_task(BUNDLED_NAMES, REGRESSION)}: regression) or '{CSV}'."
)
_LOSS_DOC = (f"{', '.join(REGRESSION_LOSSES)}: regression; bce (two classes), "
             f"{', '.join(n for n in CLASSIFICATION_LOSSES if n != 'bce')}: classification.")

_GENERATED = When("data.source", GENERATOR_NAMES, "a generator")
_CSV = When("data.source", (CSV,))
_MOMENTUM = When("optimizer.name", ("momentum", "rmsprop"))
_ADAM_FAMILY = When("optimizer.name", ("adam", "adamw", "lamb"))
_PLATEAU = When("schedule.name", ("plateau",))
_EARLY_STOPPING = When("training.early_stopping.enabled", (True,))
_SPLITS_ADD_UP = "The three fractions add up to 1."

_TABLE = (
    # ---- the file itself
    Knob("format", REQUIRED, f"Always '{FORMAT}'.", "Format"),
    Knob("version", VERSION, f"Preset format version; this TrainLab reads {VERSION}.",
         "Version"),
    Knob("name", "Untitled", "Display name.", "Name",
         "The preset's name, shown in the title bar and the runs list."),
    Knob("description", "", "What the preset shows and what to look at.", "Description",
         "Notes for whoever opens this preset."),
    Knob("seed", 0, "Seed of every random choice (data, init, shuffling, dropout).", "Seed",
         "Fixes every random choice: data, split, shuffling, dropout and initial weights. Same "
         "preset and seed on the same machine give the very same run, bit for bit.",
         ge=0, le=MAX_SEED),
    # ---- data (SPEC §11)
    Knob("data.source", "spirals", _SOURCE_DOC, "Data set",
         "Where the samples come from: a generated toy problem, a bundled real data set or "
         "your own CSV file.", choices=DATA_SOURCES),
    Knob("data.n_samples", 600, "Number of rows to generate.", "Samples",
         "How many points the generator draws.", when=_GENERATED, ge=4, le=MAX_SAMPLES),
    Knob("data.noise", 0.1, "Noise level of the generator.", "Noise",
         "How much random jitter the generator adds to each point.", when=_GENERATED, ge=0),
    Knob("data.classes", 2, "Number of classes (the other classification generators always "
         "make 2).", "Classes", "How many classes (clusters or arms) the generator makes.",
         when=When("data.source", USES_CLASSES), ge=2, le=MAX_CLASSES),
    Knob("data.path", None, "The CSV file, relative to the preset's folder (required).", "CSV file",
         "The CSV file to load: one row per sample, a header row.", when=_CSV),
    Knob("data.target", None, "The CSV target column, by its header name (null = the last "
         "column).", "Target column",
         "The column to predict; every other column is an input feature. Empty = last column.",
         when=_CSV),
    Knob("data.split.train", 0.7, "Fraction of rows to train on (> 0).", "Train fraction",
         "Share of the samples the network learns from. Splits are stratified for "
         "classification and seeded; the three fractions add up to 1.", gt=0, le=1),
    Knob("data.split.val", 0.15, "Fraction for validation (monitored each epoch, early "
         "stopping).", "Validation fraction",
         "Share held out to watch overfitting; early stopping and the plateau schedule watch "
         f"its loss. {_SPLITS_ADD_UP}", ge=0, le=1),
    Knob("data.split.test", 0.15, "Fraction for the test set, evaluated once at the end of "
         "the run.", "Test fraction",
         f"Share kept aside and evaluated once, at the end of the run. {_SPLITS_ADD_UP}",
         ge=0, le=1),
    Knob("data.scaling", "standardize", "Feature scaling, fitted on the training split only.",
         "Feature scaling",
         f"Rescales every input feature ({', '.join(SCALINGS[:-1])} or {SCALINGS[-1]}), fitted "
         "on the training split only, then applied to validation and test.", choices=SCALINGS),
    Knob("data.task", "auto", "classification or regression; 'auto' decides from the source "
         "(for a CSV, from the target column).", "Task",
         "classification (the target is a class label) or regression (a number); auto guesses "
         "from the target column.", when=_CSV, choices=TASKS),
    Knob("data.kfold", None, "k-fold cross-validation over train+validation with k folds "
         "(null = off).", "Cross-validation folds",
         "Off: train once. k: k-fold cross-validation over train+validation, reporting the mean "
         "and standard deviation of the validation metric.", ge=2, le=MAX_FOLDS),
    Knob("data.seed", None, "Seed of the data alone: the generated data set and the split "
         "(null = the preset's seed).", "Data seed",
         "Fixes the data and its split on its own, so a new seed (Reset) draws other initial "
         "weights on the same data. Empty = the preset's seed.", ge=0, le=MAX_SEED),
    Knob("data.features", None, "Input features computed from the raw inputs before scaling "
         "(null = the raw inputs): a list of names, in the order wanted (2-input sources: x1, "
         "x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2); 1-input sources: x, x^2, …), or "
         f"{{\"polynomial\": n}} for x, x^2, …, x^n of a 1-input source (n = 1…"
         f"{MAX_POLYNOMIAL_DEGREE}).", "Input features",
         "What the network sees: the raw inputs, or features computed from them before "
         "scaling (TensorFlow Playground's X₁², X₂², X₁X₂, sin X₁, sin X₂). With x1² and x2² "
         "even a linear model separates the circles; x, x², …, xⁿ make a linear model a "
         "polynomial fit of degree n.",
         "x1^2 = x₁², x1*x2 = x₁·x₂, sin(x1) = sin x₁; polynomial n: (x, x², …, xⁿ)"),
    # ---- model (SPEC §1-3, 8, 9)
    Knob("model.hidden", (16, 16), "Width of each hidden layer, input side first ([] = no "
         "hidden layer).", "Hidden layers",
         "The width (number of units) of each hidden layer, input side first. Add or remove "
         "layers with + and −. No hidden layer = a linear model.",
         "dense layer l: Z = A_prev @ W_l + b_l; block: dense → batch norm → activation → "
         "dropout"),
    Knob("model.activation", "tanh", "Activation of the hidden layers: one name for all, or a "
         "list with one name per hidden layer.", "Activation",
         "The non-linearity applied to every hidden unit. Tick 'per layer' to pick one for each "
         "hidden layer.", choices=ACTIVATIONS),
    Knob("model.init", "auto", f"Weight initialization; auto = he_normal for "
         f"{', '.join(RELU_FAMILY[:-1])} and {RELU_FAMILY[-1]}, xavier_uniform otherwise.",
         "Initialization",
         "How the initial weights are drawn (biases start at 0). Fully determined by the seed.",
         choices=INITS),
    Knob("model.batch_norm", False, "Batch normalization after each hidden dense layer (needs "
         "batch_size >= 2).", "Batch normalization",
         "Normalizes each hidden unit over the mini-batch before the activation; evaluation uses "
         "running statistics. Needs a batch size above 1.",
         "Ẑ = (Z−μ)/√(σ²+ε); out = γẐ+β, ε=1e-5; running mean ← (1−m)·mean + m·μ, m=0.1"),
    Knob("model.dropout", 0.0, "Dropout probability p on hidden activations (inverted "
         "dropout).", "Dropout p",
         "While training, switches off each hidden activation with probability p (a new mask "
         "for every batch); evaluation uses no dropout.",
         "a ← a·mask/(1−p), mask ~ Bernoulli(1−p)", ge=0, lt=1),
    Knob("model.dropout_mode", "inverted", "How dropout keeps the expected activation: "
         "'inverted' scales the kept activations by 1/(1−p) while training; 'scale_at_test' "
         "keeps them as they are and multiplies every activation by 1 − p in evaluation (the "
         "decks' form).", "Dropout scaling",
         "Both give the same predictions on average; inverted dropout leaves evaluation "
         "untouched.", "inverted: a·mask/(1−p), test a · scale_at_test: a·mask, test a·(1−p)",
         choices=DROPOUT_MODES),
    Knob("model.maxout_pieces", 2, "Pieces k per maxout unit.", "Maxout pieces k",
         "For maxout layers: how many linear pieces each unit takes the maximum of.",
         f.MAXOUT_UNIT, When("model.activation", ("maxout",), in_list=True),
         ge=2, le=MAX_MAXOUT_PIECES),
    Knob("model.init_scale", 0.1, "Scale s of the 'uniform' (U(±s)) and 'normal' (N(0, s²)) "
         "inits.", "Init scale s", "Spread of the uniform or normal initialization.",
         "uniform: U(±s) · normal: N(0, s²)", When("model.init", SCALED_INITS), gt=0),
    # ---- loss (SPEC §4)
    Knob("loss.name", "cross_entropy", _LOSS_DOC, "Loss",
         "What the network minimizes (the data loss, mean over samples).", choices=LOSSES),
    Knob("loss.label_smoothing", 0.0, "Label smoothing α.", "Label smoothing α",
         "Moves a little of the target probability from the true class to all classes, which "
         "discourages over-confident predictions.",
         f"q = (1−α)·onehot + α/K; loss = {f.SMOOTHED_CROSS_ENTROPY}",
         When("loss.name", ("cross_entropy",)), ge=0, lt=1),
    # ---- optimizer (SPEC §6)
    Knob("optimizer.name", "adam", "The optimizer.", "Optimizer",
         "The rule that turns gradients into weight updates.", choices=OPTIMIZERS),
    Knob("optimizer.lr", 0.01, "Initial learning rate η₀ (> 0).", "Learning rate η₀",
         "Step size of every update; the schedule may change it from epoch to epoch. Too large "
         "and the loss explodes, too small and nothing moves.", "sgd: θ ← θ − η·g", gt=0),
    Knob("optimizer.momentum", 0.9, "Momentum μ (optional for rmsprop; PyTorch's defaults).",
         "Momentum μ", "How much of the previous update direction carries over.",
         "momentum: b ← μ·b + g; θ ← θ − η·b · rmsprop: b ← μ·b + g/(√v+ε); θ ← θ − η·b",
         _MOMENTUM, default_by={"rmsprop": 0.0}, ge=0, lt=1),
    Knob("optimizer.nesterov", False, "Nesterov momentum.", "Nesterov",
         "Look-ahead momentum: the step uses the gradient plus the momentum of the next step.",
         "d = g + μ·b (instead of d = b); θ ← θ − η·d", When("optimizer.name", ("momentum",))),
    Knob("optimizer.beta1", 0.9, "β₁.", "β₁",
         "Decay of the running mean of gradients (first moment).", "m ← β₁m + (1−β₁)g",
         _ADAM_FAMILY, ge=0, lt=1),
    Knob("optimizer.beta2", 0.999, "β₂.", "β₂",
         "Decay of the running mean of squared gradients (second moment).",
         "v ← β₂v + (1−β₂)g²", _ADAM_FAMILY, ge=0, lt=1),
    Knob("optimizer.eps", 1e-8, "ε in the denominator (PyTorch's defaults).", "ε",
         "A small number that keeps the division safe when the gradient history is tiny.",
         "θ ← θ − η·m̂/(√v̂ + ε)",
         When("optimizer.name", ("adagrad", "rmsprop", *_ADAM_FAMILY.values)),
         default_by={"adagrad": 1e-10}, gt=0),
    Knob("optimizer.rho", 0.99, "ρ (squared-gradient decay).", "ρ",
         "Decay of the running mean of squared gradients.", f.RMSPROP_STEP,
         When("optimizer.name", ("rmsprop",)), ge=0, lt=1),
    Knob("optimizer.weight_decay", 0.01, "Decoupled weight decay λ_wd on weight matrices.",
         "Weight decay λ_wd",
         "Shrinks the weight matrices a little at every step (decoupled from the gradient).",
         "adamw: W ← W·(1 − η·λ_wd) before the Adam step · lamb: r = m̂/(√v̂+ε) + λ_wd·θ",
         When("optimizer.name", ("adamw", "lamb")), ge=0),
    # ---- schedule (SPEC §7)
    Knob("schedule.name", "constant", "The learning-rate schedule.", "Schedule",
         "How the learning rate η changes from epoch to epoch (every step of an epoch uses the "
         "same η).", choices=SCHEDULES),
    Knob("schedule.per", "epoch", "What the schedule counts: 'epoch', or 'step' (optimizer "
         "updates t from 0; warm-up W, step size s and T count updates too). Not with plateau, "
         "which reads the validation loss once an epoch.", "Count per",
         "Per step, the learning rate changes at every update, ⌈N/B⌉ times an epoch; the lr "
         "column shows the rate of each epoch's first update.",
         "epoch: η(e) · step: η(t), t = updates so far", choices=SCHEDULE_UNITS),
    Knob("schedule.warmup_epochs", 0, "Linear warm-up W epochs before the schedule (all "
         "schedules).", "Warm-up epochs W",
         "Ramps the learning rate up linearly over the first W epochs, then runs the schedule.",
         "e < W: η = η₀·(e+1)/W; afterwards the schedule sees e − W", ge=0, le=MAX_EPOCHS),
    Knob("schedule.gamma", 0.5, "Factor γ per step (step) or per epoch (exponential).", "γ",
         "Factor the learning rate is multiplied by.",
         f"step: {f.STEP_DECAY} · exponential: {f.EXPONENTIAL_DECAY}",
         When("schedule.name", ("step", "exponential")), gt=0, le=1),
    Knob("schedule.step_size", 10, "Epochs s per step.", "Step size s",
         "Epochs between two drops.", f.STEP_DECAY, When("schedule.name", ("step",)),
         ge=1, le=MAX_EPOCHS),
    Knob("schedule.decay", 0.1, f"k in {f.INVERSE_TIME_DECAY}.", "Decay k",
         "How fast the learning rate decays.", f.INVERSE_TIME_DECAY,
         When("schedule.name", ("inverse_time",)), ge=0),
    Knob("schedule.power", 1.0, "Power p.", "Power p", "Shape of the polynomial or inverse-power "
         "decay.", f"polynomial: {f.POLYNOMIAL_DECAY} · inverse_power: {f.INVERSE_POWER_DECAY}",
         When("schedule.name", ("polynomial", "inverse_power")), gt=0),
    Knob("schedule.T", 100, "Epochs T until the end of the decay.", "Length T",
         "Epochs the decay takes to reach its end.",
         f"polynomial: {f.POLYNOMIAL_DECAY} · cosine: {f.COSINE_DECAY}",
         When("schedule.name", ("polynomial", "cosine")), ge=1, le=MAX_EPOCHS),
    Knob("schedule.min_lr", 0.0, "Lowest learning rate η_min; at most lr.", "Minimum η_min",
         "The learning rate never goes below this.",
         f"cosine: {f.COSINE_DECAY} · plateau: {f.PLATEAU_DROP}",
         When("schedule.name", ("cosine", "plateau")), ge=0),
    Knob("schedule.factor", 0.5, "Factor f applied to η when the loss stops improving.",
         "Factor f", "Multiplies the learning rate when the validation loss stops improving.",
         f.PLATEAU_DROP, _PLATEAU, gt=0, lt=1),
    Knob("schedule.patience", 5, "Bad epochs tolerated before η is reduced.", "Patience",
         "Bad epochs (loss not below best·(1−1e-4)) tolerated before the learning rate drops.",
         "drop when consecutive bad epochs > patience", _PLATEAU, ge=0, le=MAX_EPOCHS),
    Knob("schedule.cooldown", 0, "Epochs after a reduction in which bad epochs are not "
         "counted.", "Cooldown", "Epochs after a drop in which bad epochs are not counted.",
         when=_PLATEAU, ge=0, le=MAX_EPOCHS),
    # ---- regularization (SPEC §4-5)
    Knob("regularization.l1", 0.0, "λ₁ of the L1 penalty λ₁·Σ|W|.", "L1 penalty λ₁",
         "Pushes weights towards exactly zero (weight matrices only, not biases).",
         "penalty λ₁·Σ|W|, gradient λ₁·sign(W)", ge=0),
    Knob("regularization.l2", 0.0, "λ₂ of the L2 penalty (λ₂/2)·ΣW².", "L2 penalty λ₂",
         "Pushes weights towards small values (weight matrices only, not biases).",
         "penalty (λ₂/2)·Σ W², gradient λ₂·W", ge=0),
    Knob("regularization.clip_norm", None, "Clip the global gradient norm to c (null = no "
         "clipping).", "Gradient clipping c",
         "Off, or the largest global gradient norm allowed; longer gradients are shortened. "
         "Helps against exploding updates.", "g ← g·min(1, c/(‖g‖₂ + 1e-6))", gt=0),
    # ---- training (SPEC §10)
    Knob("training.epochs", 100, "Number of epochs.", "Epochs",
         "Passes over the training split. Each epoch shuffles the rows and takes one step per "
         "mini-batch.", "steps per epoch = ⌈N/B⌉", ge=1, le=MAX_EPOCHS),
    Knob("training.batch_size", 32, "Rows per optimizer step (1 = online SGD, >= rows = full "
         "batch).", "Batch size B",
         "Rows per optimizer step. 1 = online SGD; ≥ the number of training rows = full-batch "
         "gradient descent.", "steps per epoch = ⌈N/B⌉", ge=1, le=100 * MAX_SAMPLES),
    Knob("training.shuffle", True, "Shuffle the training rows every epoch (seeded).",
         "Shuffle", "Shuffle the training rows at the start of every epoch (seeded)."),
    Knob("training.record_batch_loss", True, "Record the loss of every optimizer step's "
         "mini-batch, before its update (batch_loss.npy).", "Record mini-batch losses",
         "Keeps the loss of each mini-batch as it is trained on: the noisy trace under the "
         "epoch curves.", "loss of the step's mini-batch, before its update"),
    Knob("training.dtype", "float64", "Floating-point type of the run.", "Precision",
         "float64 is exact for teaching; float32 is faster and what GPUs use.", choices=DTYPES),
    Knob("training.early_stopping.enabled", False, "Turn early stopping on.", "Early stopping",
         "Stops when the validation loss has not improved for a while (train loss when there is "
         "no validation split).", "improves when loss < best − min_delta"),
    Knob("training.early_stopping.patience", 10, "Epochs without improvement before stopping.",
         "Patience", "Epochs without improvement before training stops.",
         when=_EARLY_STOPPING, ge=1, le=MAX_EPOCHS),
    Knob("training.early_stopping.min_delta", 0.0, "An epoch improves when the loss < best − "
         "min_delta.", "Min delta", "How much the loss must drop to count as an improvement.",
         "improves when loss < best − min_delta", _EARLY_STOPPING, ge=0),
    Knob("training.early_stopping.restore_best", True, "End with the weights of the best "
         "epoch.", "Restore best", "At the end, go back to the weights of the best epoch.",
         when=_EARLY_STOPPING),
    # ---- lessons (trainlab/lessons/model.py)
    Knob("lesson", None, "What the preset teaches: topic (a course chapter), look_for (what to "
         "watch, 1-3 sentences), try_next (one or two named sets of overrides) and formulas "
         "(sections of docs/formulas.md); null = not a lesson.", "Lesson",
         "The chapter, what to watch, what to try next and the formulas it is about."),
    Knob("variants", (), "Named sets of overrides ({label, set: {key: value}}), each trained "
         "on the same data and seed and compared; [] = one run.", "Variants",
         "Runs to compare: each sets a few keys and trains on the same data and seed.",
         "variant i: this preset with set_i applied"),
    # ---- live changes (runs/changes.py)
    Knob("changes", (), "Changes made while the run went, in epoch order: each sets "
         "live-changeable keys from its epoch on (the first trained epoch is 1), or single "
         "weights set by hand at its start.",
         "Live changes", "Settings changed and weights set by hand while the run went, and "
         "from which epoch.",
         "{epoch: e, set: {key: value}}: epochs ≥ e train with the new values; "
         "{epoch: e, weights: {W1: [[i, j, w]]}}: W1[i, j] ← w before epoch e"),
)

#: Keys that may change while a run goes (from an epoch on): the babysitting knobs. Data,
#: layers, activation, init and precision are structural and stay as the run started.
LIVE_KEYS = frozenset({
    "optimizer.lr", "optimizer.momentum", "optimizer.nesterov", "optimizer.beta1",
    "optimizer.beta2", "optimizer.rho", "optimizer.eps", "optimizer.weight_decay",
    "regularization.l1", "regularization.l2", "regularization.clip_norm",
    "loss.label_smoothing", "model.dropout", "training.batch_size",
    "training.early_stopping.patience",
    *(k.path for k in _TABLE if k.path.startswith("schedule."))})

KNOBS: dict[str, Knob] = {k.path: replace(k, live=k.path in LIVE_KEYS) for k in _TABLE}
#: The allowed names of every name-valued key, by key path (the window fills its drop-downs
#: here, the schema makes them enums).
CHOICES: dict[str, tuple[str, ...]] = {k.path: k.choices for k in _TABLE if k.choices}


def default(path: str, selector=None):
    """The default of a key (of ``optimizer.eps`` for the optimizer named `selector`)."""
    return KNOBS[path].default_for(selector)


def applies(path: str, settings: dict) -> bool:
    """Whether the key at `path` has any effect under the preset `settings` (a nested dict);
    keys without a rule, and unknown keys, always apply."""
    knob = KNOBS.get(path)
    return knob is None or knob.applies(settings)


def defaults_that_follow(key: str, selector) -> dict[str, object]:
    """The keys whose default depends on the setting `key` (e.g. "optimizer.name"), each
    with its default for the value `selector`."""
    return {k.path: k.default_for(selector) for k in _TABLE
            if k.default_by and k.when is not None and k.when.key == key}
