"""The knob catalog: every name, default, range and rule of TrainLab, in one place.

Plain Python, at the bottom of the package: it imports no Qt, no Numba, no pydantic and
nothing else of TrainLab, so anything may import it.

Where things are
================
``names``   every name list (activations, losses, optimizers, schedules, inits, dtypes), the
            integer codes the compiled kernels branch on (``ActivationCode``, ``LossCode``,
            ``OptimizerCode``, the ``Hyper`` slots), ``check_name``/``did_you_mean``, ``slug``.
``data``    every data source (generator, bundled or csv) with its task, classes, drop-down
            label and title; the scalings; ``source_task``/``data_task``.
``knobs``   every preset key (``KNOBS["optimizer.eps"]``): default (and defaults that depend
            on another key), range, allowed names, when it applies, schema text, label, help,
            formula. The range limits (``MAX_WIDTH``, …) are in ``knob``.
``choices`` what each entry of a name list does, with its SPEC formula (the drop-downs).
``rules``   rules between keys: batch norm rows, loss against task, output width.

The life of a knob (``optimizer.eps``, say)
===========================================
defined    here: ``knobs.py`` (default 1e-8, 1e-10 for adagrad; > 0; used by five optimizers)
validated  ``presets/model.py`` builds its pydantic field from the entry (default, range,
           description), ``presets/checks.py`` applies the rules between keys; the published
           ``resources/preset.schema.json`` is generated from the models
shown      ``gui/config_panel.py`` adds its field, which shows only while ``applies`` holds;
           ``gui/tooltips.py`` reads its label, help and formula from the entry
applied    ``runs/loop.py`` hands it to the engine (``engine/optimizers.py``, whose own
           defaults come from here), and the kernel (``engine/optimizers_kernel.py``) reads it
           from its ``Hyper`` slot

Adding an optimizer: a member of ``OptimizerCode`` (its name follows), its branch in
``engine/optimizers_kernel.py``, its entry in ``choices.py``, the ``When`` of the knobs it
uses, and its tests. Adding a data set: an entry in ``data.SOURCE_TABLE``, its generator in
``data/generators.py`` (or nothing for a bundled scikit-learn set), and its tests.
"""

from trainlab.catalog.data import DATA_SOURCES, SCALINGS, TASKS, data_task, source_task
from trainlab.catalog.knob import MAX_LAYERS, MAX_WIDTH, Knob, When
from trainlab.catalog.knobs import CHOICES, KNOBS, applies, default
from trainlab.catalog.names import (
    ACTIVATIONS,
    DTYPES,
    INITS,
    LOSSES,
    OPTIMIZERS,
    SCHEDULES,
    check_name,
    did_you_mean,
    slug,
)
from trainlab.catalog.rules import BATCH_NORM_MIN_ROWS, loss_mismatch, output_width

__all__ = [
    "ACTIVATIONS",
    "BATCH_NORM_MIN_ROWS",
    "CHOICES",
    "DATA_SOURCES",
    "DTYPES",
    "INITS",
    "KNOBS",
    "LOSSES",
    "MAX_LAYERS",
    "MAX_WIDTH",
    "OPTIMIZERS",
    "SCALINGS",
    "SCHEDULES",
    "TASKS",
    "Knob",
    "When",
    "applies",
    "check_name",
    "data_task",
    "default",
    "did_you_mean",
    "loss_mismatch",
    "output_width",
    "slug",
    "source_task",
]
