"""Build the wheel, install it into a fresh virtual environment and use it from another folder.

Before the resources shipped inside the package, such an install listed no presets and could
not find `xor` by name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.name for p in (ROOT / "resources" / "presets").glob("*.json"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (found,) = out.glob("trainlab-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(where)],
                   check=True, timeout=300)
    python = where / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return where


def test_the_wheel_holds_every_file_of_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "resources"
    tracked = subprocess.run(["git", "ls-files", "resources"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked, "resources/ is empty"
    for name in tracked:
        inside = Path(name).relative_to("resources").as_posix()
        assert f"trainlab/resources/{inside}" in names
    assert "trainlab/resources/preset.schema.json" in names
    assert (resources / "preset.schema.json").is_file()


def run_installed(venv: Path, args: list[str], cwd: Path):
    env = dict(os.environ, XDG_DATA_HOME=str(cwd / "xdg"))
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_installed_wheel_lists_and_finds_its_presets_from_another_folder(venv, tmp_path):
    where = run_installed(venv, ["-c", "import trainlab; print(trainlab.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve())
    listed = run_installed(venv, ["-m", "trainlab", "presets"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split()[0] + ".json" for line in listed.stdout.splitlines()) == SHIPPED
    checked = run_installed(venv, ["-m", "trainlab", "validate", "xor"], tmp_path)
    assert checked.returncode == 0, checked.stderr
    schema = run_installed(
        venv, ["-c", "from trainlab.presets.schema import schema_path; print(schema_path())"],
        tmp_path)
    assert json.loads(Path(schema.stdout.strip()).read_text())["title"] == "TrainLab preset"
