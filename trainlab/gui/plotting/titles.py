"""Plot titles that fit their header: the longest form of a title that fits beside the
header's other widgets is shown ("Gradient norms", then "Gradients", then "‖∇W‖"); the full
title stays in the tooltip's words."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

#: The shorter forms of the narrow plots' titles, longest first.
SHORT_FORMS = {
    "lr": ("Learning rate", "Rate η", "η"),
    "w_norm": ("Weight norms", "Weights", "‖W‖"),
    "g_norm": ("Gradient norms", "Gradients", "‖∇W‖"),
}
_SPACING = 20  # the header's margins and the spacing before the other widgets


class TitleFitter(QtCore.QObject):
    """Keeps ``label`` at the longest of ``forms`` that fits in ``cell``'s width beside
    ``others``; refits when the cell is resized or the fonts change (zoom)."""

    _EVENTS = (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange,
               QtCore.QEvent.Type.StyleChange)

    def __init__(self, label: QtWidgets.QLabel, forms: tuple[str, ...],
                 cell: QtWidgets.QWidget, others: list[QtWidgets.QWidget]):
        super().__init__(label)
        self.label, self.forms, self.cell, self.others = label, forms, cell, others
        # The label's own minimum must not hold the cell wide: the form shown is chosen here.
        label.setMinimumWidth(1)
        # a refit waits for the layout; the timer is the label's (via self), so it dies with it
        self._refit = QtCore.QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.timeout.connect(self.fit)
        cell.installEventFilter(self)
        label.installEventFilter(self)

    def room(self) -> int:
        taken = sum(w.sizeHint().width() for w in self.others if w.isVisibleTo(self.cell))
        return self.cell.width() - taken - _SPACING

    def fit(self) -> None:
        metrics, room = self.label.fontMetrics(), self.room()
        text = next((f for f in self.forms if metrics.horizontalAdvance(f) <= room),
                    self.forms[-1])
        if self.label.text() != text:
            self.label.setText(text)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() in self._EVENTS:
            self._refit.start(0)
        return False
