"""Peak decimation, data bounds and dashes cut from data (trainlab/gui/plotting/decimation.py),
without Qt."""

import numpy as np
import pytest

from trainlab.gui.plotting.decimation import dash_mask, finite_bounds, peak_decimate


def test_short_data_is_left_alone():
    x, y = peak_decimate(np.arange(10.0), np.arange(10.0), 100)
    assert len(x) == 10


def test_peak_decimation_keeps_each_bucket_minimum_and_maximum():
    x = np.arange(10.0)
    y = np.array([3.0, 1.0, 2.0, 9.0, 5.0, 4.0, 0.0, 7.0, 6.0, 8.0])
    xs, ys = peak_decimate(x, y, 3)  # 10 points, 3 buckets: 4 per bucket, 2 left over
    assert xs.tolist() == [0, 0, 4, 4, 8, 9]
    assert ys.tolist() == [1, 9, 0, 7, 6, 8]


def test_peak_decimation_skips_nan_inside_a_bucket_and_breaks_on_an_all_nan_one():
    y = np.array([np.nan, 2.0, 5.0, 1.0, np.nan] + [np.nan] * 5)
    xs, ys = peak_decimate(np.arange(10.0), y, 2)  # 5 per bucket
    assert xs.tolist() == [0, 0, 5, 5]
    assert ys[:2].tolist() == [1.0, 5.0]
    assert np.isnan(ys[2:]).all()  # the second bucket holds only NaN: a break


def test_finite_bounds_ignore_non_finite_points():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([np.nan, -2.0, np.inf, 5.0])
    assert finite_bounds(x, y) == (1.0, 3.0, -2.0, 5.0)
    assert finite_bounds(x, np.full(4, np.nan)) is None


def test_dash_mask_cuts_dashes_along_the_arc_length():
    px = np.arange(121.0)  # a straight 120 px line, 1 px segments
    connect, length = dash_mask(px, np.zeros_like(px), [8.0, 4.0])
    assert length == 120.0
    assert connect[:-1].mean() == pytest.approx(2 / 3, abs=0.02)
    assert connect[:8].all() and not connect[8:12].any() and connect[12:20].all()
    py = np.zeros_like(px)
    py[5] = np.nan  # a hole breaks the curve on both sides
    connect, _ = dash_mask(px, py, [8.0, 4.0])
    assert not connect[4] and not connect[5]
