import os

# Qt tests run without a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def compiled_engine():
    """Compile (or load from Numba's cache) the float64 kernels once, up front: the test
    folders that train use it (their conftest.py), so that the first test there, or a process
    it starts, finds the kernels in Numba's disk cache instead of compiling them itself."""
    from trainlab.engine import warmup

    warmup()
