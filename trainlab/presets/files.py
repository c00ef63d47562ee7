"""Presets on disk: read (JSON only, never code), write atomically, list the shipped ones."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from trainlab.paths import FileProblem, open_regular_file, presets_dir

from .errors import PresetError, show
from .model import Preset
from .validate import preset_to_dict, validate_preset

#: A preset is a few hundred bytes; anything this big is some other file.
MAX_BYTES = 1_000_000


def load_preset(path: str | Path) -> Preset:
    """Read and check a preset file; raise :class:`PresetError` naming the file and each
    problem. A file without a ``name`` is named after the file."""
    path = Path(path)
    source = str(path)
    data = _read_json(path, source)
    if isinstance(data, dict) and "name" not in data and path.stem:
        data["name"] = path.stem
    preset = validate_preset(data, source)
    preset._path = path
    return preset


def find_preset(name: str | Path) -> Path:
    """The preset file that ``trainlab run NAME`` means.

    An existing file as given; a run directory (a folder holding ``preset.json``) reruns its
    preset; a bare name such as ``spirals`` that is no file here (or is a folder without a
    ``preset.json``, say an earlier ``--out spirals``) is the shipped preset of that name.
    When nothing fits, :class:`PresetError` says which candidates were tried.
    """
    path = Path(name)
    bare = path.name == str(name) and not path.suffix
    shipped = presets_dir() / f"{path.name}.json" if bare else None
    if path.is_dir():
        if (path / "preset.json").is_file():
            return path / "preset.json"
        if shipped is not None and shipped.is_file():
            return shipped
        also = f", and no shipped preset is named {show(str(name))}" if bare else ""
        raise PresetError(
            [("", f"is a folder without a preset.json (not a run directory){also}")], str(path)
        )
    if os.path.lexists(path) or shipped is None:
        return path
    if shipped.is_file():
        return shipped
    raise PresetError(
        [("", f"no such file, and no shipped preset is named {show(str(name))} "
              "(see 'trainlab presets')")],
        str(path),
    )


def _read_json(path: Path, source: str) -> Any:
    try:
        with open_regular_file(path, folder_is="is a folder, not a preset file") as file:
            raw = file.read(MAX_BYTES + 1)
    except FileProblem as problem:
        raise PresetError([("", problem.reason)], source) from None
    except OSError as error:
        raise PresetError(
            [("", f"cannot read the file: {error.strerror or error}")], source
        ) from None
    if len(raw) > MAX_BYTES:
        raise PresetError([("", f"larger than {MAX_BYTES} bytes; not a preset")], source)
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as error:
        raise PresetError(
            [("", f"not UTF-8 text (bad byte at offset {error.start})")], source
        ) from None
    if not text.strip():
        raise PresetError([("", "the file is empty")], source)
    duplicates: list[str] = []
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates(duplicates))
    except json.JSONDecodeError as error:
        raise PresetError(
            [("", f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")],
            source,
        ) from None
    except ValueError:  # e.g. a number of more than 4300 digits
        raise PresetError([("", "not valid JSON: a number has too many digits")], source) from None
    except RecursionError:
        raise PresetError([("", "not valid JSON: nested too deeply")], source) from None
    if duplicates:
        # json keeps the last of repeated keys silently; an edit to the first would be lost.
        raise PresetError(
            [("", f"key '{key}' appears twice in the same object") for key in duplicates],
            source,
        )
    return data


def _no_duplicates(found: list[str]):
    def make_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj and key not in found:
                found.append(key)
            obj[key] = value
        return obj

    return make_object


def save_preset(preset: Preset | dict, path: str | Path) -> None:
    """Check the preset, then write it as pretty UTF-8 JSON, atomically.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    replaces ``path`` in one step: a crash leaves either the old file or the new one, never a
    torn one. Problems with the preset or the folder raise :class:`PresetError`.
    """
    path = Path(path)
    data = preset_to_dict(validate_preset(preset, str(path)))
    folder = path.parent
    if not folder.is_dir():
        raise PresetError([("", f"cannot save: folder {str(folder)!r} does not exist")], str(path))
    temp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666 minus the umask, like any new file; an existing file keeps its permissions.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            json.dump(data, file, indent=2, ensure_ascii=False, allow_nan=False)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise PresetError(
                [("", f"cannot save: {error.strerror or error}")], str(path)
            ) from error
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def shipped_presets() -> list[tuple[str, Path]]:
    """(display name, file) of every preset in ``resources/presets/``, sorted by file name."""
    found = []
    for file in sorted(presets_dir().glob("*.json"), key=lambda f: f.name):
        found.append((_display_name(file), file))
    return found


def _display_name(file: Path) -> str:
    try:
        name = json.loads(file.read_text(encoding="utf-8-sig")).get("name")
    except (OSError, ValueError, AttributeError):
        name = None
    return name if isinstance(name, str) and name.strip() else file.stem
