"""Run ▸ Replay Memory…: how much memory a run may fill with the weight copies of its epochs
(the timeline's replay, the network view's slider), remembered between sessions.

Beyond the budget the kept epochs are thinned evenly (every 2nd, then every 4th, …; see
:class:`trainlab.runs.replay.WeightHistory`); the run itself is not changed by it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from trainlab.gui.menus import make_action
from trainlab.runs.replay import HISTORY_BUDGET

MB = 1024 * 1024
#: What the dialog offers, in megabytes.
MIN_MB, MAX_MB = 8, 16384
DEFAULT_MB = HISTORY_BUDGET // MB


class ReplayMemory:
    """The setting, its Run menu entry, and the run controller it reaches."""

    def __init__(self, window):
        self.window = window
        self.settings = window.settings
        self.action = make_action(
            window, "Replay &Memory…", self.ask, None,
            "How much memory a run may use to keep the weights of its epochs for the replay "
            f"(default {DEFAULT_MB} MB). Beyond it, the kept epochs are thinned evenly.")
        for menu in window.menuBar().findChildren(QMenu):
            if menu.title() == "&Run":
                menu.addAction(self.action)
        self._apply(self.megabytes)

    @property
    def megabytes(self) -> int:
        return min(max(self.settings.replay_memory_mb(DEFAULT_MB), MIN_MB), MAX_MB)

    def set_megabytes(self, mb: int) -> None:
        """The budget for the runs started from now on (remembered)."""
        mb = min(max(int(mb), MIN_MB), MAX_MB)
        self.settings.set_replay_memory_mb(mb)
        self._apply(mb)
        self.window.status(f"Runs from now on keep up to {mb} MB of weights for their replay.",
                           5000)

    def _apply(self, mb: int) -> None:
        self.window.controller.history_budget = mb * MB

    def ask(self) -> None:
        mb, ok = QInputDialog.getInt(
            self.window, "Replay memory",
            "Memory for the weights of every epoch (MB). A longer run keeps every 2nd, 4th, "
            "… epoch instead:", self.megabytes, MIN_MB, MAX_MB, 64)
        if ok:
            self.set_megabytes(mb)
