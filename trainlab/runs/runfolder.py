"""The rules of a run folder (README, "Run folders"): one run writes it at a time, a run never
mixes its files with an earlier run's, and a full disk is reported as such. No Qt here.

* A run holds an OS lock on ``<folder>/.trainlab.lock`` while it writes (``flock`` on POSIX,
  ``msvcrt.locking`` on Windows): the lock dies with the process, so a killed run never
  leaves a folder locked. A second run on the same folder is refused with
  :class:`RunFolderInUse`.
* A folder that already holds a run's files (:data:`RUN_FILES`) is refused with
  :class:`RunFolderHoldsRun` unless ``overwrite``; overwriting removes those files (and the
  temp files of an interrupted write) and nothing else.
* A write that fails for lack of space raises :class:`DiskFull` naming the file.

The window shows these exceptions' messages as they are; each has ``.path``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

#: Every file a run writes into its folder (what ``overwrite`` may remove).
RUN_FILES = ("preset.json", "metrics.csv", "summary.json", "weights_initial.npz",
             "weights_final.npz", "weights_best.npz", "data.npz", "batch_loss.npy",
             "weights_history.npz")
#: The lock file of a folder a run is writing.
LOCK_NAME = ".trainlab.lock"
#: errno values that mean "no room left" (the disk, or the user's quota).
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class RunFolderError(Exception):
    """A run folder that cannot be used; ``path`` is the folder."""

    def __init__(self, path: Path, message: str):
        self.path = Path(path)
        super().__init__(message)


class RunFolderInUse(RunFolderError):
    """Another run (in this process or another) is writing the folder."""

    def __init__(self, path: Path):
        super().__init__(path, f"{path} is in use by another run; wait for it to end or choose "
                               "another folder")


class RunFolderHoldsRun(RunFolderError):
    """The folder holds an earlier run's files and overwriting was not asked for."""

    def __init__(self, path: Path, found: list[str]):
        self.found = list(found)
        super().__init__(path, f"{path} already holds a run ({', '.join(found[:3])}); choose "
                               "another folder or overwrite it (--overwrite; in Python "
                               "overwrite=True)")


class DiskFull(OSError):
    """No space left while writing ``path`` (the finished files and rows stay whole)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(errno.ENOSPC, f"no space left on device while writing {path}; free "
                                       "some space and run again", str(path))

    def __str__(self) -> str:
        return self.strerror


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure for lack of space inside the block into :class:`DiskFull` for ``path``."""
    try:
        yield
    except DiskFull:
        raise
    except OSError as error:
        if error.errno in _NO_SPACE:
            raise DiskFull(path) from error
        raise


def temp_prefix(path: Path) -> str:
    """The prefix of ``path``'s temp files: unique names beside it start with it."""
    return f".{Path(path).name}."


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        # flock, not lockf: a second open in the same process conflicts too
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class FolderClaim:
    """A run's hold on its folder: :meth:`release` (or the process ending) frees it."""

    def __init__(self, folder: Path, fd: int):
        self.folder, self._fd = folder, fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None


def claim_folder(folder: Path, overwrite: bool = False) -> FolderClaim:
    """Create ``folder`` if needed, lock it and make sure no earlier run's files remain.

    Raises :class:`RunFolderInUse`, :class:`RunFolderHoldsRun` (not with ``overwrite``, which
    removes the earlier run's files instead) or :class:`DiskFull`."""
    folder = Path(folder)
    lock_path = folder / LOCK_NAME
    with writing(lock_path):
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd)
    except OSError:
        os.close(fd)
        raise RunFolderInUse(folder) from None
    claim = FolderClaim(folder, fd)
    try:
        found = [name for name in RUN_FILES if (folder / name).exists()]
        if found and not overwrite:
            raise RunFolderHoldsRun(folder, found)
        for name in found:
            (folder / name).unlink()
        for name in RUN_FILES:  # temp files of a write that was cut short
            for stale in folder.glob(f"{temp_prefix(folder / name)}*.tmp"):
                stale.unlink()
    except BaseException:
        claim.release()
        raise
    return claim
