"""The application set-up: errors end up as words in the window, BLAS is limited."""

from __future__ import annotations

import sys

from trainlab.gui import app


def test_unexpected_errors_are_shown_in_the_window(window, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr("trainlab.paths.user_data_dir", lambda: tmp_path)
    app._install_excepthook(lambda: window)
    try:
        raise ValueError("the moon is made of cheese")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert "the moon is made of cheese" in window.banner.text
    assert "Traceback" not in window.banner.text
    assert "Traceback" in (tmp_path / "errors.log").read_text()


def test_blas_is_limited_to_one_thread():
    from threadpoolctl import threadpool_info

    app.limit_blas_threads()
    import scipy.linalg.cython_blas  # noqa: F401  (the kernels' BLAS: loaded by then)

    blas = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    assert any("scipy" in pool["filepath"] for pool in blas)
    assert all(pool["num_threads"] == 1 for pool in blas)
