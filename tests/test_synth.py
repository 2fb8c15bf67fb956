"""The synthetic data set: valid with its archive, canonical, deterministic, and it builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from build_scripts.config.load import load_site
from build_scripts.config.site import current, using
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.package import canonical_csv
from build_scripts.data.synth import write_synthetic

SIZE = {"indicators": 5, "places": 4, "periods": 3}
LANG_ROOTS = {"vi": "", "en": "en/"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    data, archive = write_synthetic(out, **SIZE)
    assert (data, archive) == (out / "data", out / "archive")
    return out


@pytest.fixture(autouse=True, scope="module")
def _synthetic_configuration(synthetic):
    """The synthetic portal's configuration in use (its columns and units) for the tests' direct calls."""
    with using(load_site(synthetic / "data")):
        yield


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_command_line_writes_a_set_that_passes_validate_with_the_archive(tmp_path):
    written = run_cli("synth", "--indicators", 5, "--places", 4, "--periods", 3, "--out", tmp_path)
    assert written.returncode == 0, written.stderr
    checked = run_cli("validate", "--data", tmp_path / "data", "--archive", tmp_path / "archive")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "provenance NOT checked" not in checked.stdout


def test_the_set_has_the_chosen_size_and_every_resource_in_canonical_form(synthetic):
    tables = load_tables(synthetic / "data")
    for resource in schema.resources():
        path = synthetic / "data" / f"{resource.name}.csv"
        assert canonical_csv(tables[resource.name]) == path.read_bytes(), resource.name
    observations = tables["observations"].frame
    actual = observations[observations["kind"] == "actual"]
    assert len(actual) == SIZE["indicators"] * SIZE["places"] * SIZE["periods"]
    assert (observations["kind"] == "target").any()
    assert len(tables["indicators"].frame) == SIZE["indicators"]
    assert {"VN", "WORLD"} <= set(tables["places"].frame["geo"])
    assert len(tables["places"].frame) == SIZE["places"]
    assert actual["period"].nunique() == SIZE["periods"]
    assert set(tables["indicators"].frame["unit"]) <= set(current().units)


def test_as_written_follows_vietnamese_conventions(synthetic):
    written = load_tables(synthetic / "data")["observations"].frame["as_written"]
    assert written.str.contains(r"\d,\d").any()  # decimal comma
    assert written.str.contains(r"\d\.\d{3}\b").any()  # dot between groups of thousands


def test_same_seed_same_bytes_other_seed_other_values(synthetic, tmp_path):
    write_synthetic(tmp_path / "again", **SIZE)
    assert snapshot(tmp_path / "again") == snapshot(synthetic)
    write_synthetic(tmp_path / "other", **SIZE, seed=2)
    other = (tmp_path / "other" / "data" / "observations.csv").read_bytes()
    assert other != (synthetic / "data" / "observations.csv").read_bytes()


def test_a_broken_archive_line_is_caught(synthetic, tmp_path):
    """The provenance check really reads the synthetic archive: one changed line fails it."""
    import shutil

    shutil.copytree(synthetic, tmp_path / "copy")
    document = sorted((tmp_path / "copy" / "archive").glob("synth-*.txt"))[0]
    lines = document.read_text(encoding="utf-8").split("\n")
    lines[2] = "(dòng đã bị xóa)"
    document.write_text("\n".join(lines), encoding="utf-8")
    checked = run_cli("validate", "--data", tmp_path / "copy" / "data", "--archive", tmp_path / "copy" / "archive")
    assert checked.returncode == 1
    assert "archive-hash" in checked.stderr and "as-written-on-line" in checked.stderr


def test_the_set_builds_with_a_page_per_indicator_in_both_languages(synthetic, tmp_path):
    from build_scripts.pipeline import build_site

    out = tmp_path / "site"
    build_site(synthetic / "data", out, work=tmp_path / "work")
    indicator_ids = load_tables(synthetic / "data")["indicators"].frame["indicator_id"]
    for lang, root in LANG_ROOTS.items():
        missing = [i for i in indicator_ids if not (out / root / "indicators" / i / "index.html").exists()]
        assert not missing, lang
    assert (out / "downloads" / "synthetic-portal.zip").exists()
    assert not (Path(__file__).resolve().parents[1] / "datapackage.json").read_text().count("synthetic-portal")
