"""The generator as a reuser gets it: the wheel, built with the standard tool (`python -m build`) from
the repository's files, installed into a fresh virtual environment outside the repository; then
`odportal new`, `validate` and `build` in an empty folder, the starter's own tests, and actionlint on
the workflow it wrote.

The fresh environment takes the generator from the wheel alone. Its dependencies are this suite's
own pinned packages, reached by one path line (a .pth file), not downloaded again: the test is of
the wheel's files and its command, and the pins are tested by `make test` itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

REPOSITORY_FILES = ("pyproject.toml", "README.md", "build_scripts")


def run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the files a distribution is made of (the build writes its own
    build/ folder, which in the repository is the site's work folder)."""
    source = tmp_path_factory.mktemp("source")
    for name in REPOSITORY_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, source], cwd=source)
    (built,) = out.glob("odportal-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh virtual environment with the wheel installed: its `odportal` command and environment."""
    venv = tmp_path_factory.mktemp("venv")
    base_python = getattr(sys, "_base_executable", sys.executable)
    run([base_python, "-m", "venv", venv], cwd=venv)
    python = venv / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=venv).stdout.strip()
    Path(purelib, "suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], cwd=venv)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return {"command": venv / "bin" / "odportal", "python": python, "env": env}


def test_the_wheel_carries_the_texts_overrides_scripts_and_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_repository = {
        p.relative_to(ROOT).as_posix()
        for folder in ("build_scripts/site/texts", "build_scripts/site/assets", "build_scripts/site/overrides")
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
    }
    assert in_repository and in_repository <= names, in_repository - names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_a_new_portal_validates_and_builds_with_the_installed_command(installed, tmp_path):
    odportal, env = installed["command"], installed["env"]
    where = run([installed["python"], "-c", "import build_scripts; print(build_scripts.__file__)"], tmp_path, env)
    assert not Path(where.stdout.strip()).is_relative_to(ROOT), "the generator comes from the wheel"
    version = run([odportal, "--version"], tmp_path, env).stdout.split()[-1]
    run([odportal, "new", "portal", "--languages", "en,fr"], tmp_path, env)
    project = tmp_path / "portal"
    checked = run([odportal, "validate"], project, env)
    assert "is valid" in checked.stdout and "NOT checked" not in checked.stdout  # its archive is beside it
    run([odportal, "build"], project, env)
    site = project / "site"
    for page in ("index.html", "fr/index.html", "downloads/datapackage.json", "catalog.jsonld"):
        assert (site / page).is_file(), page
    assert f"odportal=={version}" in (project / "requirements.txt").read_text(encoding="utf-8")


def test_the_starter_repository_passes_its_own_tests_and_actionlint(installed, tmp_path):
    odportal, env = installed["command"], installed["env"]
    run([odportal, "new", "portal"], tmp_path, env)
    project = tmp_path / "portal"
    workflows = list((project / ".github" / "workflows").glob("*.yml"))
    assert workflows, "the starter publishes itself"
    actionlint = shutil.which("actionlint", path=Path(sys.executable).parent) or shutil.which("actionlint")
    run([actionlint, *workflows], project, env)
    if (project / "tests").is_dir():
        run([installed["python"], "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env)
