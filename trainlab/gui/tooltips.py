"""What every control does, in words and with its formula from SPEC.md.

``tooltip(path)`` gives the text of the field bound to a preset key; ``choice_tooltip(path,
name)`` the text of one entry of a drop-down (one optimizer, one schedule, ...).
"""

from __future__ import annotations

import html

# key path -> (title, what it does, formula or "")
FIELDS: dict[str, tuple[str, str, str]] = {
    "name": ("Name", "The preset's name, shown in the title bar and the runs list.", ""),
    "description": ("Description", "Notes for whoever opens this preset.", ""),
    "seed": (
        "Seed",
        "Fixes every random choice: data, split, shuffling, dropout and initial weights. Same "
        "preset and seed on the same machine give the very same run, bit for bit.",
        "",
    ),
    # ---- data
    "data.source": (
        "Data set",
        "Where the samples come from: a generated toy problem, a bundled real data set or "
        "your own CSV file.",
        "",
    ),
    "data.n_samples": ("Samples", "How many points the generator draws.", ""),
    "data.noise": ("Noise", "How much random jitter the generator adds to each point.", ""),
    "data.classes": ("Classes", "How many classes (clusters or arms) the generator makes.", ""),
    "data.path": ("CSV file", "The CSV file to load: one row per sample, a header row.", ""),
    "data.target": (
        "Target column",
        "The column to predict; every other column is an input feature. Empty = last column.",
        "",
    ),
    "data.task": (
        "Task",
        "classification (the target is a class label) or regression (a number); auto guesses "
        "from the target column.",
        "",
    ),
    "data.kfold": (
        "Cross-validation folds",
        "Off: train once. k: k-fold cross-validation over train+validation, reporting the mean "
        "and standard deviation of the validation metric.",
        "",
    ),
    "data.split.train": (
        "Train fraction",
        "Share of the samples the network learns from. Splits are stratified for "
        "classification and seeded; the three fractions add up to 1.",
        "",
    ),
    "data.split.val": (
        "Validation fraction",
        "Share held out to watch overfitting; early stopping and the plateau schedule watch "
        "its loss. The three fractions add up to 1.",
        "",
    ),
    "data.split.test": (
        "Test fraction",
        "Share kept aside and evaluated once, at the end of the run. The three fractions add "
        "up to 1.",
        "",
    ),
    "data.scaling": (
        "Feature scaling",
        "Rescales every input feature (standardize, minmax or none), fitted on the training "
        "split only, then applied to validation and test.",
        "",
    ),
    # ---- model
    "model.hidden": (
        "Hidden layers",
        "The width (number of units) of each hidden layer, input side first. Add or remove "
        "layers with + and −. No hidden layer = a linear model.",
        "dense layer l: Z = A_prev @ W_l + b_l; block: dense → batch norm → activation → dropout",
    ),
    "model.activation": (
        "Activation",
        "The non-linearity applied to every hidden unit. Tick 'per layer' to pick one for each "
        "hidden layer.",
        "",
    ),
    "model.init": (
        "Initialization",
        "How the initial weights are drawn (biases start at 0). Fully determined by the seed.",
        "",
    ),
    "model.init_scale": (
        "Init scale s",
        "Spread of the uniform or normal initialization.",
        "uniform: U(±s) · normal: N(0, s²)",
    ),
    "model.batch_norm": (
        "Batch normalization",
        "Normalizes each hidden unit over the mini-batch before the activation; evaluation uses "
        "running statistics. Needs a batch size above 1.",
        "Ẑ = (Z−μ)/√(σ²+ε); out = γẐ+β, ε=1e-5; running mean ← (1−m)·mean + m·μ, m=0.1",
    ),
    "model.dropout": (
        "Dropout p",
        "While training, switches off each hidden activation with probability p (a new mask "
        "for every batch); evaluation uses no dropout.",
        "a ← a·mask/(1−p), mask ~ Bernoulli(1−p)",
    ),
    "model.maxout_pieces": (
        "Maxout pieces k",
        "For maxout layers: how many linear pieces each unit takes the maximum of.",
        "unit j = max of columns j·k … j·k+k−1",
    ),
    # ---- loss
    "loss.name": ("Loss", "What the network minimizes (the data loss, mean over samples).", ""),
    "loss.label_smoothing": (
        "Label smoothing α",
        "Moves a little of the target probability from the true class to all classes, which "
        "discourages over-confident predictions.",
        "q = (1−α)·onehot + α/K; loss = −Σ_k q_k log softmax(z)_k",
    ),
    # ---- optimizer
    "optimizer.name": ("Optimizer", "The rule that turns gradients into weight updates.", ""),
    "optimizer.lr": (
        "Learning rate η₀",
        "Step size of every update; the schedule may change it from epoch to epoch. Too large "
        "and the loss explodes, too small and nothing moves.",
        "sgd: θ ← θ − η·g",
    ),
    "optimizer.momentum": (
        "Momentum μ",
        "How much of the previous update direction carries over.",
        "momentum: b ← μ·b + g; θ ← θ − η·b · rmsprop: b ← μ·b + g/(√v+ε); θ ← θ − η·b",
    ),
    "optimizer.nesterov": (
        "Nesterov",
        "Look-ahead momentum: the step uses the gradient plus the momentum of the next step.",
        "d = g + μ·b (instead of d = b); θ ← θ − η·d",
    ),
    "optimizer.beta1": (
        "β₁",
        "Decay of the running mean of gradients (first moment).",
        "m ← β₁m + (1−β₁)g",
    ),
    "optimizer.beta2": (
        "β₂",
        "Decay of the running mean of squared gradients (second moment).",
        "v ← β₂v + (1−β₂)g²",
    ),
    "optimizer.eps": (
        "ε",
        "A small number that keeps the division safe when the gradient history is tiny.",
        "θ ← θ − η·m̂/(√v̂ + ε)",
    ),
    "optimizer.rho": (
        "ρ",
        "Decay of the running mean of squared gradients.",
        "v ← ρ·v + (1−ρ)·g²; θ ← θ − η·g/(√v + ε)",
    ),
    "optimizer.weight_decay": (
        "Weight decay λ_wd",
        "Shrinks the weight matrices a little at every step (decoupled from the gradient).",
        "adamw: W ← W·(1 − η·λ_wd) before the Adam step · lamb: r = m̂/(√v̂+ε) + λ_wd·θ",
    ),
    # ---- schedule
    "schedule.name": (
        "Schedule",
        "How the learning rate η changes from epoch to epoch (every step of an epoch uses the "
        "same η).",
        "",
    ),
    "schedule.warmup_epochs": (
        "Warm-up epochs W",
        "Ramps the learning rate up linearly over the first W epochs, then runs the schedule.",
        "e < W: η = η₀·(e+1)/W; afterwards the schedule sees e − W",
    ),
    "schedule.gamma": (
        "γ",
        "Factor the learning rate is multiplied by.",
        "step: η₀·γ^⌊e/s⌋ · exponential: η₀·γ^e",
    ),
    "schedule.step_size": ("Step size s", "Epochs between two drops.", "η₀·γ^⌊e/s⌋"),
    "schedule.decay": ("Decay k", "How fast the learning rate decays.", "η₀/(1+k·e)"),
    "schedule.power": ("Power p", "Shape of the polynomial decay.", "η₀·(1 − min(e,T)/T)^p"),
    "schedule.T": (
        "Length T",
        "Epochs the decay takes to reach its end.",
        "polynomial: η₀·(1 − min(e,T)/T)^p · cosine: η_min + (η₀−η_min)·(1+cos(π·min(e,T)/T))/2",
    ),
    "schedule.min_lr": (
        "Minimum η_min",
        "The learning rate never goes below this.",
        "cosine: η_min + (η₀−η_min)·(1+cos(π·min(e,T)/T))/2 · plateau: η ← max(η·f, η_min)",
    ),
    "schedule.factor": (
        "Factor f",
        "Multiplies the learning rate when the validation loss stops improving.",
        "η ← max(η·f, η_min)",
    ),
    "schedule.patience": (
        "Patience",
        "Bad epochs (loss not below best·(1−1e-4)) tolerated before the learning rate drops.",
        "drop when consecutive bad epochs > patience",
    ),
    "schedule.cooldown": (
        "Cooldown",
        "Epochs after a drop in which bad epochs are not counted.",
        "",
    ),
    # ---- regularization
    "regularization.l1": (
        "L1 penalty λ₁",
        "Pushes weights towards exactly zero (weight matrices only, not biases).",
        "penalty λ₁·Σ|W|, gradient λ₁·sign(W)",
    ),
    "regularization.l2": (
        "L2 penalty λ₂",
        "Pushes weights towards small values (weight matrices only, not biases).",
        "penalty (λ₂/2)·Σ W², gradient λ₂·W",
    ),
    "regularization.clip_norm": (
        "Gradient clipping c",
        "Off, or the largest global gradient norm allowed; longer gradients are shortened. "
        "Helps against exploding updates.",
        "g ← g·min(1, c/(‖g‖₂ + 1e-6))",
    ),
    # ---- training
    "training.epochs": (
        "Epochs",
        "Passes over the training split. Each epoch shuffles the rows and takes one step per "
        "mini-batch.",
        "steps per epoch = ⌈N/B⌉",
    ),
    "training.batch_size": (
        "Batch size B",
        "Rows per optimizer step. 1 = online SGD; ≥ the number of training rows = full-batch "
        "gradient descent.",
        "steps per epoch = ⌈N/B⌉",
    ),
    "training.shuffle": (
        "Shuffle",
        "Shuffle the training rows at the start of every epoch (seeded).",
        "",
    ),
    "training.dtype": (
        "Precision",
        "float64 is exact for teaching; float32 is faster and what GPUs use.",
        "",
    ),
    "training.early_stopping.enabled": (
        "Early stopping",
        "Stops when the validation loss has not improved for a while (train loss when there is "
        "no validation split).",
        "improves when loss < best − min_delta",
    ),
    "training.early_stopping.patience": (
        "Patience",
        "Epochs without improvement before training stops.",
        "",
    ),
    "training.early_stopping.min_delta": (
        "Min delta",
        "How much the loss must drop to count as an improvement.",
        "improves when loss < best − min_delta",
    ),
    "training.early_stopping.restore_best": (
        "Restore best",
        "At the end, go back to the weights of the best epoch.",
        "",
    ),
}

