"""Two workers against a real PostgreSQL server: every grid point runs exactly once.

The test starts a throwaway cluster (initdb, pg_ctl from Debian's ``postgresql`` package) on a
free local port in a temporary folder, and removes it afterwards. Without the binaries (or the
driver) it skips and says why.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from optuna.trial import TrialState

from trainlab.sweep import Sweep

from .helpers import sweep

pytestmark = pytest.mark.slow


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres_url():
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not installed (/usr/lib/postgresql/*/bin); "
                    "apt-get install postgresql to run this test")
    pytest.importorskip("psycopg", reason="no psycopg driver: pip install 'trainlab[postgres]'")
    # initdb refuses to run as root: then the cluster belongs to the postgres user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    folder = Path(tempfile.mkdtemp(prefix="trainlab-pg-"))
    if as_user:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()

    def pg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)

    try:
        made = pg(str(bin_dir / "initdb"), "-D", str(data), "-U", "lab", "--auth=trust",
                  "-E", "UTF8", "--no-sync")
        assert made.returncode == 0, made.stderr
        started = pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                     "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                     "start")
        assert started.returncode == 0, started.stderr + (folder / "log").read_text()
        yield f"postgresql://lab@127.0.0.1:{port}/postgres"
    finally:
        pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_two_workers_cover_every_grid_point_exactly_once(postgres_url, tmp_path):
    grid = sweep(name="class grid", parameters={"optimizer.lr": [0.003, 0.01, 0.03, 0.1],
                                                "model.hidden": [[2], [4], [6]]})
    file = tmp_path / "grid.json"
    file.write_text(json.dumps(grid))
    cli = [sys.executable, "-m", "trainlab"]
    created = subprocess.run([*cli, "sweep", str(file), "--storage", postgres_url,
                              "--create-only"], capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    assert "created study 'class-grid' with 12 trials" in created.stdout
    workers = [subprocess.Popen([*cli, "sweep-worker", "--storage", postgres_url, "--study",
                                 "class-grid", "--out", str(tmp_path / f"machine{i}"),
                                 "--jobs", "1", "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(2)]
    for w in workers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
    study = Sweep(None, tmp_path / "report", storage=postgres_url, study_name="class-grid").study
    runs = sorted((t.user_attrs["index"], t.state) for t in study.trials)
    assert runs == [(i, TrialState.COMPLETE) for i in range(12)]  # each exactly once
    ran = [p.name for i in range(2) for p in (tmp_path / f"machine{i}" / "trials").glob("*")]
    assert sorted(ran) == [f"{i:04d}" for i in range(12)]
