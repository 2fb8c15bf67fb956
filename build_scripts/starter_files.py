"""The files that make `new`'s project a repository that publishes itself: a README with its two commands,
the pinned generator, a .gitignore, its tests and a GitHub Actions workflow that validates pull requests
and builds and deploys main to GitHub Pages (like an Open SDG site starter).

The workflow's actions are pinned by commit, as this generator's own workflow pins them (a test keeps the
two alike). Every command the workflow runs is one the README gives (a test checks that too).
"""

from __future__ import annotations

COMMAND = "odportal"
PYTEST = "9.2.0"  # the test runner the generator is tested with (its requirements.txt)
ACTIONS = {  # action: (commit, release)
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("0b93645e9fea7318ecaed2b359559ac225c90a2b", "v5.3.0"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/cache": ("5a3ec84eff668545956fd18022155c47e93e2684", "v4.2.3"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
}
INSTALL = "pip install -r requirements.txt"
VALIDATE = f"{COMMAND} validate"
TEST = "python -m pytest"
BUILD = f"{COMMAND} build"
SETUP = f"python -m venv .venv && .venv/bin/{INSTALL}"

GITIGNORE = """\
# What the build and the tests make again, and the virtual environment
build/
site/
.venv/
__pycache__/
*.pyc
.pytest_cache/
"""


def files(version: str, made_as: str) -> dict[str, str]:
    """The repository's files beside the data and pages, by path, for the generator at version."""
    return {
        "README.md": readme(version, made_as),
        "requirements.txt": requirements(version),
        ".gitignore": GITIGNORE,
        ".github/workflows/publish.yml": workflow(),
        "tests/test_project.py": TESTS,
    }


def requirements(version: str) -> str:
    return (
        "# The generator this project is built with (raise the pin to upgrade, then run the tests),\n"
        "# and the test runner.\n"
        f"{COMMAND}=={version}\npytest=={PYTEST}\n"
    )


def _uses(action: str) -> str:
    commit, release = ACTIONS[action]
    return f"{action}@{commit} # {release}"


def workflow() -> str:
    on_main = "if: github.event_name != 'pull_request'"
    return f"""\
# Validate and test every pull request; on main, also build the site and publish it to GitHub Pages
# (Settings > Pages > Source: GitHub Actions). The steps run the README's commands.
name: Validate, build and publish

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: pages-${{{{ github.ref }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    steps:
      - uses: {_uses("actions/checkout")}
      - uses: {_uses("actions/setup-python")}
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: requirements.txt
      - name: Install the generator
        run: {INSTALL}
      - name: Validate
        run: {VALIDATE}
      - name: Test
        if: github.event_name == 'pull_request'
        run: {TEST}
      - name: Configure Pages
        id: pages
        {on_main}
        uses: {_uses("actions/configure-pages")}
      # The last build's work folder and site, so that the build makes again only what changed since.
      # A cache is found by its key's prefix: the same runner and pinned packages, any earlier commit.
      - name: Restore the last build
        {on_main}
        uses: {_uses("actions/cache")}
        with:
          path: |
            build
            site
          key: site-${{{{ runner.os }}}}-${{{{ hashFiles('requirements.txt') }}}}-${{{{ github.sha }}}}
          restore-keys: site-${{{{ runner.os }}}}-${{{{ hashFiles('requirements.txt') }}}}-
      - name: Build
        {on_main}
        run: {BUILD}
        env:
          SITE_URL: ${{{{ steps.pages.outputs.base_url }}}}
      - name: Upload the site
        {on_main}
        uses: {_uses("actions/upload-pages-artifact")}
        with:
          path: site

  deploy:
    {on_main}
    needs: build
    runs-on: ubuntu-24.04
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: {_uses("actions/deploy-pages")}
"""


def readme(version: str, made_as: str) -> str:
    return f"""\
# Example open data

An open-data portal: tables of figures in `data/`, each citing a line of a document kept in `archive/`,
published as a data package (CSV, JSON, Excel, SQLite) and a website in every language of
`data/site.yml`. Made with `{made_as}` ({COMMAND} {version}).

## Build and test

On a machine with Python 3.11, in this folder, build the site into `site/`:

    {SETUP} && .venv/bin/{BUILD}

and run the project's tests (the data is valid, the site builds in each language):

    {SETUP} && .venv/bin/{TEST}

(On Windows, `.venv\\Scripts\\` in place of `.venv/bin/`.)

## Add data

1. Put the source document in `archive/` and describe it in `data/sources.csv`, with its SHA-256.
2. Add its figures to the tables in `data/` (each names its source and line), and the pages in
   `docs/<language>/`; `data/site.yml` sets languages, topics, units and places, `mkdocs.yml` the name.
3. Check them: `.venv/bin/{VALIDATE}` names the file, row, column and rule of every problem.
4. Preview the site: `.venv/bin/{COMMAND} serve`.

## Publish

Push this folder to a GitHub repository, then in Settings > Pages choose "GitHub Actions" as the
source. `.github/workflows/publish.yml` then validates and tests every pull request; on every push
to `main` it runs `{INSTALL}`, `{VALIDATE}` and `{BUILD}` (from the last
build, so only what changed is made again) and publishes `site/`.

To upgrade the generator, raise its pin in `requirements.txt` and run the tests.
"""


TESTS = f'''\
"""This project's checks, run by `python -m pytest` here and on every pull request: the data is valid,
every figure found in its archived source, and the site builds in each language with its data package."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]


def {COMMAND}(*args: str) -> subprocess.CompletedProcess:
    beside_python = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("{COMMAND}", path=beside_python)
    if found is None:
        pytest.fail("{COMMAND} is not installed: {INSTALL}")
    return subprocess.run([found, *args], cwd=PROJECT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built from this folder into a temporary one (build/ and site/ here stay as they are)."""
    out = tmp_path_factory.mktemp("build")
    result = {COMMAND}("build", "--out", str(out / "site"), "--work", str(out / "work"))
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


def test_the_data_is_valid_and_every_figure_is_in_its_source():
    result = {COMMAND}("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is valid" in result.stdout and "NOT checked" not in result.stdout


def test_the_site_has_a_home_page_in_each_language(site):
    languages = yaml.safe_load((PROJECT / "data" / "site.yml").read_text(encoding="utf-8"))["languages"]
    for lang in languages:
        home = site / ("" if lang == languages[0] else lang) / "index.html"
        assert f'<html lang="{{lang.replace("_", "-")}}"' in home.read_text(encoding="utf-8"), home


def test_the_data_package_lists_every_table(site):
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    tables = {{path.stem for path in (PROJECT / "data").glob("*.csv")}}
    assert tables <= {{resource["name"] for resource in package["resources"]}}
'''
