"""The first start: whether the engine's compiled kernels are in Numba's disk cache yet.

On a fresh install the first run compiles the engine (20-30 s); later starts load it from the
cache in under a second. A front end asks :func:`engine_is_cached` to decide whether to say
"compiling the engine (first start only, ...)" while it calls ``trainlab.engine.warmup()``
before the first epoch, so that the compile time is not counted as training time. No Qt here.
"""

from __future__ import annotations

#: What a front end says while the kernels compile.
COMPILING_MESSAGE = "compiling the engine (first start only, about 20-30 s)"
#: The kernels every run calls (``train_epochs`` for short epochs, ``measure_epochs`` for
#: the rows); they are the bulk of the compile time, and warmup() compiles them last.
_KERNELS = ("train_epochs", "measure_epochs")


def engine_is_cached(dtype: str = "float64") -> bool:
    """True when the run kernels for `dtype` load from Numba's disk cache (a warm start).

    Reads the cache index the way Numba does on a call (its stamp is the engine's source hash,
    so an edited or upgraded engine counts as not cached). Where the index cannot be read
    (another Numba), says True: better no message than a wrong "first start".
    """
    try:
        from trainlab.engine import epochs

        for name in _KERNELS:
            index = getattr(epochs, name)._cache._cache_file._load_index()
            if not any(f"Array({dtype}," in str(key[0]) for key in index):
                return False
        return True
    except Exception:  # noqa: BLE001 - private Numba API: no answer means no message
        return True
