"""Numba's on-disk cache must work when the installed package folder is read-only."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import trainlab

SNIPPET = (
    "import numpy as np\n"
    "from trainlab.engine.optimizers_kernel import clip_global_norm\n"
    "g = np.array([3.0, 4.0])\n"
    "print(clip_global_norm(g, 1.0), g[0])\n"
)


def _read_only_run(pkg_parent: Path, cache_home: Path) -> subprocess.CompletedProcess:
    """Run SNIPPET against a copy of the package bind-mounted read-only (needs a mount
    namespace: root in a container, or user namespaces)."""
    script = (f"mount --bind {pkg_parent} {pkg_parent} && "
              f"mount -o remount,ro,bind {pkg_parent} && "
              f"{sys.executable} -c \"$SNIPPET\"")
    env = dict(os.environ, PYTHONPATH=str(pkg_parent), XDG_CACHE_HOME=str(cache_home),
               SNIPPET=SNIPPET)
    env.pop("NUMBA_CACHE_DIR", None)
    return subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, cwd=pkg_parent,
                          capture_output=True,
                          text=True, timeout=300)


def test_cache_falls_back_to_user_dir_when_package_is_read_only(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not available")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    pkg_parent = tmp_path / "site"
    shutil.copytree(Path(trainlab.__file__).parent, pkg_parent / "trainlab",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cache_home = tmp_path / "cache"
    first = _read_only_run(pkg_parent, cache_home)
    assert first.returncode == 0, first.stderr
    norm, g0 = map(float, first.stdout.split())
    assert norm == 5.0
    assert g0 == pytest.approx(3.0 / (5.0 + 1e-6))
    # nothing could be written beside the sources; the index went to the user cache instead
    assert not list((pkg_parent / "trainlab").rglob("*.nbi"))
    assert list(cache_home.rglob("*clip_global_norm*.nbi"))
    second = _read_only_run(pkg_parent, cache_home)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
