"""The colours of TrainLab's plots, chosen to survive a projector and colour-blind eyes.

Two palettes:

* :data:`QUALITATIVE` — distinct hues for categories: classes in the data view and runs in the
  plots panel. The first two (blue, orange) are the pair that colour-blind viewers tell apart
  best, because most data sets have two classes and most comparisons two runs. No pale yellow:
  it vanishes on a white background under a projector lamp.
* :func:`sequential` — ordered shades for ordered things (layer 1 … L), dark violet through teal
  to a muted green, evenly spaced in lightness so "deeper layer" reads as "lighter line" even in
  grey scale.

Colours are ``"#rrggbb"`` strings; :func:`rgb` turns one into a ``(r, g, b)`` tuple of ints.
"""

from __future__ import annotations

import numpy as np

#: Twelve categorical colours; index i is class i (and the i-th run to be plotted).
QUALITATIVE: tuple[str, ...] = (
    "#1f6fb2",  # blue
    "#e58606",  # orange
    "#1a9b6c",  # bluish green
    "#c8352b",  # vermillion
    "#7b4fa8",  # purple
    "#4cb0e0",  # sky blue
    "#8c5a3c",  # brown
    "#d4609e",  # pink
    "#8f8f1f",  # olive
    "#5f5f5f",  # grey
    "#12888a",  # teal
    "#c99a06",  # dark gold
)

#: The same hues in the same order, darker and more saturated: the high-contrast scheme, for a
#: washed-out projector (the colour-blind-safe order of :data:`QUALITATIVE` is kept).
HIGH_CONTRAST: tuple[str, ...] = (
    "#0b4f8a",  # blue
    "#c45a00",  # orange
    "#00714a",  # bluish green
    "#a31d17",  # vermillion
    "#5a2a8c",  # purple
    "#1479b3",  # sky blue
    "#663a1e",  # brown
    "#b0337c",  # pink
    "#636300",  # olive
    "#333333",  # grey
    "#00676a",  # teal
    "#8f6a00",  # dark gold
)
SCHEMES = {"standard": QUALITATIVE, "high_contrast": HIGH_CONTRAST}
_active: list[str] = ["standard"]  # the scheme categorical() draws from

# Anchors of the sequential ramp, dark to light. Stops short of yellow for the same reason as
# above; interpolated linearly in RGB, which is smooth enough for up to a dozen layers.
_SEQUENTIAL_ANCHORS: tuple[str, ...] = ("#3b1a6e", "#31508f", "#23808a", "#2fa66f", "#8cbf3a")

#: Neutral ink for things that belong to no category (reference lines, model curves).
INK = "#222222"
WHITE = (255, 255, 255)


def rgb(color: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` → ``(r, g, b)``."""
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def to_hex(r: float, g: float, b: float) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(min(max(v, 0), 255))) for v in (r, g, b)))


def set_scheme(name: str) -> None:
    """Draw categories from scheme ``name`` (a key of :data:`SCHEMES`) from now on."""
    if name not in SCHEMES:
        raise ValueError(f"colour scheme: one of {tuple(SCHEMES)}, got {name!r}")
    _active[0] = name


def scheme() -> str:
    return _active[0]


def categorical(i: int) -> str:
    """Colour of category ``i`` in the active scheme; wraps around after twelve."""
    palette = SCHEMES[_active[0]]
    return palette[i % len(palette)]


def sequential(n: int) -> list[str]:
    """``n`` ordered colours, dark to light (one per layer). ``n == 1`` gives the darkest."""
    if n <= 0:
        return []
    anchors = np.array([rgb(c) for c in _SEQUENTIAL_ANCHORS], dtype=float)
    stops = np.linspace(0.0, 1.0, len(anchors))
    where = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    channels = [np.interp(where, stops, anchors[:, k]) for k in range(3)]
    return [to_hex(r, g, b) for r, g, b in zip(*channels, strict=True)]


def tint(color: str, strength: float) -> tuple[int, int, int]:
    """``color`` mixed with white: ``white + strength·(color − white)``, strength in [0, 1]."""
    s = min(max(float(strength), 0.0), 1.0)
    return tuple(int(round(w + s * (c - w))) for c, w in zip(rgb(color), WHITE, strict=True))


def tint_array(colors: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Vectorised :func:`tint`: ``colors`` (..., 3) in 0–255, ``strength`` (...) in [0, 1]."""
    s = np.clip(strength, 0.0, 1.0)[..., None]
    white = np.array(WHITE, dtype=float)
    return white + s * (np.asarray(colors, dtype=float) - white)
