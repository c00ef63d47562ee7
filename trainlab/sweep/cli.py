"""The sweep subcommands of ``trainlab``:

    trainlab sweep FILE [--out DIR] [--jobs N] [--storage URL] [--study NAME] [--create-only]
    trainlab sweep-worker --storage URL --study NAME [--out DIR] [--jobs N]
    trainlab sweep-show DIR

Exit codes as for ``trainlab run``: 0 done, 1 stopped (Ctrl+C) or a worker failed, 2 bad input.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

EXIT_OK, EXIT_STOPPED, EXIT_BAD_INPUT = 0, 1, 2


def _jobs(parser) -> None:
    parser.add_argument("--jobs", type=int, metavar="N",
                        help=f"worker processes (default: the CPU count, {os.cpu_count()})")
    parser.add_argument("--quiet", action="store_true", help="print only the final lines")


def _sweep_arguments(parser) -> None:
    parser.add_argument("file", help="a sweep file (JSON, format trainlab-sweep)")
    parser.add_argument("--out", metavar="DIR", help="the sweep's folder; running the same "
                        "command again resumes (default: a folder per study under the user "
                        "data directory)")
    parser.add_argument("--storage", metavar="URL", help="an Optuna database URL, e.g. "
                        "postgresql://user:password@host/db (default: a journal file in DIR)")
    parser.add_argument("--study", metavar="NAME", help="study name (default: from the name)")
    parser.add_argument("--create-only", action="store_true",
                        help="create the study with its trials queued, for sweep-worker")
    _jobs(parser)


def _worker_arguments(parser) -> None:
    parser.add_argument("--storage", metavar="URL", required=True, help="the database URL")
    parser.add_argument("--study", metavar="NAME", required=True, help="the study name")
    parser.add_argument("--out", metavar="DIR", help="where this machine's trial runs go")
    _jobs(parser)


def _show_arguments(parser) -> None:
    parser.add_argument("dir", help="the sweep's folder (with results.csv)")


def register_commands(register) -> None:
    """Add ``sweep``, ``sweep-worker`` and ``sweep-show`` through ``trainlab.cli.register``."""
    register("sweep", "run a hyperparameter search (grid, random, bayesian)",
             _sweep_arguments, run_command)
    register("sweep-worker", "join a hyperparameter search stored in a database",
             _worker_arguments, run_command)
    register("sweep-show", "print a sweep's results, best first", _show_arguments, run_command)


def run_command(args) -> int:
    from .errors import SweepError

    try:
        if args.command == "sweep-show":
            return _show(args)
        if args.jobs is not None and args.jobs < 1:
            raise SweepError([("--jobs", f"must be >= 1, got {args.jobs}")], "trainlab")
        return _sweep(args)
    except SweepError as error:
        print(f"trainlab: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _default_out(study: str) -> Path:
    from trainlab.paths import user_data_dir

    return user_data_dir() / "sweeps" / study


def _sweep(args) -> int:
    from .definition import load_sweep
    from .runner import Sweep, study_name_for

    if args.command == "sweep":
        definition = load_sweep(args.file)
        study = args.study or study_name_for(definition.name)
    else:
        definition, study = None, args.study
    out = Path(args.out) if args.out else _default_out(study)
    sweep = Sweep(definition, out, storage=args.storage, study_name=study)
    where = f" in {sweep.storage_url and _hide_password(sweep.storage_url) or out}"
    if getattr(args, "create_only", False):
        verb = "created" if sweep.created else "already exists:"
        print(f"{verb} study '{study}' with {sweep.total} trials{where}")
        if args.storage:
            print(f"workers join with: trainlab sweep-worker --storage URL --study {study}")
        return EXIT_OK
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, _on_interrupt(stop))
    printer = None if args.quiet else _ProgressPrinter(sweep.definition)
    try:
        rows = sweep.run(jobs=args.jobs, callback=printer, stop=stop)
    except RuntimeError as error:
        print(f"\ntrainlab: {error}", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        signal.signal(signal.SIGINT, previous)
        if printer is not None:
            printer.finish()
    return _report(sweep, rows, stop.is_set(), out)


def _on_interrupt(stop: threading.Event):
    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\ntrainlab: stopping: running trials end after their current step and run "
              "again on resume (Ctrl+C again to quit now)", file=sys.stderr)

    return handler


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _report(sweep, rows: list[dict], stopped: bool, out: Path) -> int:
    from .results import best_row

    counts: dict[str, int] = {}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no trials"
    print(f"{len(rows)}/{sweep.total} trials done ({summary})")
    best = best_row(rows, sweep.definition.direction)
    if best is not None:
        o = sweep.definition.file.objective
        values = ", ".join(f"{k} = {best[k]}" for k in sweep.definition.keys)
        print(f"best: trial {best['trial']}  {o.metric} ({o.at}) {best['objective']:.6g}  "
              f"{values}")
    print(f"sweep directory: {out}")
    if stopped:
        print("stopped; run the same command again to resume", file=sys.stderr)
        return EXIT_STOPPED
    if len(rows) < sweep.total and sweep.definition.file.budget.max_minutes is not None:
        print("the time budget (budget.max_minutes) is spent; run the same command again to "
              "go on with the waiting trials")
    return EXIT_OK


class _ProgressPrinter:
    """One progress line: trials done / total, best so far, trials per minute."""

    def __init__(self, definition, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.metric = definition.file.objective.metric
        self.last = 0.0
        self.wrote = False

    def __call__(self, p) -> None:
        now = time.monotonic()
        if not self.tty and now - self.last < 5.0 and p.done < p.total:
            return
        self.last = now
        bar = "#" * int(p.done / max(p.total, 1) * 24)
        best = f"{p.best:.4g}" if p.best is not None else "-"
        text = (f"[{bar:<24}] {p.done}/{p.total} trials  best {self.metric} {best}  "
                f"{p.trials_per_minute:.1f} trials/min")
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()
        self.wrote = True

    def finish(self) -> None:
        if self.tty and self.wrote:
            self.stream.write("\n")
            self.stream.flush()


def _show(args) -> int:
    from .errors import SweepError
    from .results import format_table, read_table

    try:
        names, rows, direction = read_table(Path(args.dir))
    except FileNotFoundError:
        raise SweepError([("", "no results.csv here; is this a sweep folder?")],
                         args.dir) from None
    print(format_table(names, rows))
    print(f"{len(rows)} trials, best first ({direction} objective)")
    return EXIT_OK
