"""How smooth is the window while it trains?  `python benchmarks/gui.py [--epochs N]`

Runs the app offscreen on the two-spirals preset and measures, in one process:

* event-loop latency during the run: a QTimer asks to fire every 5 ms and records how late each
  tick is (target: p99 < 50 ms);
* redraws per second (snapshots that reached the window);
* the engine's steps/s inside the app versus :func:`trainlab.train` headless on the same preset
  (target: in-app ≥ 90 % of headless), both over wall-clock time from start to result, in
  ``--rounds`` rounds (the median round is shown);
* the median cost of one redraw (plots, data view and paint) in the GUI thread;
* with ``--pacing``: the rate of the paced speeds ("1 update per second", "1 update per frame")
  against the set value (target: within 5 %), from the times the window received each update;
* with ``--presentation``: the same run in presentation mode (full screen, scaled up) at
  1920×1080 (target: event-loop p99 < 50 ms).

The run "as fast as possible" is the default one above: the window records the timeline (the
mini-batch losses, the step counts of the x axis, the kept weights) while it goes, so its
in-app share is measured with it (target ≥ 90 % with ``--batch-loss`` kept on).

The default 30000 epochs make a run of several seconds, so that starting and ending a run (the
first full draw, the final one) do not dominate; the headless run is made before and after the
app, and the two rates averaged. The machine's load is printed with the
results: on a busy machine every number here moves. Not a test: it prints a table.
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

#: in-app ÷ headless steps/s to reach, in percent (benchmarks/network_view.py sets its own)
TARGET = 90
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_preset(epochs: int) -> dict:
    from trainlab.presets import default_preset, preset_to_dict

    d = preset_to_dict(default_preset())
    d["training"]["epochs"] = epochs
    return d


def headless(preset: dict) -> tuple[float, float]:
    """(steps/s, seconds) of a run without a window."""
    from trainlab.runs.loop import train

    start = time.perf_counter()
    result = train(preset, write_files=False)
    wall = time.perf_counter() - start
    return _total_steps(result, preset) / wall, wall


def _total_steps(result, preset) -> int:
    n_train = len(result.dataset.y_train) if result.dataset is not None else 0
    batch = preset["training"]["batch_size"]
    return result.epochs * max(1, -(-n_train // batch))


def _window(size: tuple[int, int] = (1600, 1000)):
    """The app and a window of ``size`` with a throwaway settings file."""
    from PySide6.QtWidgets import QApplication

    from trainlab.gui.app import SWITCH_INTERVAL, limit_blas_threads
    from trainlab.gui.plotting import configure_pyqtgraph
    from trainlab.gui.settings import Settings
    from trainlab.gui.theme import apply_theme
    from trainlab.gui.window import MainWindow

    limit_blas_threads()
    sys.setswitchinterval(SWITCH_INTERVAL)  # as trainlab.gui.app.main does
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    apply_theme(app)
    tmp = tempfile.mkdtemp(prefix="trainlab-bench-")
    window = MainWindow(settings=Settings(Path(tmp) / "s.ini"), runs_dir=None, restore=False)
    window.resize(*size)
    return app, window


def paced(preset: dict, speed: str, seconds: float) -> dict:
    """Updates per second at ``speed``, from the times the window got each new update."""
    from PySide6.QtCore import QTimer

    app, window = _window()
    window.speed.set_speed(speed)
    window.model.load(preset)
    times: list[float] = []
    seen = {"n": 0}

    def frame(f):
        if f.total_steps > seen["n"]:
            times.extend([time.perf_counter()] * (f.total_steps - seen["n"]))
            seen["n"] = f.total_steps

    window.controller.frame.connect(frame)

    def stop():
        window.run_controls.stop()
        QTimer.singleShot(200, app.quit)

    QTimer.singleShot(200, window.start_run)
    QTimer.singleShot(int(1000 * seconds), stop)
    app.exec()
    window.close()
    # from the first update on (the engine's start is not the pace's)
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 2 else float("nan")
    return {"updates": len(times), "rate": rate}


def in_app(preset: dict, presentation: bool = False) -> dict:
    from PySide6.QtCore import Qt, QTimer

    app, window = _window((1920, 1080) if presentation else (1600, 1000))
    # The offscreen platform's screen is small, so the window starts in its laptop layout (the
    # data view tabbed behind the settings, not drawn); put the data view back on the right, as
    # on a 1600×1000 screen, so that its redraws are measured too.
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.data_dock)
    window.show()
    window._default_dock_sizes()
    window.model.load(preset)
    if presentation:
        window.view_model.set_presentation(True)

    lateness: list[float] = []
    interval = 0.005
    state = {"last": None}

    def tick():
        now = time.perf_counter()
        if state["last"] is not None:
            lateness.append(max(0.0, now - state["last"] - interval))
        state["last"] = now

    timer = QTimer()
    timer.setInterval(int(interval * 1000))
    timer.timeout.connect(tick)
    results = {}

    def finished(result):
        results["result"] = result
        results["wall"] = time.perf_counter() - results["start"]
        timer.stop()
        QTimer.singleShot(50, app.quit)

    window.controller.finished.connect(finished)
    window.controller.failed.connect(lambda m: (results.update(error=m), app.quit()))

    def start():
        timer.start()
        results["start"] = time.perf_counter()
        window.start_run()

    QTimer.singleShot(200, start)
    QTimer.singleShot(100, lambda: results.update(
        layout={n: window.plots.plot_widget(n).size().toTuple() for n in ("loss", "g_norm")}
        | {"data": window.data_view.plot_widget().size().toTuple()}))
    app.exec()
    result = results.get("result")
    if result is None:
        raise SystemExit(f"the run failed: {results.get('error')}")
    steps = _total_steps(result, preset)
    lat = np.array(lateness) * 1000
    wall = results["wall"]
    out = {
        "steps_per_s": steps / wall,
        "seconds": wall,
        "p50": float(np.percentile(lat, 50)) if lat.size else float("nan"),
        "p99": float(np.percentile(lat, 99)) if lat.size else float("nan"),
        "max": float(lat.max()) if lat.size else float("nan"),
        "fps": window.controller.deliveries / max(wall, 1e-9),
        "frame_ms": 1000 * float(np.median(window.controller.frame_costs or [np.nan])),
        "frame_mean_ms": 1000 * float(np.mean(window.controller.frame_costs or [np.nan])),
        "layout": results.get("layout"),
    }
    window.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30000)
    parser.add_argument("--pacing", action="store_true",
                        help="measure the paced speeds' rates instead")
    parser.add_argument("--presentation", action="store_true",
                        help="the window in presentation mode at 1920x1080")
    parser.add_argument("--rounds", type=int, default=3,
                        help="app runs, each between two headless ones (the median is shown)")
    args = parser.parse_args()
    preset = bench_preset(args.epochs)
    if args.pacing:
        from trainlab.gui.worker import MAX_FPS

        for speed, target, seconds in (("1 update/s", 1.0, 31.5),
                                       ("1 update per frame", float(MAX_FPS), 10.0)):
            got = paced(preset, speed, seconds)
            print(f"{speed:<20} {got['rate']:8.3f} updates/s over {got['updates']} updates "
                  f"(set {target:g}/s: {100 * got['rate'] / target:.1f} %, target 95-105 %)")
        return

    from trainlab.engine import warmup

    warmup(dtypes=("float64",))
    # Headless before and after each app run, averaged: the machine's speed drifts over
    # seconds (on a shared 2-core machine, headless alone moves by ±20 % from one run to the
    # next). Each round gives a ratio; the table shows the round with the median one.
    rounds = []
    rate_b, secs_b = headless(preset)
    head_rates = [rate_b]
    for _ in range(max(args.rounds, 1)):
        rate_a, secs_a = rate_b, secs_b
        stats = in_app(preset, presentation=args.presentation)
        rate_b, secs_b = headless(preset)
        head_rates.append(rate_b)
        head = (rate_a + rate_b) / 2
        rounds.append((stats["steps_per_s"] / head, stats, head, (secs_a + secs_b) / 2))
    ratios = sorted(r[0] for r in rounds)
    # Other load only ever slows a run down: the fastest run of each kind is the one least
    # disturbed, and their ratio the window's own cost.
    best_app, best_head = max(r[1]["steps_per_s"] for r in rounds), max(head_rates)
    ratio, app_stats, head_rate, head_seconds = sorted(rounds, key=lambda r: r[0])[
        len(rounds) // 2]
    rows = [
        ("event-loop latency p50", f"{app_stats['p50']:.1f} ms", ""),
        ("event-loop latency p99", f"{app_stats['p99']:.1f} ms", "< 50 ms"),
        ("event-loop latency max", f"{app_stats['max']:.1f} ms", ""),
        ("redraws per second", f"{app_stats['fps']:.1f}", "≤ 30"),
        ("time per redraw (median)", f"{app_stats['frame_ms']:.1f} ms", ""),
        ("time per redraw (mean)", f"{app_stats['frame_mean_ms']:.1f} ms", ""),
        ("steps/s in the app", f"{app_stats['steps_per_s']:,.0f}", ""),
        ("steps/s headless", f"{head_rate:,.0f}", ""),
        ("in-app / headless", f"{100 * ratio:.0f} %", f"≥ {TARGET} %"),
    ]
    if len(rounds) > 1:
        rows.append(("  each round", " ".join(f"{100 * r:.0f}" for r in ratios) + " %", ""))
        rows.append(("event-loop p99, each round",
                     " ".join(f"{r[1]['p99']:.0f}" for r in rounds) + " ms", "< 50 ms"))
        rows.append(("fastest in app / fastest headless",
                     f"{100 * best_app / best_head:.0f} %", f"≥ {TARGET} %"))
        rows.append(("  steps/s", f"{best_app:,.0f} / {best_head:,.0f}", ""))
    print(f"spirals, {args.epochs} epochs (app {app_stats['seconds']:.2f} s, "
          f"headless {head_seconds:.2f} s); {os.cpu_count()} cores, load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")
    print("plot sizes (px):", ", ".join(f"{k} {w}×{h}" for k, (w, h) in
                                        (app_stats["layout"] or {}).items()))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


if __name__ == "__main__":
    main()
