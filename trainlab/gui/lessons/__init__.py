"""The Lessons browser (the window's start page), the open lesson's banner and what opening
and training a lesson does in the window (:class:`~.controller.Lessons`)."""
