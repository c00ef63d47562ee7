"""`trainlab` with no arguments: the window.

Sets up what keeps the window smooth while training: BLAS limited to one thread (the engine's
small matrix products gain nothing from more, and extra BLAS threads fight the GUI thread for
the cores), pyqtgraph without antialiasing, and the engine compiled in the background.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SWITCH_INTERVAL = 0.001  # seconds


def limit_blas_threads() -> None:
    """BLAS on one thread for the life of the window (the rule and why:
    :func:`trainlab.runs.options.blas_threads`)."""
    from trainlab.runs.options import limit_process_blas

    limit_process_blas(1)


def _install_excepthook(window_getter) -> None:
    """An unexpected error is shown in the window (and written to stderr tersely), never a
    traceback dump that a student has to read."""
    from trainlab.gui.messages import friendly_error, technical_details

    log_dir = None
    try:
        from trainlab.paths import user_data_dir

        log_dir = user_data_dir()
    except Exception:  # noqa: BLE001
        pass

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        exc = exc if exc is not None else exc_type()
        exc.__traceback__ = tb
        if log_dir is not None:
            try:
                log_dir.mkdir(parents=True, exist_ok=True)
                with open(log_dir / "errors.log", "a", encoding="utf-8") as f:
                    f.write(technical_details(exc) + "\n")
            except OSError:
                pass
        window = window_getter()
        message = friendly_error(exc)
        if window is not None:
            window.show_error(message)
        else:
            print(f"trainlab: {message}", file=sys.stderr)

    sys.excepthook = hook


def no_screen() -> bool:
    """On Linux without X11/Wayland, Qt would abort with a core dump; say it in words."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Open the window; returns the exit code."""
    argv = list(sys.argv if argv is None else argv)
    if no_screen():
        print("trainlab: no screen to open the window on (DISPLAY is not set). Run it on a "
              "desktop, or use the command line: trainlab --help", file=sys.stderr)
        return 1
    limit_blas_threads()
    # The training thread and the GUI thread share the interpreter lock; both drop it for
    # every compiled kernel or Qt call and must then wait for the other to hand it back. A
    # 1 ms switch interval (instead of 5) keeps those waits short on both sides.
    sys.setswitchinterval(SWITCH_INTERVAL)
    from PySide6.QtWidgets import QApplication

    from trainlab.gui.plotting import configure_pyqtgraph
    from trainlab.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("TrainLab")
    app.setOrganizationName("TrainLab")
    app.setApplicationDisplayName("TrainLab")
    configure_pyqtgraph()
    apply_theme(app)

    from trainlab.gui.window import MainWindow
    from trainlab.paths import default_runs_dir

    holder: list = []
    _install_excepthook(lambda: holder[0] if holder else None)
    preset = next((Path(a) for a in argv[1:] if a.endswith(".json")), None)
    window = MainWindow(runs_dir=default_runs_dir(), preset_path=preset)
    holder.append(window)
    window.show()
    window.start_warmup()

    demo = os.environ.get("TRAINLAB_DEMO")
    if demo:
        from trainlab.gui.demo import run_demo

        run_demo(window, demo)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
