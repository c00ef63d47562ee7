"""The plots of run histories, in layers: :mod:`~.style` (the look, shared with the data view),
:mod:`~.ranges` and :mod:`~.decimation` (pure NumPy: axis ranges, tick labels, legend corners,
peak decimation, dashes), :mod:`~.axes` (pyqtgraph axes and view box), :mod:`~.curves` (a run's
curve items), :mod:`~.legends` and :mod:`~.panel` (:class:`PlotsPanel`, the five live plots).
"""

from trainlab.gui.plotting.panel import PLOT_NAMES, PlotsPanel
from trainlab.gui.plotting.style import configure_pyqtgraph

__all__ = ["PLOT_NAMES", "PlotsPanel", "configure_pyqtgraph"]
