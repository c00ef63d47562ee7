"""compute_landscape: the grid's values are the losses of the weights at their coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from tests.landscape.conftest import SPIRALS, Trained
from tests.runs.helpers import data_loss, forward, preset
from trainlab.landscape import Cancelled, LandscapeError, compute_landscape
from trainlab.runs import prepare
from trainlab.runs.build import build_network

GRID = 7


@pytest.fixture(scope="module")
def pca(spirals):
    return compute_landscape(spirals.result, GRID, "pca", history=spirals.history)


@pytest.fixture(scope="module")
def rand(spirals):
    return compute_landscape(spirals.result, GRID, "random", seed=3)


def _at(final: dict, landscape, alpha: float, beta: float) -> dict:
    return {k: v + alpha * landscape.dir1[k] + beta * landscape.dir2[k] if k in landscape.dir1
            else v for k, v in final.items()}


def _engine_loss(result, params, X, y) -> float:
    net = build_network(prepare(result.preset, splits=result.dataset))
    net.set_params(params)
    loss, _ = net.loss_and_gradients(X, y, loss="cross_entropy", training=False)
    return loss


@pytest.mark.parametrize("which", ["pca", "rand"])
@pytest.mark.parametrize("cell", [(0, 0), (3, 5), (6, 1), (6, 6)])
def test_a_cell_holds_the_loss_of_the_weights_at_its_coordinates(spirals, which, cell, request):
    landscape = request.getfixturevalue(which)
    i, j = cell
    params = _at(spirals.result.params_final, landscape, landscape.alphas[i],
                 landscape.betas[j])
    s = spirals.result.dataset
    assert landscape.loss[i, j] == pytest.approx(
        _engine_loss(spirals.result, params, s.X_train, s.y_train), rel=1e-12)
    # and by a forward pass written out in NumPy (SPEC §1, §4)
    assert landscape.loss[i, j] == pytest.approx(
        data_loss(forward(params, s.X_train), s.y_train, "cross_entropy"), rel=1e-10)
    assert landscape.val_loss[i, j] == pytest.approx(
        data_loss(forward(params, s.X_val), s.y_val, "cross_entropy"), rel=1e-10)


def test_the_1d_curve_starts_and_ends_at_the_runs_losses(spirals, pca):
    h = spirals.result.history
    assert pca.t[0] == -0.5 and pca.t[-1] == 1.5
    assert pca.t.size == 4 * (GRID - 1) + 1
    (start,), (end,) = np.flatnonzero(pca.t == 0.0), np.flatnonzero(pca.t == 1.0)
    assert pca.loss_1d[start] == h["train_loss"][0]
    assert pca.loss_1d[end] == h["train_loss"][-1]
    assert pca.val_loss_1d[start] == h["val_loss"][0]
    assert pca.val_loss_1d[end] == h["val_loss"][-1]


def test_a_point_of_the_1d_curve_is_the_loss_of_the_interpolated_weights(spirals, pca):
    r, s = spirals.result, spirals.result.dataset
    k = 2  # t = -0.5 + 2/12: extrapolated behind the initial weights
    t = pca.t[k]
    params = {n: (1 - t) * r.params_initial[n] + t * r.params_final[n] for n in r.params_final}
    assert pca.loss_1d[k] == pytest.approx(
        data_loss(forward(params, s.X_train), s.y_train, "cross_entropy"), rel=1e-10)


def test_the_path_is_the_trajectory_projected_on_orthonormal_directions(spirals, pca):
    flat = np.concatenate
    d1 = flat([pca.dir1[k].ravel() for k in sorted(pca.dir1)])
    d2 = flat([pca.dir2[k].ravel() for k in sorted(pca.dir2)])
    assert d1 @ d1 == pytest.approx(1.0) and d2 @ d2 == pytest.approx(1.0)
    assert d1 @ d2 == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(pca.path_epochs, spirals.history["epochs"])
    np.testing.assert_array_equal(pca.path[-1], [0.0, 0.0])  # the final epoch
    final = spirals.result.params_final
    for e in (0, 5):
        diff = flat([spirals.history[k][e].ravel() - final[k].ravel() for k in sorted(pca.dir1)])
        np.testing.assert_allclose(pca.path[e], [diff @ d1, diff @ d2], atol=1e-12)
    # the grid covers the whole path and the origin
    assert pca.alphas[0] < min(pca.path[:, 0].min(), 0) < pca.alphas[-1]
    assert pca.betas[0] < max(pca.path[:, 1].max(), 0) < pca.betas[-1]
    assert 0 < pca.explained.sum() <= 1 + 1e-12


def test_random_directions_span_plus_minus_one_and_keep_no_path(rand):
    np.testing.assert_allclose(rand.alphas, np.linspace(-1, 1, GRID))
    np.testing.assert_allclose(rand.betas, np.linspace(-1, 1, GRID))
    assert rand.path.shape == (0, 2) and rand.path_epochs.size == 0
    assert np.isnan(rand.explained).all()


def test_a_run_directory_gives_the_landscape_of_its_result(spirals_dir):
    from_dir = compute_landscape(spirals_dir.dir, GRID, "pca")
    from_result = compute_landscape(spirals_dir.result, GRID, "pca",
                                    history=spirals_dir.history)
    for key, value in from_result.arrays().items():
        np.testing.assert_array_equal(from_dir.arrays()[key], value, err_msg=key)


def test_saved_data_replaces_the_prepared_splits(spirals_dir, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(spirals_dir.dir, run)
    s = spirals_dir.result.dataset
    half = {"X_train": s.X_train[::2], "y_train": s.y_train[::2], "X_val": s.X_val,
            "y_val": s.y_val, "X_test": s.X_test, "y_test": s.y_test}
    np.savez(run / "data.npz", **half)
    landscape = compute_landscape(run, 3, "random")
    params = _at(spirals_dir.result.params_final, landscape, 1.0, -1.0)
    assert landscape.loss[2, 0] == pytest.approx(
        data_loss(forward(params, half["X_train"]), half["y_train"], "cross_entropy"),
        rel=1e-10)


def test_pca_without_a_weights_history_is_refused_in_one_line(spirals_dir, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(spirals_dir.dir, run)
    (run / "weights_history.npz").unlink()
    with pytest.raises(LandscapeError, match="no weights_history.npz") as error:
        compute_landscape(run, GRID, "pca")
    assert "\n" not in str(error.value)
    assert compute_landscape(run, 3, "random").loss.shape == (3, 3)  # final weights suffice


def test_a_missing_run_directory_is_named(tmp_path):
    with pytest.raises(LandscapeError, match="no such run directory"):
        compute_landscape(tmp_path / "nowhere", GRID, "random")
    with pytest.raises(LandscapeError, match=r"not a TrainLab run directory \(no preset.json"):
        compute_landscape(tmp_path, GRID, "random")


@pytest.mark.parametrize("kwargs, message", [
    ({"grid": 2}, "grid: must be an integer from 3 to 401, got 2"),
    ({"grid": 41.0}, "grid: must be an integer"),
    ({"directions": "pcb"}, "directions: must be one of pca, random, got 'pcb'"),
    ({"normalization": "unit"}, "normalization: must be one of layer, filter"),
])
def test_bad_arguments_are_refused(spirals, kwargs, message):
    with pytest.raises(LandscapeError, match=message):
        compute_landscape(spirals.result, **{"directions": "random", **kwargs})


def test_progress_counts_every_loss_and_can_stop(spirals):
    seen = []
    landscape = compute_landscape(spirals.result, GRID, "random",
                                  progress=lambda done, total: seen.append((done, total)))
    total = landscape.t.size + GRID * GRID
    assert seen[-1] == (total, total)
    assert all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen})
    with pytest.raises(Cancelled):
        compute_landscape(spirals.result, GRID, "random", progress=lambda done, total: False)


def test_without_a_validation_split_there_are_no_validation_losses():
    data = dict(SPIRALS, data=dict(SPIRALS["data"],
                                   split={"train": 0.8, "val": 0.0, "test": 0.2}))
    run = Trained(data)
    landscape = compute_landscape(run.result, 3, "pca", history=run.history)
    assert landscape.val_loss is None and landscape.val_loss_1d is None
    assert not {"val_loss", "val_loss_1d"} & set(landscape.arrays())


def test_batch_norm_statistics_are_interpolated_with_the_weights():
    run = Trained(preset(SPIRALS, model={"batch_norm": True}))
    landscape = compute_landscape(run.result, 5, "random")
    h = run.result.history
    assert landscape.loss_1d[landscape.t == 0.0][0] == h["train_loss"][0]
    assert landscape.loss_1d[landscape.t == 1.0][0] == h["train_loss"][-1]
    assert np.isfinite(landscape.loss_1d).all()  # variances clamped at 0 beyond t = 1
    assert not landscape.dir1["bn1_gamma"].any() and not landscape.dir1["bn1_beta"].any()


def test_the_npz_has_the_documented_keys(pca, tmp_path):
    path = pca.save(tmp_path / "landscape.npz")
    with np.load(path, allow_pickle=False) as z:
        keys = set(z.files)
        assert z["loss"].shape == (GRID, GRID)
        np.testing.assert_array_equal(z["dir2/W2"], pca.dir2["W2"])
    assert {"alphas", "betas", "loss", "val_loss", "path", "path_epochs", "t", "loss_1d",
            "val_loss_1d", "dir1/W1", "dir1/b3", "dir2/W3"} <= keys


def test_non_finite_weights_are_refused_in_one_line(spirals):
    r = spirals.result
    broken = {**r.params_final, "W2": np.full_like(r.params_final["W2"], np.nan)}
    diverged = type(r)(**{**r.__dict__, "params_final": broken})
    with pytest.raises(LandscapeError, match="final weights are not finite"):
        compute_landscape(diverged, 3, "random")
    history = {**spirals.history, "W1": spirals.history["W1"] * np.inf}
    with pytest.raises(LandscapeError, match="non-finite weights"):
        compute_landscape(r, 3, "pca", history=history)
