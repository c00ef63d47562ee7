"""The BLAS the compiled kernels call.

Numba's ``np.dot`` calls SciPy's OpenBLAS (``scipy.linalg.cython_blas``), not NumPy's, and
loads it only when the first kernel runs. A thread limit set before that (threadpoolctl
limits only the libraries already loaded) would miss it, and a small net's steps would run
on spinning BLAS threads. Call :func:`load_kernel_blas` before limiting.
"""


def load_kernel_blas() -> None:
    """Load SciPy's BLAS now (cheap when it is loaded already)."""
    import scipy.linalg.cython_blas  # noqa: F401
