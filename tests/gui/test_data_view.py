"""DataView (trainlab/gui/data_view.py): mode choice, boundary heat map, fit curve,
predicted-vs-true scatter and confusion matrix, driven through the public API offscreen."""

from types import SimpleNamespace

import numpy as np
import pyqtgraph as pg
import pytest

from trainlab.gui import colors
from trainlab.gui.data_view import GRID, DataView
from trainlab.gui.plotting.data_colours import MAX_TINT

from .helpers import shown


def make_splits(n_inputs, task, n=120, n_classes=2, n_outputs=1, val=True, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2.0, 2.0, (n, n_inputs))
    if task == "classification":
        y = rng.integers(0, n_classes, n)
    else:
        y = X[:, :1] @ np.ones((1, n_outputs)) + 0.1 * rng.standard_normal((n, n_outputs))
    a, b = (int(0.6 * n), int(0.8 * n)) if val else (int(0.8 * n), int(0.8 * n))
    return SimpleNamespace(
        X_train=X[:a], y_train=y[:a], X_val=X[a:b], y_val=y[a:b], X_test=X[b:], y_test=y[b:],
        task=task,
        n_classes=n_classes if task == "classification" else 0,
        feature_names=[f"f{i}" for i in range(n_inputs)],
        class_names=[f"c{k}" for k in range(n_classes)] if task == "classification" else None,
        target_name="t",
    )


@pytest.fixture
def view(qtbot):
    return shown(qtbot, DataView(), 500, 450)


def plot_items(view, kind):
    return [i for i in view.plot_widget().getPlotItem().items if isinstance(i, kind)]


@pytest.mark.parametrize(
    ("n_inputs", "task", "mode"),
    [
        (2, "classification", "boundary"),
        (1, "regression", "fit_curve"),
        (5, "regression", "pred_vs_true"),
        (5, "classification", "confusion"),
    ],
)
def test_mode_follows_the_problem(view, n_inputs, task, mode):
    assert view.mode() is None
    view.set_data(make_splits(n_inputs, task))
    assert view.mode() == mode


def test_boundary_points_axes_and_legend(view):
    splits = make_splits(2, "classification")
    view.set_data(splits)
    item = view.plot_widget().getPlotItem()
    assert item.getAxis("bottom").labelText == "f0"
    assert item.getAxis("left").labelText == "f1"
    scatters = plot_items(view, pg.ScatterPlotItem)
    drawn = sum(len(s.data) for s in scatters)
    assert drawn == len(splits.y_train) + len(splits.y_val)  # the test split stays hidden
    assert view.legend_labels() == ["c0", "c1", "validation"]


def test_boundary_has_equal_x_and_y_scales(view, qtbot):
    view.resize(300, 700)  # a tall, narrow dock
    view.show()
    qtbot.waitExposed(view)
    view.set_data(make_splits(2, "classification"))
    vb = view.plot_widget().getPlotItem().getViewBox()
    assert vb.state["aspectLocked"] == 1.0
    (x0, x1), (y0, y1) = vb.viewRange()
    px_per_x, px_per_y = vb.width() / (x1 - x0), vb.height() / (y1 - y0)
    assert px_per_x == pytest.approx(px_per_y, rel=0.02)
    view.set_data(make_splits(1, "regression"))  # other modes are not locked
    assert not vb.state["aspectLocked"]


def one_hot_right_half(X):
    """Class 1 iff x > 0, as certain probabilities (n, 2)."""
    p1 = (X[:, 0] > 0).astype(float)
    return np.column_stack([1 - p1, p1])


@pytest.mark.parametrize("binary_column", [False, True])
def test_boundary_image_shows_class_colours_by_side(view, binary_column):
    view.set_data(make_splits(2, "classification"))
    grid = view.grid_inputs()
    assert grid.shape == (GRID * GRID, 2)

    def predict(X):
        P = one_hot_right_half(X)
        return P[:, 1:] if binary_column else P  # a bce net gives P(class 1) only

    view.update_model(predict)
    image = view.boundary_image()
    assert image.shape == (GRID, GRID, 3)
    images = plot_items(view, pg.ImageItem)
    assert len(images) == 1 and images[0].image.shape[:2] == (GRID, GRID)

    c0 = np.array(colors.tint(colors.categorical(0), MAX_TINT))
    c1 = np.array(colors.tint(colors.categorical(1), MAX_TINT))
    half = GRID // 2
    np.testing.assert_array_equal(image[:, :half], np.broadcast_to(c0, (GRID, half, 3)))
    np.testing.assert_array_equal(image[:, half:], np.broadcast_to(c1, (GRID, half, 3)))


def test_boundary_grid_covers_the_data_and_accepts_precomputed_predictions(view):
    splits = make_splits(2, "classification")
    view.set_data(splits)
    grid = view.grid_inputs()
    data = np.concatenate([splits.X_train, splits.X_val])
    assert (grid.min(axis=0) < data.min(axis=0)).all()
    assert (grid.max(axis=0) > data.max(axis=0)).all()
    # Off-thread path: the worker predicts on the grid, the view only paints.
    view.set_grid_predictions(one_hot_right_half(grid))
    assert view.boundary_image() is not None
    # A coin toss everywhere is white.
    view.set_grid_predictions(np.full((GRID * GRID, 2), 0.5))
    assert (view.boundary_image() == 255).all()
    with pytest.raises(ValueError):
        view.set_grid_predictions(np.zeros((10, 2)))


