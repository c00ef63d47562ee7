"""The ``lesson`` and ``variants`` sections of a preset (also usable in playground and sweep
files): which chapter of the course a file belongs to, what to watch, what to try next, and
named sets of overrides.

A variant is ``{"label": "lr 0.1", "set": {"optimizer.lr": 0.1}}``: dotted key paths and
their values, applied to the file's own settings. Whether the keys exist and the values are
allowed is checked against the whole preset (:func:`trainlab.lessons.variants.variant_problems`),
since a value's range can depend on other keys.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

#: The course's chapters, in teaching order: slug → display name.
TOPICS: dict[str, str] = {
    "gradient_descent": "Gradient descent",
    "mini_batches": "Mini-batches",
    "momentum_adaptive": "Momentum and adaptive methods",
    "lr_schedules": "Learning-rate schedules",
    "activations_init": "Activations and initialization",
    "backpropagation": "Backpropagation",
    "regularization": "Regularization",
    "normalization": "Normalization",
    "validation": "Validation and model selection",
}
TopicName = Literal[tuple(TOPICS)]  # type: ignore[valid-type]

MAX_LABEL = 80
MAX_LOOK_FOR = 600
FORMULAS_MD = Path(__file__).resolve().parents[2] / "docs" / "formulas.md"


def anchor(text: str) -> str:
    """A heading's anchor by GitHub's rule: lower case, punctuation dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@lru_cache(maxsize=1)
def formula_anchors() -> frozenset[str]:
    """The anchors of every section heading of ``docs/formulas.md`` (empty when the file is
    not there, as in an installed wheel: then formula keys are not checked)."""
    if not FORMULAS_MD.is_file():
        return frozenset()
    text = FORMULAS_MD.read_text(encoding="utf-8")
    return frozenset(anchor(m) for m in re.findall(r"^#{2,4} (.+)$", text, flags=re.M))


def _known_formula(key: str) -> str:
    anchors = formula_anchors()
    if anchors and anchor(key) not in anchors:
        raise PydanticCustomError(
            "trainlab_formula", "no section of docs/formulas.md has the anchor {anchor}",
            {"anchor": f"#{anchor(key)}"})
    return key


def _sentences(text: str) -> str:
    count = len(re.findall(r"[.!?](\s|$)", text.strip()))
    if not 1 <= count <= 3:
        raise PydanticCustomError("trainlab_sentences",
                                  "must be 1 to 3 sentences, got {count}", {"count": count})
    return text


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Variant(_Section):
    """A named set of overrides: dotted key paths and their values."""

    label: str = Field(min_length=1, max_length=MAX_LABEL,
                       description="The name shown in the comparison (and the sub-directory's).")
    set: dict[str, Any] = Field(min_length=1, description="Dotted key paths and their values, "
                                "e.g. {\"optimizer.lr\": 0.1}.")


FormulaKey = Annotated[str, AfterValidator(_known_formula)]


class Lesson(_Section):
    """What a file teaches: its chapter, what to watch, what to try next, the formulas."""

    topic: TopicName = Field(description="The course chapter: " + ", ".join(TOPICS) + ".")
    look_for: Annotated[str, AfterValidator(_sentences)] = Field(
        min_length=1, max_length=MAX_LOOK_FOR,
        description="What to watch while it trains (1-3 sentences).")
    try_next: list[Variant] = Field(
        default_factory=list, max_length=2,
        description="One or two variations to try next, each a named set of overrides.")
    formulas: list[FormulaKey] = Field(
        default_factory=list, description="Sections of docs/formulas.md the lesson is about "
        "(a heading or its anchor, e.g. 'Momentum' or 'optimizerlr').")

    @property
    def topic_name(self) -> str:
        return TOPICS[self.topic]


def unique_labels(variants: list[Variant], where: str) -> list[tuple[str, str]]:
    """Problems for labels that repeat (their sub-directories would collide)."""
    from trainlab.catalog import slug as folder

    seen: dict[str, str] = {}
    found = []
    for i, v in enumerate(variants):
        name = folder(v.label)
        if name in seen:
            found.append((f"{where}[{i}].label", f"{v.label!r} names the same folder as "
                          f"{seen[name]!r}"))
        seen[name] = v.label
    return found
