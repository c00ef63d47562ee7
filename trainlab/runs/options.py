"""How a run uses the machine: :class:`RunOptions`, and the one owner of the BLAS thread rule.

None of it changes a run's numbers (same preset, same seed: the same history and weights, bit
for bit, whatever the machine's core count); only its speed. The one exception is asked for by
name: BLAS threads other than the rule's (``TRAINLAB_BLAS_THREADS``). README, "How a run
uses the machine".
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from trainlab.runs.replay import HISTORY_BUDGET

if TYPE_CHECKING:
    from trainlab.runs.prepared import PreparedRun

#: Weight matrices at least this large (fan_in × fan_out) are split over BLAS's threads (and
#: then depend on the thread count): see :func:`blas_threads`.
BLAS_THREADED_SIZE = 65_536

#: ``RunOptions.blas_threads`` value: the rule of :func:`blas_threads`.
AUTO = "auto"


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """Switches of :func:`trainlab.runs.train` (the defaults are what a run should use).

    * ``compiled_epochs``: short epochs run many to a compiled call.
    * ``pipeline``: an epoch's row may be measured in a second thread while the next trains.
    * ``blas_threads``: ``"auto"`` (the rule of :func:`blas_threads`), a thread count, or
      ``None`` to leave BLAS as the process has it.
    * ``history_budget``: bytes of per-epoch weight copies kept for replay (thinned evenly
      beyond it); ``save_history``: write them to ``weights_history.npz``.
    * ``report_every_epoch``: the callback hears of every epoch. ``False`` is for a listener
      that only ever looks at the latest report (the window): the epochs that one compiled
      call trained are then reported once, at the last of them (the history still has every
      row; start, end and reports within long epochs are as before). Where no callback hears
      each epoch, a call's rows are recorded as one block: the same rows, files and weight
      copies, with less Python per epoch.
    """

    compiled_epochs: bool = True
    pipeline: bool = True
    blas_threads: int | str | None = AUTO
    history_budget: int = HISTORY_BUDGET
    save_history: bool = False
    report_every_epoch: bool = True

    @classmethod
    def from_env(cls) -> RunOptions:
        """The documented switches ``TRAINLAB_COMPILED_EPOCHS=0`` and ``TRAINLAB_PIPELINE=0``
        (for comparisons; the results are the same), and ``TRAINLAB_BLAS_THREADS``
        (``default``: BLAS's own threads, or a count: faster large nets whose last bits then
        depend on the thread count)."""
        threads: int | str | None = AUTO
        asked = os.environ.get("TRAINLAB_BLAS_THREADS", "").strip().lower()
        if asked == "default":
            threads = None
        elif asked.isdigit() and int(asked) > 0:
            threads = int(asked)
        return cls(compiled_epochs=os.environ.get("TRAINLAB_COMPILED_EPOCHS", "1") != "0",
                   pipeline=os.environ.get("TRAINLAB_PIPELINE", "1") != "0",
                   blas_threads=threads)

    def threads_for(self, run: PreparedRun) -> int | None:
        """The BLAS thread limit for ``run`` (None: no limit)."""
        return blas_threads(run) if self.blas_threads == AUTO else self.blas_threads


def blas_threads(run: PreparedRun) -> int | None:
    """The rule for BLAS threads during a run, in one place: **one thread, for every net**.

    A run's numbers must not depend on the machine it runs on (README: a preset mailed to
    another machine gives the same run, bit for bit). Threaded BLAS breaks that for large
    nets: a weight matrix of ``BLAS_THREADED_SIZE`` entries or more is split over the
    threads, and how many there are changes the order in which its sums are added, so the
    last bits of a 784-256-128-10 run differ between a 2-core and an 8-core machine. On one
    thread the order is fixed. The price is speed on large nets only: the 784-256-128-10 net
    (batch 128) ran 1.5-1.7x faster on two BLAS threads of a quiet 2-core machine
    (``python benchmarks/engine.py --cases mnist --no-torch --no-sklearn``, "TL blasN"
    against "TL"; benchmarks/README.md); the epoch pipeline (rows measured in a second
    thread) now runs for such nets too and takes back part of it. Small nets lose nothing:
    their matrices are far too small to split, and spinning BLAS threads only took the core
    the measuring thread or a GUI thread needs.

    Speed over reproducibility across core counts is a choice the user makes explicitly:
    ``RunOptions(blas_threads=None)`` or ``TRAINLAB_BLAS_THREADS=default`` (BLAS as the
    process has it) or a thread count.
    """
    return 1


@contextlib.contextmanager
def blas_limit(threads: int | None) -> Iterator[None]:
    """BLAS limited to ``threads`` (None: unchanged) inside the block, the kernels' own BLAS
    (SciPy's, loaded here first) included."""
    from threadpoolctl import threadpool_limits

    from trainlab.engine.blas import load_kernel_blas

    load_kernel_blas()  # so that the limit reaches the kernels' BLAS too
    with threadpool_limits(limits=threads, user_api="blas"):
        yield


_PROCESS_LIMIT = None  # keeps the process-wide limit alive for the life of the process


def limit_process_blas(threads: int = 1) -> None:
    """Limit BLAS to ``threads`` for the rest of the process (the window's start-up; see
    :func:`blas_threads`). A BLAS that cannot be inspected is left as it is."""
    global _PROCESS_LIMIT
    try:
        from threadpoolctl import threadpool_limits

        from trainlab.engine.blas import load_kernel_blas

        load_kernel_blas()  # the kernels' BLAS (SciPy's) is otherwise loaded after the limit
        _PROCESS_LIMIT = threadpool_limits(limits=threads, user_api="blas")
    except Exception:  # noqa: BLE001 - a missing BLAS info is no reason not to start
        _PROCESS_LIMIT = None
