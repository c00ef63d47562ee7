"""Storages: a bad URL is one clear line; a study created for workers is joined by name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from optuna.trial import TrialState

from trainlab.sweep import Sweep, SweepError

from .helpers import comparable, sweep


@pytest.mark.parametrize("url, start", [
    ("not a url", "--storage: 'not a url' is not a database URL"),
    ("postgresql://student:secret@127.0.0.1:1/lab",
     "--storage: cannot open postgresql://student:***@127.0.0.1:1/lab: "),
    ("mysql://student@127.0.0.1/lab", "--storage: no database driver 'MySQLdb' for this URL"),
])
def test_a_bad_storage_url_is_one_clear_line(tmp_path, url, start):
    with pytest.raises(SweepError) as caught:
        Sweep(sweep(), tmp_path, storage=url)
    text = str(caught.value)
    assert text.startswith(start) and "\n" not in text and "secret" not in text


def test_the_cli_refuses_a_bad_storage_with_exit_code_2(tmp_path):
    file = tmp_path / "s.json"
    file.write_text(json.dumps(sweep()))
    done = subprocess.run([sys.executable, "-m", "trainlab", "sweep", str(file), "--storage",
                           "postgresql://student@127.0.0.1:1/lab", "--create-only"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("trainlab: --storage: cannot open ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_joining_a_missing_study_names_the_ones_there(tmp_path):
    url = f"sqlite:///{tmp_path / 'studies.db'}"
    Sweep(sweep(), tmp_path / "a", storage=url)
    with pytest.raises(SweepError, match="no study named 'nope' in this storage "
                                         r"\(studies: tiny-grid\)"):
        Sweep(None, tmp_path / "b", storage=url, study_name="nope")


def test_a_different_sweep_under_the_same_name_is_refused(tmp_path):
    Sweep(sweep(), tmp_path)
    with pytest.raises(SweepError, match="already holds a different sweep"):
        Sweep(sweep(parameters={"optimizer.lr": [0.5]}), tmp_path)


def test_create_only_then_a_worker_runs_every_trial_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'studies.db'}"
    file = tmp_path / "s.json"
    file.write_text(json.dumps(sweep()))
    cli = [sys.executable, "-m", "trainlab"]
    created = subprocess.run([*cli, "sweep", str(file), "--storage", url, "--create-only",
                              "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("created study 'tiny-grid' with 6 trials")
    worker = subprocess.run([*cli, "sweep-worker", "--storage", url, "--study", "tiny-grid",
                             "--out", str(tmp_path / "w"), "--jobs", "1", "--quiet"],
                            capture_output=True, text=True)
    assert worker.returncode == 0, worker.stderr
    study = Sweep(None, tmp_path / "w", storage=url, study_name="tiny-grid").study
    states = [(t.user_attrs["index"], t.state) for t in study.trials]
    assert sorted(states) == [(i, TrialState.COMPLETE) for i in range(6)]
    assert sorted(p.name for p in (tmp_path / "w" / "trials").iterdir()) == \
        [f"{i:04d}" for i in range(6)]
    # trained in another process, the same numbers as here
    joined = Sweep(None, tmp_path / "w", storage=url, study_name="tiny-grid").results()
    assert comparable(joined) == comparable(Sweep(sweep(), tmp_path / "here").run(jobs=1))


def test_sweep_show_of_a_folder_without_results_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "trainlab", "sweep-show", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == f"trainlab: {tmp_path}: no results.csv here; is this a sweep folder?\n"
