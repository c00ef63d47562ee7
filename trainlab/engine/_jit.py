"""The one decorator every compiled kernel uses.

* ``cache=True``: compiled code is kept on disk. Numba writes next to the sources when it can
  and falls back to the user-wide cache directory (or ``NUMBA_CACHE_DIR``) when the package
  folder is read-only, so an installed, read-only TrainLab still starts warm.
* ``nogil=True``: kernels release the GIL, so a Qt event loop in another thread keeps running.
* ``error_model="numpy"``: division follows IEEE (inf/nan, no Python exception checks), which
  lets element-wise and optimizer loops vectorize. No ``fastmath``: it would let LLVM assume
  finite values, and a diverging run must be seen.
"""

import numba

jit = numba.njit(cache=True, nogil=True, error_model="numpy")
