"""``trainlab playground FILE [--out traj.csv] [--steps N]``: race a playground headless.

Writes one CSV row per racer and update (``racer, step, x, y, loss``; ``w`` in place of x and y
for a 1-D surface; the start is step 0; a diverged racer's rows end where it diverged) and
prints one summary line per racer. Exit codes: 0 written, 2 bad input (the file, --steps, a
folder that does not exist).
"""

from __future__ import annotations

import csv
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def _arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="a playground file (JSON), or the name of "
                        "a shipped example (ravine, rosenbrock_race, ...)")
    parser.add_argument("--out", metavar="CSV", help="the trajectories as CSV (default: none)")
    parser.add_argument("--steps", type=int, metavar="N", help="override the file's steps")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def find_playground(name: str) -> Path:
    """A path as given, or a shipped example by file stem."""
    from trainlab.paths import resources_dir

    path = Path(name)
    shipped = resources_dir() / "playground" / f"{name}.json"
    return shipped if not path.exists() and not path.suffix and shipped.exists() else path


def run_command(args) -> int:
    from trainlab.cli import say_error
    from trainlab.playground.errors import PlaygroundError
    from trainlab.playground.files import load_playground, playground_to_dict
    from trainlab.playground.racing import race

    try:
        playground = load_playground(find_playground(args.file))
        if args.steps is not None:
            data = playground_to_dict(playground)
            data["steps"] = args.steps
            playground = data
        results = race(playground)
    except PlaygroundError as error:
        say_error(str(error))
        return EXIT_BAD_INPUT
    if args.out:
        try:
            write_csv(results, args.out)
        except OSError as error:
            say_error(f"{args.out}: {error.strerror or error}")
            return EXIT_BAD_INPUT
    if not args.quiet:
        for label, result in results.items():
            end = result.diverged_at if result.diverged_at is not None else len(result.losses) - 1
            state = f"diverged at update {end}" if result.diverged_at is not None else \
                f"loss {result.losses[end]:.6g}"
            point = ", ".join(f"{v:.6g}" for v in result.points[end])
            print(f"{label:<28} {state}  at ({point})")
        if args.out:
            print(f"wrote {args.out}")
    return EXIT_OK


def write_csv(results, path) -> None:
    """One row per racer and update taken: racer, step, x, y (or w), loss."""
    first = next(iter(results.values()))
    coords = ["w"] if first.points.shape[1] == 1 else ["x", "y"]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["racer", "step", *coords, "loss"])
        for label, result in results.items():
            last = result.diverged_at if result.diverged_at is not None else len(result.losses) - 1
            for step in range(last + 1):
                writer.writerow([label, step, *(repr(float(v)) for v in result.points[step]),
                                 repr(float(result.losses[step]))])


def register_commands(register) -> None:
    register("playground", "race optimizers over a loss surface (a playground file) headless",
             _arguments, run_command)


