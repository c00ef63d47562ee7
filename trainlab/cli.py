"""The `trainlab` command line: no arguments opens the window; subcommands work headless.

    trainlab                          open the desktop lab
    trainlab run PRESET [--out DIR] [--overwrite] [--epochs N] [--save-data] [--save-history]
                      [--quiet]
    trainlab presets                  list the shipped example presets
    trainlab validate PRESET          check a preset file
    trainlab playground FILE [--out traj.csv]   race optimizers over a loss surface

Exit codes: 0 success, 1 the run diverged or was stopped (Ctrl+C, SIGTERM), 2 bad input
(preset, data, usage), 3 the disk is full, 4 the run folder is in use by another run or holds
a run (without --overwrite).

A subcommand is one :func:`register` call: its name, help, a function that adds its arguments
and the function that runs it (``args -> exit code``).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT, EXIT_DISK_FULL, EXIT_FOLDER_REFUSED = 0, 1, 2, 3, 4
#: The longest line an error message may print (a stranger's file can name anything).
MAX_ERROR_LINE = 600


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, exit code 2
        self.exit(EXIT_BAD_INPUT, f"trainlab: {message} (see 'trainlab --help')\n")


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def register(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None],
             run: Callable[[argparse.Namespace], int]) -> None:
    """Add the subcommand ``trainlab NAME`` (in the order of registration)."""
    COMMANDS[name] = Command(name, help, arguments, run)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trainlab",
        description="TrainLab: train small neural networks. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in COMMANDS.values():
        command.arguments(sub.add_parser(command.name, help=command.help))
    return parser


def say_error(text: str) -> None:
    """An error on stderr, each line escaped and capped (see paths.one_line)."""
    from trainlab.paths import one_line

    for line in str(text).splitlines() or [""]:
        print(one_line(line, MAX_ERROR_LINE), file=sys.stderr)


# --- trainlab run ---------------------------------------------------------------------------


def _run_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("preset", help="a preset file (JSON), a run directory (reruns its "
                     "preset.json), or the name of a shipped preset")
    run.add_argument("--out", metavar="DIR", help="run directory (default: a new folder under "
                     "the user data directory)")
    run.add_argument("--overwrite", action="store_true", help="reuse a run directory that "
                     "holds a run: its files are removed first (other files stay)")
    run.add_argument("--epochs", type=int, metavar="N", help="override training.epochs")
    run.add_argument("--save-data", action="store_true",
                     help="also write data.npz with the exact scaled splits")
    run.add_argument("--save-history", action="store_true",
                     help="also write weights_history.npz: the weights of every epoch (thinned "
                     "evenly beyond 256 MB), for replay and loss landscapes")
    run.add_argument("--quiet", action="store_true", help="print only the final summary line")


class _ProgressPrinter:
    """A one-line progress bar on a terminal; a line every few seconds otherwise."""

    def __init__(self, stream=None):
        # sys.stderr as it is now, not as it was at import (it may have been replaced since)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.last = 0.0

    def __call__(self, progress) -> None:
        if progress.event == "end":
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()
            return
        if progress.event != "epoch":
            return
        now = time.monotonic()
        last_epoch = progress.epoch == progress.epochs
        if now - self.last < (0.1 if self.tty else 5.0) and not last_epoch:
            return
        self.last = now
        h = progress.history
        i = len(h) - 1
        metric = "acc" if "val_acc" in h else "r2"
        bar = "#" * int(progress.epoch / max(progress.epochs, 1) * 24)
        text = (f"[{bar:<24}] epoch {progress.epoch}/{progress.epochs}  "
                f"train loss {h['train_loss'][i]:.4g}  val loss {h['val_loss'][i]:.4g}  "
                f"val {metric} {h['val_' + metric][i]:.3f}  "
                f"{progress.steps_per_second:,.0f} steps/s")
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()


class _Spinner:
    """"compiling the engine ..." with a turning bar on a terminal (one plain line otherwise),
    on stderr, until :meth:`stop`."""

    FRAMES = "|/-\\"

    def __init__(self, text: str, stream=None):
        self.text = text
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._turn, name="trainlab-spinner", daemon=True)

    def start(self) -> _Spinner:
        if self.tty:
            self.thread.start()
        else:
            self.stream.write(self.text + "...\n")
            self.stream.flush()
        return self

    def _turn(self) -> None:
        for frame in itertools.cycle(self.FRAMES):
            self.stream.write(f"\r{frame} {self.text}…\x1b[K")
            self.stream.flush()
            if self.done.wait(0.1):
                break
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def stop(self) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()


def _warm_up(preset, quiet: bool) -> None:
    """Compile (or load) the kernels before the first epoch, so that steps/s count training
    only; say so, with a spinner, when they are not cached yet (the first start)."""
    from trainlab.engine import warmup
    from trainlab.runs.first_start import COMPILING_MESSAGE, engine_is_cached

    dtype = preset.training.dtype
    spinner = None if quiet or engine_is_cached(dtype) else _Spinner(COMPILING_MESSAGE).start()
    try:
        warmup(dtypes=(dtype,))
    finally:
        if spinner is not None:
            spinner.stop()


class _Interrupts:
    """Ctrl+C, SIGTERM (and SIGHUP: a closed terminal, a logout) while a run trains: the first
    stops the run after the current step, with its summary written; a second one ends the
    process at once with exit code 1. Neither prints a traceback, wherever it lands."""

    SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                    if hasattr(signal, name))

    def __init__(self, control):
        self.control, self.count, self.saved = control, 0, {}

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self.saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        self.count += 1
        if self.count > 1:
            print("\ntrainlab: interrupted", file=sys.stderr, flush=True)
            sys.stdout.flush()
            os._exit(EXIT_RUN_FAILED)  # now: the worker may be inside a compiled kernel
        self.control.stop()
        what = "Ctrl+C" if signum == signal.SIGINT else signal.Signals(signum).name
        print(f"\ntrainlab: {what}: stopping after the current step (Ctrl+C again to quit "
              "now)", file=sys.stderr, flush=True)


def _run_error(error: BaseException) -> int | None:
    """The exit code of a run that raised ``error``, its one line said; None: not a user's
    problem (re-raised)."""
    from trainlab.data import DataError
    from trainlab.presets import PresetError
    from trainlab.runs.runfolder import DiskFull, RunFolderError

    if isinstance(error, DiskFull):
        say_error(f"trainlab: {error}")
        return EXIT_DISK_FULL
    if isinstance(error, RunFolderError):
        say_error(f"trainlab: {error}")
        return EXIT_FOLDER_REFUSED
    if isinstance(error, (PresetError, DataError)):
        say_error(f"trainlab: {error}")
        return EXIT_BAD_INPUT
    if isinstance(error, OSError):
        say_error(f"trainlab: {error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return EXIT_BAD_INPUT
    return None


def _cmd_run(args) -> int:
    from trainlab.runs.control import RunControl

    control = RunControl()
    with _Interrupts(control):
        return _run(args, control)


def _run(args, control) -> int:
    from trainlab.presets import load_preset
    from trainlab.presets.files import find_preset
    from trainlab.runs.loop import train
    from trainlab.runs.options import RunOptions

    if args.epochs is not None and args.epochs < 1:
        say_error(f"trainlab: --epochs must be >= 1, got {args.epochs}")
        return EXIT_BAD_INPUT
    callback = None if args.quiet else _ProgressPrinter()
    # the progress line shows only the latest epoch: a compiled call's epochs are reported
    # once, and recorded as a block
    options = dataclasses.replace(RunOptions.from_env(), save_history=args.save_history,
                                  report_every_epoch=False)
    outcome: dict = {}
    done = threading.Event()

    def work():
        try:
            preset = load_preset(find_preset(args.preset))
            _warm_up(preset, args.quiet)
            if preset.variants:  # a comparison: every variant into OUT/<label>/
                from trainlab.lessons import run_variants

                outcome["variants"] = run_variants(
                    preset, args.out, callback and (lambda label, p: callback(p)),
                    control=control, epochs=args.epochs, save_data=args.save_data,
                    overwrite=args.overwrite, options=options)
                return
            outcome["result"] = train(preset, out_dir=args.out, callback=callback,
                                      control=control, epochs=args.epochs,
                                      save_data=args.save_data, overwrite=args.overwrite,
                                      options=options)
        except BaseException as error:  # handed to the main thread below
            outcome["error"] = error
        finally:
            done.set()

    # Train in a worker so that a signal reaches the main thread at once (a compiled kernel
    # holds no GIL and polls the stop flag between steps): see _Interrupts.
    worker = threading.Thread(target=work, name="trainlab-run", daemon=True)
    worker.start()
    while not done.wait(0.1):  # (an interrupted Thread.join can misreport is_alive)
        pass
    error = outcome.get("error")
    if error is not None:
        code = _run_error(error)
        if code is None:
            raise error
        return code
    if "variants" in outcome:
        return _report_variants(outcome["variants"])
    result = outcome["result"]
    tests = "  ".join(f"{k} {v:.4g}" for k, v in result.test_metrics.items())
    print(f"{result.status}: {result.message}" + (f"  {tests}" if tests else ""))
    kf = result.extra.get("kfold")
    if kf and kf["folds_completed"]:
        partial = (f", partial: {kf['folds_completed']} of {kf['k']} folds"
                   if kf["partial"] else "")
        print(f"{kf['k']}-fold cross-validation: {kf['metric']} {kf['mean']:.4g} "
              f"± {kf['std']:.2g} (population std over folds{partial})")
    print(f"run directory: {result.out_dir}")
    return EXIT_OK if result.status in ("finished", "early_stopped") else EXIT_RUN_FAILED


def _report_variants(results) -> int:
    from trainlab.lessons import comparison_table

    print(comparison_table(results))
    first = next(iter(results.values()))
    print(f"run directories: {first.out_dir.parent if first.out_dir else None}")
    ok = all(r.status != "stopped" for r in results.values())  # a variant may diverge on purpose
    return EXIT_OK if ok else EXIT_RUN_FAILED


# --- trainlab presets, trainlab validate ---------------------------------------------------------


def _cmd_presets(args) -> int:
    from trainlab.presets import shipped_presets

    for name, path in shipped_presets():
        print(f"{path.stem:<28} {name}")
    return EXIT_OK


def _validate_arguments(val: argparse.ArgumentParser) -> None:
    val.add_argument("preset", help="a preset file, a run directory or a shipped preset's name")


def _cmd_validate(args) -> int:
    from trainlab.paths import one_line
    from trainlab.presets import PresetError, load_preset
    from trainlab.presets.files import find_preset
    from trainlab.runs.budget import estimate_bytes, size_text

    try:
        preset = load_preset(find_preset(args.preset))
    except PresetError as error:
        say_error(str(error))
        return EXIT_BAD_INPUT
    name = one_line(args.preset, MAX_ERROR_LINE // 2)
    print(f"{name}: ok ({one_line(preset.name, 200)}); a run needs about "
          f"{size_text(estimate_bytes(preset))} of memory")
    return EXIT_OK


register("run", "train a preset headless and write a run directory", _run_arguments, _cmd_run)
register("presets", "list the shipped example presets", lambda parser: None, _cmd_presets)
register("validate", "check a preset file and print what is wrong", _validate_arguments,
         _cmd_validate)

from trainlab.sweep.cli import register_commands  # noqa: E402  (sweep, sweep-worker, sweep-show)

register_commands(register)

from trainlab.landscape.cli import register_commands as register_landscape  # noqa: E402

register_landscape(register)

from trainlab.export.cli import register_commands as register_export  # noqa: E402

register_export(register)

from trainlab.playground.cli import register_commands as register_playground  # noqa: E402

register_playground(register)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `trainlab presets | head`
        sys.stderr.close()
        return EXIT_OK


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from trainlab import __version__

        print(f"trainlab {__version__}")
        return EXIT_OK
    if args.command in COMMANDS:
        return COMMANDS[args.command].run(args)
    from trainlab.gui.app import main as gui_main

    return gui_main([sys.argv[0]])
