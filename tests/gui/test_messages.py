"""Each kind of failure reads as its own sentence (trainlab.gui.messages.friendly_error)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from trainlab.data.errors import DataError
from trainlab.gui.messages import friendly_error
from trainlab.runs.runfolder import DiskFull, RunFolderError


@pytest.mark.parametrize("exc, start, quoted", [
    (DiskFull(Path("/runs/a/metrics.csv")), "The disk is full: ", "/runs/a/metrics.csv"),
    (RunFolderError(Path("/runs/a"), "another run writes it"),
     "The run cannot use its folder: ", "another run writes it"),
    (DataError("column 3 of line 7 is not a number"), "The data could not be loaded: ",
     "column 3 of line 7"),
    (MemoryError(), "The computer ran out of memory.", ""),
    (FileNotFoundError(errno.ENOENT, "No such file", "/x/moons.csv"), "File not found: ",
     "/x/moons.csv"),
    (PermissionError(errno.EACCES, "Permission denied", "/x/p.json"),
     "TrainLab may not read or write ", "/x/p.json"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "A file could not be read or written: ",
     "Is a directory"),
    (ValueError("lr must be positive"), "That did not work: ", "lr must be positive"),
    (KeyError("oops"), "Something went wrong inside TrainLab (KeyError", "oops"),
])
def test_each_failure_reads_as_its_own_sentence(exc, start, quoted):
    text = friendly_error(exc)
    assert text.startswith(start)
    assert quoted in text
    assert "\n" not in text and "Traceback" not in text
