"""The optimizer playground in the window: :class:`~.panel.PlaygroundPanel` (the page: the
map, the loss plot, the editors, the player) over a
:class:`~trainlab.session.playground.PlaygroundSession`, and :mod:`.mode` (the window's
Playground mode: the switch, File ▸ Open / Save and the Examples menu for playground files).
"""
