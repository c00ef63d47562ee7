import os

# Qt tests run without a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import gc  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _collection_back_to_python():
    """A window turns Python's automatic garbage collection off while it is open (its timer
    collects in the window's thread: trainlab.gui.collector); after each test collection is
    Python's again, and what the test left is collected here, in the main thread."""
    yield
    collector = sys.modules.get("trainlab.gui.collector")
    if collector is not None and collector.running():
        collector.stop()
        gc.collect()


@pytest.fixture(scope="session")
def compiled_engine():
    """Compile (or load from Numba's cache) the float64 kernels once, up front: the test
    folders that train use it (their conftest.py), so that the first test there, or a process
    it starts, finds the kernels in Numba's disk cache instead of compiling them itself."""
    from trainlab.engine import warmup

    warmup()
