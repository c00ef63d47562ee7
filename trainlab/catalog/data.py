"""The data vocabulary: every data source with its kind, task, classes and labels; the scalings.

A source is a *generator* (``trainlab/data/generators.py`` draws it from the seed), a
*bundled* real data set (``trainlab/data/bundled.py`` reads it from scikit-learn's files) or
``csv`` (the file and its target column decide the task). The order of :data:`DATA_SOURCES` is
the order of the window's drop-down and of the schema's enum.
"""

from __future__ import annotations

from dataclasses import dataclass

CLASSIFICATION = "classification"
REGRESSION = "regression"
#: ``data.task``: "auto" lets the source (or a CSV's target column) decide.
TASKS = ("auto", CLASSIFICATION, REGRESSION)
CSV = "csv"

_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


@dataclass(frozen=True)
class DataSource:
    """One value of ``data.source``.

    ``classes``: the fixed number of classes (None for regression, for csv, and for the
    generators whose number of classes is the ``data.classes`` setting: ``uses_classes``).
    ``title`` names the data set on screen ("{k}" becomes the number of classes in words);
    ``class_names`` are fixed class names ("class {i}" for the others); ``target`` names a
    bundled set's target column.
    """

    name: str
    label: str
    kind: str  # "generator" | "bundled" | "csv"
    task: str | None
    title: str = ""
    classes: int | None = None
    uses_classes: bool = False
    class_names: tuple[str, ...] = ()
    target: str = ""

    def display_title(self, classes: int = 2) -> str:
        """"two spirals", "three Gaussian blobs", "iris flowers"."""
        k = _NUMBER_WORDS.get(int(classes), str(classes))
        return self.title.replace("{k}", k)


def _generator(name, label, task, title, classes=None, uses_classes=False, class_names=()):
    return DataSource(name, label, "generator", task, title, classes, uses_classes, class_names)


def _bundled(name, label, task, title, target, classes=None):
    return DataSource(name, label, "bundled", task, title, classes, target=target)


SOURCE_TABLE: tuple[DataSource, ...] = (
    _generator("spirals", "Spirals (2-D)", CLASSIFICATION, "{k} spirals", uses_classes=True),
    _generator("moons", "Two moons (2-D)", CLASSIFICATION, "two moons", 2,
               class_names=("upper", "lower")),
    _generator("circles", "Circles (2-D)", CLASSIFICATION, "two circles", 2,
               class_names=("outer", "inner")),
    _generator("xor", "XOR (2-D)", CLASSIFICATION, "XOR", 2,
               class_names=("same sign", "opposite sign")),
    _generator("gaussians", "Gaussian blobs (2-D)", CLASSIFICATION, "{k} Gaussian blobs",
               uses_classes=True),
    _generator("line", "Noisy line (regression, 1-D)", REGRESSION, "line y = 2x + 1"),
    _generator("sine", "Sine wave (regression, 1-D)", REGRESSION, "sine wave"),
    _generator("plane", "Plane (regression, 2-D)", REGRESSION, "plane y = 1.5x1 - 2x2 + 0.5"),
    _bundled("iris", "Iris flowers (3 classes)", CLASSIFICATION, "iris flowers", "species", 3),
    _bundled("wine", "Wine (3 classes)", CLASSIFICATION, "wine cultivars", "cultivar", 3),
    _bundled("breast_cancer", "Breast cancer (2 classes)", CLASSIFICATION,
             "breast cancer (Wisconsin)", "diagnosis", 2),
    _bundled("digits", "Handwritten digits (10 classes)", CLASSIFICATION,
             "handwritten digits 8×8", "digit", 10),
    _bundled("diabetes", "Diabetes (regression)", REGRESSION, "diabetes progression",
             "progression"),
    DataSource(CSV, "CSV file…", "csv", None),
)
SOURCE_INFO: dict[str, DataSource] = {s.name: s for s in SOURCE_TABLE}

#: Every allowed value of ``data.source``.
DATA_SOURCES = tuple(SOURCE_INFO)
GENERATOR_NAMES = tuple(s.name for s in SOURCE_TABLE if s.kind == "generator")
BUNDLED_NAMES = tuple(s.name for s in SOURCE_TABLE if s.kind == "bundled")
CLASSIFICATION_GENERATORS = tuple(s for s in GENERATOR_NAMES
                                  if SOURCE_INFO[s].task == CLASSIFICATION)
REGRESSION_GENERATORS = tuple(s for s in GENERATOR_NAMES if SOURCE_INFO[s].task == REGRESSION)
CLASSIFICATION_SOURCES = tuple(s.name for s in SOURCE_TABLE if s.task == CLASSIFICATION)
REGRESSION_SOURCES = tuple(s.name for s in SOURCE_TABLE if s.task == REGRESSION)
#: Generators whose number of classes is the ``data.classes`` setting.
USES_CLASSES = tuple(s.name for s in SOURCE_TABLE if s.uses_classes)
#: Generators that always make exactly two classes.
TWO_CLASS_GENERATORS = tuple(s for s in CLASSIFICATION_GENERATORS
                             if SOURCE_INFO[s].classes == 2)
#: Bundled sets: name -> number of classes (None = regression).
BUNDLED_CLASSES: dict[str, int | None] = {s: SOURCE_INFO[s].classes for s in BUNDLED_NAMES}

SCALINGS = ("standardize", "minmax", "none")

#: Raw input columns of the generators and bundled sets (a CSV's follow from its file): what
#: ``data.features`` is checked against before anything is loaded.
SOURCE_INPUTS: dict[str, int] = {
    **{s: 2 for s in GENERATOR_NAMES}, "line": 1, "sine": 1,
    "iris": 4, "wine": 13, "breast_cancer": 30, "digits": 64, "diabetes": 10}


def source_task(source: str) -> str | None:
    """The task a source fixes ("classification" or "regression"); None for csv and for a
    name that is no source."""
    info = SOURCE_INFO.get(source)
    return info.task if info is not None else None


def data_task(source: str, task: str | None) -> str | None:
    """The task as far as the settings tell: the source's, else a CSV's explicit ``task``;
    None while a CSV is left on "auto" (its target column decides)."""
    fixed = source_task(source)
    if fixed is None and task in (CLASSIFICATION, REGRESSION):
        return task
    return fixed


def class_names(source: str, classes: int = 2) -> list[str]:
    """Names of the classes a generator makes (``[]`` for regression)."""
    info = SOURCE_INFO[source]
    if info.task != CLASSIFICATION:
        return []
    if info.class_names:
        return list(info.class_names)
    return [f"class {k}" for k in range(int(classes))]
