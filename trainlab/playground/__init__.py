"""The optimizer playground: engine optimizers racing over loss surfaces. No Qt here.

>>> from trainlab.playground import race
>>> results = race("resources/playground/ravine.json")     # doctest: +SKIP
>>> results["momentum"].points.shape                         # doctest: +SKIP
(151, 2)

``surfaces.py``, ``data_surfaces.py``, ``expressions.py`` (the surfaces; ``catalog.py`` lists
them), ``racers.py`` (one point and its update rule), ``racing.py`` (all racers of a file,
steppable), ``files.py`` (the file format), ``errors.py``, ``cli.py`` (``trainlab playground``).
"""

from trainlab.playground.errors import PlaygroundError

__all__ = ["SURFACES", "PlaygroundError", "PlaygroundFile", "Race", "RaceResult",
           "load_playground", "make_surface", "race", "validate_playground"]

_LAZY = {
    "SURFACES": "trainlab.playground.catalog",
    "make_surface": "trainlab.playground.catalog",
    "PlaygroundFile": "trainlab.playground.files",
    "load_playground": "trainlab.playground.files",
    "validate_playground": "trainlab.playground.files",
    "Race": "trainlab.playground.racing",
    "RaceResult": "trainlab.playground.racing",
    "race": "trainlab.playground.racing",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'trainlab.playground' has no attribute {name!r}")
