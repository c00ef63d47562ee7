"""The data layer's error type and the argument checks that raise it.

Every message starts with the setting it is about (``data.n_samples: ...``), so that the GUI
can put it next to the field and the CLI can print it as is.
"""

from __future__ import annotations

import math
import numbers


class DataError(ValueError):
    """A data setting, data set or CSV file TrainLab cannot use; the message says why."""


def check_int(key: str, value, minimum: int) -> int:
    """`value` as an int ≥ `minimum` (integral floats such as 200.0 are accepted)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DataError(f"{key}: must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif math.isfinite(value) and float(value).is_integer():
        number = int(value)
    else:
        raise DataError(f"{key}: must be a whole number, got {value!r}")
    if number < minimum:
        raise DataError(f"{key}: must be ≥ {minimum}, got {number}")
    return number


def check_float(key: str, value, minimum: float = 0.0) -> float:
    """`value` as a finite float ≥ `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DataError(f"{key}: must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise DataError(f"{key}: must be a finite number, got {value!r}")
    if number < minimum:
        raise DataError(f"{key}: must be ≥ {minimum:g}, got {number:g}")
    return number


def check_choice(key: str, value, allowed: tuple[str, ...]) -> str:
    """`value` if it is one of `allowed`, else a DataError listing them."""
    if isinstance(value, str) and value in allowed:
        return value
    hint = did_you_mean(value, allowed)
    raise DataError(f"{key}: {value!r} is not one of {', '.join(allowed)}{hint}")


def did_you_mean(value, allowed) -> str:
    """`"; did you mean 'spirals'?"` when `value` is close to one of `allowed`, else `""`."""
    from trainlab.catalog.names import closest_name

    close = closest_name(value, allowed)
    return f"; did you mean {close!r}?" if close else ""
