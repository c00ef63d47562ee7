"""The session models are plain Python: importing them loads neither Qt nor Numba."""

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import trainlab.session as session
for module in pkgutil.iter_modules(session.__path__):
    importlib.import_module(f"trainlab.session.{module.name}")
print(sorted(n for n in sys.modules if n.split(".")[0] in ("PySide6", "pyqtgraph", "numba")))
"""


def test_session_imports_neither_qt_nor_numba():
    loaded = subprocess.check_output([sys.executable, "-c", SCRIPT], text=True)
    assert loaded.strip() == "[]"
