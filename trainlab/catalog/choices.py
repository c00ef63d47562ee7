"""What each entry of a name list does, in words and with its SPEC formula.

``CHOICE_HELP[key path][name] = (help, formula)``: the window shows it on each entry of a
drop-down and lists the formulas in the drop-down's own tooltip. Every name of a list in
:mod:`.names` has an entry (a test checks it).
"""

from __future__ import annotations

from trainlab.catalog.names import RELU_FAMILY

# The formulas a knob's tooltip repeats (one home each).
ADAM_STEP = "θ ← θ − η·(m/(1−β₁ᵗ))/(√(v/(1−β₂ᵗ)) + ε)"
RMSPROP_STEP = "v ← ρ·v + (1−ρ)·g²; θ ← θ − η·g/(√v + ε)"
STEP_DECAY = "η₀·γ^⌊e/s⌋"
EXPONENTIAL_DECAY = "η₀·γ^e"
INVERSE_TIME_DECAY = "η₀/(1+k·e)"
POLYNOMIAL_DECAY = "η₀·(1 − min(e,T)/T)^p"
INVERSE_POWER_DECAY = "η₀/(1+e)^p"
COSINE_DECAY = "η_min + (η₀−η_min)·(1+cos(π·min(e,T)/T))/2"
PLATEAU_DROP = "η ← max(η·f, η_min)"
MAXOUT_UNIT = "unit j = max of columns j·k … j·k+k−1"
SMOOTHED_CROSS_ENTROPY = "−Σ_k q_k log softmax(z)_k"

CHOICE_HELP: dict[str, dict[str, tuple[str, str]]] = {
    "model.activation": {  # SPEC §2
        "identity": ("No non-linearity: the network stays linear.", "f(x) = x"),
        "sigmoid": ("Squashes to (0, 1).", "f(x) = 1/(1+e^-x), f' = f(1-f)"),
        "tanh": ("Squashes to (−1, 1), centred at 0.", "f(x) = tanh x, f' = 1-f²"),
        "relu": ("Zero for negatives, identity for positives.", "f(x) = max(0,x)"),
        "leaky_relu": ("Like relu, with a small slope for negatives.",
                       "f(x) = x if x>0 else a·x, a=0.01"),
        "elu": ("Smooth for negatives, saturating at −1.", "f(x) = x if x>0 else α(e^x-1), α=1"),
        "swish": ("SiLU: smooth relu-like curve.", "f(x) = x·σ(x)"),
        "gelu": ("Smooth relu-like curve.", "f(x) = x·Φ(x), Φ the normal CDF"),
        "softplus": ("A smooth relu.", "f(x) = log(1+e^x)"),
        "maxout": ("Each unit is the maximum of k linear pieces.", MAXOUT_UNIT),
        "step": ("The binary threshold: on or off. Its slope is 0 everywhere, so no gradient "
                 "reaches the layers below it: it cannot learn.",
                 "f(x) = 1 if x>0 else 0, f' = 0"),
    },
    "model.init": {  # SPEC §3
        "auto": (f"he_normal for {', '.join(RELU_FAMILY)}; xavier_uniform otherwise.", ""),
        "xavier_uniform": ("Glorot uniform.", "U(±√(6/(fan_in+fan_out)))"),
        "xavier_normal": ("Glorot normal.", "N(0, 2/(fan_in+fan_out))"),
        "he_uniform": ("Kaiming uniform, for relu.", "U(±√(6/fan_in))"),
        "he_normal": ("Kaiming normal, for relu.", "N(0, 2/fan_in)"),
        "lecun_normal": ("LeCun normal.", "N(0, 1/fan_in)"),
        "uniform": ("Uniform with your scale s.", "U(±s)"),
        "normal": ("Normal with your scale s.", "N(0, s²)"),
        "zeros": ("All weights zero: shows why symmetry must be broken (units learn the same "
                  "thing).", "0"),
    },
    "loss.name": {  # SPEC §4
        "mse": ("Mean squared error (regression).", "mean of (ŷ−y)²"),
        "mae": ("Mean absolute error (regression).", "mean of |ŷ−y|"),
        "huber": ("Squared for small errors, absolute for large ones (regression).",
                  "PyTorch HuberLoss with δ=1"),
        "bce": ("Binary cross-entropy on one logit (two classes).", "mean of softplus(z) − y·z"),
        "cross_entropy": ("Cross-entropy on K logits (classification).", SMOOTHED_CROSS_ENTROPY),
    },
    "optimizer.name": {  # SPEC §6
        "sgd": ("Plain gradient descent.", "θ ← θ − η·g"),
        "momentum": ("Gradient descent with momentum (optionally Nesterov).",
                     "b ← μ·b + g; d = g + μ·b if nesterov else b; θ ← θ − η·d"),
        "adagrad": ("Per-weight step sizes that shrink with the gradient history.",
                    "s ← s + g²; θ ← θ − η·g/(√s + ε)"),
        "rmsprop": ("Per-weight step sizes from a running mean of squared gradients.",
                    RMSPROP_STEP),
        "adam": ("Momentum plus per-weight step sizes, bias-corrected.",
                 f"m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; {ADAM_STEP}"),
        "adamw": ("Adam with decoupled weight decay on the weight matrices.",
                  "W ← W·(1 − η·λ_wd); then the Adam step"),
        "lamb": ("Adam with a per-layer trust ratio.",
                 "r = m̂/(√v̂+ε) + λ_wd·θ; trust = ‖θ‖/‖r‖; θ ← θ − η·trust·r"),
    },
    "schedule.name": {  # SPEC §7
        "constant": ("The same learning rate every epoch.", "η(e) = η₀"),
        "step": ("Drops by γ every s epochs.", f"η(e) = {STEP_DECAY}"),
        "exponential": ("Multiplies by γ every epoch.", f"η(e) = {EXPONENTIAL_DECAY}"),
        "inverse_sqrt": ("Decays like 1/√epoch.", "η(e) = η₀/√(e+1)"),
        "inverse_time": ("Decays like 1/epoch.", f"η(e) = {INVERSE_TIME_DECAY}"),
        "polynomial": ("Decays to zero over T epochs.", f"η(e) = {POLYNOMIAL_DECAY}"),
        "cosine": ("Half a cosine wave from η₀ down to η_min over T epochs.",
                   f"η(e) = {COSINE_DECAY}"),
        "plateau": ("Drops by f when the validation loss stops improving for 'patience' epochs.",
                    PLATEAU_DROP),
        "inverse_power": ("Decays like 1/epochᵖ (the decks' α₀/nᵃ, Robbins-Monro).",
                          f"η(e) = {INVERSE_POWER_DECAY}"),
    },
    "data.scaling": {  # SPEC §11
        "standardize": ("Each feature to zero mean and unit variance.", ""),
        "minmax": ("Each feature to the range [0, 1].", ""),
        "none": ("Use the raw numbers.", ""),
    },
    "training.dtype": {
        "float64": ("Double precision (exact teaching runs).", ""),
        "float32": ("Single precision (faster).", ""),
    },
}
