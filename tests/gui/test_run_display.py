"""What a run shows in the window (trainlab/gui/run_display.py): plots, progress, result."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import curve_count, tiny_preset, train_to_end


def test_train_tiny_preset_to_the_end(qtbot, window):
    entry = train_to_end(qtbot, window, tiny_preset())
    assert entry.status == "finished"
    assert len(entry.history) == 5 + 1  # row 0 plus one per epoch
    for plot in ("loss", "metric", "lr", "w_norm", "g_norm"):
        curves = window.plots.curves(plot)
        assert curves, plot
        for curve in curves:  # one point per epoch, row 0 included
            assert len(curve.xData) == 6, plot
    assert curve_count(window.plots, "loss") == 2  # train and validation
    assert window.data_view.boundary_image() is not None
    assert window.run_controls.progress.value() == 1000
    assert "train loss" in window.run_controls.status_line.text()
    assert window.run_controls.progress.format() == "epoch 5 of 5"
    assert window.runs_panel.table.item(0, window.runs_panel.STATUS_COLUMN).text() == "finished"
    assert not window.config_panel.lock_label.isVisibleTo(window)


def test_diverged_run_is_explained_in_the_window(qtbot, window):
    preset = tiny_preset(data__source="line", loss__name="mse", model__activation="relu",
                         optimizer__name="sgd", optimizer__lr=50.0, training__epochs=50)
    entry = train_to_end(qtbot, window, preset)
    assert entry.status == "diverged"
    assert "diverged" in window.banner.text and "learning rate" in window.banner.text
    assert window.runs_panel.table.item(0, window.runs_panel.STATUS_COLUMN).text() == "diverged"


@pytest.mark.parametrize("changes, mode", [
    ({"data__source": "iris"}, "confusion"),
    ({"data__source": "plane", "loss__name": "mse"}, "pred_vs_true"),
    ({"data__source": "line", "loss__name": "mse"}, "fit_curve"),
])
def test_data_view_follows_the_run_in_every_mode(qtbot, window, changes, mode):
    entry = train_to_end(qtbot, window, tiny_preset(**changes))
    assert entry.status == "finished"
    assert window.data_view.mode() == mode
    if mode == "confusion":
        counts = window.data_view.confusion_matrix()
        assert counts is not None and counts.sum() > 0


def test_diagnostics_at_full_speed_are_redrawn_seldom_and_charged_to_the_window(
        qtbot, window, monkeypatch):
    """At "as fast as possible" every frame's time is taken from training: the diagnostics
    row is redrawn once per FASTEST_DIAGNOSTICS_INTERVAL, and what it costs outside a frame
    is charged to the window's share (the next frames wait for it)."""
    import time

    from trainlab.gui import run_display

    monkeypatch.setattr(run_display, "FASTEST_DIAGNOSTICS_INTERVAL", 0.8)
    controller = window.controller
    diagnostics_draws, charged = [], []
    show_history = window.run_plots.show_history

    def spy(run_id, plots=None):
        if (plots is None or "g_norm" in plots) and controller.state == "running":
            diagnostics_draws.append(time.perf_counter())
        return show_history(run_id, plots)

    monkeypatch.setattr(window.run_plots, "show_history", spy)
    spent = controller.spent
    monkeypatch.setattr(controller, "spent", lambda s: (charged.append(s), spent(s)))
    window.model.load(tiny_preset(training__epochs=10**6))
    assert window.start_run() and not controller.paced
    qtbot.waitUntil(lambda: len(diagnostics_draws) >= 3, timeout=60_000)
    with qtbot.waitSignal(controller.finished, timeout=60_000):
        window.run_controls.stop()
    gaps = np.diff(diagnostics_draws)
    # Qt's coarse timers may fire up to 5 % early
    assert gaps.min() >= 0.9 * run_display.FASTEST_DIAGNOSTICS_INTERVAL, gaps
    assert charged and min(charged) > 0


def test_a_running_frame_draws_the_data_view_on_the_next_turn_and_charges_it(
        qtbot, window, monkeypatch):
    """Plots in the frame's turn, the data view in the next: the window is held up for the
    larger part only, and the data view's time counts in the window's share."""
    controller = window.controller
    order, charged = [], []
    show = window.data_preview.show_predictions
    monkeypatch.setattr(window.data_preview, "show_predictions",
                        lambda p: (order.append(("data view", id(p))), show(p)))
    spent = controller.spent
    monkeypatch.setattr(controller, "spent", lambda s: (order.append(("charged", s)),
                                                        charged.append(s), spent(s)))

    def after_frame(frame):  # connected after the window's own handler: its turn is over
        if frame.predictions and frame.event not in ("start", "end") \
                and controller.state == "running":
            order.append(("frame", id(frame.predictions)))

    controller.frame.connect(after_frame)
    window.model.load(tiny_preset(training__epochs=10**6))
    assert window.start_run()

    def drawn_after_a_frame():
        kinds = [e[0] for e in order]
        return "frame" in kinds and "charged" in kinds[kinds.index("frame"):]

    qtbot.waitUntil(drawn_after_a_frame, timeout=60_000)
    with qtbot.waitSignal(controller.finished, timeout=60_000):
        window.run_controls.stop()
    i = next(i for i, e in enumerate(order) if e[0] == "frame")
    # the frame's turn ended without drawing its predictions; they came next, then the charge
    assert ("data view", order[i][1]) not in order[:i]
    assert order[i + 1] == ("data view", order[i][1])
    assert order[i + 2][0] == "charged" and order[i + 2][1] > 0
