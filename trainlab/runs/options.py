"""How a run uses the machine: :class:`RunOptions`, and the one owner of the BLAS thread rule.

None of it changes a run's numbers (same preset, same seed, same machine: the same history and
weights, bit for bit); only its speed. README, "How a run uses the machine".
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainlab.runs.prepared import PreparedRun

#: Weight matrices at least this large (fan_in × fan_out) are worth BLAS's threads.
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
    """

    compiled_epochs: bool = True
    pipeline: bool = True
    blas_threads: int | str | None = AUTO

    @classmethod
    def from_env(cls) -> RunOptions:
        """The documented switches ``TRAINLAB_COMPILED_EPOCHS=0`` and ``TRAINLAB_PIPELINE=0``
        (for comparisons; the results are the same)."""
        return cls(compiled_epochs=os.environ.get("TRAINLAB_COMPILED_EPOCHS", "1") != "0",
                   pipeline=os.environ.get("TRAINLAB_PIPELINE", "1") != "0")

    def threads_for(self, run: PreparedRun) -> int | None:
        """The BLAS thread limit for ``run`` (None: no limit)."""
        return blas_threads(run) if self.blas_threads == AUTO else self.blas_threads


def blas_threads(run: PreparedRun) -> int | None:
    """The rule for BLAS threads during a run, in one place:

    * **Small nets** (every weight matrix under ``BLAS_THREADED_SIZE`` entries, maxout pieces
      counted): 1 thread. Their matrices are far too small to split; OpenBLAS threads that
      spin-wait for work only slow each step and take the core the second (measuring) thread
      or a GUI thread needs. Only such runs use the epoch pipeline.
    * **Large nets**: ``None``, BLAS as the process has it. Headless that is BLAS's default
      threads (a 784-256-128-10 net runs 1.5-1.7x faster on two threads of a quiet 2-core
      machine, benchmarks/README.md).
    * **In the window** the process runs BLAS on one thread from the start
      (:func:`limit_process_blas`), so a large net stays on one thread there too, on purpose:
      the other core keeps the window drawing and answering while it trains.
    """
    p, sizes = run.preset, [run.splits.n_features, *run.preset.model.hidden, run.output_width]
    pieces = p.model.maxout_pieces if "maxout" in str(p.model.activation) else 1
    largest = max(a * b * pieces for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return None if largest >= BLAS_THREADED_SIZE else 1


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
