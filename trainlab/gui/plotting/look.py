"""The look every plot is drawn with now: the zoom factor and the colour scheme.

One look per process (the window's): :func:`~trainlab.gui.plotting.style.style_plot`, the
legends, titles and pens read :data:`LOOK` when they are made, and
:func:`~trainlab.gui.plotting.style.restyle_plot` applies a changed look to a plot that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainlab.gui import colors

#: Validation curves: the run's hue mixed this much with white (more of it in high contrast).
VAL_TINT = 0.5
HIGH_CONTRAST_VAL_TINT = 0.72


@dataclass
class Look:
    zoom: float = 1.0
    high_contrast: bool = False

    def pt(self, size: float) -> int:
        """A font size in points at this zoom."""
        return max(1, round(size * self.zoom))

    def px(self, width: float) -> float:
        """A line width or point size at this zoom; lines are a third thicker in high contrast."""
        return width * self.zoom * (1.35 if self.high_contrast else 1.0)

    @property
    def grid_alpha(self) -> float:
        return 0.35 if self.high_contrast else 0.15

    @property
    def val_tint(self) -> float:
        """How much of a run's hue its validation curves keep (more in high contrast)."""
        return HIGH_CONTRAST_VAL_TINT if self.high_contrast else VAL_TINT


LOOK = Look()


def set_look(zoom: float, high_contrast: bool) -> None:
    """Draw from now on at ``zoom`` in the normal or the high-contrast scheme."""
    LOOK.zoom = float(zoom)
    LOOK.high_contrast = bool(high_contrast)
    colors.set_scheme("high_contrast" if high_contrast else "standard")
