"""Axis ranges, log tick labels and legend corners (trainlab/gui/plotting/ranges.py), without Qt."""

import numpy as np

from trainlab.gui.plotting.ranges import emptiest_corner, follow_y, log_tick_label, nice_ceil


def test_log_axis_labels_only_one_two_five():
    labels = {v: log_tick_label(v) for v in (1.0, 0.9, 0.5, 0.3, 0.2, 0.01, 50.0, 1e-5, 2e-5)}
    assert labels == {
        1.0: "1", 0.9: "", 0.5: "0.5", 0.3: "", 0.2: "0.2", 0.01: "0.01", 50.0: "50",
        1e-5: "10⁻⁵", 2e-5: "2·10⁻⁵",
    }
    assert log_tick_label(10 ** np.log10(0.2)) == "0.2"  # float noise from the log mapping


def test_legend_avoids_the_crowded_corner():
    x = np.arange(10.0)
    rising = (x, x)  # bottom left to top right
    assert emptiest_corner([rising], (0.3, 0.3), ("tr", "br", "tl", "bl")) in ("br", "tl")
    assert emptiest_corner([], (0.3, 0.3), ("bl", "tr", "br", "tl")) == "bl"
    # A flat line at the top of the view leaves the bottom free.
    flat = (x, np.full(10, 0.1))
    view = [[0.0, 9.0], [0.0, 0.108]]
    assert emptiest_corner([flat], (0.3, 0.3), ("tr", "br", "tl", "bl"), view) == "br"


def test_ranges_follow_the_data_in_steps():
    assert [nice_ceil(v) for v in (0.5, 7, 10, 11, 130, 2600)] == [1, 8, 10, 12, 150, 3000]
    assert follow_y(0.1, 0.9, (0.0, 1.0)) == (0.0, 1.0)  # still fills the view: kept
    lo, hi = follow_y(0.1, 1.2, (0.0, 1.0))  # left it: re-fitted with a margin
    assert lo < 0.1 and 1.2 < hi < 1.4
