"""How much memory a preset's run needs, estimated before anything is allocated, and the limit.

A schema-valid preset can ask for 100 hidden layers of 10 000 units: tens of GB. Such a run is
refused with one line before it starts, instead of taking a desktop's memory and ending in a
MemoryError. The estimate counts what grows with the preset (parameters and their copies,
optimizer state, the workspaces of a batch and of evaluation, the data, the history), not the
interpreter and its libraries.

The limit is :envvar:`TRAINLAB_MAX_MEMORY` (bytes, or with a unit: ``512M``, ``8G``, or a share
of the machine's memory: ``75%``), by default half of the machine's memory. No Qt here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: The environment variable that sets the limit.
LIMIT_VARIABLE = "TRAINLAB_MAX_MEMORY"
DEFAULT_SHARE = 0.5
#: Copies of the parameters a run keeps (theta, gradient, initial, best, final, snapshots in
#: flight while rows are measured in a second thread, ...), as measured with tracemalloc.
PARAMETER_COPIES = 11
#: Extra parameter-sized buffers per optimizer (SPEC §6).
OPTIMIZER_STATE = {"sgd": 0, "momentum": 1, "adagrad": 1, "rmsprop": 2, "adam": 2, "adamw": 2,
                   "lamb": 3}
#: Rows a network evaluates at once (trainlab.engine.network.EVAL_ROWS); two evaluators.
EVAL_ROWS, EVALUATORS = 1024, 2
#: The data held in float64: the loaded set, the scaled splits, and the run's dtype copies.
DATA_COPIES = 3
#: Bundled sets are small; the largest (digits) has 1797 rows of 64 features.
BUNDLED_ROWS, BUNDLED_FEATURES = 1797, 64
#: A CSV row is at least this many bytes per column ("1," ...), for a row count from its size.
CSV_BYTES_PER_CELL = 2
_UNITS = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}


@dataclass(frozen=True)
class Estimate:
    """Bytes by part; ``total`` is their sum."""

    parameters: int
    activations: int
    data: int
    history: int

    @property
    def total(self) -> int:
        return self.parameters + self.activations + self.data + self.history

    def largest(self) -> str:
        parts = {"parameters": self.parameters, "activations": self.activations,
                 "data": self.data, "history": self.history}
        return max(parts, key=parts.__getitem__)


def estimate(preset) -> Estimate:
    """The memory a run of `preset` (a validated Preset) needs, by part."""
    from trainlab.engine.layout import build_layout

    rows, features, outputs = _data_shape(preset)
    model = preset.model
    hidden = list(model.hidden)
    acts = model.activation if isinstance(model.activation, list) else [model.activation] * len(
        hidden)
    sizes = [features, *hidden, outputs]
    lt, _, n_theta, n_stats, h_units, a_units = build_layout(sizes, list(acts), model.batch_norm,
                                                             model.maxout_pieces)
    item = 4 if preset.training.dtype == "float32" else 8
    copies = PARAMETER_COPIES + OPTIMIZER_STATE.get(preset.optimizer.name, 3)
    parameters = item * (n_theta * copies + 2 * n_stats)
    n_train = max(1, int(rows * preset.data.split.train))
    widest = max(sizes)
    largest_w = max(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    def workspace(r: int) -> int:  # what Network.new_workspace(r) allocates
        floats = 2 * r * h_units + 3 * r * a_units + h_units + 2 * r * widest + largest_w
        return item * (floats + r * outputs) + 8 * r * a_units

    batch = min(preset.training.batch_size, n_train)
    activations = workspace(batch) + EVALUATORS * workspace(min(rows, EVAL_ROWS))
    data = DATA_COPIES * 8 * rows * (features + outputs)
    history = 2 * 8 * (preset.training.epochs + 1) * (8 + 2 * len(lt))
    return Estimate(int(parameters), int(activations), int(data), int(history))


def estimate_bytes(preset) -> int:
    """The estimated memory of a run of `preset`, in bytes."""
    return estimate(preset).total


def _data_shape(preset) -> tuple[int, int, int]:
    """(rows, features, outputs), exact for generators, an upper bound otherwise."""
    data = preset.data
    classification = preset.loss.name in ("cross_entropy", "bce")
    if data.source == "csv":
        rows, features = _csv_shape(preset)
        return rows, features, 2 if classification else 1
    from trainlab.data import BUNDLED, GENERATORS, load_dataset

    if data.source in BUNDLED:
        return BUNDLED_ROWS, BUNDLED_FEATURES, 10 if classification else 1
    if data.source in GENERATORS:
        tiny = {"source": data.source, "n_samples": max(4, 2 * data.classes),
                "classes": data.classes, "noise": data.noise}
        sample = load_dataset(tiny, seed=0)
        outputs = 1 if preset.loss.name == "bce" or not classification else sample.n_classes
        return data.n_samples, sample.n_features, max(outputs, 1)
    return data.n_samples, 2, 2


def _csv_shape(preset) -> tuple[int, int]:
    """Rows and feature columns of the preset's CSV, from its size and header line; (0, 1)
    when it cannot be read here (the run reports that problem itself)."""
    from trainlab.paths import FileProblem, check_regular_file, open_regular_file

    path = Path(preset.data.path or "")
    if not path.is_absolute() and preset.path is not None:
        path = Path(preset.path).parent / path
    try:
        size = check_regular_file(path)
        with open_regular_file(path) as file:
            header = file.readline(1 << 20)
    except (FileProblem, OSError):
        return 0, 1
    columns = max(header.count(b",") + 1, 2)
    return size // (CSV_BYTES_PER_CELL * columns), columns - 1


# --- the limit ----------------------------------------------------------------------------------


def machine_memory() -> int | None:
    """The machine's physical memory in bytes, or None where it cannot be told."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def memory_limit() -> tuple[int | None, str]:
    """(limit in bytes or None for none, where it comes from in words)."""
    setting = os.environ.get(LIMIT_VARIABLE, "").strip()
    total = machine_memory()
    if not setting:
        if total is None:
            return None, "no limit"
        return int(total * DEFAULT_SHARE), f"half of this machine's memory; {LIMIT_VARIABLE}"
    match = re.fullmatch(r"(\d+(?:\.\d*)?)\s*(%|[kmgt]?)i?b?", setting.lower())
    if match is None:
        raise ValueError(f"{LIMIT_VARIABLE}: {setting[:40]!r} is not an amount such as 8G, "
                         "512M or 75%")
    number, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        if total is None:
            return None, "no limit"
        return int(total * number / 100), f"{number:g}% of this machine's memory; {LIMIT_VARIABLE}"
    return int(number * _UNITS[unit]), LIMIT_VARIABLE


