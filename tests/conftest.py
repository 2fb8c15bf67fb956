"""Shared fixtures: the repository paths, copies of the data, and one real build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARCHIVE = ROOT.parent / "shared" / "sources"


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m build_scripts ARGS` as a maintainer would."""
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/, to break one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def archive() -> Path:
    if not ARCHIVE.is_dir():
        pytest.skip(f"the archive of sources is not at {ARCHIVE}; provenance cannot be checked here")
    return ARCHIVE


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once from the real data into a temporary folder."""
    from build_scripts.pipeline import build_site

    base = tmp_path_factory.mktemp("build")
    out = base / "site"
    build_site(DATA, out, work=base / "work")
    return out
