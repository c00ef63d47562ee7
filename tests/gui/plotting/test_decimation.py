"""Peak decimation, data bounds and dashes cut from data (trainlab/gui/plotting/decimation.py),
without Qt."""

import numpy as np
import pytest

from trainlab.gui.plotting.decimation import PeakStream, dash_mask, finite_bounds


def peak_decimate(x, y, buckets):
    return PeakStream().decimate(x, y, buckets)


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
    y = np.array([np.nan, 2.0, 5.0, 1.0] + [np.nan] * 4 + [3.0, 4.0])
    xs, ys = peak_decimate(np.arange(10.0), y, 4)  # 4 per bucket (a power of two), 2 left
    assert xs.tolist() == [0, 0, 4, 4, 8, 9]
    assert ys[:2].tolist() == [1.0, 5.0]
    assert np.isnan(ys[2:4]).all()  # the second bucket holds only NaN: a break
    assert ys[4:].tolist() == [3.0, 4.0]


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


def test_a_peak_stream_decimates_a_growing_series_as_one_pass_would():
    """Fed a series that grows between calls, the stream keeps each bucket's minimum and
    maximum exactly as reducing the whole series at once with the same bucket size."""
    rng = np.random.default_rng(7)
    y = rng.normal(size=50_000)
    y[rng.integers(0, y.size, 300)] = np.nan
    y[31_000:31_100] = np.nan  # a whole bucket of NaN: a break in the curve
    x = np.arange(y.size, dtype=float)
    stream = PeakStream()
    for n in (150, 700, 701, 5_000, 12_345, 30_000, 50_000):  # buckets merge on the way
        xs, ys = stream.decimate(x[:n], y[:n], 100, key="a")
        if n <= 200:  # short: as it is
            assert xs is x[:n] or np.array_equal(xs, x[:n])
            continue
        per = stream.per
        assert per >= n / 100 and (per & (per - 1)) == 0  # a power of two, ≤ 2·100 points
        m = n - n % per
        with np.errstate(all="ignore"):
            yb = y[:m].reshape(-1, per)
            want = np.column_stack([np.fmin.reduce(yb, axis=1), np.fmax.reduce(yb, axis=1)])
        np.testing.assert_array_equal(ys[:2 * (m // per)], want.ravel())
        np.testing.assert_array_equal(xs[:2 * (m // per)], np.repeat(x[:m:per], 2))
        np.testing.assert_array_equal(ys[2 * (m // per):], y[m:n])  # the tail as it is
        assert len(xs) <= 2 * 100 + per


def test_a_peak_stream_starts_over_for_another_series():
    stream = PeakStream()
    a, b = np.arange(1000.0), np.arange(1000.0)[::-1].copy()
    x = np.arange(1000.0)
    stream.decimate(x, a, 50, key="run")
    _, ys = stream.decimate(x, b, 50, key="run")  # same key, other values: redone
    assert ys[1] == 999.0  # the first bucket's maximum is b's, not a's (31)
    _, ys = stream.decimate(x, a, 50, key="other")
    assert ys[0] == 0.0
