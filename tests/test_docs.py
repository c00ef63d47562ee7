"""The documentation stays in step with the preset schema and the shipped files.

``docs/formulas.md`` must explain every preset key (its key table names a section for each,
and the section exists); ``docs/lessons.md`` may call a concept "ready" only when the files it
names are shipped, and may point only at sections that exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORMULAS = ROOT / "docs" / "formulas.md"
LESSONS = ROOT / "docs" / "lessons.md"
SCHEMA = ROOT / "resources" / "preset.schema.json"

#: Keys whose every allowed value has a ``key=value`` row of its own in the key table.
CHOICE_KEYS = ("model.activation", "model.init", "loss.name", "optimizer.name", "schedule.name")
STATUSES = ("ready", "planned", "cannot be shown")

_KEY_ROW = re.compile(r"^\| `([^`]+)` \| \[([^\]]+)\]\(#([^)]+)\) \|$")
_LINK = re.compile(r"\]\(#([^)]+)\)")


def slug(heading: str) -> str:
    """The anchor a Markdown viewer (GitHub's rule) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str) -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"^(#{1,6}) (.+)$", text, re.MULTILINE)]


def _resolve(node: dict, defs: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        for option in node.get("anyOf", []) + node.get("allOf", []):
            if "$ref" in option:
                ref = option["$ref"]
    return defs[ref.rsplit("/", 1)[-1]] if ref else node


def schema_keys() -> dict[str, dict]:
    """Every key path of the preset schema (``a``, ``a.b``, …) → its schema node."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema.get("$defs", {})
    keys: dict[str, dict] = {}

    def walk(properties: dict, prefix: str) -> None:
        for name, node in properties.items():
            path = prefix + name
            target = _resolve(node, defs)
            keys[path] = target
            if "properties" in target:
                walk(target["properties"], path + ".")

    walk(schema["properties"], "")
    return keys


def choices(node: dict) -> list[str]:
    """The allowed string values of an enum key (also inside oneOf/anyOf and arrays)."""
    values: list[str] = list(node.get("enum", []))
    for option in node.get("oneOf", []) + node.get("anyOf", []):
        values += choices(option)
        values += choices(option.get("items", {}))
    return sorted(set(values))


def key_table() -> dict[str, tuple[str, str]]:
    """The key table of formulas.md: key → (section heading, anchor)."""
    rows = {}
    for line in FORMULAS.read_text(encoding="utf-8").splitlines():
        m = _KEY_ROW.match(line.strip())
        if m:
            assert m.group(1) not in rows, f"key table: {m.group(1)} listed twice"
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def lesson_rows() -> list[list[str]]:
    """The cells of every concept row of lessons.md's tables."""
    rows = []
    for line in LESSONS.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| concept |"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rows.append(cells)
    return rows


def test_the_schema_walk_finds_nested_keys():
    keys = schema_keys()
    assert "optimizer.lr" in keys
    assert "training.early_stopping.min_delta" in keys
    assert "data.split.train" in keys
    assert choices(keys["model.activation"])[:2] == ["elu", "gelu"]


def test_every_preset_key_has_a_row_in_the_key_table():
    table = key_table()
    missing = sorted(set(schema_keys()) - set(table))
    assert not missing, f"docs/formulas.md key table lacks: {', '.join(missing)}"


def test_every_choice_of_the_algorithm_keys_has_a_row():
    keys, table = schema_keys(), key_table()
    missing = [f"{key}={value}" for key in CHOICE_KEYS for value in choices(keys[key])
               if f"{key}={value}" not in table]
    assert not missing, f"docs/formulas.md key table lacks: {', '.join(missing)}"


def test_the_key_table_names_only_keys_of_the_schema():
    keys = schema_keys()
    unknown = []
    for entry in key_table():
        key, _, value = entry.partition("=")
        if key not in keys or (value and value not in choices(keys[key])):
            unknown.append(entry)
    assert not unknown, f"key table rows for keys the schema does not have: {unknown}"


def test_every_section_the_key_table_names_exists_with_its_anchor():
    text = FORMULAS.read_text(encoding="utf-8")
    found = headings(text)
    slugs = [slug(h) for h in found]
    for key, (heading, anchor) in key_table().items():
        assert heading in found, f"{key}: no section headed {heading!r}"
        assert anchor == slug(heading), f"{key}: anchor #{anchor} should be #{slug(heading)}"
        assert slugs.count(anchor) == 1, f"{key}: several sections have the anchor #{anchor}"


@pytest.mark.parametrize("path", [FORMULAS, LESSONS], ids=["formulas", "lessons"])
def test_links_inside_the_docs_point_at_existing_sections(path):
    anchors = {slug(h) for h in headings(FORMULAS.read_text(encoding="utf-8"))}
    if path == FORMULAS:
        links = _LINK.findall(path.read_text(encoding="utf-8"))
    else:
        links = re.findall(r"\(formulas\.md#([^)]+)\)", path.read_text(encoding="utf-8"))
    broken = sorted(set(links) - anchors)
    assert not broken, f"{path.name}: links to missing sections: {broken}"


def test_lessons_rows_are_well_formed():
    rows = lesson_rows()
    assert len(rows) >= 60
    for cells in rows:
        assert len(cells) == 6, f"lessons.md: row does not have 6 cells: {cells[0]!r}"
        assert cells[3] in STATUSES, f"lessons.md: {cells[0]!r}: status {cells[3]!r}"
        assert re.search(r"\bD[0-4]\b", cells[1]), f"lessons.md: {cells[0]!r}: no deck named"


def test_ready_lessons_name_shipped_files():
    ready = [cells for cells in lesson_rows() if cells[3] == "ready"]
    assert ready
    for cells in ready:
        paths = re.findall(r"resources/[\w./-]+", cells[2])
        assert paths, f"lessons.md: ready row {cells[0]!r} names no file"
        for p in paths:
            assert (ROOT / p).is_file(), f"lessons.md: {cells[0]!r} is ready but {p} is missing"


def test_planned_lessons_have_a_file_name_and_what_to_look_for():
    for cells in lesson_rows():
        if cells[3] == "planned":
            assert re.search(r"resources/lessons/[a-z0-9_]+\.json", cells[2]), cells[0]
            assert len(cells[4]) > 20, f"lessons.md: {cells[0]!r}: no look-for text"


def test_formula_keys_of_the_lessons_are_sections_of_formulas():
    found = set(headings(FORMULAS.read_text(encoding="utf-8")))
    for cells in lesson_rows():
        for name in re.findall(r"`([^`]+)`", cells[5]):
            assert name in found, f"lessons.md: {cells[0]!r}: no formulas.md section {name!r}"
