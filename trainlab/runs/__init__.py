"""Runs: a preset (what to do) turned into a history (what happened). No Qt here.

``prepared.py`` (preset → validated preset + scaled splits, once) · ``loop.py`` (:func:`train`,
k-fold) · ``fit.py`` (one run's state, rows and reports) with its two strategies,
``stepwise.py`` (epochs one at a time) and ``compiled.py`` (many to a compiled call) ·
``judge.py`` (divergence, early stopping, plateau) · ``evaluation.py`` (what a row measures) ·
``recorder.py`` / ``records.py`` (the run directory) · ``options.py`` (how a run uses the
machine, the BLAS thread rule) · ``control.py``, ``progress.py``, ``history.py``.
"""

from trainlab.runs.control import RunControl
from trainlab.runs.history import History
from trainlab.runs.options import RunOptions
from trainlab.runs.progress import Progress, RunResult

__all__ = ["History", "PreparedRun", "Progress", "RunControl", "RunOptions", "RunResult",
           "prepare", "train"]


def train(preset, out_dir=None, callback=None, control=None, **kwargs):
    """See :func:`trainlab.runs.loop.train`."""
    from trainlab.runs.loop import train as _train

    return _train(preset, out_dir=out_dir, callback=callback, control=control, **kwargs)


def __getattr__(name: str):
    # the preset and data layers load on first use: importing RunControl stays light
    if name in ("PreparedRun", "prepare"):
        import trainlab.runs.prepared as prepared

        return getattr(prepared, name)
    raise AttributeError(f"module 'trainlab.runs' has no attribute {name!r}")
