"""Plain-Python events for the session models: a model emits, views and controllers listen.

The models of :mod:`trainlab.session` know nothing of Qt; the window subscribes its widgets to
their events, the way a Qt widget connects to a signal. Callbacks run at once, in the thread
that emitted (the window only changes its models from the GUI thread), in the order they were
connected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """One kind of change: ``connect(callback)``, ``disconnect(callback)``, ``emit(*args)``."""

    def __init__(self, name: str = ""):
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call ``callback(*args)`` at every :meth:`emit`; returns it (usable as a decorator)."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback``; a callback that is not connected is an error."""
        try:
            self._callbacks.remove(callback)
        except ValueError:
            raise ValueError(f"{callback!r} is not connected to {self.name or 'this event'}") \
                from None

    def emit(self, *args: Any) -> None:
        # A copy: a callback may connect or disconnect others while the event is delivered.
        for callback in list(self._callbacks):
            callback(*args)

    def __len__(self) -> int:
        return len(self._callbacks)


class Events:
    """A model's events by name: ``Events("reset", "value_changed").value_changed.connect(f)``."""

    def __init__(self, *names: str):
        for name in names:
            setattr(self, name, Event(name))


def change_choice(model: Any, attr: str, value: str, choices: tuple, what: str) -> None:
    """Set ``model.<attr>`` to ``value``, one of ``choices`` (else a one-line ValueError that
    names ``what``), and emit ``model.events.<attr>_changed(value)`` when it changed."""
    if value not in choices:
        raise ValueError(f"{what}: one of {choices}, got {value!r}")
    if value != getattr(model, attr):
        setattr(model, attr, value)
        getattr(model.events, f"{attr}_changed").emit(value)
