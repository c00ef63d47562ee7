"""How smooth is the playground?  `python benchmarks/playground.py [--seconds S] [--speed U]`

Opens the window offscreen in playground mode on a Rosenbrock race of 8 racers (a 400 × 400
grid drawn as log-spaced contour lines) and plays it for a few seconds, measuring in one
process:

* frames per second: animation ticks that moved the racers and redrew the map, the loss plot
  and the table (target: ≥ 60);
* event-loop latency while it plays: a QTimer asks to fire every 5 ms and records how late
  each tick is (target: p99 < 50 ms);
* the median cost of one frame (the updates and the redraw) in the GUI thread.

The machine's load is printed with the results. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "lamb")


def race_file(steps: int) -> dict:
    racers = []
    for name in OPTIMIZERS:
        opt = {"name": "momentum", "nesterov": True} if name == "nesterov" else {"name": name}
        opt["lr"] = 1e-3 if name in ("sgd", "momentum", "nesterov") else 0.02
        racers.append({"label": name, "optimizer": opt})
    return {"format": "trainlab-playground", "name": "8 racers on Rosenbrock",
            "surface": {"name": "rosenbrock"}, "start": [-1.5, 2.5], "steps": steps,
            "racers": racers}


def measure(seconds: float, speed: int) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from trainlab.gui.plotting import configure_pyqtgraph
    from trainlab.gui.settings import Settings
    from trainlab.gui.theme import apply_theme
    from trainlab.gui.window import MainWindow

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    apply_theme(app)
    tmp = tempfile.mkdtemp(prefix="trainlab-bench-")
    window = MainWindow(settings=Settings(Path(tmp) / "s.ini"), runs_dir=None, restore=False)
    window.resize(1600, 1000)
    window.show()
    mode = window.playground
    mode.set_active(True)
    panel = mode.panel
    panel.session.load(race_file(steps=int(speed * seconds * 4) + 10))
    panel.session.step(1)  # the optimizer kernels load before the clock starts
    panel.reset()
    panel.speed.setValue(speed)
    lateness: list[float] = []
    frames: list[float] = []
    interval = 0.005
    state = {"last": None}

    def tick():
        now = time.perf_counter()
        if state["last"] is not None:
            lateness.append(max(0.0, now - state["last"] - interval))
        state["last"] = now

    original = panel._tick

    def timed_tick():
        start = time.perf_counter()
        before = panel.session.updates
        original()
        if panel.session.updates != before:
            frames.append(time.perf_counter() - start)

    panel.timer.timeout.disconnect()
    panel.timer.timeout.connect(timed_tick)
    probe = QTimer()
    probe.setInterval(int(interval * 1000))
    probe.timeout.connect(tick)
    begin = {}

    def start():
        probe.start()
        begin["t"] = time.perf_counter()
        panel.set_playing(True)
        QTimer.singleShot(int(seconds * 1000), app.quit)

    QTimer.singleShot(300, start)
    app.exec()
    wall = time.perf_counter() - begin["t"]
    panel.set_playing(False)
    lat = np.array(lateness) * 1000
    out = {"fps": len(frames) / wall, "updates": panel.session.updates, "wall": wall,
           "frame_ms": 1000 * float(np.median(frames)) if frames else float("nan"),
           "p50": float(np.percentile(lat, 50)), "p99": float(np.percentile(lat, 99)),
           "max": float(lat.max()), "contours": panel.map.static.levels,
           "map": panel.map.size().toTuple()}
    window.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--speed", type=int, default=120, help="updates per second")
    args = parser.parse_args()
    s = measure(args.seconds, args.speed)
    rows = [
        ("frames per second", f"{s['fps']:.1f}", "≥ 60"),
        ("time per frame (median)", f"{s['frame_ms']:.1f} ms", ""),
        ("event-loop latency p50", f"{s['p50']:.1f} ms", ""),
        ("event-loop latency p99", f"{s['p99']:.1f} ms", "< 50 ms"),
        ("event-loop latency max", f"{s['max']:.1f} ms", ""),
        ("updates per racer", f"{s['updates']}", f"{args.speed}/s asked"),
    ]
    print(f"8 racers, Rosenbrock 400×400 ({s['contours']} contour levels in one cached image, map "
          f"{s['map'][0]}×{s['map'][1]} px), {s['wall']:.1f} s; {os.cpu_count()} cores, load "
          f"average {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


if __name__ == "__main__":
    main()
