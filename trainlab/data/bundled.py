"""Small real data sets that ship inside scikit-learn (read from its package files, no network)."""

from __future__ import annotations

from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError

BUNDLED = ("iris", "wine", "breast_cancer", "digits", "diabetes")
BUNDLED_TASKS = {
    "iris": "classification",
    "wine": "classification",
    "breast_cancer": "classification",
    "digits": "classification",
    "diabetes": "regression",
}
# name -> (title, target name)
_INFO = {
    "iris": ("iris flowers", "species"),
    "wine": ("wine cultivars", "cultivar"),
    "breast_cancer": ("breast cancer (Wisconsin)", "diagnosis"),
    "digits": ("handwritten digits 8×8", "digit"),
    "diabetes": ("diabetes progression", "progression"),
}


def load_bundled(name: str) -> Dataset:
    """Load one of :data:`BUNDLED`, unchanged (``n_samples``, ``noise`` do not apply).

    ``diabetes`` is loaded with its raw feature values (age in years, BMI, ...), not the
    pre-standardized copy, so that feature scaling has visible work to do. Its target is a
    disease-progression score one year after baseline, a float column of shape ``(442, 1)``.
    """
    if name not in BUNDLED:
        raise DataError(f"data.source: {name!r} is not a bundled data set ({', '.join(BUNDLED)})")
    try:
        from sklearn import datasets
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise DataError(f"data.source: {name!r} needs scikit-learn (not installed)") from exc
    loader = getattr(datasets, f"load_{name}")
    try:
        bunch = loader(scaled=False) if name == "diabetes" else loader()
    except OSError as exc:  # a damaged installation: the files inside sklearn are missing
        raise DataError(f"data.source: could not read the bundled {name!r} files: {exc}") from exc
    title, target_name = _INFO[name]
    task = BUNDLED_TASKS[name]
    class_names = [str(c) for c in bunch.target_names] if task == "classification" else []
    return Dataset(
        X=bunch.data,
        y=bunch.target,
        task=task,
        n_classes=len(class_names),
        feature_names=[str(f) for f in bunch.feature_names],
        target_name=target_name,
        class_names=class_names,
        name=title,
    )
