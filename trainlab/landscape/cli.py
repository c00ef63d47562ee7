"""``trainlab landscape RUNDIR [--grid N] [--out FILE] [--directions pca|random]``.

Writes the run's loss landscape as an ``.npz`` (see :meth:`Landscape.arrays`). Exit codes as
for ``trainlab run``: 0 written, 1 interrupted, 2 bad input (no such run, no weights history
for PCA directions, a preset or data problem).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

EXIT_OK, EXIT_STOPPED, EXIT_BAD_INPUT = 0, 1, 2


def _arguments(parser) -> None:
    parser.add_argument("run_dir", metavar="RUNDIR", help="a run directory")
    parser.add_argument("--grid", type=int, default=41, metavar="N",
                        help="points per axis of the 2-D grid (default: 41)")
    parser.add_argument("--out", metavar="FILE",
                        help="the .npz to write (default: RUNDIR/landscape.npz)")
    parser.add_argument("--directions", choices=("pca", "random"), default="pca",
                        help="the plane: the run's trajectory PCA (needs weights_history.npz "
                        "from 'trainlab run --save-history') or two random directions "
                        "(default: pca)")
    parser.add_argument("--normalization", choices=("layer", "filter"), default="layer",
                        help="random directions scaled per weight matrix or per unit "
                        "(default: layer)")
    parser.add_argument("--seed", type=int, default=0, help="seed of random directions")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def run_command(args) -> int:
    from trainlab.cli import say_error
    from trainlab.landscape import compute_landscape

    out = Path(args.out) if args.out else Path(args.run_dir) / "landscape.npz"
    show = not args.quiet and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\rlandscape: {done}/{total} losses", end="", file=sys.stderr, flush=True)

    start = time.perf_counter()
    try:
        landscape = compute_landscape(args.run_dir, grid=args.grid, directions=args.directions,
                                      seed=args.seed, progress=progress,
                                      normalization=args.normalization)
        landscape.save(out)
    except KeyboardInterrupt:
        print("\nlandscape: interrupted", file=sys.stderr)
        return EXIT_STOPPED
    except (ValueError, OSError) as error:
        if show:
            print(file=sys.stderr)
        say_error(str(error))
        return EXIT_BAD_INPUT
    if show:
        print(file=sys.stderr)
    if not args.quiet:
        print(summary_line(landscape, out, time.perf_counter() - start))
    return EXIT_OK


def summary_line(landscape, out: Path, seconds: float) -> str:
    n_a, n_b = landscape.loss.shape
    plane = landscape.directions
    if plane == "pca":
        share = " + ".join(f"{100 * e:.1f}%" for e in landscape.explained)
        plane = f"trajectory PCA ({share} of the path's variance)"
    return (f"{out}: {n_a} × {n_b} grid, {plane}; train loss {landscape.loss.min():.4g} … "
            f"{landscape.loss.max():.4g} ({seconds:.1f} s)")


def register_commands(register) -> None:
    """Add ``landscape`` through ``trainlab.cli.register``."""
    register("landscape", "compute a finished run's loss landscape (1-D and 2-D) into an .npz",
             _arguments, run_command)