def test_non_finite_predictions_paint_white(view):
    view.set_data(make_splits(2, "classification"))
    P = one_hot_right_half(view.grid_inputs())
    P[:GRID] = np.nan  # the bottom row of the grid
    view.set_grid_predictions(P)
    assert (view.boundary_image()[0] == 255).all()


def test_grid_only_in_boundary_mode(view):
    view.set_data(make_splits(5, "classification"))
    with pytest.raises(RuntimeError):
        view.grid_inputs()
    with pytest.raises(RuntimeError):
        view.set_grid_predictions(np.zeros((GRID * GRID, 2)))


def test_fit_curve_follows_predict(view):
    view.set_data(make_splits(1, "regression"))
    view.update_model(lambda X: 2.0 * X)
    curves = [c for c in plot_items(view, pg.PlotDataItem) if c.xData is not None]
    assert len(curves) == 1
    x, y = curves[0].getData()
    assert len(x) == 300
    np.testing.assert_allclose(y, 2.0 * x)
    assert view.plot_widget().getPlotItem().getAxis("left").labelText == "t"


def test_pred_vs_true_scatter_and_diagonal(view):
    splits = make_splits(5, "regression", n_outputs=2)
    view.set_data(splits)
    view.update_model(lambda X: X[:, :2])
    scatters = plot_items(view, pg.ScatterPlotItem)
    assert sum(len(s.data) for s in scatters) == 2 * (len(splits.y_train) + len(splits.y_val))
    diagonal = [c for c in plot_items(view, pg.PlotDataItem) if c.xData is not None]
    assert len(diagonal) == 1
    x, y = diagonal[0].getData()
    np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("val", [True, False])
def test_confusion_matrix_counts(view, val):
    splits = make_splits(5, "classification", n=200, n_classes=3, val=val, seed=3)
    view.set_data(splits)

    def predict(X):
        logits = X[:, :3]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    view.update_model(predict)
    X, y = (splits.X_val, splits.y_val) if val else (splits.X_train, splits.y_train)
    assert view.confusion_split() == ("validation" if val else "train")
    predicted = np.argmax(X[:, :3], axis=1)
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(y, predicted, strict=True):
        expected[t, p] += 1
    np.testing.assert_array_equal(view.confusion_matrix(), expected)
    texts = {
        (round(t.pos().y()), round(t.pos().x())): t.textItem.toPlainText()
        for t in plot_items(view, pg.TextItem)
    }
    assert texts == {(i, j): str(expected[i, j]) for i in range(3) for j in range(3)}


def test_set_data_drops_the_old_model_and_clear_resets(view):
    view.set_data(make_splits(2, "classification"))
    view.update_model(one_hot_right_half)
    view.set_data(make_splits(2, "classification", seed=1))
    assert view.boundary_image() is None
    assert not any(i.image is not None for i in plot_items(view, pg.ImageItem))
    view.clear()
    assert view.mode() is None
    assert view.plot_widget().getPlotItem().items == []
    view.update_model(one_hot_right_half)  # nothing to draw: no error


@pytest.mark.parametrize(
    ("n_inputs", "task", "val", "names"),
    [
        (2, "classification", True, ["grid"]),
        (1, "regression", True, ["curve"]),
        (5, "regression", True, ["train", "val"]),
        (5, "regression", False, ["train"]),
        (5, "classification", True, ["val"]),
        (5, "classification", False, ["train"]),
    ],
)
def test_model_queries_name_the_inputs_each_picture_is_drawn_from(view, n_inputs, task, val,
                                                                  names):
    assert view.model_queries() == {}  # no data, nothing to ask
    splits = make_splits(n_inputs, task, n=200, val=val)
    view.set_data(splits)
    queries = view.model_queries()
    assert list(queries) == names
    if "grid" in queries:
        np.testing.assert_array_equal(queries["grid"], view.grid_inputs())
    for split in ("train", "val"):
        if split in queries:
            np.testing.assert_array_equal(queries[split], getattr(splits, f"X_{split}"))


def test_answers_by_name_draw_what_update_model_draws(view, qtbot):
    """Predictions computed elsewhere for the named inputs give the picture a callable gives;
    a name missing leaves its part as it was."""
    view.set_data(make_splits(5, "classification", n=200, n_classes=3, seed=3))
    predict = lambda X: np.exp(X[:, :3])  # noqa: E731 - any positive scores per class
    view.update_model(predict)
    direct = view.confusion_matrix()
    view.set_data(make_splits(5, "classification", n=200, n_classes=3, seed=3))
    view.show_model({})
    assert view.confusion_matrix() is None
    view.show_model({name: predict(X) for name, X in view.model_queries().items()})
    np.testing.assert_array_equal(view.confusion_matrix(), direct)
    assert direct.sum() == len(view.splits().y_val)
