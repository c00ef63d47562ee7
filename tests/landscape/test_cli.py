"""`trainlab landscape RUNDIR`: the npz it writes, and one line for each user mistake."""

from __future__ import annotations

import shutil

import numpy as np

from trainlab import cli
from trainlab.landscape import compute_landscape


def run(args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_the_landscape_of_a_run_directory(spirals_dir, tmp_path, capsys):
    out = tmp_path / "landscape.npz"
    code, stdout, err = run(["landscape", spirals_dir.dir, "--grid", 5, "--out", out], capsys)
    assert (code, err) == (0, "")
    assert stdout.startswith(f"{out}: 5 × 5 grid, trajectory PCA (")
    expected = compute_landscape(spirals_dir.dir, 5, "pca").arrays()
    with np.load(out, allow_pickle=False) as z:
        assert set(z.files) == set(expected)
        for key in expected:
            np.testing.assert_array_equal(z[key], expected[key], err_msg=key)


def test_random_directions_by_default_into_the_run_directory(spirals_dir, tmp_path, capsys):
    folder = tmp_path / "run"
    shutil.copytree(spirals_dir.dir, folder)
    code, stdout, _ = run(["landscape", folder, "--grid", 3, "--directions", "random",
                           "--seed", 7, "--normalization", "filter", "--quiet"], capsys)
    assert (code, stdout) == (0, "")
    expected = compute_landscape(folder, 3, "random", seed=7, normalization="filter")
    with np.load(folder / "landscape.npz", allow_pickle=False) as z:
        np.testing.assert_array_equal(z["loss"], expected.loss)
        np.testing.assert_array_equal(z["dir1/W1"], expected.dir1["W1"])


def test_a_missing_run_directory_is_one_line_and_exit_2(tmp_path, capsys):
    code, stdout, err = run(["landscape", tmp_path / "nope"], capsys)
    assert (code, stdout) == (2, "")
    assert err == f"{tmp_path / 'nope'}: no such run directory\n"


def test_pca_without_history_says_how_to_keep_it(spirals_dir, tmp_path, capsys):
    folder = tmp_path / "run"
    shutil.copytree(spirals_dir.dir, folder)
    (folder / "weights_history.npz").unlink()
    code, _, err = run(["landscape", folder], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "no weights_history.npz" in err and "--save-history" in err
    assert not (folder / "landscape.npz").exists()


def test_a_grid_out_of_range_is_refused(spirals_dir, capsys):
    code, _, err = run(["landscape", spirals_dir.dir, "--grid", 1000], capsys)
    assert code == 2 and err == "grid: must be an integer from 3 to 401, got 1000\n"
