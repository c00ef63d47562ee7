"""A small net's run limits *every* BLAS to one thread, the kernels' own (SciPy's) included,
even in a fresh process where that BLAS is loaded only by the run's first kernel."""

import json
import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, sys
import trainlab.runs.loop as loop
from threadpoolctl import threadpool_info
seen = []
def callback(progress):
    seen.append([(pool["filepath"], pool["num_threads"]) for pool in threadpool_info()
                 if pool.get("user_api") == "blas"])
loop.train({"format": "trainlab-preset", "data": {"source": "xor", "n_samples": 40},
            "model": {"hidden": [4]}, "training": {"epochs": 2, "batch_size": 8}},
           write_files=False, callback=callback)
print(json.dumps(seen))
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="BLAS runs one thread anyway")
def test_fresh_process_run_limits_the_kernels_blas():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True, timeout=300)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen, "no progress was reported"
    import scipy.linalg.cython_blas  # noqa: F401  (the library Numba's np.dot calls)
    from threadpoolctl import threadpool_info

    scipy_libs = {pool["filepath"] for pool in threadpool_info()
                  if "scipy" in pool.get("filepath", "") and pool.get("user_api") == "blas"}
    for pools in seen:
        threads = dict((path, n) for path, n in pools)
        assert scipy_libs & set(threads), f"SciPy's BLAS was not loaded during the run: {pools}"
        assert all(n == 1 for n in threads.values()), pools
