"""Every published artefact valid to its standard's own validator, on this portal, on each example
and on a synthetic portal (tests/standards.py holds the judges): the Data Package v2 profiles and
frictionless, CSVW, the sitemap XSD, DCAT-AP 3.0.1's SHACL shapes, Google's Dataset rules, DuckDB's
reading of the SQLite file's types, and no link to a file the site lacks.

Each judge is also shown a planted copy of a problem the site once had, so that a pass means the
judge looked.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest
from conftest import EXAMPLE_NAMES, run_cli
from standards import (
    broken_links,
    csvw_problems,
    datapackage_problems,
    date_type_problems,
    site_url_of,
    sitemap_problems,
    standards,
)
from standards_dcat import NOT_GIVEN, UNANSWERABLE, dcat_problems
from standards_schemaorg import dataset_markup_problems

SITES = ["portal", *EXAMPLE_NAMES, "synthetic"]


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory):
    """A synthetic portal (the `synth` command's data and archive), built as a project of its own."""
    out = tmp_path_factory.mktemp("synthetic-portal")
    written = run_cli("synth", "--indicators", 4, "--places", 3, "--periods", 3, "--out", out)
    assert written.returncode == 0, written.stderr
    built = run_cli(
        "build", "--data", out / "data", "--archive", out / "archive", "--out", out / "site", "--work", out / "work"
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "site"


@pytest.fixture(params=SITES)
def site(request):
    if request.param == "portal":
        return request.getfixturevalue("built_site")
    if request.param == "synthetic":
        return request.getfixturevalue("synthetic_site")
    return request.getfixturevalue("built_example")(request.param)


def test_the_descriptor_is_valid_to_the_data_package_v2_profiles_and_frictionless(site):
    problems = datapackage_problems(site / "downloads" / "datapackage.json", standards() / "datapackage-2.0")
    assert not problems, "\n".join(problems[:20])


def test_every_csvw_file_is_valid_to_the_csvw_validator(site):
    assert list(site.rglob("*.csv-metadata.json")), "the site publishes CSVW metadata"
    problems = csvw_problems(site)
    assert not problems, "\n".join(problems[:20])


def test_every_sitemap_is_valid_to_the_sitemaps_xsd(site):
    problems = sitemap_problems(site, standards() / "sitemaps-0.9" / "sitemap.xsd")
    assert not problems, "\n".join(problems[:20])


def test_the_catalogue_is_valid_to_the_dcat_ap_shapes(site, request):
    """No violation and no warning the data can answer (standards_dcat.UNANSWERABLE says which it cannot,
    and why); the examples and the synthetic portal configure no themes or contact point, which their
    catalogues then leave out (NOT_GIVEN), where this portal configures every one."""
    allowed = UNANSWERABLE if request.node.callspec.params["site"] == "portal" else UNANSWERABLE + NOT_GIVEN
    problems = dcat_problems(site / "catalog.jsonld", standards(), allowed)
    assert not problems, "\n".join(problems[:20])


def test_the_dataset_markup_meets_googles_dataset_rules(site):
    problems = dataset_markup_problems(site, site_url_of(site))
    assert not problems, "\n".join(problems[:20])


def test_duckdb_reads_each_date_field_of_the_database_as_a_date(site):
    problems = date_type_problems(site)
    assert not problems, problems


def test_no_published_file_links_to_a_file_the_site_lacks(site):
    problems = broken_links(site, site_url_of(site))
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:20])


# ------------------------------------------------------------------------------ the judges look


@pytest.fixture
def site_copy(built_site, tmp_path):
    """A copy of the portal's site, to plant a problem in."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_the_csvw_judge_refuses_a_property_csvw_does_not_define(site_copy):
    """The CSVW files once named the unit with bare keys (`unit`, `unit_name`)."""
    path = next(site_copy.rglob("*.csv-metadata.json"))
    described = json.loads(path.read_text(encoding="utf-8"))
    described["unit"] = described.pop("schema:unitCode")
    path.write_text(json.dumps(described), encoding="utf-8")
    assert any("Invalid property unit" in problem for problem in csvw_problems(site_copy))


def test_the_data_package_judge_refuses_a_self_reference_that_names_its_table(site_copy):
    """places.successor -> geo once named "resource": "places"."""
    path = site_copy / "downloads" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource, key = next(
        (r, k)
        for r in package["resources"]
        for k in r["schema"].get("foreignKeys", [])
        if "resource" not in k["reference"]
    )
    key["reference"]["resource"] = resource["name"]
    path.write_text(json.dumps(package), encoding="utf-8")
    problems = datapackage_problems(path, standards() / "datapackage-2.0")
    assert any("self-reference must omit `resource`" in problem for problem in problems), problems


def test_the_link_judge_finds_an_api_link_to_a_missing_file(site_copy, built_site):
    """The API once gave a CSV address to places without figures."""
    site_url = site_url_of(built_site)
    path = next((site_copy / "api" / "places").glob("*.json"))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["place"]["csv_url"] = f"{site_url}downloads/places/nowhere.csv"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert broken_links(site_copy, site_url) == [
        f"api/places/{path.name} -> {site_url}downloads/places/nowhere.csv: no such file in the site"
    ]


def test_the_date_judge_sees_a_date_declared_as_text(site_copy):
    """The database once declared its dates TEXT, which DuckDB reads as VARCHAR."""
    (database,) = site_copy.glob("downloads/*.sqlite")
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("UPDATE sqlite_master SET sql = replace(sql, ' DATE ', ' TEXT ') WHERE type = 'table'")
    problems = date_type_problems(site_copy)
    assert len(problems) >= 6 and all(problem.endswith("date read as VARCHAR") for problem in problems), problems


def test_the_sitemap_judge_refuses_a_language_version_without_its_address(built_site, tmp_path):
    """The XSD checks the <xhtml:link> elements too (by the declaration beside it), not only <url>."""
    text = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<xhtml:link" in text
    (tmp_path / "sitemap.xml").write_text(re.sub(r' href="[^"]*"', "", text, count=1), encoding="utf-8")
    problems = sitemap_problems(tmp_path, standards() / "sitemaps-0.9" / "sitemap.xsd")
    assert len(problems) == 1 and "'href' is required but missing" in problems[0], problems
