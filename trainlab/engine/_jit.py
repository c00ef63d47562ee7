"""The one decorator every compiled kernel uses, and the cache rule that keeps it honest.

* ``cache=True``: compiled code is kept on disk. Numba writes next to the sources when it can
  and falls back to the user-wide cache directory (or ``NUMBA_CACHE_DIR``) when the package
  folder is read-only, so an installed, read-only TrainLab still starts warm.
* ``nogil=True``: kernels release the GIL, so a Qt event loop in another thread keeps running.
* ``error_model="numpy"``: division follows IEEE (inf/nan, no Python exception checks), which
  lets element-wise and optimizer loops vectorize. No ``fastmath``: it would let LLVM assume
  finite values, and a diverging run must be seen.

Numba decides whether a cached kernel is stale from the file that *defines* it only, yet a
kernel in ``kernels.py`` compiles in code from ``activations.py``, ``losses.py`` and others.
So the engine's kernels are stamped with a hash of every engine source file and of the
catalog's name lists (whose codes the kernels compile in): change any of them (an upgrade, an
edit) and every cached kernel is compiled afresh.
"""

import gc
import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np


def _defer_numpy_f2py() -> None:
    """Let ``numpy.f2py`` load on first use instead of at Numba's start.

    Numba loads SciPy for its BLAS bindings, and SciPy's array-API layer copies the ``numpy``
    namespace, which imports ``numpy.f2py`` (a Fortran wrapper generator, and through it
    ``charset_normalizer``): a tenth of a second of a warm start spent on code a run never
    touches. A lazily loaded module stands in for it; any use of it loads it in full.
    """
    name = "numpy.f2py"
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        np.f2py = module  # what `import numpy.f2py` reads back from the package
    except Exception:  # noqa: BLE001 - only a start-up shortcut: leave NumPy as it is
        sys.modules.pop(name, None)


_defer_numpy_f2py()

import numba  # noqa: E402  (after the shortcut above)

_ENGINE_DIR = Path(__file__).resolve().parent


#: The kernels compile in the codes of the catalog's name lists (frozen as constants) too.
_KERNEL_CODES = _ENGINE_DIR.parent / "catalog" / "names.py"


def _engine_stamp() -> str:
    digest = hashlib.sha256()
    for path in [*sorted(_ENGINE_DIR.glob("*.py")), _KERNEL_CODES]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _install_engine_locators() -> None:
    """Put engine-wide-stamped variants of Numba's file locators in front of its list."""
    try:
        from numba.core import caching
    except ImportError:  # pragma: no cover - very old Numba: plain per-file stamps
        return
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    # same order as Numba's own: NUMBA_CACHE_DIR first, then beside the sources, then per user
    bases = [getattr(caching, name, None) or getattr(caching, "_" + name, None)
             for name in ("UserProvidedCacheLocator", "InTreeCacheLocator",
                          "UserWideCacheLocator")]
    if impl is None or not all(bases) or getattr(impl, "_trainlab_locators", False):
        return
    stamp = _engine_stamp()

    def make(base):
        class EngineLocator(base):
            @classmethod
            def from_function(cls, py_func, py_file):
                if Path(py_file).resolve().parent != _ENGINE_DIR:
                    return None
                return super().from_function(py_func, py_file)

            def get_source_stamp(self):
                return stamp

        EngineLocator.__name__ = f"Engine{base.__name__.lstrip('_')}"
        return EngineLocator

    impl._locator_classes = [make(b) for b in bases] + list(impl._locator_classes)
    impl._trainlab_locators = True


_install_engine_locators()

jit = numba.njit(cache=True, nogil=True, error_model="numpy")
#: The same, and a·b + c may become one fused multiply-add (one rounding instead of two):
#: for polynomial kernels. The only fast-math flag used; it assumes nothing about the values.
jit_contract = numba.njit(cache=True, nogil=True, error_model="numpy", fastmath={"contract"})
#: ... and a sum may be reassociated (so that a reduction loop vectorizes): for sums whose
#: last bits do not matter, such as norms. The order is still fixed by the compiled code.
jit_reassoc = numba.njit(cache=True, nogil=True, error_model="numpy",
                         fastmath={"contract", "reassoc"})


def settle() -> None:
    """Start Numba's CPU target now, then move every object alive to the collector's
    permanent generation (``gc.freeze``).

    Numba's start leaves some 100 000 objects that live as long as the process; without
    this, every full collection walks them again, and so does the interpreter's exit
    (a third of a second after a warm start). Called once, when the kernels are imported.
    """
    from numba.core.registry import cpu_target

    cpu_target.target_context.refresh()
    gc.freeze()
