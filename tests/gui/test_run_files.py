"""Run folders and exports (trainlab/gui/run_files.py), driven in the window."""

from __future__ import annotations

import pytest

from .helpers import curve_count, tiny_preset, train_to_end


def test_open_a_past_run_folder_and_overlay_it(qtbot, window, tmp_path):
    entry = train_to_end(qtbot, window, tiny_preset())
    assert entry.out_dir is not None and (entry.out_dir / "metrics.csv").exists()
    run_id = window.run_files.open_run(entry.out_dir)
    assert run_id == 2
    opened = window.session.runs.entries[run_id]
    assert len(opened.history) == len(entry.history)
    assert curve_count(window.plots, "lr") == 2
    assert window.run_files.open_run(tmp_path) is None  # not a run folder: a message, no exception
    assert "does not hold a TrainLab run" in window.banner.text


@pytest.mark.slow
def test_exports_write_files(qtbot, window, tmp_path):
    entry = train_to_end(qtbot, window, tiny_preset())
    for kind in ("png", "svg", "csv", "npz"):
        out = window.run_files.export_to(kind, tmp_path / f"out.{kind}", entry)
        assert out is not None and out.exists() and out.stat().st_size > 0, kind
    assert (tmp_path / "out_loss.svg").exists() and (tmp_path / "out_g_norm.svg").exists()
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    assert header.startswith("epoch,lr,train_loss")
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 1 + 6


def test_pytorch_export_of_a_window_run(qtbot, window, tmp_path):
    """A run of the window keeps its scaled splits (data.npz), so File ▸ Export ▸ PyTorch
    Script writes a script that loads them with the run's initial weights and mini-batch order;
    a run folder without them is refused with a message, not an exception."""
    import numpy as np

    entry = train_to_end(qtbot, window, tiny_preset())
    data = np.load(entry.out_dir / "data.npz", allow_pickle=False)
    np.testing.assert_array_equal(data["X_train"].shape[0], data["y_train"].shape[0])
    script = window.run_files.export_torch_to(entry, tmp_path / "train.py")
    assert script is not None and script.exists()
    text = script.read_text(encoding="utf-8")
    assert "torch.optim" in text and "data.npz" in text and "weights_initial.npz" in text
    assert (tmp_path / "batches.npy").exists()
    compile(text, str(script), "exec")  # a valid Python script
    (entry.out_dir / "data.npz").unlink()
    assert window.run_files.export_torch_to(entry, tmp_path / "again.py") is None
    assert "save-data" in window.banner.text
