"""Runs: a preset (what to do) turned into a history (what happened). No Qt here."""

from trainlab.runs.control import RunControl
from trainlab.runs.history import History
from trainlab.runs.progress import Progress, RunResult

__all__ = ["History", "Progress", "RunControl", "RunResult", "train"]


def train(preset, out_dir=None, callback=None, control=None, **kwargs):
    """See :func:`trainlab.runs.loop.train`."""
    from trainlab.runs.loop import train as _train

    return _train(preset, out_dir=out_dir, callback=callback, control=control, **kwargs)
