"""How the window looks, as a plain model: the zoom factor, the colour scheme and presentation
mode. Views subscribe to :attr:`ViewModel.events` and scale their fonts, ticks, legends, line
widths and points by :attr:`ViewModel.zoom`; nothing here knows about widgets.
"""

from __future__ import annotations

from trainlab.session.events import Events, change_choice

#: The zoom factors Ctrl+= and Ctrl+- step through (1.0 is the normal size).
ZOOM_STEPS: tuple[float, ...] = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.25, 2.5)
#: The colour schemes: the normal one and one that survives a washed-out projector.
THEMES: tuple[str, ...] = ("standard", "high_contrast")
#: The zoom presentation mode starts at when the zoom is still at its normal size.
PRESENTATION_ZOOM = 1.4


class ViewModel:
    """Zoom, colour scheme and presentation mode of one window.

    Events: ``zoom_changed(zoom)``, ``theme_changed(theme)``,
    ``presentation_changed(on)``; each is emitted only on a real change.
    """

    def __init__(self, zoom: float = 1.0, theme: str = "standard"):
        self.events = Events("zoom_changed", "theme_changed", "presentation_changed")
        self.zoom = _nearest_step(zoom)
        self.theme = theme if theme in THEMES else "standard"
        self.presentation = False
        self._zoom_before: float | None = None  # the zoom presentation mode raised, to go back to

    # ---- zoom -------------------------------------------------------------------------------
    def set_zoom(self, zoom: float) -> None:
        """Any factor within the steps' range (the nearest step is taken)."""
        zoom = _nearest_step(zoom)
        if zoom != self.zoom:
            self.zoom = zoom
            self.events.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        larger = [z for z in ZOOM_STEPS if z > self.zoom]
        if larger:
            self.set_zoom(larger[0])

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self.zoom]
        if smaller:
            self.set_zoom(smaller[-1])

    def scaled(self, size: float) -> float:
        """A font size, line width or point size at this zoom."""
        return size * self.zoom

    def points(self, size: float) -> int:
        """A font size in whole points at this zoom (never below 1)."""
        return max(1, round(size * self.zoom))

    # ---- colours ----------------------------------------------------------------------------
    @property
    def high_contrast(self) -> bool:
        return self.theme == "high_contrast"

    def set_theme(self, theme: str) -> None:
        change_choice(self, "theme", theme, THEMES, "colour scheme")

    def set_high_contrast(self, on: bool) -> None:
        self.set_theme("high_contrast" if on else "standard")

    # ---- presentation -----------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Presentation mode on or off; turning it on at the normal size zooms to
        :data:`PRESENTATION_ZOOM` (a zoom set by hand is kept), and turning it off goes back to
        the zoom before, unless the zoom was changed by hand meanwhile."""
        on = bool(on)
        if on == self.presentation:
            return
        self.presentation = on
        self.events.presentation_changed.emit(on)
        if on and self.zoom <= 1.0:
            self._zoom_before = self.zoom
            self.set_zoom(PRESENTATION_ZOOM)
        elif not on:
            before, self._zoom_before = self._zoom_before, None
            if before is not None and self.zoom == PRESENTATION_ZOOM:
                self.set_zoom(before)

    def toggle_presentation(self) -> None:
        self.set_presentation(not self.presentation)


def _nearest_step(zoom: float) -> float:
    try:
        zoom = float(zoom)
    except (TypeError, ValueError):
        return 1.0
    if zoom != zoom:  # NaN from a damaged settings file
        return 1.0
    return min(ZOOM_STEPS, key=lambda z: abs(z - zoom))
