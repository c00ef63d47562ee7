"""Words for the live changes of a run (no Qt here): where each shows on the curves and what
its label says. A change ``{"epoch": 41, "set": {"optimizer.lr": 0.001}}`` is in force from
epoch 41 on: its mark stands at the end of epoch 40, where the new values began. So does that
of weights set by hand, ``{"epoch": 41, "weights": {"W1": [[0, 2, 0.5]]}}``."""

from __future__ import annotations

from trainlab.catalog.knobs import KNOBS

#: Short symbols of the keys a class knows by their letter.
_SYMBOLS = {
    "optimizer.lr": "η", "optimizer.momentum": "μ", "optimizer.beta1": "β₁",
    "optimizer.beta2": "β₂", "optimizer.rho": "ρ", "optimizer.eps": "ε",
    "optimizer.weight_decay": "weight decay", "regularization.l1": "L1",
    "regularization.l2": "L2", "regularization.clip_norm": "clip",
    "loss.label_smoothing": "smoothing", "model.dropout": "dropout",
    "training.batch_size": "batch", "training.early_stopping.patience": "patience",
}


def key_symbol(key: str) -> str:
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    knob = KNOBS.get(key)
    label = getattr(knob, "label", None) if knob is not None else None
    return str(label or key.rsplit(".", 1)[-1])


def value_text(value) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "on", False: "off", None: "off"}[value]
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: A change that sets more weights than this is labelled with their count.
MAX_WEIGHTS_NAMED = 2


def change_label(change: dict) -> str:
    """``"η = 0.001"`` (several keys joined by commas), ``"W1[0, 2] = 0.5"`` for a weight set
    by hand (more than :data:`MAX_WEIGHTS_NAMED`: ``"5 weights set"``)."""
    parts = [f"{key_symbol(k)} = {value_text(v)}" for k, v in (change.get("set") or {}).items()]
    weights = [(name, entry) for name, entries in (change.get("weights") or {}).items()
               for entry in entries]
    if len(weights) > MAX_WEIGHTS_NAMED:
        parts.append(f"{len(weights)} weights set")
    else:
        parts += [f"{name}{list(entry[:-1])} = {value_text(float(entry[-1]))}"
                  for name, entry in weights]
    return ", ".join(parts)


def change_marks(changes: list | None) -> list[tuple[float, str]]:
    """``(epoch position, label)`` of each change: at the end of the epoch before it."""
    marks = []
    for change in changes or []:
        try:
            epoch = int(change["epoch"])
        except (KeyError, TypeError, ValueError):
            continue
        marks.append((float(epoch - 1), change_label(change)))
    return marks
