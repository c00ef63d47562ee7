"""The session models are plain Python: importing them loads neither Qt nor Numba."""

import subprocess
import sys


def test_session_imports_neither_qt_nor_numba():
    code = ("import sys, pkgutil, importlib, trainlab.session as s\n"
            "for m in pkgutil.iter_modules(s.__path__):\n"
            "    importlib.import_module(f'trainlab.session.{m.name}')\n"
            "print(sorted(n for n in sys.modules\n"
            "             if n.split('.')[0] in ('PySide6', 'pyqtgraph', 'numba')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
