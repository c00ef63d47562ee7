"""Help ▸ Formulas: ``docs/formulas.md`` rendered inside the window, with a find field, opened
at a section; and the small "?" button beside each settings field that opens its key's
section (the key table at the top of the page says which: :mod:`trainlab.session.formulas`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trainlab.lessons.model import anchor
from trainlab.paths import formulas_md
from trainlab.session.formulas import section_for


class FormulasView(QWidget):
    """The formulas page in its own window: a find field over a Markdown browser."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("formulasView")
        self.setWindowTitle("Formulas — TrainLab")
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find in the formulas (Enter: next)")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.returnPressed.connect(self.find_next)
        self.find_field.textEdited.connect(lambda text: self.find(text, from_top=True))
        self.found_label = QLabel("")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        top = QHBoxLayout()
        top.addWidget(self.find_field, 1)
        top.addWidget(self.found_label)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addLayout(top)
        column.addWidget(self.browser, 1)
        self.resize(820, 680)
        self.load()

    def load(self) -> None:
        path = formulas_md()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = (f"# Formulas\n\nThe formulas page ({path.name}) is missing from this "
                    "installation; it is `docs/formulas.md` in TrainLab's repository.")
        self.browser.setMarkdown(text)

    # ---- sections ------------------------------------------------------------------------
    def anchors(self) -> list[str]:
        """The anchors of the page's headings, in order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                found.append(anchor(block.text()))
            block = block.next()
        return found

    def open_section(self, target: str) -> bool:
        """Scroll so that the heading with anchor `target` ('#' optional) is at the top; False
        when the page has no such heading."""
        target = target.lstrip("#")
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and anchor(block.text()) == target:
                bar = self.browser.verticalScrollBar()
                cursor = self.browser.textCursor()
                cursor.setPosition(block.position())
                self.browser.setTextCursor(cursor)
                layout = self.browser.document().documentLayout()
                bar.setValue(int(layout.blockBoundingRect(block).top()))
                self.current = target
                return True
            block = block.next()
        return False

    def open_key(self, key: str, value=None) -> bool:
        """Show the window at the section that explains preset key `key`."""
        section = section_for(key, value)
        self.show_window()
        return section is not None and self.open_section(section.anchor)

    def show_window(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def _link(self, url: QUrl) -> None:
        if url.fragment() and not url.scheme():
            self.open_section(url.fragment())

    # ---- find ----------------------------------------------------------------------------
    def find(self, text: str, from_top: bool = False) -> bool:
        """Select the next place `text` occurs (from the top when asked); says so when none."""
        if from_top:
            cursor = self.browser.textCursor()
            cursor.setPosition(0)
            self.browser.setTextCursor(cursor)
        if not text:
            self.found_label.setText("")
            return False
        found = self.browser.find(text)
        if not found and not from_top:  # wrap around
            return self.find(text, from_top=True)
        self.found_label.setText("" if found else "not found")
        return found

    def find_next(self) -> bool:
        return self.find(self.find_field.text())


def help_button(key: str, open_key) -> QToolButton:
    """A small "?" button that calls ``open_key(key)``."""
    button = QToolButton()
    button.setObjectName("helpButton")
    button.setText("?")
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setToolTip(f"The formula and meaning of {key} (Help ▸ Formulas)")
    button.clicked.connect(lambda: open_key(key))
    return button


def add_help_buttons(panel, open_key) -> dict[str, QToolButton]:
    """Put a "?" button after the label of each field of the settings `panel` (a
    :class:`~trainlab.gui.config_panel.ConfigPanel`) whose key has a section; returns them
    by key. ``open_key(key)`` is called on a click."""
    buttons = {}
    for form in panel.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = field_item.widget() if field_item else None
            key = getattr(field, "path", None)
            if label_item is None or not isinstance(key, str) or section_for(key) is None:
                continue
            label = label_item.widget()
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(1)
            form.removeWidget(label)
            line.addStretch(1)
            line.addWidget(label)
            buttons[key] = help_button(key, open_key)
            line.addWidget(buttons[key])
            form.setWidget(row, QFormLayout.ItemRole.LabelRole, holder)
            holder.setVisible(not field.isHidden())  # a hidden row stays hidden
    return buttons

