"""The Search window: hyperparameter search over the current settings, in the window.

:class:`~.launcher.SearchLauncher` registers Run ▸ Search…, the settings fields' "Search over
this", sweep files in File ▸ Open and the Examples menu; :class:`~.window.SearchWindow` edits,
runs and shows one search (:mod:`trainlab.sweep` does the work).
"""

from trainlab.gui.search.launcher import SearchLauncher

__all__ = ["SearchLauncher"]
