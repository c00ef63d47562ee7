"""The key table at the top of ``docs/formulas.md``: which section explains each preset key.

Rows read ``| `optimizer.lr` | [optimizer.lr](#optimizerlr) |``; a key written
``key=value`` names the section of one choice of that key (``optimizer.name=adam`` → Adam).
Parsed once per file; no Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trainlab.paths import formulas_md

_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*\[([^\]]+)\]\(#([^)]+)\)\s*\|", re.M)


@dataclass(frozen=True)
class Section:
    """A section of the formulas page: its heading and its anchor (without '#')."""

    heading: str
    anchor: str


def parse_key_table(text: str) -> dict[str, Section]:
    """Key path (or ``key=value``) → :class:`Section`, from the page's markdown text."""
    return {key: Section(heading, anchor) for key, heading, anchor in _ROW.findall(text)}


@lru_cache(maxsize=4)
def _table(path: Path) -> dict[str, Section]:
    return parse_key_table(path.read_text(encoding="utf-8")) if path.is_file() else {}


def key_table(path: Path | None = None) -> dict[str, Section]:
    """The key table of the shipped ``formulas.md`` (or of `path`); empty when missing."""
    return _table(Path(path) if path else formulas_md())


def section_for(key: str, value=None, table: dict[str, Section] | None = None) -> Section | None:
    """The section that explains `key` (with `value`: that choice's own section first); a key
    without a row of its own falls back to its closest parent (``data.split.train`` →
    ``data.split``); None when nothing fits."""
    table = key_table() if table is None else table
    if isinstance(value, str) and f"{key}={value}" in table:
        return table[f"{key}={value}"]
    parts = key.split(".")
    while parts:
        found = table.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None
