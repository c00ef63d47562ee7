"""Where the window speaks to the user: a message banner above the plots for errors, and the
status bar for everything else (:class:`Notices` puts both behind two calls)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStatusBar


class Banner(QFrame):
    """A message strip above the plots (errors stay until dismissed or the next run)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class Notices:
    """Status lines and error messages, for every part of the window that has something to
    say (each is given this object instead of reaching into the window)."""

    def __init__(self, status_bar: QStatusBar, banner: Banner):
        self.status_bar = status_bar
        self.banner = banner

    def status(self, text: str, ms: int = 0) -> None:
        """A line in the status bar (for ``ms`` milliseconds; 0: until the next one)."""
        self.status_bar.showMessage(text, ms)

    def current(self) -> str:
        return self.status_bar.currentMessage()

    def error(self, text: str) -> None:
        """An error: in the banner until dismissed, its first line in the status bar."""
        self.banner.show_message(text, "error")
        self.status(text.split("\n")[0], 10_000)
