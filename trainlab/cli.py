"""The `trainlab` command line: no arguments opens the window; subcommands work headless.

    trainlab                          open the desktop lab
    trainlab run PRESET [--out DIR] [--epochs N] [--save-data] [--quiet]
    trainlab presets                  list the shipped example presets
    trainlab validate PRESET          check a preset file

Exit codes: 0 success, 1 the run diverged or was stopped, 2 bad input (preset, data, usage).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, exit code 2
        self.exit(EXIT_BAD_INPUT, f"trainlab: {message} (see 'trainlab --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trainlab",
        description="TrainLab: train small neural networks. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    run = sub.add_parser("run", help="train a preset headless and write a run directory")
    run.add_argument("preset", help="a preset file (JSON), or the name of a shipped preset")
    run.add_argument("--out", metavar="DIR", help="run directory (default: a new folder under "
                     "the user data directory)")
    run.add_argument("--epochs", type=int, metavar="N", help="override training.epochs")
    run.add_argument("--save-data", action="store_true",
                     help="also write data.npz with the exact scaled splits")
    run.add_argument("--quiet", action="store_true", help="print only the final summary line")
    sub.add_parser("presets", help="list the shipped example presets")
    val = sub.add_parser("validate", help="check a preset file and print what is wrong")
    val.add_argument("preset")
    return parser


def _find_preset(name: str) -> Path:
    """A path as given, or a shipped preset by file stem (``spirals``)."""
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    from trainlab.paths import presets_dir

    shipped = presets_dir() / f"{name}.json"
    return shipped if shipped.exists() else path


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


def _cmd_run(args) -> int:
    from trainlab.data import DataError
    from trainlab.presets import PresetError
    from trainlab.runs.control import RunControl
    from trainlab.runs.loop import train

    if args.epochs is not None and args.epochs < 1:
        print(f"trainlab: --epochs must be >= 1, got {args.epochs}", file=sys.stderr)
        return EXIT_BAD_INPUT
    callback = None if args.quiet else _ProgressPrinter()
    control = RunControl()
    outcome: dict = {}
    done = threading.Event()

    def work():
        try:
            outcome["result"] = train(_find_preset(args.preset), out_dir=args.out,
                                      callback=callback, control=control, epochs=args.epochs,
                                      save_data=args.save_data)
        except BaseException as error:  # handed to the main thread below
            outcome["error"] = error
        finally:
            done.set()

    # Train in a worker so that Ctrl+C reaches the main thread at once (a compiled kernel
    # holds no GIL and polls the stop flag between steps): the first Ctrl+C stops the run
    # cleanly, with its summary written; a second one leaves at once.
    worker = threading.Thread(target=work, name="trainlab-run", daemon=True)
    worker.start()
    interrupted = False
    while not done.is_set():
        try:
            done.wait(0.1)  # (an interrupted Thread.join can misreport is_alive)
        except KeyboardInterrupt:
            if interrupted:
                print("\ntrainlab: interrupted", file=sys.stderr)
                return EXIT_RUN_FAILED
            interrupted = True
            control.stop()
            print("\ntrainlab: stopping after the current step (Ctrl+C again to quit now)",
                  file=sys.stderr)
    error = outcome.get("error")
    if isinstance(error, (PresetError, DataError)):
        print(f"trainlab: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(error, OSError):
        print(f"trainlab: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if error is not None:
        raise error
    result = outcome["result"]
    tests = "  ".join(f"{k} {v:.4g}" for k, v in result.test_metrics.items())
    print(f"{result.status}: {result.message}" + (f"  {tests}" if tests else ""))
    kf = result.extra.get("kfold")
    if kf:
        print(f"{kf['k']}-fold cross-validation: {kf['metric']} {kf['mean']:.4g} "
              f"± {kf['std']:.2g} (population std over folds)")
    print(f"run directory: {result.out_dir}")
    return EXIT_OK if result.status in ("finished", "early_stopped") else EXIT_RUN_FAILED


def _cmd_presets() -> int:
    from trainlab.presets import shipped_presets

    for name, path in shipped_presets():
        print(f"{path.stem:<28} {name}")
    return EXIT_OK


def _cmd_validate(args) -> int:
    from trainlab.presets import PresetError, load_preset

    try:
        preset = load_preset(_find_preset(args.preset))
    except PresetError as error:
        print(str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{args.preset}: ok ({preset.name})")
    return EXIT_OK


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
    if args.command == "run":
        return _cmd_run(args)
    if args.command == "presets":
        return _cmd_presets()
    if args.command == "validate":
        return _cmd_validate(args)
    from trainlab.gui.app import main as gui_main

    return gui_main([sys.argv[0]])
