"""How long does a run's loss landscape take?

    python benchmarks/landscape.py                # spirals preset, 41 × 41, 5 repeats
    python benchmarks/landscape.py --grid 81 --preset resources/presets/xor.json

Trains the preset once (its per-epoch weights kept by the progress callback), then times
``compute_landscape`` on it: the 2-D grid (grid² losses of the training and the validation
split) plus the 1-D interpolation (4·(grid − 1) + 1 points), for trajectory-PCA and for random
directions. The first call includes loading the compiled kernels; the rest are warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def train_with_history(preset: Path):
    import trainlab

    kept: dict[int, dict] = {}

    def keep(p):
        if p.event in ("start", "epoch"):
            kept[p.epoch] = p.params()

    result = trainlab.train(preset, callback=keep, write_files=False)
    epochs = sorted(kept)
    history = {k: np.stack([kept[e][k] for e in epochs]) for k in kept[epochs[0]]}
    history["epochs"] = np.array(epochs)
    return result, history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", type=Path, default=ROOT / "resources/presets/spirals.json")
    parser.add_argument("--grid", type=int, default=41)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from trainlab.landscape import compute_landscape
    from trainlab.runs import prepare

    result, history = train_with_history(args.preset)
    run = prepare(result.preset, splits=result.dataset)
    print(f"{args.preset.name}: trained {result.epochs} epochs in {time.perf_counter() - t0:.1f}"
          f" s; {run.splits.X_train.shape[0]} training + {run.splits.X_val.shape[0]} "
          f"validation rows")
    losses = args.grid ** 2 + 4 * (args.grid - 1) + 1
    for directions in ("pca", "random"):
        times = []
        for _ in range(args.repeats + 1):
            start = time.perf_counter()
            compute_landscape(result, args.grid, directions, history=history)
            times.append(time.perf_counter() - start)
        warm = times[1:]
        print(f"{directions:>6}: {args.grid} × {args.grid} grid + 1-D ({losses} weight vectors,"
              f" {2 * losses} split losses): first {times[0]:.3f} s, warm median "
              f"{statistics.median(warm):.3f} s (min {min(warm):.3f} s)")


if __name__ == "__main__":
    main()
