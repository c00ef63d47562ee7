"""What one run writes to its run directory, as it goes (README, "A run directory holds").

A :class:`RunRecorder` is a context manager: ``preset.json``, ``weights_initial.npz`` (and
``data.npz`` on request) when the run starts, a flushed ``metrics.csv`` row per epoch,
``weights_final.npz`` / ``weights_best.npz`` when it ends, and ``summary.json`` once, k-fold
results included. Leaving the block closes ``metrics.csv`` whatever happened, so a crash keeps
every finished row. Entering the block claims the folder (:func:`~trainlab.runs.runfolder.
claim_folder`: locked while the run writes, no earlier run's files left); leaving it lets go.
Without a folder it writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.data import Splits
from trainlab.runs.records import MetricsWriter, save_npz, write_json
from trainlab.runs.runfolder import FolderClaim, claim_folder


class RunRecorder:
    """The files of the run directory ``run_dir`` (None: no files); ``save_data``: also
    ``data.npz``, the exact scaled splits; ``overwrite``: a folder holding an earlier run is
    emptied of its files instead of refused."""

    def __init__(self, run_dir: Path | None, save_data: bool = False, overwrite: bool = False):
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.save_data, self.overwrite = save_data, overwrite
        self._metrics: MetricsWriter | None = None
        self._claim: FolderClaim | None = None

    def __enter__(self) -> RunRecorder:
        if self.run_dir is not None:
            self._claim = claim_folder(self.run_dir, self.overwrite)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.close_metrics()
        finally:
            if self._claim is not None:
                self._claim.release()

    def start(self, resolved: dict, columns: list[str], params: dict[str, np.ndarray],
              splits: Splits) -> None:
        """The resolved preset, the initial weights, the splits (``save_data``) and the
        header of ``metrics.csv``."""
        if self.run_dir is None:
            return
        write_json(self.run_dir / "preset.json", resolved)
        save_npz(self.run_dir / "weights_initial.npz", params)
        if self.save_data:
            save_npz(self.run_dir / "data.npz", {
                "X_train": splits.X_train, "y_train": splits.y_train, "X_val": splits.X_val,
                "y_val": splits.y_val, "X_test": splits.X_test, "y_test": splits.y_test,
                "feature_names": np.array(splits.feature_names, dtype=str)})
        self._metrics = MetricsWriter(self.run_dir / "metrics.csv", columns)

    def row(self, row: dict[str, float]) -> None:
        if self._metrics is not None:
            self._metrics.write(row)

    def rows(self, rows: np.ndarray) -> None:
        """History rows as an array (the columns of ``start``, in order)."""
        if self._metrics is not None:
            self._metrics.write_rows(rows)

    def close_metrics(self) -> None:
        if self._metrics is not None:
            self._metrics.close()

    def weights(self, final: dict[str, np.ndarray], best: dict[str, np.ndarray] | None
                ) -> None:
        """The run's last weights, and the best epoch's when early stopping kept them."""
        self.close_metrics()
        if self.run_dir is None:
            return
        save_npz(self.run_dir / "weights_final.npz", final)
        if best is not None:
            save_npz(self.run_dir / "weights_best.npz", best)

    def summary(self, summary: dict) -> None:
        """``summary.json``, written once when everything is known."""
        if self.run_dir is not None:
            write_json(self.run_dir / "summary.json", summary)
