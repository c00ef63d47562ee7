"""What a knob is: :class:`Knob` (one preset key) and :class:`When` (the setting it needs).

The table of every knob is :mod:`.knobs`; this module holds the two shapes and the limits,
so that the table reads as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Upper limits that only keep a typo (an extra zero or five) from freezing the machine. The
# schema and the window's editors both use them.
MAX_EPOCHS = 1_000_000
MAX_SAMPLES = 1_000_000
MAX_WIDTH = 10_000
MAX_LAYERS = 100
MAX_CLASSES = 100
MAX_FOLDS = 100
MAX_MAXOUT_PIECES = 16
#: The highest power of ``data.features``' polynomial (x … x^n of a 1-input source).
MAX_POLYNOMIAL_DEGREE = 20
MAX_SEED = 2**63 - 1
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 20_000

#: The default of a key that has none (``format`` must be given).
REQUIRED = object()


def get(settings: dict, path: str) -> Any:
    """The value at a dotted key path of a nested dict (None where the path is missing)."""
    node: Any = settings
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def join_or(values) -> str:
    """'a', 'a or b', 'a, b or c'."""
    words = [show_value(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def show_value(value: Any) -> str:
    """A value as the schema's text writes it: true, null, 1e-8, 0.9, adam."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return format(value, "g").replace("e-0", "e-")
    return str(value)


@dataclass(frozen=True)
class When:
    """A knob has an effect only when the setting at ``key`` is one of ``values`` (for a list
    setting such as per-layer activations: when any of its entries is). ``group`` names the
    values in the schema's words ("a generator")."""

    key: str
    values: tuple
    group: str = ""
    in_list: bool = False  # the setting may be a list: "is (or includes)"

    def holds(self, settings: dict) -> bool:
        value = get(settings, self.key)
        if isinstance(value, list):
            return any(v in self.values for v in value)
        return value in self.values

    def sentence(self) -> str:
        what = join_or(self.values)
        if self.group:
            what = f"{self.group} ({', '.join(show_value(v) for v in self.values)})"
        verb = "is (or includes)" if self.in_list else "is"
        return f"Only used when {self.key} {verb} {what}."


@dataclass(frozen=True)
class Knob:
    """One preset key.

    ``doc`` is its schema description (what it is); ``label``, ``help`` and ``formula`` are
    what the window shows (field label, tooltip text, SPEC formula). ``ge``/``gt``/``le``/
    ``lt`` are its allowed range, ``choices`` its allowed names. ``when`` says under which
    setting it has an effect; ``default_by`` gives defaults that depend on the value of
    ``when.key`` (``{"rmsprop": 0.0}``: PyTorch's RMSprop has no momentum). ``live``: the
    key may change while a run goes, from an epoch on (``RunControl.change``, a preset's
    ``changes``).
    """

    path: str
    default: Any
    doc: str
    label: str
    help: str = ""
    formula: str = ""
    when: When | None = None
    choices: tuple[str, ...] | None = None
    default_by: dict[Any, Any] = field(default_factory=dict)
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    live: bool = False

    @property
    def description(self) -> str:
        """The schema's description: what it is, when it applies, defaults that vary."""
        parts = [self.doc]
        if self.when is not None:
            parts.append(self.when.sentence())
        if self.default_by:
            varied = ", ".join(f"{show_value(v)} for {k}" for k, v in self.default_by.items())
            parts.append(f"Default {show_value(self.default)}, but {varied}.")
        return " ".join(parts)

    @property
    def bounds(self) -> dict[str, float]:
        """The range as pydantic's ``Field`` keywords (only those set)."""
        pairs = (("ge", self.ge), ("gt", self.gt), ("le", self.le), ("lt", self.lt))
        return {name: value for name, value in pairs if value is not None}

    def default_for(self, selector: Any = None) -> Any:
        """The default when ``when.key`` has the value `selector` (e.g. an optimizer's name)."""
        # by equality, not hashing: an invalid preset may hold a list there
        return next((v for k, v in self.default_by.items() if k == selector), self.default)

    def int_range(self) -> tuple[int, int | None]:
        """Lowest and highest allowed whole number (None: no upper limit)."""
        low = self.ge if self.ge is not None else (self.gt + 1 if self.gt is not None else 0)
        high = self.le if self.le is not None else (self.lt - 1 if self.lt is not None else None)
        return int(low), None if high is None else int(high)

    def applies(self, settings: dict) -> bool:
        return self.when is None or self.when.holds(settings)
