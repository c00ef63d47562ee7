"""Scripted sessions for screenshots and demos: ``TRAINLAB_DEMO=spirals trainlab``.

* ``spirals`` - open the two-spirals example and press Train (a run in progress).
* ``regression`` - open the sine example and train it to the end.
* ``overlay`` - train plain SGD and then Adam on the spirals; both runs stay ticked.

A hidden hook: it only does what a user could do with the menus and buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from trainlab.paths import presets_dir
from trainlab.presets import load_preset, preset_to_dict


def run_demo(window, kind: str) -> None:
    examples = {"spirals": "spirals.json", "regression": "sine.json", "overlay": "spirals.json"}
    path = presets_dir() / examples.get(kind, "spirals.json")

    def start():
        if not window.files.open_preset(path, ask=False):
            return
        if kind == "spirals":  # long enough to be caught in the middle
            window.model.set("training.epochs", 200_000)
        if kind == "overlay":
            adam = preset_to_dict(load_preset(path))
            sgd = preset_to_dict(load_preset(path))
            sgd["name"] = "Two spirals, SGD"
            sgd["description"] = "The same spirals with plain SGD, to compare with Adam."
            sgd["optimizer"].update(name="sgd", lr=0.1)

            def second(*_):
                window.controller.finished.disconnect(second)
                window.model.load(adam, path)
                QTimer.singleShot(300, window.start_run)

            window.model.load(sgd, None)
            window.controller.finished.connect(second)
        QTimer.singleShot(300, window.start_run)

    QTimer.singleShot(500, start)