def size_text(n: float) -> str:
    """Bytes as 12 KB, 3.4 MB, 41 GB (powers of 1000)."""
    for unit in ("bytes", "KB", "MB"):
        if abs(n) < 1000:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} GB" if n < 100 else f"{n:,.0f} GB"


_KEY_OF_PART = {"parameters": "model.hidden", "activations": "training.batch_size",
                "data": "data.n_samples", "history": "training.epochs"}


def memory_problems(preset) -> list[tuple[str, str]]:
    """``[(key, message)]`` when a run of `preset` would need more memory than the limit, at
    the key of the largest part; ``[]`` otherwise."""
    try:
        limit, where = memory_limit()
    except ValueError as error:
        return [("", str(error))]
    if limit is None:
        return []
    need = estimate(preset)
    if need.total <= limit:
        return []
    part = need.largest()
    return [(_KEY_OF_PART[part],
             f"a run needs about {size_text(need.total)} of memory ({part}: "
             f"{size_text(getattr(need, part))}), more than the limit of {size_text(limit)} "
             f"({where}); use a smaller network, batch or data set")]


def check_memory(preset) -> None:
    """Raise PresetError (one line) when a run of `preset` would need more than the limit."""
    problems = memory_problems(preset)
    if problems:
        from trainlab.presets import PresetError

        source = str(preset.path) if preset.path is not None else "preset"
        raise PresetError(problems, source)
