"""The DCAT-AP 3 catalogue (site/catalog.jsonld) read as RDF by rdflib, offline.

Every mandatory and recommended property of the catalogue, the dataset and each distribution is there;
formats and media types are IRIs of their authorities (the EU file-type table, IANA); each download's
size and SHA-256 are those of the file in site/downloads, and the CSV files' those the descriptor
states. A distribution is listed exactly when its file was written. package.yml's contact, themes,
licence IRI and publisher, and site.yml's place and its geometry, are checked like the rest of their
files, and left out of the catalogue when not given. The whole catalogue meets data.europa.eu's own
DCAT-AP 3.0.1 shapes (standards_dcat.py), but for what the data cannot answer.
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
from conftest import DATA, FIXTURES, ROOT, run_cli
from rdflib import OWL, Graph, Literal, Namespace, URIRef
from standards_dcat import UNANSWERABLE, dcat_problems

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
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = "http://purl.org/adms/"
STANDARDS = ROOT.parent / "shared" / "standards"
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = f"{EU}file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
SITE_URL = read_site_url(ROOT)
DOWNLOADS = f"{SITE_URL}downloads/"

# a download's extension -> (its code in the EU file-type table, its IANA media type); the table has
# no code for an SQLite database, which then has no dct:format
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
    """What dcat_catalog reads of a portal: the fixture's configuration, its metadata and the observations'
    first and last days."""
    return SimpleNamespace(
        config=current(),
        metadata=metadata,
        observations=pd.DataFrame({"start": [date(2022, 1, 1)], "end": [date(2024, 12, 31)]}),
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
    publisher = iri(graph, catalogue, DCT.publisher, FOAF.Agent)
    assert publisher == URIRef(f"{SITE_URL}#publisher") and str(one(graph, publisher, FOAF.name)) == meta["creator"]
    kind = iri(graph, publisher, DCT.type, SKOS.Concept)
    assert kind == URIRef(f"{ADMS}publishertype/{meta['publisher']['type']}") and one(graph, kind, SKOS.prefLabel)
    assert (one(graph, kind, SKOS.inScheme), RDF.type, SKOS.ConceptScheme) in graph
    assert iri(graph, catalogue, FOAF.homepage, FOAF.Document) == URIRef(SITE_URL)
    assert typed(graph, catalogue, DCT.issued, XSD.date).toPython() == date.fromisoformat(str(meta["released"]))
    assert iri(graph, catalogue, FOAF.homepage) == URIRef(SITE_URL)
    (dataset,) = graph.objects(catalogue, DCAT.dataset)
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    spoken = list(graph.objects(catalogue, DCT.language))
    assert len(spoken) == len(languages) and all(str(lang).startswith(f"{EU}language/") for lang in spoken)
    assert all((lang, RDF.type, DCT.LinguisticSystem) in graph for lang in spoken)
    licence = iri(graph, catalogue, DCT.license, DCT.LicenseDocument)
    assert licence == URIRef(f"{EU}licence/CC_BY_4_0") == URIRef(meta["license"]["iri"])
    assert one(graph, licence, SKOS.exactMatch) == URIRef(meta["license"]["path"])
    assert iri(graph, licence, DCT.type, SKOS.Concept) == URIRef(f"{ADMS}licencetype/Attribution")
    assert typed(graph, catalogue, DCT.modified, XSD.date).toPython() == date.fromisoformat(str(meta["released"]))
    place = iri(graph, catalogue, DCT.spatial, DCT.Location)
    assert place == URIRef(current().spatial_iri) and one(graph, place, SKOS.inScheme) == URIRef(f"{EU}country")
    west, south, east, north = current().spatial_bbox
    box = typed(graph, place, DCAT.bbox, GSP.wktLiteral)
    assert str(box) == f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    assert str(typed(graph, place, DCAT.centroid, GSP.wktLiteral)) == "POINT({} {})".format(*current().spatial_centroid)
    taxonomy = iri(graph, catalogue, DCAT.themeTaxonomy, SKOS.ConceptScheme)
    assert taxonomy == URIRef(f"{EU}data-theme") and one(graph, taxonomy, DCT_TITLE)


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
    assert one(graph, dataset, DCT.publisher) == one(graph, catalogue, DCT.publisher)
    assert str(typed(graph, dataset, DCAT.version, None)) == str(meta["version"])
    assert not list(graph.objects(dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo")))
    assert iri(graph, dataset, DCT.spatial, DCT.Location) == URIRef(current().spatial_iri)
    period = one(graph, dataset, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in graph
    start, end = (typed(graph, period, p, XSD.date).toPython() for p in (DCAT.startDate, DCAT.endDate))
    assert start <= end
    themes = set(graph.objects(dataset, DCAT.theme))
    assert themes == {URIRef(theme) for theme in meta["themes"]}
    assert all(str(theme).startswith(f"{EU}data-theme/") for theme in themes)
    for theme in themes:
        assert (theme, RDF.type, SKOS.Concept) in graph and one(graph, theme, SKOS.prefLabel)
        assert one(graph, theme, SKOS.inScheme) == URIRef(f"{EU}data-theme")
    assert iri(graph, dataset, DCT.license) == iri(graph, catalogue, DCT.license)
    assert iri(graph, dataset, DCAT.landingPage, FOAF.Document) == URIRef(SITE_URL)


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
    if code:
        file_type = iri(graph, distribution, DCT_FORMAT, DCT.MediaTypeOrExtent)
        assert file_type == URIRef(FILE_TYPE + code) and one(graph, file_type, SKOS.inScheme) == URIRef(FILE_TYPE[:-1])
    else:
        assert not list(graph.objects(distribution, DCT_FORMAT)), name
    assert all((s, RDF.type, DCT.Standard) in graph for s in graph.objects(distribution, DCT.conformsTo)), name
    availability = iri(graph, distribution, DCATAP.availability, SKOS.Concept)
    assert availability == URIRef(f"{EU}planned-availability/STABLE"), name
    assert one(graph, availability, SKOS.inScheme) == URIRef(f"{EU}planned-availability")
    assert iri(graph, distribution, DCT.license) == licence
    size = typed(graph, distribution, DCAT.byteSize, XSD.nonNegativeInteger)
    assert int(size) == path.stat().st_size, name
    checksum = one(graph, distribution, SPDX.checksum)
    assert (checksum, RDF.type, SPDX.Checksum) in graph
    # the https IRI the EU's Codelists shapes require, the same term as SPDX's own (http) IRI
    algorithm = iri(graph, checksum, SPDX.algorithm, SPDX.ChecksumAlgorithm)
    assert algorithm == URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
    assert (algorithm, OWL.sameAs, SPDX.checksumAlgorithm_sha256) in graph
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
    ("package-publisher-type-unknown.yml", ["line 37, key publisher.type", "[config-pattern]", "PrivateIndividual"]),
]


@pytest.mark.parametrize("fixture, expected", CATALOGUE_KEYS_BROKEN, ids=[c[0] for c in CATALOGUE_KEYS_BROKEN])
def test_a_bad_catalogue_key_fails_validate_with_one_precise_line(fixture, expected, data_copy):
    shutil.copy(FIXTURES / fixture, data_copy / "package.yml")
    assert_one_line(data_copy, "package.yml", expected)


def assert_one_line(data_copy, file: str, expected: list[str]) -> None:
    """validate fails on the data folder with one line naming the file and saying each expected part."""
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(data_copy))]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{data_copy}/{file}: "), lines[0]
    for part in expected:
        assert part in lines[0], (part, lines[0])


SPATIAL = "  bbox: [102.14, 8.55, 109.46, 23.39]\n  centroid: [107.83, 16.17]\n"
SPATIAL_BROKEN = [
    # what replaces site.yml's bbox and centroid, what the one error line says
    ("bbox-west-of-east", "  bbox: [109.46, 8.55, 102.14, 23.39]\n", ["key spatial.bbox", "[config-range]", "west"]),
    ("bbox-three-numbers", "  bbox: [102.14, 8.55, 109.46]\n", ["key spatial.bbox", "[config-type]", "not the 4"]),
    ("centroid-latitude-100", "  centroid: [107.83, 100]\n", ["key spatial.centroid[1]", "[config-range]", "latitude"]),
    ("centroid-text", "  centroid: middle\n", ["key spatial.centroid", "[config-type]", "[longitude, latitude]"]),
    ("centroid-outside-bbox", SPATIAL.replace("107.83", "120.5"), ["key spatial.centroid", "outside the bbox"]),
]


@pytest.mark.parametrize("lines, expected", [c[1:] for c in SPATIAL_BROKEN], ids=[c[0] for c in SPATIAL_BROKEN])
def test_a_bad_bbox_or_centroid_fails_validate_with_one_precise_line(lines, expected, data_copy):
    site = data_copy / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert SPATIAL in text
    site.write_text(text.replace(SPATIAL, lines), encoding="utf-8")
    assert_one_line(data_copy, "site.yml", expected)


# ------------------------------------------------------------------ the EU validator's own shapes


def test_the_catalogue_meets_the_eu_validators_dcat_ap_shapes(built_site):
    """No violation and no warning of DCAT-AP 3.0.1 Full and Codelists, as data.europa.eu's validator
    reports them, but those the data cannot answer (standards_dcat.UNANSWERABLE, each with its reason)."""
    if not (STANDARDS / "dcat-ap-3.0.1").is_dir():
        pytest.skip(f"the DCAT-AP 3.0.1 shapes are not in {STANDARDS / 'dcat-ap-3.0.1'}; the catalogue was not judged")
    problems = dcat_problems(built_site / "catalog.jsonld", STANDARDS, UNANSWERABLE)
    assert problems == [], "\n".join(problems)
