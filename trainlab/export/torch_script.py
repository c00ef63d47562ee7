"""A run as a standalone PyTorch script: ``torch.nn`` modules, a ``torch.optim`` optimizer and
a ``torch.optim.lr_scheduler`` schedule, the run's own data, initial weights and mini-batch
order. Since the engine follows PyTorch's formulas, the script's final weights equal the run's
to rounding in float64 (dropout masks excepted: other generators).

Writing the script needs no PyTorch; running it does.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from trainlab.engine.rng import shuffle_in_place
from trainlab.engine.trainer import batch_bounds

ACTIVATION = {"identity": "nn.Identity()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()",
              "relu": "nn.ReLU()", "leaky_relu": "nn.LeakyReLU(0.01)", "elu": "nn.ELU(1.0)",
              "swish": "nn.SiLU()", "gelu": "nn.GELU()", "softplus": "Softplus()",
              "step": "Step()"}
LOSS = {"mse": "nn.MSELoss()", "mae": "nn.L1Loss()", "huber": "nn.HuberLoss(delta=1.0)",
        "bce": "nn.BCEWithLogitsLoss()"}
# η(e) / η₀ after the warm-up, as LambdaLR factors (the PyTorch class of the same curve named)
FACTOR = {
    "constant": "1.0",
    "step": "s['gamma'] ** (e // s['step_size'])  # StepLR(step_size, gamma)",
    "exponential": "s['gamma'] ** e  # ExponentialLR(gamma)",
    "inverse_sqrt": "1 / math.sqrt(e + 1)",
    "inverse_time": "1 / (1 + s['decay'] * e)",
    "inverse_power": "1 / (1 + e) ** s['power']",
    "polynomial": "(1 - min(e, s['T']) / s['T']) ** s['power']  # PolynomialLR(T, power)",
    "cosine": "(s['min_lr'] + (LR0 - s['min_lr']) * (1 + math.cos(math.pi * min(e, s['T'])"
              " / s['T'])) / 2) / LR0  # CosineAnnealingLR(T, min_lr) for e <= T",
}


class ExportError(ValueError):
    """A run that cannot be exported (one line)."""


def batch_orders(preset: dict, n_rows: int, epochs: int) -> np.ndarray:
    """The row order of every epoch, as TrainLab's seeded shuffle visits them (epochs × n)."""
    order = np.arange(n_rows, dtype=np.int64)
    state = np.random.SeedSequence([preset["seed"], 2]).generate_state(1, dtype=np.uint64)
    state = state.copy()
    out = np.empty((epochs, n_rows), dtype=np.int64)
    for e in range(epochs):
        if preset["training"]["shuffle"]:
            shuffle_in_place(order, state)
        out[e] = order
    return out


def _epochs_trained(run: Path, preset: dict) -> int:
    summary = run / "summary.json"
    if summary.is_file():
        return int(json.loads(summary.read_text(encoding="utf-8"))["epochs"])
    return int(preset["training"]["epochs"])


def export_torch(run_dir, out="train.py") -> Path:
    """Write the script `out` and ``batches.npy`` beside it; return the script's path."""
    run, out = Path(run_dir), Path(out)
    if not (run / "preset.json").is_file():
        raise ExportError(f"{run}: not a run directory (no preset.json)")
    if not (run / "data.npz").is_file() or not (run / "weights_initial.npz").is_file():
        raise ExportError(f"{run}: the export needs the run's data: run it again with "
                          "--save-data (trainlab run PRESET --save-data)")
    preset = json.loads((run / "preset.json").read_text(encoding="utf-8"))
    if preset.get("data", {}).get("kfold"):
        raise ExportError(f"{run}: a k-fold run cannot be exported; turn data.kfold off")
    m, sc = preset.get("model", {}), preset.get("schedule", {})
    if m.get("dropout_mode") == "scale_at_test" and m.get("dropout", 0) > 0:
        raise ExportError(f"{run}: PyTorch has only inverted dropout; a run with "
                          "model.dropout_mode scale_at_test cannot be exported")
    if sc.get("per") == "step" and sc.get("name", "constant") != "constant":
        raise ExportError(f"{run}: a schedule counted per update (schedule.per step) cannot "
                          "be exported yet")
    n = int(np.load(run / "data.npz", allow_pickle=False)["X_train"].shape[0])
    epochs = _epochs_trained(run, preset)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out.parent / "batches.npy", batch_orders(preset, n, epochs))
    m, tr = preset["model"], preset["training"]
    bounds = batch_bounds(n, min(tr["batch_size"], max(n, 1)), m["batch_norm"]).tolist()
    out.write_text(script_text(preset, run.resolve(), epochs, bounds), encoding="utf-8")
    return out


def script_text(p: dict, run: Path, epochs: int, bounds: list[int]) -> str:
    from trainlab.export.template import render

    return render(p, run, epochs, bounds)
