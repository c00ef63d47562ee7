"""Presets: a whole training setup (data, network, loss, optimizer, schedule, loop) as JSON.

>>> from trainlab.presets import load_preset
>>> p = load_preset("resources/presets/spirals.json")      # doctest: +SKIP
>>> p.optimizer.lr, p.model.hidden                          # doctest: +SKIP
(0.01, [16, 16])

Every key has a documented default (defined in the knob catalog, :mod:`trainlab.catalog.knobs`;
see the field descriptions in :mod:`.model`, or ``resources/preset.schema.json``), so a preset
need only say what differs. Any problem raises
:class:`PresetError`, whose text has one line per problem: ``file: key.path: what is wrong``.
"""

from .checks import check_loss_for_data
from .errors import PresetError
from .files import load_preset, save_preset, shipped_presets
from .model import (
    CHOICES,
    CLASSIFICATION_SOURCES,
    DATA_SOURCES,
    REGRESSION_SOURCES,
    Preset,
)
from .schema import json_schema
from .validate import default_preset, preset_to_dict, validate_preset

__all__ = [
    "CHOICES",
    "CLASSIFICATION_SOURCES",
    "DATA_SOURCES",
    "REGRESSION_SOURCES",
    "Preset",
    "PresetError",
    "check_loss_for_data",
    "default_preset",
    "json_schema",
    "load_preset",
    "preset_to_dict",
    "save_preset",
    "shipped_presets",
    "validate_preset",
]
