"""The window (PySide6 + pyqtgraph), the only package that imports Qt.

It is a view of :mod:`trainlab.session`'s plain models. :mod:`~trainlab.gui.window` builds the
parts and wires them: the settings form (:mod:`~.config_panel`, over the Qt adapter
:mod:`~.model`), the data preview (:mod:`~.data_preview`, :mod:`~.data_view`), the run tool
bar and what a run shows (:mod:`~.run_controls`, :mod:`~.run_display`, with the training thread
in :mod:`~.worker`), the runs table and the plots it steers (:mod:`~.runs_panel`,
:mod:`~.run_plots`, :mod:`~.plotting`), the File menu's work (:mod:`~.preset_files`,
:mod:`~.run_files`, :mod:`~.menus`) and messages (:mod:`~.banner`). Around a run: its pace
(:mod:`~.speed`), live changes (:mod:`~.live_changes`), the timeline and replay
(:mod:`~.timeline`, with the memory it may use in :mod:`~.replay_memory`), the views inside
the network (:mod:`~.network_view`), lessons (:mod:`~.lessons`), the playground
(:mod:`~.playground`) and search (:mod:`~.search`).
"""
