"""What every control does, in words and with its formula from SPEC.md.

The words and formulas live in the catalog (:mod:`trainlab.catalog.knobs` for each key,
:mod:`trainlab.catalog.choices` for each entry of a drop-down); this module formats them.

``tooltip(path)`` gives the text of the field bound to a preset key; ``choice_tooltip(path,
name)`` the text of one entry of a drop-down (one optimizer, one schedule, ...).
"""

from __future__ import annotations

import html

from trainlab.catalog.choices import CHOICE_HELP
from trainlab.catalog.knobs import KNOBS

# key path -> (title, what it does, formula or ""), from the knob catalog
FIELDS: dict[str, tuple[str, str, str]] = {
    path: (knob.label, knob.help, knob.formula) for path, knob in KNOBS.items() if knob.help
}

# (key path of a drop-down, entry) -> (what it does, formula), from the catalog
CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    (path, entry): text for path, entries in CHOICE_HELP.items() for entry, text in entries.items()
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
