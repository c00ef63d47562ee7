"""Short texts that name a run: its legend label and the settings it was trained with."""

from __future__ import annotations


def _layers(preset: dict) -> str:
    hidden = preset.get("model", {}).get("hidden") or []
    return "-".join(str(w) for w in hidden) if hidden else "linear"


def _activation(preset: dict) -> str:
    act = preset.get("model", {}).get("activation")
    return "/".join(act) if isinstance(act, list) else str(act)


def _schedule(preset: dict) -> str:
    return preset.get("schedule", {}).get("name", "constant")


def _batch(preset: dict) -> str:
    return f"B={preset.get('training', {}).get('batch_size')}"


def settings_summary(preset: dict) -> str:
    """'spirals · 16-16 tanh · adam η=0.01 · B=32'"""
    opt = preset.get("optimizer", {})
    hidden = preset.get("model", {}).get("hidden") or []
    layers = _layers(preset)
    parts = [str(preset.get("data", {}).get("source")),
             f"{layers} {_activation(preset)}" if hidden else layers,
             f"{opt.get('name')} η={opt.get('lr'):g}" if isinstance(opt.get("lr"), (int, float))
             else str(opt.get("name"))]
    if _schedule(preset) != "constant":
        parts.append(_schedule(preset))
    parts.append(_batch(preset))
    return " · ".join(parts)


def settings_brief(preset: dict) -> str:
    """What the run label leaves out: 'spirals · tanh · B=32 · cosine'."""
    model = preset.get("model", {})
    parts = [str(preset.get("data", {}).get("source")), _activation(preset), _batch(preset)]
    if _schedule(preset) != "constant":
        parts.append(_schedule(preset))
    reg = preset.get("regularization", {})
    if reg.get("l2"):
        parts.append(f"L2 {reg['l2']:g}")
    if model.get("dropout"):
        parts.append(f"dropout {model['dropout']:g}")
    if model.get("batch_norm"):
        parts.append("batch norm")
    return " · ".join(parts)


def run_label(n: int, preset: dict) -> str:
    """The legend name of a run: its number and what usually differs between compared runs."""
    opt = preset.get("optimizer", {})
    lr = opt.get("lr")
    lr = f" η={lr:g}" if isinstance(lr, (int, float)) else ""
    return f"#{n} {opt.get('name')}{lr} {_layers(preset)}"
