import os

# Qt tests run without a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _compiled_engine():
    """Compile (or load from Numba's cache) the float64 kernels once, up front, so that tests
    that time a stop or a pause do not time a first compilation."""
    from trainlab.engine import warmup

    warmup()