# (key path of a drop-down, entry) -> (what it does, formula)
CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    # activations (SPEC §2)
    ("model.activation", "identity"): ("No non-linearity: the network stays linear.", "f(x) = x"),
    ("model.activation", "sigmoid"): ("Squashes to (0, 1).", "f(x) = 1/(1+e^-x), f' = f(1-f)"),
    ("model.activation", "tanh"): (
        "Squashes to (−1, 1), centred at 0.", "f(x) = tanh x, f' = 1-f²"),
    ("model.activation", "relu"): (
        "Zero for negatives, identity for positives.", "f(x) = max(0,x)"),
    ("model.activation", "leaky_relu"): (
        "Like relu, with a small slope for negatives.", "f(x) = x if x>0 else a·x, a=0.01"),
    ("model.activation", "elu"): (
        "Smooth for negatives, saturating at −1.", "f(x) = x if x>0 else α(e^x-1), α=1"),
    ("model.activation", "swish"): ("SiLU: smooth relu-like curve.", "f(x) = x·σ(x)"),
    ("model.activation", "gelu"): ("Smooth relu-like curve.", "f(x) = x·Φ(x), Φ the normal CDF"),
    ("model.activation", "softplus"): ("A smooth relu.", "f(x) = log(1+e^x)"),
    ("model.activation", "maxout"): (
        "Each unit is the maximum of k linear pieces.", "unit j = max of columns j·k … j·k+k−1"),
    # initializations (SPEC §3)
    ("model.init", "auto"): (
        "he_normal for relu, leaky_relu, elu; xavier_uniform otherwise.", ""),
    ("model.init", "xavier_uniform"): ("Glorot uniform.", "U(±√(6/(fan_in+fan_out)))"),
    ("model.init", "xavier_normal"): ("Glorot normal.", "N(0, 2/(fan_in+fan_out))"),
    ("model.init", "he_uniform"): ("Kaiming uniform, for relu.", "U(±√(6/fan_in))"),
    ("model.init", "he_normal"): ("Kaiming normal, for relu.", "N(0, 2/fan_in)"),
    ("model.init", "lecun_normal"): ("LeCun normal.", "N(0, 1/fan_in)"),
    ("model.init", "uniform"): ("Uniform with your scale s.", "U(±s)"),
    ("model.init", "normal"): ("Normal with your scale s.", "N(0, s²)"),
    ("model.init", "zeros"): (
        "All weights zero: shows why symmetry must be broken (units learn the same thing).", "0"),
    # losses (SPEC §4)
    ("loss.name", "mse"): ("Mean squared error (regression).", "mean of (ŷ−y)²"),
    ("loss.name", "mae"): ("Mean absolute error (regression).", "mean of |ŷ−y|"),
    ("loss.name", "huber"): (
        "Squared for small errors, absolute for large ones (regression).",
        "PyTorch HuberLoss with δ=1"),
    ("loss.name", "bce"): (
        "Binary cross-entropy on one logit (two classes).", "mean of softplus(z) − y·z"),
    ("loss.name", "cross_entropy"): (
        "Cross-entropy on K logits (classification).", "−Σ_k q_k log softmax(z)_k"),
    # optimizers (SPEC §6)
    ("optimizer.name", "sgd"): ("Plain gradient descent.", "θ ← θ − η·g"),
    ("optimizer.name", "momentum"): (
        "Gradient descent with momentum (optionally Nesterov).",
        "b ← μ·b + g; d = g + μ·b if nesterov else b; θ ← θ − η·d"),
    ("optimizer.name", "adagrad"): (
        "Per-weight step sizes that shrink with the gradient history.",
        "s ← s + g²; θ ← θ − η·g/(√s + ε)"),
    ("optimizer.name", "rmsprop"): (
        "Per-weight step sizes from a running mean of squared gradients.",
        "v ← ρ·v + (1−ρ)·g²; θ ← θ − η·g/(√v + ε)"),
    ("optimizer.name", "adam"): (
        "Momentum plus per-weight step sizes, bias-corrected.",
        "m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·(m/(1−β₁ᵗ))/(√(v/(1−β₂ᵗ)) + ε)"),
    ("optimizer.name", "adamw"): (
        "Adam with decoupled weight decay on the weight matrices.",
        "W ← W·(1 − η·λ_wd); then the Adam step"),
    ("optimizer.name", "lamb"): (
        "Adam with a per-layer trust ratio.",
        "r = m̂/(√v̂+ε) + λ_wd·θ; trust = ‖θ‖/‖r‖; θ ← θ − η·trust·r"),
    # schedules (SPEC §7)
    ("schedule.name", "constant"): ("The same learning rate every epoch.", "η(e) = η₀"),
    ("schedule.name", "step"): ("Drops by γ every s epochs.", "η(e) = η₀·γ^⌊e/s⌋"),
    ("schedule.name", "exponential"): ("Multiplies by γ every epoch.", "η(e) = η₀·γ^e"),
    ("schedule.name", "inverse_sqrt"): ("Decays like 1/√epoch.", "η(e) = η₀/√(e+1)"),
    ("schedule.name", "inverse_time"): ("Decays like 1/epoch.", "η(e) = η₀/(1+k·e)"),
    ("schedule.name", "polynomial"): (
        "Decays to zero over T epochs.", "η(e) = η₀·(1 − min(e,T)/T)^p"),
    ("schedule.name", "cosine"): (
        "Half a cosine wave from η₀ down to η_min over T epochs.",
        "η(e) = η_min + (η₀−η_min)·(1+cos(π·min(e,T)/T))/2"),
    ("schedule.name", "plateau"): (
        "Drops by f when the validation loss stops improving for 'patience' epochs.",
        "η ← max(η·f, η_min)"),
    # scaling
    ("data.scaling", "standardize"): ("Each feature to zero mean and unit variance.", ""),
    ("data.scaling", "minmax"): ("Each feature to the range [0, 1].", ""),
    ("data.scaling", "none"): ("Use the raw numbers.", ""),
    ("training.dtype", "float64"): ("Double precision (exact teaching runs).", ""),
    ("training.dtype", "float32"): ("Single precision (faster).", ""),
}

