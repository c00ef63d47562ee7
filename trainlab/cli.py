"""The `trainlab` command line: no arguments opens the window; subcommands work headless."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainlab",
        description="TrainLab: train small neural networks. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from trainlab import __version__

        print(f"trainlab {__version__}")
        return 0
    print("trainlab: the window is not built yet", file=sys.stderr)
    return 1
