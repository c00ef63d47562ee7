"""The tiled transpose that ∂A = ∂Z Wᵀ uses for small and middle-sized weight matrices."""

import numpy as np
import pytest

from trainlab.engine.kernels import transpose_into


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape", [(1, 1), (8, 8), (64, 10), (13, 21), (128, 64), (7, 17),
                                   (16, 3)])
def test_transpose_into_is_the_transpose(shape, dtype):
    rng = np.random.default_rng(sum(shape))
    W = rng.normal(size=shape).astype(dtype)
    WT = np.full(shape[::-1], np.nan, dtype)  # every entry must be written
    transpose_into(W, WT)
    assert np.array_equal(WT, W.T)
