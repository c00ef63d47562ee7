"""``trainlab export-torch RUNDIR --out train.py``."""

from __future__ import annotations

import argparse


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUNDIR", help="a run directory saved with --save-data")
    parser.add_argument("--out", default="train.py",
                        help="the script to write (default train.py); batches.npy goes beside it")


def _run(args) -> int:
    from trainlab.cli import EXIT_BAD_INPUT, EXIT_OK, say_error
    from trainlab.export import ExportError, export_torch

    try:
        script = export_torch(args.run_dir, args.out)
    except ExportError as error:
        say_error(f"trainlab export-torch: {error}")
        return EXIT_BAD_INPUT
    print(f"wrote {script} and {script.parent / 'batches.npy'}; run it with: python {script}")
    return EXIT_OK


def register_commands(register) -> None:
    register("export-torch", "write a PyTorch script that trains the same run", _arguments, _run)
