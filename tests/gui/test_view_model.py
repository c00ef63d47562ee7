"""The look of the window as a plain model: zoom steps, colour scheme, presentation mode."""

from __future__ import annotations

import pytest

from trainlab.session.view import PRESENTATION_ZOOM, ZOOM_STEPS, ViewModel


def test_zoom_steps_up_and_down_and_stops_at_the_ends():
    model = ViewModel()
    seen = []
    model.events.zoom_changed.connect(seen.append)
    model.zoom_in()
    model.zoom_in()
    assert seen == [1.1, 1.25]
    model.zoom_out()
    assert model.zoom == 1.1
    for _ in range(len(ZOOM_STEPS) + 2):
        model.zoom_in()
    assert model.zoom == ZOOM_STEPS[-1]
    n = len(seen)
    model.zoom_in()
    assert len(seen) == n  # no event without a change
    assert model.points(11) == round(11 * ZOOM_STEPS[-1])


@pytest.mark.parametrize("raw, expected", [(1.3, 1.25), ("2", 2.0), ("junk", 1.0),
                                           (float("nan"), 1.0), (99, ZOOM_STEPS[-1])])
def test_a_remembered_zoom_is_taken_to_the_nearest_step(raw, expected):
    assert ViewModel(zoom=raw).zoom == expected


def test_theme_and_presentation():
    model = ViewModel(theme="nonsense")
    assert model.theme == "standard"
    events = []
    model.events.theme_changed.connect(events.append)
    model.set_high_contrast(True)
    assert model.high_contrast and events == ["high_contrast"]
    with pytest.raises(ValueError, match="colour scheme"):
        model.set_theme("neon")
    model.toggle_presentation()
    assert model.presentation and model.zoom == PRESENTATION_ZOOM
    model.toggle_presentation()
    model.set_zoom(2.0)
    model.set_presentation(True)
    assert model.zoom == 2.0  # a zoom chosen by hand is kept


def test_leaving_presentation_gives_back_the_zoom_it_raised_but_keeps_one_set_by_hand():
    model = ViewModel(zoom=1.0)
    seen = []
    model.events.zoom_changed.connect(seen.append)
    model.set_presentation(True)
    model.set_presentation(False)
    assert model.zoom == 1.0 and seen == [PRESENTATION_ZOOM, 1.0]
    model.set_presentation(True)
    larger = [z for z in ZOOM_STEPS if z > PRESENTATION_ZOOM][0]
    model.zoom_in()  # the teacher wanted it larger still: that stays after presenting
    model.set_presentation(False)
    assert model.zoom == larger
    model.set_presentation(True)  # above the normal size: presentation keeps that zoom ...
    model.set_presentation(False)
    assert model.zoom == larger  # ... and has nothing to give back
