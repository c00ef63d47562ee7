"""The borrowed views the kernels use are the slices and reshapes they stand for."""

import numba
import numpy as np
import pytest

from trainlab.engine.views import borrow, matrix, vector


@numba.njit
def _views(buf, start, rows, cols):
    m = matrix(buf, start, rows, cols)
    v = vector(buf, start, rows * cols)
    b = borrow(buf)
    m[0, 0] = -1.0          # writes go through to the buffer
    b[-1] = -2.0
    return m.copy(), v.copy(), m.strides[0], b.size


@numba.njit
def _flat(a, start, n):
    return vector(a, start, n).copy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_views_match_slices_and_write_through(dtype):
    buf = np.arange(40, dtype=dtype)
    expected = buf[7:7 + 12].reshape(3, 4).copy()
    m, v, row_stride, size = _views(buf, 7, 3, 4)
    expected[0, 0] = -1.0
    assert np.array_equal(m, expected)
    assert np.array_equal(v, expected.ravel())
    assert row_stride == 4 * buf.itemsize and size == 40
    assert buf[7] == -1.0 and buf[-1] == -2.0


def test_vector_reads_a_matrix_flat():
    a = np.arange(12.0).reshape(3, 4)
    assert np.array_equal(_flat(a, 2, 7), a.ravel()[2:9])
