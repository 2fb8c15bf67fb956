"""This portal's own curated data: data/ is valid against the archive, complete, canonical and
released, and the files generated from it (datapackage.json, CHANGELOG.md, CITATION.cff) are fresh.

The generator's tests (tests/*.py) never read data/: they run on fixture portals. Replacing data/ with
another portal's keeps them passing; these tests then describe what that portal must check of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PORTAL_DATA as DATA
from conftest import ROOT, run_cli
from frictionless import Package

from build_scripts.config.load import load_site
from build_scripts.config.site import using
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.package import canonical_csv, load_metadata, root_descriptor
from build_scripts.publish.releases import citation_cff, load_releases, render_changelog
from build_scripts.render import read_site_url

SITE_URL = read_site_url(ROOT)


@pytest.fixture(autouse=True)
def portal_configuration():
    """data/site.yml, while a test reads data/ (the other tests read the fixture portal's)."""
    with using(load_site(DATA)):
        yield


def test_real_data_passes_validation_and_provenance(archive):
    result = run_cli("validate", "--data", DATA, "--archive", archive)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout
    assert "NOT checked" not in result.stdout


def test_committed_datapackage_json_is_fresh():
    expected = root_descriptor(load_site(DATA), load_metadata(DATA), DATA)
    committed = (ROOT / "datapackage.json").read_bytes()
    assert committed == expected, "datapackage.json is stale: run `make site` and commit it"


def test_datapackage_json_passes_frictionless():
    report = Package(str(ROOT / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_datapackage_json_is_valid_to_the_data_package_v2_profiles():
    from standards import datapackage_problems, standards

    problems = datapackage_problems(ROOT / "datapackage.json", standards() / "datapackage-2.0")
    assert not problems, problems


def test_committed_csv_files_are_in_canonical_form():
    """Files in data/ are sorted by key, LF, UTF-8: the published copies equal them byte for byte."""
    tables = load_tables(DATA)
    for resource in schema.resources():
        assert canonical_csv(tables[resource.name]) == (DATA / f"{resource.name}.csv").read_bytes(), resource.name


def test_every_indicator_place_and_source_is_used():
    tables = load_tables(DATA)
    observations = tables["observations"].frame
    assert set(tables["indicators"].frame["indicator_id"]) == set(observations["indicator_id"])
    assert set(tables["sources"].frame["source_id"]) == set(observations["source_id"])
    # Thái Bình and Vĩnh Phúc sources print national figures only: those provinces have no rows
    assert {"VN", "WORLD", "VN-31", "VN-69"} <= set(observations["geo"])


def test_the_key_figures_of_the_sources_are_recorded():
    """Spot checks of completeness against figures a reader would look for first."""
    frame = load_tables(DATA)["observations"].frame
    printed = set(frame["as_written"])
    for figure in [
        "42%",
        "45%",
        "71,79 Mbps",
        "79,95 Mbps",
        "71,39 Mbps",
        "33,17 Mbps",
        "2.255",
        "1,9 triệu tỷ đồng",
        "71/193",
        "40 triệu",
        "225 nhiệm vụ",
        "20Tbps",
        "4.475 thủ tục",
    ]:
        assert any(figure in text for text in printed), figure
    assert len(frame) >= 70
    assert (frame["kind"] == "target").sum() >= 5


def test_data_changes_bump_the_version():
    """The data equals the snapshot of the version in package.yml: changing data needs a new release."""
    metadata = load_metadata(DATA)
    released = {r.version: r for r in load_releases(DATA)}
    version = str(metadata["version"])
    assert version in released, f"version {version} is not released: run `python -m build_scripts release`"
    tables = load_tables(DATA)
    current = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
    assert released[version].files == current, (
        f"data changed since release {version}: raise version in data/package.yml and run "
        "`python -m build_scripts release`"
    )


def test_changelog_and_citation_are_fresh():
    metadata = load_metadata(DATA)
    expected = render_changelog(load_releases(DATA), metadata["title"]["en"])
    assert (ROOT / "CHANGELOG.md").read_text(encoding="utf-8") == expected
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff(
        metadata, SITE_URL, load_site(DATA).descriptor_language
    )


def test_citation_cff_validates():
    cff_path = ROOT / ".venv" / "cff"
    if not cff_path.is_dir():
        pytest.fail("cffconvert is missing: `make test` installs it into .venv/cff")
    code = (
        "import sys; from cffconvert.cli.cli import cli; sys.argv=['cffconvert','--validate','-i',sys.argv[1]]; cli()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(cff_path)},
    )
    assert result.returncode == 0 and "valid" in result.stdout, result.stdout + result.stderr
    broken = (ROOT / "CITATION.cff").read_text().replace("type: dataset", "type: datum")
    bad = Path(os.environ.get("TMPDIR", "/tmp")) / "CITATION-broken.cff"
    bad.write_text(broken)
    result = subprocess.run(
        [sys.executable, "-c", code, str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(cff_path)},
    )
    assert "datum" in result.stdout + result.stderr and "are valid" not in result.stdout
