"""Small real data sets that ship inside scikit-learn (read from its package files, no network)."""

from __future__ import annotations

from trainlab.catalog.data import BUNDLED_NAMES as BUNDLED
from trainlab.catalog.data import CLASSIFICATION, SOURCE_INFO
from trainlab.data.dataset import Dataset
from trainlab.data.errors import DataError

#: name -> "classification" or "regression" (titles and target names: trainlab.catalog.data).
BUNDLED_TASKS = {name: SOURCE_INFO[name].task for name in BUNDLED}


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
    info = SOURCE_INFO[name]
    task = info.task
    class_names = [str(c) for c in bunch.target_names] if task == CLASSIFICATION else []
    return Dataset(
        X=bunch.data,
        y=bunch.target,
        task=task,
        n_classes=len(class_names),
        feature_names=[str(f) for f in bunch.feature_names],
        target_name=info.target,
        class_names=class_names,
        name=info.title,
    )
