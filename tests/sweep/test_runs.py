"""Running sweeps: the same trials and numbers whatever the number of workers, a trial equal to
an independent run of its preset, resume after an interrupt, failed and pruned trials."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import numpy as np
import optuna
from optuna.trial import TrialState

import trainlab
from trainlab.sweep import Sweep, fold_table
from trainlab.sweep.study import claim

from .helpers import comparable, random_sweep, read_csv, sweep

BEST_DEFINED = {"minimize": min, "maximize": max}


def test_grid_gives_the_same_results_with_one_job_and_two(tmp_path):
    one = Sweep(sweep(), tmp_path / "one").run(jobs=1)
    two = Sweep(sweep(), tmp_path / "two").run(jobs=2)
    assert [r["trial"] for r in two] == list(range(6))
    assert comparable(two) == comparable(one)
    assert all(r["state"] == "complete" for r in one)
    assert read_csv(tmp_path / "one" / "results.csv")[0].keys() == \
        read_csv(tmp_path / "two" / "results.csv")[0].keys()


def test_seeded_random_gives_the_same_trials_with_one_job_and_two(tmp_path):
    file = tmp_path / "random.json"
    file.write_text(json.dumps(random_sweep(5, seed=3)))
    for jobs, out in (("1", "one"), ("2", "two")):
        done = subprocess.run([sys.executable, "-m", "trainlab", "sweep", str(file), "--out",
                               str(tmp_path / out), "--jobs", jobs, "--quiet"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "5/5 trials done (5 complete)" in done.stdout
    one, two = (read_csv(tmp_path / out / "results.csv") for out in ("one", "two"))
    assert comparable(one) == comparable(two)
    shown = subprocess.run([sys.executable, "-m", "trainlab", "sweep-show", str(tmp_path / "two")],
                           capture_output=True, text=True)
    objectives = [line.split()[4] for line in shown.stdout.splitlines()[1:-1]]
    assert objectives == [f"{x:.4g}" for x in sorted(float(r["objective"]) for r in two)]


def test_a_trial_equals_an_independent_run_of_its_preset_json(tmp_path):
    rows = Sweep(sweep(), tmp_path).run(jobs=1)
    row = rows[4]
    run_dir = tmp_path / "trials" / "0004"
    assert json.loads((run_dir / "preset.json").read_text())["optimizer"]["lr"] == 0.03
    alone = trainlab.train(run_dir / "preset.json", write_files=False)
    val_loss = np.asarray(alone.history["val_loss"][1:])
    assert row["objective"] == float(val_loss.min())  # objective: val_loss at its best epoch
    assert row["val_loss_last"] == float(val_loss[-1])
    assert row["val_acc_best"] == float(np.max(alone.history["val_acc"][1:]))
    assert row["test_loss"] == alone.test_metrics["test_loss"]
    best = json.loads((tmp_path / "best_preset.json").read_text())
    winner = min(rows, key=lambda r: r["objective"])
    assert best["optimizer"]["lr"] == winner["optimizer.lr"]
    assert best["model"]["hidden"] == winner["model.hidden"]


class StopAfter:
    """A stop flag that turns on at its n-th look (mid-trial: the run checks it each epoch)."""

    def __init__(self, n: int):
        self.n, self.looks = n, 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > self.n


def test_an_interrupted_sweep_resumes_without_redoing_finished_trials(tmp_path):
    first = Sweep(sweep(), tmp_path).run(jobs=1, stop=StopAfter(20))
    assert 0 < len(first) < 6  # some trials finished, one was cut off mid-run
    finished = {r["trial"] for r in first}
    stamps = {i: (tmp_path / "trials" / f"{i:04d}" / "summary.json").stat().st_mtime_ns
              for i in finished}
    again = Sweep(sweep(), tmp_path)
    assert again.created is False
    rows = again.run(jobs=1)
    assert [r["trial"] for r in rows] == list(range(6))
    for i in finished:  # not run again
        assert (tmp_path / "trials" / f"{i:04d}" / "summary.json").stat().st_mtime_ns == stamps[i]
    complete = [t.user_attrs["index"] for t in again.study.get_trials(
        states=(TrialState.COMPLETE,))]
    assert sorted(complete) == list(range(6))  # each trial completed exactly once
    reference = Sweep(sweep(), tmp_path / "reference").run(jobs=1)
    assert comparable(rows) == comparable(reference)


def test_a_trial_left_running_by_a_dead_worker_runs_again(tmp_path):
    s = Sweep(sweep(), tmp_path)
    claimed = claim(s.study, s._storage)  # then the worker "dies"
    assert claimed is not None
    rows = Sweep(sweep(), tmp_path).run(jobs=1)
    assert [r["trial"] for r in rows] == list(range(6))


def test_failed_and_diverged_trials_are_recorded_and_the_sweep_goes_on(tmp_path):
    data = sweep(base={"format": "trainlab-preset", "data": {"source": "line", "n_samples": 40},
                       "loss": {"name": "mse"}, "model": {"hidden": []},
                       "optimizer": {"name": "sgd", "lr": 0.1},
                       "training": {"epochs": 100, "batch_size": 1000}},
                 parameters={"optimizer.lr": [0.1, 1000.0], "data.kfold": [None, 2]},
                 objective={"metric": "val_r2", "at": "kfold"})
    rows = Sweep(data, tmp_path).run(jobs=1)
    states = {(r["optimizer.lr"], r["data.kfold"]): r for r in rows}
    assert states[(0.1, None)]["state"] == "failed"
    assert "k-fold" in states[(0.1, None)]["message"]
    assert states[(1000.0, 2)]["state"] == "diverged" and states[(1000.0, 2)]["message"]
    good = states[(0.1, 2)]
    assert good["state"] == "complete"
    summary = json.loads((tmp_path / "trials" / f"{good['trial']:04d}" / "summary.json")
                         .read_text())
    table = fold_table(summary["kfold"])
    assert [r["fold"] for r in table["rows"]] == [1, 2]
    assert good["objective"] == summary["kfold"]["mean"]
    assert np.isclose(table["mean"]["val_r2"], np.mean(summary["kfold"]["values"]))
    assert np.isclose(table["std"]["val_r2"], np.std(summary["kfold"]["values"]))


def test_median_pruning_stops_a_trial_worse_than_the_median(tmp_path):
    data = sweep(parameters={"optimizer.lr": [0.05, 0.0001]},
                 pruning={"enabled": True, "n_startup_trials": 1, "n_warmup_epochs": 3},
                 base={**sweep()["base"], "training": {"epochs": 12, "batch_size": 8}})
    first, second = Sweep(data, tmp_path).run(jobs=1)
    assert first["state"] == "complete" and first["epochs"] == 12
    # judged from the end of its 3 warm-up epochs on: already worse than the median there
    assert second["state"] == "pruned" and second["epochs"] == 3
    assert second["message"] == "pruned at epoch 3 (median rule)"


def test_a_joined_study_runs_the_stored_definition(tmp_path):
    Sweep(sweep(), tmp_path)
    joined = Sweep(None, tmp_path, study_name="tiny-grid")
    assert joined.definition.trials() == Sweep(sweep(), tmp_path).definition.trials()
    assert optuna.load_study(study_name="tiny-grid", storage=joined._storage).direction == \
        optuna.study.StudyDirection.MINIMIZE


def test_no_trial_starts_once_the_time_budget_is_spent(tmp_path):
    s = Sweep(sweep(budget={"max_minutes": 1e-9}), tmp_path)
    assert s.run(jobs=1) == [] and s.total == 6
    assert Sweep(sweep(), tmp_path / "b").run(jobs=1)[0]["state"] == "complete"


def test_a_csv_base_keeps_finding_its_file_from_the_trial_directories(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    rows = "\n".join(f"{x},{y},{int(x * y > 0)}" for x, y in
                     np.random.default_rng(0).normal(size=(40, 2)))
    (folder / "points.csv").write_text("x,y,label\n" + rows + "\n")
    (folder / "base.json").write_text(json.dumps(
        {"format": "trainlab-preset", "data": {"source": "csv", "path": "points.csv"},
         "training": {"epochs": 3, "batch_size": 8}, "model": {"hidden": [4]}}))
    (tmp_path / "s.json").write_text(json.dumps(sweep(base="data/base.json",
                                                      parameters={"optimizer.lr": [0.01]})))
    row, = Sweep(tmp_path / "s.json", tmp_path / "out").run(jobs=1)
    assert row["state"] == "complete"
    stored = json.loads((tmp_path / "out" / "trials" / "0000" / "preset.json").read_text())
    assert stored["data"]["path"] == str((folder / "points.csv").resolve())


def test_ctrl_c_stops_the_cli_cleanly_and_the_same_command_resumes(tmp_path):
    slow = sweep(base={**sweep()["base"], "training": {"epochs": 8000, "batch_size": 4}},
                 parameters={"optimizer.lr": [0.003, 0.01, 0.03]})
    file = tmp_path / "slow.json"
    file.write_text(json.dumps(slow))
    command = [sys.executable, "-m", "trainlab", "sweep", str(file), "--out",
               str(tmp_path / "out"), "--jobs", "1"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = "-"
    while line and not line.startswith("["):  # the first progress line: a trial has finished
        line = first.stderr.readline()
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 1
    assert "trainlab: stopping: running trials end after their current step" in err
    assert "stopped; run the same command again to resume" in err
    done_before = int(out.split("/")[0])
    assert 1 <= done_before < 3
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "3/3 trials done (3 complete)" in again.stdout
