"""Backprop step by step on one sample (chosen by clicking a training point in the data view):
the diagram with the values so far written beside the units, the current step's chain-rule
formula with its numbers, Previous / Next. The steps are
:class:`~trainlab.session.backprop.BackpropSteps`."""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainlab.gui.network_view.diagram import UNIT, NetworkDiagram
from trainlab.session.backprop import MAX_UNITS, BackpropSteps


class BackpropView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.steps: BackpropSteps | None = None
        self.index = 0
        self.sample_label = QLabel("Click a training point in the data view to pick a sample.")
        self.sample_label.setWordWrap(True)
        self.diagram = NetworkDiagram()
        self.title = QLabel()
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(self.formula.textInteractionFlags())
        self.previous = QPushButton("◀ Previous")
        self.next = QPushButton("Next ▶")
        self.previous.clicked.connect(lambda: self.go(self.index - 1))
        self.next.clicked.connect(lambda: self.go(self.index + 1))
        self.title.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous)
        buttons.addWidget(self.next)
        buttons.addStretch(1)
        # the diagram beside the steps: a dock under the plots is wide and short, and the
        # diagram's numbers need its whole height
        side = QVBoxLayout()
        side.addWidget(self.sample_label)
        side.addLayout(buttons)
        side.addWidget(self.title)
        side.addWidget(self.formula, 1)
        box = QHBoxLayout(self)
        box.addWidget(self.diagram, 3)
        box.addLayout(side, 2)
        self._update_buttons()

    def set_sample(self, steps: BackpropSteps, columns, what: str) -> None:
        """Show the steps of a sample; ``columns`` the network view's, cut to MAX_UNITS."""
        self.steps = steps
        cols = [dataclasses.replace(c, names=c.names[:MAX_UNITS]) for c in columns]
        self.diagram.set_columns(cols)
        blank = QPixmap(UNIT, UNIT)
        blank.fill(QColor("white"))
        for key in self.diagram.units:
            self.diagram.set_picture(*key, blank)
        for layer in range(len(cols) - 1):
            W = steps.net.params[f"W{layer + 1}"]
            last = layer == steps.net.n_layers - 1
            k = 1 if last or steps.net.activations[layer] != "maxout" else \
                steps.net.maxout_pieces
            self.diagram.set_weights(layer, np.asarray(W[:len(cols[layer].names),
                                                         ::k][:, :len(cols[layer + 1].names)]))
        self.sample_label.setText(f"{what} · loss {steps.loss_value:.4g}")
        self.go(0)

    def go(self, index: int) -> None:
        if self.steps is None:
            return
        self.index = int(np.clip(index, 0, len(self.steps.steps) - 1))
        step = self.steps.steps[self.index]
        self.title.setText(f"Step {self.index + 1} / {len(self.steps.steps)}: {step.title}")
        self.formula.setText(step.formula)
        self.diagram.set_texts(step.labels)
        self.diagram.highlight(step.column)
        self._update_buttons()

    def _update_buttons(self) -> None:
        n = len(self.steps.steps) if self.steps else 0
        self.previous.setEnabled(self.index > 0)
        self.next.setEnabled(self.index < n - 1)
