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


#: Keys that say nothing about how a run trains (or are in the label already).
_NOT_SETTINGS = ("name", "description", "changes", "lesson", "variants", "format", "version",
                 "optimizer.name", "optimizer.lr", "model.hidden")
#: The lectures' symbols for the keys a comparison most often varies.
_SYMBOLS = {"optimizer.momentum": "μ", "optimizer.beta1": "β₁", "optimizer.beta2": "β₂",
            "optimizer.rho": "ρ", "optimizer.eps": "ε", "optimizer.weight_decay": "λ_wd",
            "regularization.l1": "L1", "regularization.l2": "L2", "model.dropout": "p",
            "training.batch_size": "B", "schedule.name": "schedule", "data.seed": "data seed"}
MAX_DIFFERENCES = 3  # keys named in a label; more read as a sentence, not a name


def _leaves(d: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "-".join(map(str, value)) if value else "[]"
    return "off" if value is None else str(value)


def differences(preset: dict, others: list[dict]) -> list[str]:
    """The settings of ``preset`` that differ from those of any run in ``others`` and matter
    to it, as 'μ=0', 'seed=4' (the catalog's order of keys), at most MAX_DIFFERENCES."""
    from trainlab.catalog.knobs import applies

    mine = _leaves(preset)
    theirs = [_leaves(other) for other in others]
    out = []
    for path, value in mine.items():
        if path in _NOT_SETTINGS or path.split(".")[0] in _NOT_SETTINGS:
            continue
        if any(t.get(path, value) != value for t in theirs) and applies(path, preset):
            out.append(f"{_SYMBOLS.get(path, path.rsplit('.', 1)[-1])}={_value(value)}")
    return out[:MAX_DIFFERENCES]


def distinct_label(n: int, preset: dict, others: list[dict]) -> str:
    """:func:`run_label` followed by what sets the run apart from ``others`` (the runs beside
    it): '#2 momentum η=0.05 16-16 · μ=0' beside a run with μ = 0.9."""
    extra = differences(preset, others)
    return run_label(n, preset) + (" · " + ", ".join(extra) if extra else "")
