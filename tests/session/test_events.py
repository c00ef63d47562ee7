"""Plain events (trainlab/session/events.py)."""

import pytest

from trainlab.session.events import Event, Events


def test_callbacks_run_in_connect_order_with_the_arguments():
    event = Event("changed")
    calls = []
    event.connect(lambda *a: calls.append(("first", a)))
    event.connect(lambda *a: calls.append(("second", a)))
    event.emit(1, "x")
    assert calls == [("first", (1, "x")), ("second", (1, "x"))]


def test_disconnect_stops_the_calls_and_unknown_callbacks_are_refused():
    event = Event("changed")
    calls = []
    callback = event.connect(calls.append)
    event.emit(1)
    event.disconnect(callback)
    event.emit(2)
    assert calls == [1]
    with pytest.raises(ValueError, match="not connected to changed"):
        event.disconnect(callback)


def test_a_callback_may_disconnect_itself_while_the_event_is_delivered():
    event = Event()
    calls = []

    def once(value):
        calls.append(("once", value))
        event.disconnect(once)

    event.connect(once)
    event.connect(lambda value: calls.append(("always", value)))
    event.emit(1)
    event.emit(2)
    assert calls == [("once", 1), ("always", 1), ("always", 2)]


def test_events_group_names_its_events():
    events = Events("reset", "value_changed")
    assert events.reset.name == "reset" and events.value_changed.name == "value_changed"
    assert events.reset is not events.value_changed


def test_change_choice_checks_the_value_and_reports_a_change_once():
    from types import SimpleNamespace

    from trainlab.session.events import Events, change_choice

    model = SimpleNamespace(mode="a", events=Events("mode_changed"))
    seen = []
    model.events.mode_changed.connect(seen.append)
    change_choice(model, "mode", "b", ("a", "b"), "mode")
    change_choice(model, "mode", "b", ("a", "b"), "mode")
    assert model.mode == "b" and seen == ["b"]
    with pytest.raises(ValueError, match=r"^mode: one of \('a', 'b'\), got 'c'$"):
        change_choice(model, "mode", "c", ("a", "b"), "mode")
    assert model.mode == "b"
