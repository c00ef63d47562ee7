"""Keys for Train, Pause and Step that work wherever the focus is.

* F5 trains, pauses and resumes, and F6 (or Ctrl+E) steps, in every widget of the window: a
  text field's "end of line" does not take Ctrl+E from Step.
* Space does what F5 does, except in a text field, where it types a space; Esc leaves a text
  field, so the next Space trains again.
* A Space that comes within :data:`SPACE_GRACE` seconds of a run's end is ignored: it was meant
  to pause the run that has just ended, not to start a new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: Seconds after a run's end during which Space is ignored.
SPACE_GRACE = 0.8

_TEXT_WIDGETS = (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)
_STEP_KEYS = (QKeySequence("Ctrl+E"),)
_KEY_EVENTS = frozenset((QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride))
_SHOW_HIDE = frozenset((QEvent.Type.Show, QEvent.Type.Hide))


def is_text_field(widget: QObject | None) -> bool:
    """A widget that types what is pressed (a line, a number box, an editable choice)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, _TEXT_WIDGETS)


class RunKeys(QObject):
    """Watches the key presses of ``window``: Space calls ``train()`` outside text fields, Esc
    takes the focus out of a text field. ``now()`` is the clock of the grace after a run's end
    (injectable for tests); :meth:`run_ended` starts the grace."""

    def __init__(self, window: QMainWindow, train: Callable[[], None],
                 now: Callable[[], float] = time.monotonic):
        super().__init__(window)
        self.window = window
        self.train = train
        self.now = now
        self._ended_at: float | None = None
        self._state = "idle"
        # Key presses go to the focused child, so the filter sits on the application; it is
        # there only while the window is shown (a closed window's filter would see, and slow,
        # every event of the application's other windows).
        window.installEventFilter(self)
        if window.isVisible():
            QApplication.instance().installEventFilter(self)

    def state_changed(self, state: str) -> None:
        """Follow the trainer: a run that becomes idle has just ended."""
        if state == "idle" and self._state != "idle":
            self._ended_at = self.now()
        self._state = state

    def in_grace(self) -> bool:
        return self._ended_at is not None and self.now() - self._ended_at < SPACE_GRACE

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        # Every event of the application passes here: the common case returns first.
        kind = event.type()
        if kind not in _KEY_EVENTS:
            if kind in _SHOW_HIDE and watched is self.parent():
                app = QApplication.instance()
                if kind == QEvent.Type.Show:
                    app.installEventFilter(self)
                else:
                    app.removeEventFilter(self)
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        key, mods = event.key(), event.modifiers()
        text_field = is_text_field(watched)
        if kind == QEvent.Type.ShortcutOverride:
            # A text field claims Ctrl+E ("end of line") before shortcuts are looked up;
            # leave it unclaimed so Step gets it.
            if text_field and QKeySequence(event.keyCombination()) in _STEP_KEYS:
                event.ignore()
                return True
            return False
        if key == Qt.Key.Key_Escape and text_field:
            watched.clearFocus()
            return True
        if key == Qt.Key.Key_Space and mods == Qt.KeyboardModifier.NoModifier \
                and not text_field and not event.isAutoRepeat():
            if not self.in_grace():
                self.train()
            return True
        return False
