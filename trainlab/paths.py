"""Where TrainLab finds its shipped resources and keeps its user data (no Qt here).

The repository keeps ``resources/`` (presets, the preset schema, screenshots) at its top level;
a wheel ships the same folder inside the package as ``trainlab/resources`` (a package-dir
mapping in ``pyproject.toml``). :func:`resources_dir` finds it either way: in a wheel, in an
editable install and in a plain checkout.
"""

from __future__ import annotations

import errno
import os
import stat
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "TrainLab"


def shipped_examples(folder: str) -> list[tuple[str, Path]]:
    """(name, file) of the shipped JSON files in ``resources/<folder>`` (``playground``,
    ``sweeps``, …), sorted by file name; a file's ``name`` key, else its stem."""
    import json

    found = []
    for file in sorted((resources_dir() / folder).glob("*.json")):
        try:
            name = json.loads(file.read_text(encoding="utf-8")).get("name") or file.stem
        except (OSError, ValueError, AttributeError):
            name = file.stem
        found.append((str(name), file))
    return found


def json_format(path) -> str | None:
    """The ``format`` key of a JSON file (``trainlab-preset``, ``trainlab-playground``,
    ``trainlab-sweep``), or None when it cannot be read or has none."""
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return data.get("format") if isinstance(data, dict) else None


def resources_dir() -> Path:
    """The shipped ``resources/`` folder: inside the installed package (a wheel), or at the
    top of the repository (a checkout or an editable install)."""
    package = Path(str(resources.files("trainlab")))
    inside = package / "resources"
    if inside.is_dir():
        return inside
    return package.parent / "resources"


def presets_dir() -> Path:
    return resources_dir() / "presets"


def formulas_md() -> Path:
    """``docs/formulas.md``: shipped in a wheel as ``trainlab/resources/docs/formulas.md`` (a
    package-dir mapping in ``pyproject.toml``), at the top of the repository in a checkout."""
    inside = resources_dir() / "docs" / "formulas.md"
    return inside if inside.is_file() else resources_dir().parent / "docs" / "formulas.md"


def user_data_dir() -> Path:
    """Per-user data folder (run directories go under `runs/` here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_runs_dir() -> Path:
    return user_data_dir() / "runs"


# --- names a user gives ------------------------------------------------------------------------


def one_line(text: str, limit: int) -> str:
    """`text` safe to print as (part of) one line: characters that are not printable
    (newlines, escape codes, bidirectional overrides) written as escapes, and at most `limit`
    characters, the middle elided (the start and the end of a path both say something)."""
    text = str(text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    if len(text) > limit:
        keep = (limit - 3) // 2
        text = f"{text[:keep]}...{text[len(text) - keep:]}"
    return text


# --- files a user names ------------------------------------------------------------------------


class FileProblem(OSError):
    """A named file TrainLab will not open; ``reason`` says why in a few plain words
    ("file not found", "is a folder, not a file", ...)."""

    def __init__(self, reason: str, path: Path):
        super().__init__(reason)
        self.reason = reason
        self.path = path


def check_regular_file(path: str | Path, folder_is: str = "is a folder, not a file") -> int:
    """The size in bytes of `path` if it is a regular file (symbolic links followed); else a
    :class:`FileProblem`. Devices (``/dev/zero``), FIFOs and sockets are refused before they
    are opened: reading one can block or never end."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as error:
        raise FileProblem(_reason(error), path) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(folder_is, path)
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"is not a regular file (a {_kind(info.st_mode)})", path)
    return info.st_size


def open_regular_file(path: str | Path, folder_is: str = "is a folder, not a file"):
    """`path` opened for reading in binary mode, checked with :func:`check_regular_file` and
    again on the open descriptor (so that a file swapped in between cannot block the read)."""
    check_regular_file(path, folder_is)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise FileProblem(_reason(error), Path(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileProblem(f"is not a regular file (a {_kind(mode)})", Path(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "file not found"
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links (a link that points back to itself)"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENOTDIR:
        return "file not found (a part of the path is not a folder)"
    if error.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    return f"cannot read the file: {error.strerror or error}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"
