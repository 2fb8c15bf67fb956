"""Judges of a built site by the standards' own validators, run offline as a harvester would run them.

Each returns a list of problems, one line each, naming the file and what its validator said; an empty
list is a pass. The official artefacts (the Data Package v2 profiles, the sitemap XSD, the DCAT-AP
SHACL shapes) are read from the shared standards folder (its SOURCES.md says where each comes from);
`standards()` skips a test with a clear message where that folder is absent, as the provenance check
does without the archive. What no artefact states (a Table Schema self-reference names no resource,
every link names a published file) is written here, with the rule's words.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from standards_schemaorg import JsonLdScripts

STANDARDS = Path(__file__).resolve().parents[2] / "shared" / "standards"
DATAPACKAGE_PROFILES = ("datapackage", "dataresource", "tableschema", "tabledialect")
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def standards() -> Path:
    """The folder of the standards' official artefacts, or a skip saying where it was looked for."""
    if not (STANDARDS / "SOURCES.md").is_file():
        pytest.skip(f"the standards' official artefacts are not at {STANDARDS}; the site was not judged by them")
    return STANDARDS


def site_url_of(site: Path) -> str:
    """The address the site was built for, as its catalogue names its own home page."""
    catalogue = json.loads((site / "catalog.jsonld").read_text(encoding="utf-8"))
    return catalogue["@id"].removesuffix("catalog.jsonld")


# ------------------------------------------------------------------------------ Data Package v2


def datapackage_problems(descriptor: Path, folder: Path) -> list[str]:
    """The descriptor against the Data Package v2 profile (JSON Schema, draft 7), each resource against
    the Data Resource profile, each table schema against the Table Schema profile; the rule of the Table
    Schema v2 text that a reference into its own resource 'MUST' omit `resource`; and frictionless'
    own `validate` of the descriptor with its data."""
    import frictionless
    import jsonschema

    profile = {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in DATAPACKAGE_PROFILES}
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    where = descriptor.name
    problems = [
        f"{where}: {e.json_path}: {e.message}" for e in _schema_errors(jsonschema, profile["datapackage"], package)
    ]
    for index, resource in enumerate(package.get("resources", [])):
        at = f"{where}: resources[{index}] ({resource.get('name')})"
        problems += [
            f"{at}: {e.json_path}: {e.message}" for e in _schema_errors(jsonschema, profile["dataresource"], resource)
        ]
        table_schema = resource.get("schema")
        if isinstance(table_schema, dict):
            problems += [
                f"{at}.schema: {e.json_path}: {e.message}"
                for e in _schema_errors(jsonschema, profile["tableschema"], table_schema)
            ]
            for key in table_schema.get("foreignKeys", []):
                if key.get("reference", {}).get("resource") == resource.get("name"):
                    problems.append(
                        f"{at}.schema: foreign key {key['fields']} refers to its own table by name; "
                        "Table Schema v2: a self-reference must omit `resource`"
                    )
        if isinstance(resource.get("dialect"), dict):
            problems += [
                f"{at}.dialect: {e.json_path}: {e.message}"
                for e in _schema_errors(jsonschema, profile["tabledialect"], resource["dialect"])
            ]
    report = frictionless.validate(str(descriptor), basepath=str(descriptor.parent))
    for task in report.tasks:
        problems += [f"{where}: frictionless: {task.name}: {error.message}" for error in task.errors]
    problems += [f"{where}: frictionless: {error.message}" for error in report.errors]
    return problems


def _schema_errors(jsonschema, profile: dict, instance: dict):
    return sorted(jsonschema.Draft7Validator(profile).iter_errors(instance), key=lambda e: e.json_path)


# ------------------------------------------------------------------------------ CSVW


def csvw_problems(site: Path) -> list[str]:
    """Every `*.csv-metadata.json` of the site by the `csvw` package's validator (`csvwvalidate`'s check,
    strict): its warnings and errors, each under the file's path."""
    from csvw import CSVW

    problems = []
    for path in sorted(site.rglob("*.csv-metadata.json")):
        where = path.relative_to(site)
        try:
            described = CSVW(str(path), validate=True, strict=True)
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        problems += [f"{where}: {warning.message}" for warning in described.warnings]
        if not described.is_valid and not described.warnings:
            problems.append(f"{where}: not valid")
    return problems


# ------------------------------------------------------------------------------ SQLite, as DuckDB reads it


def duckdb_with_sqlite_reader():
    """DuckDB with its SQLite reader loaded from the pinned wheel (no network: `INSTALL sqlite` would fetch it)."""
    import importlib.resources

    import duckdb
    import duckdb_extension_sqlite_scanner

    folder = importlib.resources.files(duckdb_extension_sqlite_scanner) / "extensions" / f"v{duckdb.__version__}"
    connection = duckdb.connect()
    connection.load_extension(str(folder / "sqlite_scanner.duckdb_extension"))
    return connection


