"""The package list in pyproject.toml and where the shipped resources are found (no build)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from trainlab import paths

ROOT = Path(__file__).resolve().parents[2]


def setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]


def test_every_subpackage_of_trainlab_is_listed_for_the_wheel():
    listed = set(setuptools_config()["packages"])
    folders = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "trainlab").rglob("*")
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.py"))
    } | {"trainlab"}
    assert folders - listed == set(), "add these to [tool.setuptools] packages"
    gone = {p for p in listed - folders if not p.startswith("trainlab.resources")}
    assert gone == set(), "these are listed in [tool.setuptools] packages but do not exist"


def test_resources_ship_inside_the_package_from_the_top_level_folder():
    config = setuptools_config()
    assert config["package-dir"]["trainlab.resources"] == "resources"
    assert "trainlab.resources" in config["packages"]
    assert config["package-data"]["trainlab.resources"] == ["**/*"]


def test_a_checkout_finds_the_top_level_resources():
    assert paths.resources_dir() == ROOT / "resources"
    assert (paths.presets_dir() / "xor.json").is_file()


def test_an_installed_package_finds_its_own_resources(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "trainlab"
    (package / "resources" / "presets").mkdir(parents=True)
    monkeypatch.setattr(paths.resources, "files", lambda name: package)
    assert paths.presets_dir() == package / "resources" / "presets"
