"""The DCAT-AP 3 catalogue (site/catalog.jsonld) read as RDF by rdflib, offline.

Every mandatory and recommended property of the catalogue, the dataset and each distribution is there;
formats and media types are IRIs of their authorities (the EU file-type table, IANA); each download's
size and SHA-256 are those of the file in site/downloads, and the CSV files' those the descriptor
states. A distribution is listed exactly when its file was written. package.yml's contact, themes and
licence IRI are checked like the rest of the file, and left out of the catalogue when not given.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import warnings
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import DATA, FIXTURES, run_cli
from rdflib import Graph, Literal, Namespace, URIRef

from build_scripts.config.site import current
from build_scripts.data import schema
from build_scripts.data.package import load_metadata
from build_scripts.publish.catalog import dcat_catalog, dump
from build_scripts.render import read_site_url

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DCT_TITLE, DCT_FORMAT = DCT["title"], DCT["format"]  # DCT.title would be str.title
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = f"{EU}file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
SITE_URL = read_site_url()
DOWNLOADS = f"{SITE_URL}downloads/"

# a download's extension -> (its code in the EU file-type table, its IANA media type); the table has
# no code for an SQLite database, whose format is then its media type
EXPECTED = {
    "csv": ("CSV", "text/csv"),
    "excel.csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
}
PACKAGE_EXPECTED = {"zip": ("ZIP", "application/zip"), "sqlite": (None, "application/vnd.sqlite3")}


def offline_graph(text: str) -> Graph:
    """The JSON-LD as rdflib reads it without the network: the @context is inline, and a connection or a
    remote context rdflib tried to fetch would fail the test."""
    assert isinstance(json.loads(text)["@context"], dict)

    def refuse(*args, **kwargs):
        raise AssertionError(f"rdflib tried to reach the network: {args}")

    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own use of its ConjunctiveGraph
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr("rdflib.plugins.shared.jsonld.context.source_to_json", refuse)
        return Graph().parse(data=text, format="json-ld")


@pytest.fixture(scope="module")
def graph(built_site) -> Graph:
    return offline_graph((built_site / "catalog.jsonld").read_text(encoding="utf-8"))


def one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def iri(graph: Graph, subject, predicate, of_type=None) -> URIRef:
    value = one(graph, subject, predicate)
    assert isinstance(value, URIRef) and str(value).startswith(("http://", "https://")), (predicate, value)
    if of_type is not None:
        assert (value, RDF.type, of_type) in graph, (value, of_type)
    return value


def languages_of(graph: Graph, subject, predicate) -> set[str]:
    """The languages a text property is given in (each value a non-empty literal)."""
    values = list(graph.objects(subject, predicate))
    assert values and all(isinstance(v, Literal) and str(v).strip() for v in values), (subject, predicate)
    return {v.language for v in values}


def typed(graph: Graph, subject, predicate, datatype) -> Literal:
    value = one(graph, subject, predicate)
    assert isinstance(value, Literal) and value.datatype == datatype, (predicate, value)
    return value


def portal_of(metadata: dict) -> SimpleNamespace:
    """What dcat_catalog reads of a portal: its metadata and the observations' first and last days."""
    return SimpleNamespace(
        metadata=metadata, observations=pd.DataFrame({"start": [date(2022, 1, 1)], "end": [date(2024, 12, 31)]})
    )


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ the catalogue and the dataset