def date_type_problems(site: Path) -> list[str]:
    """Each field of the site's SQLite file whose type DuckDB's SQLite reader reads as a date where the
    descriptor does not say date, or not where it does."""
    descriptor = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    (database,) = site.glob("downloads/*.sqlite")
    duck = duckdb_with_sqlite_reader()
    problems = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        read = duck.sql(f"DESCRIBE SELECT * FROM sqlite_scan('{database}', '{name}')").fetchall()
        types = {column: kind for column, kind, *_ in read}
        for field in resource["schema"]["fields"]:
            if (types[field["name"]] == "DATE") != (field["type"] == "date"):
                problems.append(
                    f"{database.name}: {name}.{field['name']}: {field['type']} read as {types[field['name']]}"
                )
    return problems


# ------------------------------------------------------------------------------ sitemaps


XHTML_LINK_XSD = Path(__file__).resolve().parent / "fixtures" / "standards" / "xhtml-link.xsd"


def sitemap_problems(site: Path, xsd: Path) -> list[str]:
    """Every sitemap of the site against sitemaps.org's 0.9 XSD (lxml). The XSD admits other namespaces'
    elements strictly, so the language versions' <xhtml:link> (Google's hreflang extension) are checked
    against a declaration of that element alone (XHTML_LINK_XSD), imported beside it."""
    from lxml import etree

    both = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SITEMAP_NAMESPACE}" schemaLocation="{xsd.resolve().as_uri()}"/>
      <xsd:import namespace="http://www.w3.org/1999/xhtml" schemaLocation="{XHTML_LINK_XSD.as_uri()}"/>
    </xsd:schema>"""
    schema = etree.XMLSchema(etree.fromstring(both.encode()))
    sitemaps = sorted(p for p in site.rglob("sitemap*.xml"))
    problems = [] if sitemaps else ["no sitemap.xml in the site"]
    for path in sitemaps:
        if not schema.validate(etree.parse(str(path))):
            problems += [f"{path.relative_to(site)}:{e.line}: {e.message}" for e in schema.error_log]
    return problems


# ------------------------------------------------------------------------------ links


class _Links(HTMLParser):
    """A page's links: href, src, srcset, an og:image or og:url."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "base" and attributes.get("href"):
            self.base = attributes["href"]
        for name, value in attrs:
            if not value:
                continue
            if name in ("href", "src", "data-src", "poster", "xlink:href"):
                self.links.append(value)
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "content" and attributes.get("property", attributes.get("name", "")).endswith(
                (":image", ":url")
            ):
                self.links.append(value)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _target(site: Path, site_url: str, url: str) -> Path | None:
    """The file a URL under site_url names (a folder's index.html), or None for a URL outside the site."""
    if not url.startswith(site_url):
        return None
    path = unquote(urlsplit(url).path.removeprefix(urlsplit(site_url).path))
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") or target.is_dir() else target


def published_links(site: Path, site_url: str):
    """(file, URL) for every link of every published file that names a place on this site: the pages'
    href/src/srcset and their JSON-LD, every JSON file's addresses (the API, the descriptors, the
    catalogue; a descriptor's resource paths and a CSVW file's `url` taken relative to it), the
    feed's and the sitemaps' addresses, robots.txt's Sitemap lines, the SVGs' links and CITATION.cff."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        here = site_url + relative
        suffix = path.suffix
        if suffix == ".html":
            page, parser, scripts = path.read_text(encoding="utf-8"), _Links(), JsonLdScripts()
            parser.feed(page)
            scripts.feed(page)
            base = urljoin(here, parser.base) if parser.base else here
            for link in parser.links:
                yield relative, urljoin(base, link)
            for block in scripts.blocks:
                yield from ((relative, s) for s in _strings(json.loads(block)) if s.startswith(site_url))
        elif suffix in (".json", ".jsonld") or relative.endswith(".csv-metadata.json"):
            document = json.loads(path.read_text(encoding="utf-8"))
            yield from ((relative, s) for s in _strings(document) if s.startswith(site_url))
            if path.name == "datapackage.json":
                for resource in document.get("resources", []):
                    for part in (
                        [resource.get("path")] if isinstance(resource.get("path"), str) else resource.get("path", [])
                    ):
                        yield relative, urljoin(here, part)
            if relative.endswith(".csv-metadata.json") and isinstance(document.get("url"), str):
                yield relative, urljoin(here, document["url"])
        elif suffix in (".xml", ".svg", ".txt", ".cff"):
            text = path.read_text(encoding="utf-8")
            for link in re.findall(
                r"""(?:href|src)=["']([^"']+)["']|<loc>\s*([^<\s]+)|^Sitemap:\s*(\S+)|url:\s*["']?([^"'\s]+)""",
                text,
                re.M,
            ):
                link = next(part for part in link if part)
                yield relative, urljoin(here, link)


def broken_links(site: Path, site_url: str) -> list[str]:
    """Each link of a published file (published_links) to a file the site lacks, once per file and link."""
    problems, seen = [], set()
    for source, url in published_links(site, site_url):
        url = url.split("#")[0]
        target = _target(site, site_url, url)
        if target is None or (source, url) in seen:
            continue
        seen.add((source, url))
        if not target.is_file():
            problems.append(f"{source} -> {url}: no such file in the site")
    return problems
