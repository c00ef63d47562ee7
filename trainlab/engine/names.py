"""The engine's vocabulary, kept here for existing imports; its home is
:mod:`trainlab.catalog.names` (plain Python, no Numba)."""

from trainlab.catalog.names import (  # noqa: F401  (re-exported)
    ACTIVATION_CODE,
    ACTIVATIONS,
    CLASSIFICATION_LOSSES,
    DROPOUT_MODES,
    DTYPES,
    INITS,
    LOSS_CODE,
    LOSSES,
    OPTIMIZER_CODE,
    OPTIMIZERS,
    REGRESSION_LOSSES,
    RELU_FAMILY,
    SCHEDULE_UNITS,
    SCHEDULES,
    check_name,
    did_you_mean,
)