def test_the_catalogue_has_every_mandatory_and_recommended_property(graph):
    meta = load_metadata(DATA)
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    languages = set(current().languages)
    assert languages_of(graph, catalogue, DCT_TITLE) == languages
    assert languages_of(graph, catalogue, DCT.description) == languages
    publisher = one(graph, catalogue, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph and str(one(graph, publisher, FOAF.name)) == meta["creator"]
    assert iri(graph, catalogue, FOAF.homepage) == URIRef(SITE_URL)
    (dataset,) = graph.objects(catalogue, DCAT.dataset)
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    spoken = list(graph.objects(catalogue, DCT.language))
    assert len(spoken) == len(languages) and all(str(lang).startswith(f"{EU}language/") for lang in spoken)
    assert all((lang, RDF.type, DCT.LinguisticSystem) in graph for lang in spoken)
    licence = iri(graph, catalogue, DCT.license, DCT.LicenseDocument)
    assert licence == URIRef(f"{EU}licence/CC_BY_4_0") == URIRef(meta["license"]["iri"])
    assert one(graph, licence, SKOS.exactMatch) == URIRef(meta["license"]["path"])
    assert typed(graph, catalogue, DCT.modified, XSD.date).toPython() == date.fromisoformat(str(meta["released"]))
    assert iri(graph, catalogue, DCT.spatial) == URIRef(current().spatial_iri)
    assert iri(graph, catalogue, DCAT.themeTaxonomy) == URIRef(f"{EU}data-theme")


def test_the_dataset_has_every_mandatory_and_recommended_property(graph):
    meta = load_metadata(DATA)
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    dataset = one(graph, catalogue, DCAT.dataset)
    languages = set(current().languages)
    assert languages_of(graph, dataset, DCT_TITLE) == languages
    assert languages_of(graph, dataset, DCT.description) == languages
    contact = one(graph, dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert str(one(graph, contact, VCARD.fn)) == meta["contact"]["name"]
    assert iri(graph, contact, VCARD.hasURL) == URIRef(meta["contact"]["url"])
    assert len(list(graph.objects(dataset, DCAT.distribution))) >= len(schema.resources()) * 4
    assert sorted(str(k) for k in graph.objects(dataset, DCAT.keyword)) == sorted(meta["keywords"])
    publisher = one(graph, dataset, DCT.publisher)
    assert str(one(graph, publisher, FOAF.name)) == meta["creator"]
    assert iri(graph, dataset, DCT.spatial, DCT.Location) == URIRef(current().spatial_iri)
    period = one(graph, dataset, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in graph
    start, end = (typed(graph, period, p, XSD.date).toPython() for p in (DCAT.startDate, DCAT.endDate))
    assert start <= end
    themes = set(graph.objects(dataset, DCAT.theme))
    assert themes == {URIRef(theme) for theme in meta["themes"]}
    assert all(str(theme).startswith(f"{EU}data-theme/") for theme in themes)
    assert iri(graph, dataset, DCT.license) == iri(graph, catalogue, DCT.license)
    assert iri(graph, dataset, DCAT.landingPage) == URIRef(SITE_URL)


# ------------------------------------------------------------------ the distributions


def check_distribution(graph: Graph, distribution, downloads, licence) -> str:
    """Every mandatory and recommended property of one distribution, its size and checksum those of its
    file in downloads; returns the file's name."""
    name = str(iri(graph, distribution, DCAT.downloadURL)).removeprefix(DOWNLOADS)
    path = downloads / name
    assert path.is_file(), name
    stem, _, extension = name.partition(".")
    code, media_type = {**EXPECTED, **PACKAGE_EXPECTED}[extension]
    assert str(iri(graph, distribution, DCAT.accessURL)).startswith(SITE_URL)
    assert languages_of(graph, distribution, DCT.description) == set(current().languages), name
    assert str(one(graph, distribution, DCT_TITLE)).strip()
    media = iri(graph, distribution, DCAT.mediaType, DCT.MediaType)
    assert media == URIRef(IANA + media_type), name
    file_type = iri(graph, distribution, DCT_FORMAT, DCT.MediaTypeOrExtent)
    assert file_type == URIRef(FILE_TYPE + code if code else IANA + media_type), name
    assert iri(graph, distribution, DCT.license) == licence
    size = typed(graph, distribution, DCAT.byteSize, XSD.nonNegativeInteger)
    assert int(size) == path.stat().st_size, name
    checksum = one(graph, distribution, SPDX.checksum)
    assert (checksum, RDF.type, SPDX.Checksum) in graph
    assert iri(graph, checksum, SPDX.algorithm, SPDX.ChecksumAlgorithm) == SPDX.checksumAlgorithm_sha256
    assert str(typed(graph, checksum, SPDX.checksumValue, XSD.hexBinary)) == sha256(path), name
    return name


def test_each_distribution_is_a_written_file_with_its_size_checksum_format_and_media_type(graph, built_site):
    downloads = built_site / "downloads"
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    licence = iri(graph, catalogue, DCT.license)
    dataset = one(graph, catalogue, DCAT.dataset)
    listed = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        listed[check_distribution(graph, distribution, downloads, licence)] = distribution
    package = load_metadata(DATA)["name"]
    written = {
        f"{stem}.{extension}"
        for stems, extensions in (([r.name for r in schema.resources()], EXPECTED), ([package], PACKAGE_EXPECTED))
        for stem in stems
        for extension in extensions
        if (downloads / f"{stem}.{extension}").is_file()
    }
    assert set(listed) == written
    descriptor = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        distribution = listed[f"{resource['name']}.csv"]
        assert int(one(graph, distribution, DCAT.byteSize)) == resource["bytes"]
        checksum = one(graph, distribution, SPDX.checksum)
        assert f"sha256:{one(graph, checksum, SPDX.checksumValue)}" == resource["hash"]


def test_a_format_is_listed_only_when_its_file_was_written(built_site, tmp_path):
    """Parquet and SQLite files (written by another stage) appear once they are there, and an XLSX that
    was not written (past Excel's row limit) does not; the same files give the same bytes."""
    downloads = tmp_path / "downloads"
    shutil.copytree(built_site / "downloads", downloads)
    meta = load_metadata(DATA)
    (downloads / "events.xlsx").unlink()
    (downloads / "events.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 40 + b"PAR1")
    (downloads / f"{meta['name']}.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(5000))
    made = dump(dcat_catalog(portal_of(meta), SITE_URL, downloads))
    assert dump(dcat_catalog(portal_of(meta), SITE_URL, downloads)) == made
    graph = offline_graph(made.decode("utf-8"))
    licence = URIRef(meta["license"]["iri"])
    names = {check_distribution(graph, d, downloads, licence) for d in graph.subjects(RDF.type, DCAT.Distribution)}
    assert {"events.parquet", f"{meta['name']}.sqlite"} <= names
    assert "events.xlsx" not in names and "events.csv" in names


# ------------------------------------------------------------------ package.yml's catalogue keys


def test_without_the_catalogue_keys_the_catalogue_leaves_them_out(data_copy, built_site):
    shutil.copy(FIXTURES / "package-without-catalogue-keys.yml", data_copy / "package.yml")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 0, result.stderr
    meta = load_metadata(data_copy)
    graph = offline_graph(dump(dcat_catalog(portal_of(meta), SITE_URL, built_site / "downloads")).decode())
    for left_out in (DCAT.contactPoint, DCAT.theme, DCAT.themeTaxonomy, SKOS.exactMatch):
        assert not list(graph.subject_objects(left_out)), left_out
    path = URIRef(meta["license"]["path"])
    assert set(graph.objects(None, DCT.license)) == {path} and (path, RDF.type, DCT.LicenseDocument) in graph


CATALOGUE_KEYS_BROKEN = [
    # fixture (it replaces package.yml), what the one error line says
    ("package-theme-not-an-iri.yml", ["line 35, key themes[1]", "[config-pattern]", "'data-theme/TECH'", "IRI"]),
    ("package-license-iri-without-scheme.yml", ["line 24, key license.iri", "[config-pattern]", "http(s) IRI"]),
    ("package-contact-without-email-or-url.yml", ["key contact:", "[config-required]", "neither email nor url"]),
    ("package-contact-email-not-an-address.yml", ["key contact.email", "[config-pattern]", "e-mail address"]),
]


@pytest.mark.parametrize("fixture, expected", CATALOGUE_KEYS_BROKEN, ids=[c[0] for c in CATALOGUE_KEYS_BROKEN])
def test_a_bad_catalogue_key_fails_validate_with_one_precise_line(fixture, expected, data_copy):
    shutil.copy(FIXTURES / fixture, data_copy / "package.yml")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(data_copy))]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{data_copy}/package.yml: "), lines[0]
    for part in expected:
        assert part in lines[0], (part, lines[0])
