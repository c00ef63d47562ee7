"""Loss landscapes of finished runs (no Qt here).

``compute.py`` (:func:`compute_landscape` → :class:`Landscape`) · ``directions.py`` (trajectory
PCA, normalized random directions, projection) · ``grid.py`` (the 1-D interpolation, the 2-D
plane, batched loss measurement) · ``source.py`` (a run directory or a result) · ``cli.py``
(``trainlab landscape``).
"""

__all__ = ["Cancelled", "Landscape", "LandscapeError", "compute_landscape"]

_HOMES = {"Cancelled": "grid", "Landscape": "compute", "compute_landscape": "compute",
          "LandscapeError": "source"}


def __getattr__(name: str):
    # the engine loads on first use: the command line's parser imports this package's cli
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"trainlab.landscape.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'trainlab.landscape' has no attribute {name!r}")
