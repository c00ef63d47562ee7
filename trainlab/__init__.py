"""TrainLab: a desktop lab for training small neural networks by point and click.

The public headless API:

* :class:`trainlab.engine.Network` - the NumPy + Numba MLP engine.
* :func:`trainlab.train` - run a preset (path, dict, loaded preset, or a run prepared once
  with :func:`trainlab.runs.prepare`) to a history; ``options=`` a
  :class:`trainlab.runs.RunOptions` says how it uses the machine.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "train"]


def train(preset, out_dir=None, callback=None, control=None, **kwargs):
    """Run a preset; see :func:`trainlab.runs.loop.train`."""
    from trainlab.runs.loop import train as _train

    return _train(preset, out_dir=out_dir, callback=callback, control=control, **kwargs)
