"""The spirals run in the window with the network view and the distributions open: in-app
steps/s against headless (target ≥ 80 %) and event-loop latency (target p99 < 50 ms).

The measurement is benchmarks/gui.py's, on a window whose Network and Distributions docks are
open from the start (so both redraw, up to ten times a second, while the run trains)::

    python benchmarks/network_view.py --epochs 30000
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gui  # noqa: E402  (benchmarks/gui.py)

import trainlab.gui.window as window_module  # noqa: E402

_Plain = window_module.MainWindow


class WindowWithViews(_Plain):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both docks side by side, both drawn: on a screen too narrow for that (this
        # platform's is 800 px) the window would make them tabs of the Runs dock, and only
        # the tab in front would draw.
        self.inside._keep_on_screen = lambda dock: None
        self.inside.open("Network")
        self.inside.open("Distributions")


if __name__ == "__main__":
    window_module.MainWindow = WindowWithViews
    gui.TARGET = 80
    gui.main()
    print("with the Network and Distributions docks open")
