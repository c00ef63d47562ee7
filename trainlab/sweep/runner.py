"""A sweep as one object: create (or resume) its study, run its trials in worker processes,
report progress, gather the results. No Qt here; the window drives the same API.

>>> sweep = Sweep("resources/sweeps/moons_grid.json", out_dir="sweeps/a")  # doctest: +SKIP
>>> sweep.run(jobs=2, callback=print)                                   # doctest: +SKIP
>>> sweep.results()[0]                                                  # doctest: +SKIP
{'trial': 0, 'optimizer.lr': 0.001, 'model.dropout': 0.0, 'objective': 0.41, ...}
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import results as outputs
from .definition import SweepDefinition, load_sweep
from .study import create_study, open_storage, open_study, requeue_stale
from .worker import work, worker_process


@dataclass
class SweepProgress:
    """One report of a running sweep, handed to ``Sweep.run``'s callback after each trial."""

    done: int                       # trials finished (complete, pruned, failed, diverged)
    total: int                      # trials in the sweep
    best: float | None              # the best objective so far
    trials_per_minute: float        # trials finished by this run per minute of this run
    row: dict[str, Any] | None      # the trial that just finished (see Sweep.results)
    running: int                    # worker processes still at work


def study_name_for(name: str) -> str:
    """A study name from a sweep name: lower case, letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "sweep"


class Sweep:
    """A hyperparameter search over a base preset, stored in an Optuna study.

    * ``sweep``: a sweep file, a dict, or a :class:`SweepDefinition`; None with ``study_name``
      joins an existing study (its definition is stored in it), as ``trainlab sweep-worker``.
    * ``out_dir``: the sweep's folder: ``trials/<index>/`` run directories, ``results.csv``,
      ``best_preset.json``, ``sweep.json`` and (embedded storage) ``study.journal``.
    * ``storage``: an Optuna RDB URL (e.g. ``postgresql://...``); None = the embedded journal.

    Bad files, storages and studies raise :class:`~trainlab.sweep.SweepError`.
    """

    def __init__(self, sweep=None, out_dir: str | Path = "sweep", storage: str | None = None,
                 study_name: str | None = None):
        self.out_dir = Path(out_dir)
        self.storage_url = storage
        if storage is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self._storage = open_storage(storage, self.out_dir)
        if sweep is None:
            self.study, self.definition = open_study(self._storage, study_name or "")
            self.created = False
        else:
            definition: SweepDefinition = load_sweep(sweep)
            self.definition = definition
            name = study_name or study_name_for(definition.name)
            self.study, self.created = create_study(self._storage, name, definition)
            if storage is None and not self.created:
                # Nobody else works on an embedded study between two runs of this command:
                # what is still "running" was cut off (a crash, a kill) and runs again.
                requeue_stale(self.study, self._storage)

    @property
    def study_name(self) -> str:
        return self.study.study_name

    @property
    def total(self) -> int:
        return outputs.progress_counts(self.study)[1]

    def run(self, jobs: int | None = None, callback=None, stop=None) -> list[dict]:
        """Run the waiting trials on ``jobs`` workers (default: the CPU count) and return
        :meth:`results`.

        One worker is this process: with one job the trials run in the calling thread; with
        more, in a thread here while ``jobs - 1`` worker processes start (a process needs
        about a second or two for Python, Numba and the cached kernels, so a short search
        does not wait for them). ``callback(SweepProgress)`` is called in the calling thread
        after each trial. Setting ``stop`` (anything with ``is_set()``) ends the running
        trials after their current step and queues them again; a later run resumes.
        """
        jobs = jobs or os.cpu_count() or 1
        deadline = None
        minutes = self.definition.file.budget.max_minutes
        if minutes is not None:
            deadline = time.time() + 60 * minutes
        clock = _Clock(self.study, self.definition.direction, callback)
        if jobs == 1:
            work(self.study, self._storage, self.definition, self.out_dir, stop, deadline,
                 report=lambda row: clock.trial(row, 1))
        else:
            self._run_parallel(jobs, stop, deadline, clock)
        return self.write_outputs()

    def _run_parallel(self, jobs: int, stop, deadline, clock: _Clock) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that has threads
        events, halt = context.Queue(), context.Event()
        folder = str(self.out_dir.resolve())
        workers = [context.Process(target=worker_process, daemon=True, name=f"trainlab-sweep-{i}",
                                   args=(self.storage_url, folder, self.study_name, folder, halt,
                                         events, deadline))
                   for i in range(1, jobs)]
        for w in workers:
            w.start()

        def here() -> None:
            try:
                work(self.study, self._storage, self.definition, self.out_dir, halt, deadline,
                     report=lambda row: events.put(("trial", row)))
            except BaseException as error:  # reported below, in the calling thread
                events.put(("error", f"{type(error).__name__}: {error}"))
            finally:
                events.put(("exit", None))

        local = threading.Thread(target=here, name="trainlab-sweep-0", daemon=True)
        local.start()
        running, errors = jobs, []
        try:
            while running:
                if stop is not None and stop.is_set():
                    halt.set()
                try:
                    kind, payload = events.get(timeout=0.1)
                except queues.Empty:
                    if not local.is_alive() and not any(w.is_alive() for w in workers):
                        break  # a worker killed from outside never says goodbye
                    continue
                if kind == "trial":
                    clock.trial(payload, running)
                elif kind == "error":
                    errors.append(payload)
                else:
                    running -= 1
        finally:
            halt.set()
            local.join()
            for w in workers:
                w.join()
        lost = [w.exitcode for w in workers if w.exitcode]
        if errors or (lost and not halt_asked(stop)):
            reason = errors[0] if errors else f"exit code {lost[0]}"
            raise RuntimeError(f"a sweep worker failed: {reason}")

    def results(self) -> list[dict[str, Any]]:
        """One row per finished trial, by index (see :func:`~.results.result_rows`)."""
        return outputs.result_rows(self.study, self.definition)

    def best(self) -> dict[str, Any] | None:
        """The best complete trial's row, or None."""
        return outputs.best_row(self.results(), self.definition.direction)

    def trial_preset(self, index: int) -> dict:
        """The resolved preset of a finished trial (what its run directory's preset.json
        holds): "Open as preset"."""
        row = next(r for r in self.results() if r["trial"] == index)
        return self.definition.trial_preset(index, {k: row[k] for k in self.definition.keys})

    def write_outputs(self) -> list[dict]:
        return outputs.write_outputs(self.out_dir, self.study, self.definition)


def halt_asked(stop) -> bool:
    return stop is not None and stop.is_set()


class _Clock:
    """Turns finished trials into :class:`SweepProgress` reports."""

    def __init__(self, study, direction: str, callback):
        self.study, self.direction, self.callback = study, direction, callback
        self.start = time.perf_counter()
        self.count = 0
        self.best: float | None = None
        done = [t.value for t in study.get_trials(deepcopy=False) if t.value is not None]
        if done:
            self.best = min(done) if direction == "minimize" else max(done)

    def trial(self, row: dict, running: int) -> None:
        self.count += row.get("state") != "interrupted"  # it runs again later
        value = row.get("objective")
        if row.get("state") == "complete" and value is not None:
            better = self.best is None or (value < self.best if self.direction == "minimize"
                                           else value > self.best)
            self.best = value if better else self.best
        if self.callback is None:
            return
        done, total = outputs.progress_counts(self.study)
        minutes = (time.perf_counter() - self.start) / 60
        self.callback(SweepProgress(done, total, self.best, self.count / max(minutes, 1e-9),
                                    row, running))
