"""Waiting on a `trainlab` child process's output without sleeping.

The child writes metrics.csv row by row; the test waits on the child itself
(``Popen.wait`` with a short timeout), which returns at once should the child end early,
and looks at the file each time the wait comes back. The overall limit only guards against
a hang: it asserts nothing about how fast the run is.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

HANG_GUARD = 120.0  # seconds before a child that writes nothing fails the test
_LOOK_EVERY = 0.02  # seconds the wait on the child lasts between two looks at the file


def wait_for_rows(proc: subprocess.Popen, metrics: Path, rows: int) -> None:
    """Until ``metrics`` (a metrics.csv) holds ``rows`` data rows after its header; fails
    if the child ends first or writes nothing for :data:`HANG_GUARD` seconds."""
    for _ in range(int(HANG_GUARD / _LOOK_EVERY)):
        if metrics.exists() and metrics.read_bytes().count(b"\n") > rows:
            return
        try:
            proc.wait(timeout=_LOOK_EVERY)
        except subprocess.TimeoutExpired:
            continue
        err = proc.stderr.read() if proc.stderr else ""
        pytest.fail(f"the run ended (exit {proc.returncode}) before {rows} rows: {err}")
    pytest.fail(f"the run wrote fewer than {rows} rows in {HANG_GUARD:.0f} s")
