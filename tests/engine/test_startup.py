"""What the engine does at start-up to keep a warm start short, and that it takes nothing
away: numpy.f2py still works when used, and Numba's long-lived objects are frozen."""

import subprocess
import sys

SCRIPT = r"""
import gc, sys
import trainlab.engine.kernels
deferred = "numpy.f2py.crackfortran" not in sys.modules
frozen = gc.get_freeze_count()
import numpy
import numpy.f2py
works = callable(numpy.f2py.run_main) and "numpy.f2py.crackfortran" in sys.modules
print(deferred, frozen > 50_000, works, numpy.f2py is sys.modules["numpy.f2py"])
"""


def test_f2py_loads_on_use_and_startup_objects_are_frozen():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.split() == ["True", "True", "True", "True"], out.stdout + out.stderr