# Formulas listed in the tooltip of a whole drop-down (every entry's formula).
_LIST_FORMULAS = ("model.activation", "model.init", "loss.name", "optimizer.name",
                  "schedule.name", "data.scaling")


def _format(title: str, text: str, formula: str) -> str:
    parts = [f"<b>{html.escape(title)}</b>", html.escape(text)]
    if formula:
        parts.append(f"<span style='font-family: monospace'>{html.escape(formula)}</span>")
    return "<p style='white-space: normal'>" + "<br>".join(parts) + "</p>"


def title(path: str) -> str:
    """The short label of a key path ("Learning rate η₀")."""
    return FIELDS.get(path, (path.rsplit(".", 1)[-1].replace("_", " ").capitalize(), "", ""))[0]


def tooltip(path: str) -> str:
    """Rich-text tooltip for the field bound to `path`."""
    name, text, formula = FIELDS.get(path, (title(path), "", ""))
    body = _format(name, text, formula)
    if path in _LIST_FORMULAS:
        rows = [
            f"<tr><td><b>{html.escape(entry)}</b></td>"
            f"<td style='font-family: monospace'>{html.escape(f or t)}</td></tr>"
            for (key, entry), (t, f) in CHOICES.items()
            if key == path
        ]
        body += "<table cellspacing='2'>" + "".join(rows) + "</table>"
    return body


def choice_tooltip(path: str, entry: str) -> str:
    text, formula = CHOICES.get((path, entry), ("", ""))
    return _format(entry, text, formula)
