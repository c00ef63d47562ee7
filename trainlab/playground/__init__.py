"""The optimizer playground: engine optimizers racing over loss surfaces. No Qt here.

>>> from trainlab.playground import race
>>> results = race("resources/playground/ravine.json")     # doctest: +SKIP
>>> results["momentum"].points.shape                         # doctest: +SKIP
(101, 2)

``surfaces.py``, ``data_surfaces.py``, ``expressions.py`` (the surfaces; ``catalog.py`` lists
them), ``racers.py`` (one point and its update rule), ``racing.py`` (all racers of a file,
steppable: :class:`Race`), ``files.py`` (the file format), ``errors.py``, ``cli.py``
(``trainlab playground``), ``__main__.py`` (the JSON Schema).
"""

import importlib

__all__ = ["SURFACES", "PlaygroundError", "PlaygroundFile", "Race", "RaceResult",
           "load_playground", "make_surface", "race", "validate_playground"]

# where each name lives; they load on first use, so that `trainlab` starts without them
_HOMES = {name: f"trainlab.playground.{module}" for module, names in (
    ("catalog", ("SURFACES", "make_surface")),
    ("errors", ("PlaygroundError",)),
    ("files", ("PlaygroundFile", "load_playground", "validate_playground")),
    ("racing", ("Race", "RaceResult", "race")),
) for name in names}


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module 'trainlab.playground' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
