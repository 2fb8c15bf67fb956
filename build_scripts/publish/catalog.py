"""Stage 7: what machines read. The static JSON API, schema.org Dataset JSON-LD, the DCAT
catalogue, the Atom feed of releases, robots.txt. All URLs are absolute under site_url.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import numpy as np
import pyarrow as pa

from ..config.site import current
from ..data import schema
from ..data.columnar import Coded, RecordText, joined_buffer
from ..data.model import Coverage, Portal
from ..publish.releases import Release, diff_files

API_VERSION = 1
FORMATS = {  # extension -> (IANA media type, DCAT format label)
    "csv": ("text/csv", "CSV"),
    "excel.csv": ("text/csv", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("application/json", "JSON"),
}


def dump(obj) -> bytes:
    """Compact JSON: without indent, Python's C encoder writes it (the API is a million rows at scale)."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def script_json(obj) -> str:
    """JSON for a <script type="application/ld+json"> element: '<' never appears, so data cannot close it.

    Compact: with an indent, json uses its Python encoder, a third of an indicator page's time at L."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


# ------------------------------------------------------------------------ API


API_TYPES = {  # how the API types a column's value (others are text): whole values as integers, empty as null
    "value": lambda value: int(float(value)) if float(value).is_integer() else float(value),
    "qualifier": lambda text: text or None,
    "is_derived": lambda text: text == "true",
    "line": int,
}
OPTIONAL_TEXTS = ("note", "attributed_to")  # per-language columns the API writes as null when empty


def api_types() -> dict:
    """API_TYPES, and the site's per-language optional texts."""
    return {
        **API_TYPES,
        **{f"{stem}_{lang}": _text_or_none for stem in OPTIONAL_TEXTS for lang in current().languages},
    }


def _text_or_none(text: str):
    return text or None


def observation_objects(coded: Coded) -> RecordText:
    """Each observation as the API writes it: a compact JSON object, keys in column order, followed by
    a comma (dropped after a document's last row).

    Made once for all rows, for their indicator's file and their place's file; each column's distinct
    values are typed and encoded once, and Arrow puts the objects together (a Python loop per row
    took a minute at 1.3 million rows, and formatting each row's object 10 s).
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    columns = list(schema.resource("observations").fields)

    def write(index: int, column: str, distinct: list) -> list[str]:
        typed = api_types().get(column, str)
        before = ("{" if index == 0 else ",") + encode(column) + ":"
        after = "}," if index == len(columns) - 1 else ""
        return [before + encode(typed(value)) + after for value in distinct]

    return RecordText({column: coded[column] for column in columns}, write)


def write_api(out: Path, portal: Portal, site_url: str) -> None:
    """api/indicators.json, api/indicators/<id>.json, api/places/<geo>.json, api/sources.json."""
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "places").mkdir(parents=True, exist_ok=True)
    meta = {
        "api_version": API_VERSION,
        "package_version": str(portal.metadata["version"]),
        "license": portal.metadata["license"]["name"],
    }
    rows = _RowObjects(observation_objects(portal.codes), len(portal.observations))

    def write_document(path: Path, head: dict, positions) -> None:
        """dump({**head, "observations": [rows]}) into path, with each row's JSON made once and the
        rows written from Arrow's buffer (at L, 600 MB of documents, not copied twice more)."""
        objects = rows.buffer(positions)
        with path.open("wb") as handle:
            handle.write(dump(head).rstrip(b"\n")[:-1] + b',"observations":[')
            handle.write(objects.slice(0, max(0, objects.size - 1)))  # without the comma after the last row
            handle.write(b"]}\n")

    by_indicator, by_geo = portal.by_indicator.positions, portal.by_geo.positions
    nothing = np.empty(0, dtype=np.int64)
    listing = {}
    # in the observations' order (an indicator's rows are one run of them), so that a batch serves many files
    for indicator_id in sorted(portal.indicators, key=lambda i: by_indicator.get(i, nothing)[:1].tolist()):
        positions = by_indicator.get(indicator_id, nothing)
        entry = _indicator_meta(portal.indicators[indicator_id], site_url)
        listing[indicator_id] = {
            **entry,
            "observations": len(positions),
            "api_url": f"{site_url}api/indicators/{indicator_id}.json",
        }
        write_document(out / "indicators" / f"{indicator_id}.json", {**meta, "indicator": entry}, positions)
    (out / "indicators.json").write_bytes(dump({**meta, "indicators": [listing[i] for i in portal.indicators]}))
    for geo, place in portal.places.items():
        entry = {k: (place[k] or None) for k in schema.resource("places").fields}
        entry["page_url"] = f"{site_url}places/{geo.lower()}/"
        write_document(out / "places" / f"{geo.lower()}.json", {**meta, "place": entry}, by_geo.get(geo, nothing))
    sources = []
    for source_id, source in portal.sources.items():
        entry = {k: (source[k] or None) for k in schema.resource("sources").fields}
        entry["observations"] = portal.by_source.count(source_id)
        entry["page_url"] = f"{site_url}sources/{source_id}/"
        sources.append(entry)
    (out / "sources.json").write_bytes(dump({**meta, "sources": sources}))


class _RowObjects:
    """The rows' JSON objects for one document at a time: a run of consecutive rows is cut out of a
    batch made at once (one Arrow take per column for many documents, not per document)."""

    BATCH_ROWS = 50_000

    def __init__(self, objects: RecordText, total: int):
        self.objects, self.total = objects, total
        self.start = self.stop = 0
        self.batch = None

    def buffer(self, positions: np.ndarray) -> pa.Buffer:
        """The objects of the rows at positions, one after the other (Arrow's buffer, not copied)."""
        if len(positions) == 0:
            return pa.py_buffer(b"")
        first, last = int(positions[0]), int(positions[-1])
        if last - first + 1 != len(positions):  # not one run (a place's rows): taken one by one
            return self.objects.records_buffer(positions)
        if not (self.start <= first and last < self.stop):
            self.start, self.stop = first, max(last + 1, min(self.total, first + self.BATCH_ROWS))
            self.batch = self.objects.records(np.arange(self.start, self.stop))
        return joined_buffer(self.batch.slice(first - self.start, len(positions)))


def _indicator_meta(indicator: dict, site_url: str) -> dict:
    entry = {
        k: indicator[k]
        for k in (
            "indicator_id",
            *(f"name_{lang}" for lang in current().languages),
            *(f"description_{lang}" for lang in current().languages),
            "unit",
            "pillar",
        )
    }
    entry["higher_is_better"] = indicator["higher_is_better"] == "true"
    entry["page_url"] = f"{site_url}indicators/{indicator['indicator_id']}/"
    entry["csv_url"] = f"{site_url}downloads/indicators/{indicator['indicator_id']}.csv"
    return entry


# -------------------------------------------------------------- schema.org


def dataset_jsonld(
    portal: Portal,
    site_url: str,
    lang: str,
    *,
    name: str,
    description: str,
    url: str,
    coverage: Coverage,
    distributions: list[tuple[str, str]],
    indicator_ids: list[str] = (),
    resource: str | None = None,
) -> dict:
    """A schema.org Dataset for one indicator (indicator_ids) or one resource, a table (distributions:
    (url, encoding format)). What it measures is the indicator, or the table's columns: listing a
    thousand indicators made the observations page 250 KB. Sources are listed up to JSONLD_MAX_SOURCES,
    the newest first."""
    meta = portal.metadata
    if resource is not None:
        variables = [_column_variable(resource, column, lang) for column in schema.resource(resource).fields]
    else:
        variables = [_variable(portal, i, lang) for i in indicator_ids]
    sources = sorted(coverage.sources, key=lambda s: (portal.sources[s]["published"] or "", s), reverse=True)
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": lang,
        "license": meta["license"]["path"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": meta["creator"]},
        "publisher": {"@type": "Organization", "name": meta["creator"]},
        "version": str(meta["version"]),
        "datePublished": str(meta["released"]),
        "dateModified": str(meta["released"]),
        "keywords": list(meta["keywords"]),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": meta["title"][lang], "url": site_url},
        "distribution": [{"@type": "DataDownload", "contentUrl": u, "encodingFormat": f} for u, f in distributions],
        "temporalCoverage": coverage.temporal,
        "spatialCoverage": [
            {"@type": "Place", "name": portal.places[g][f"name_{lang}"], "identifier": g} for g in coverage.geos
        ],
        "variableMeasured": variables,
        "isBasedOn": [_creative_work(portal, s) for s in sources[:JSONLD_MAX_SOURCES]],
    }


JSONLD_MAX_SOURCES = 40


def _variable(portal: Portal, indicator_id: str, lang: str) -> dict:
    """An indicator as a PropertyValue."""
    indicator = portal.indicators[indicator_id]
    return {
        "@type": "PropertyValue",
        "name": indicator[f"name_{lang}"],
        "propertyID": indicator_id,
        "unitText": indicator["unit"],
        "description": indicator[f"description_{lang}"],
    }


def _column_variable(resource: str, column: str, lang: str) -> dict:
    """A column of a table as a PropertyValue, described as in the schema."""
    field = schema.resource(resource).field_def(column)
    return {
        "@type": "PropertyValue",
        "name": column,
        "propertyID": column,
        "description": field.descriptions[lang],
    }


def _creative_work(portal: Portal, source_id: str) -> dict:
    source = portal.sources[source_id]
    work = {"@type": "NewsArticle", "name": source["title"], "inLanguage": source["language"], "identifier": source_id}
    if source["publisher"]:
        work["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    if source["published"]:
        work["datePublished"] = source["published"]
    if source["url"]:
        work["url"] = source["url"]
    return work


# ----------------------------------------------------------------------- DCAT


def dcat_catalog(portal: Portal, site_url: str) -> dict:
    """A DCAT-AP style catalogue (JSON-LD) of the package, its resources and formats."""
    meta = portal.metadata
    frame = portal.observations
    distributions = []
    for resource in schema.resources():
        title = resource.titles[current().descriptor_language]
        for extension, (media_type, label) in FORMATS.items():
            url = f"{site_url}downloads/{resource.name}.{extension}"
            distributions.append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": f"{title} ({label}{', Excel' if extension == 'excel.csv' else ''})",
                    "dcat:accessURL": {"@id": f"{site_url}data/{resource.name}/"},
                    "dcat:downloadURL": {"@id": url},
                    "dcat:mediaType": media_type,
                    "dct:format": label,
                    "dct:license": {"@id": meta["license"]["path"]},
                }
            )
    distributions.append(
        {
            "@id": f"{site_url}downloads/{meta['name']}.zip",
            "@type": "dcat:Distribution",
            "dct:title": "Frictionless data package (zip)",
            "dcat:downloadURL": {"@id": f"{site_url}downloads/{meta['name']}.zip"},
            "dcat:accessURL": {"@id": f"{site_url}data/"},
            "dcat:mediaType": "application/zip",
            "dct:format": "ZIP",
            "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
            "dct:license": {"@id": meta["license"]["path"]},
        }
    )
    dataset = {
        "@id": f"{site_url}data/",
        "@type": "dcat:Dataset",
        "dct:identifier": meta["name"],
        "dct:title": [{"@value": meta["title"][lang], "@language": lang} for lang in current().languages],
        "dct:description": [
            {"@value": " ".join(meta["description"][lang].split()), "@language": lang} for lang in current().languages
        ],
        "dcat:keyword": list(meta["keywords"]),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": meta["creator"]},
        "dct:license": {"@id": meta["license"]["path"]},
        "owl:versionInfo": str(meta["version"]),
        "dct:issued": {"@value": str(meta["released"]), "@type": "xsd:date"},
        "dct:modified": {"@value": str(meta["released"]), "@type": "xsd:date"},
        "dct:language": [{"@id": current().texts[lang]["language_iri"]} for lang in current().languages],
        **({"dct:spatial": {"@id": current().spatial_iri}} if current().spatial_iri else {}),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": frame["start"].min().isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": frame["end"].max().isoformat(), "@type": "xsd:date"},
        },
        "dcat:landingPage": {"@id": site_url},
        "dcat:distribution": distributions,
    }
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "owl": "http://www.w3.org/2002/07/owl#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{site_url}catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": [{"@value": meta["title"][lang], "@language": lang} for lang in current().languages],
        "dct:description": {
            "@value": " ".join(meta["description"][current().descriptor_language].split()),
            "@language": current().descriptor_language,
        },
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": meta["creator"]},
        "foaf:homepage": {"@id": site_url},
        "dct:license": {"@id": meta["license"]["path"]},
        "dct:modified": {"@value": str(meta["released"]), "@type": "xsd:date"},
        "dcat:dataset": [dataset],
    }


# ----------------------------------------------------------------------- feed


def atom_feed(releases: list[Release], metadata: dict, site_url: str) -> bytes:
    """An Atom feed with one entry per release, newest first, summarising the observation changes."""
    entries, previous = [], {}
    for release in releases:
        changes = [c for c in diff_files(previous, release.files) if c.resource == "observations"]
        counts = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "changed")}
        entries.append((release, counts))
        previous = release.files
    updated = releases[-1].released if releases else str(metadata["released"])
    title = xml_escape(metadata["title"][current().descriptor_language])
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{title}: releases</title>",
        f'  <link href="{site_url}" />',
        f'  <link rel="self" href="{site_url}feed.xml" />',
        f"  <id>{site_url}feed.xml</id>",
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{xml_escape(metadata['creator'])}</name></author>",
    ]
    for release, counts in reversed(entries):
        summary = f"Observations: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed."
        lines += [
            "  <entry>",
            f"    <title>Version {xml_escape(release.version)}</title>",
            f"    <id>{site_url}releases/{xml_escape(release.version)}</id>",
            f'    <link href="{site_url}data/" />',
            f"    <updated>{release.released}T00:00:00Z</updated>",
            f"    <summary>{xml_escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(site_url: str) -> bytes:
    return (f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\nSitemap: {site_url}en/sitemap.xml\n").encode()


def newest_source_date(portal: Portal) -> date | None:
    dates = [s["published"] for s in portal.sources.values() if s["published"]]
    return date.fromisoformat(max(dates)) if dates else None


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def add_hreflang_to_sitemaps(site: Path, site_url: str, prefixes: dict[str, str], default: str) -> None:
    """Add to every sitemap entry the same page in each language (hreflang), as search engines read them.

    prefixes: language -> its folder under the site root ('' or 'en/').
    """
    import gzip
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    for prefix in prefixes.values():
        path = site / prefix / "sitemap.xml"
        if not path.exists():
            continue
        tree = ET.parse(path)
        for url in tree.getroot().findall(f"{{{SITEMAP_NS}}}url"):
            page = url.findtext(f"{{{SITEMAP_NS}}}loc").removeprefix(site_url + prefix)
            for other, other_prefix in [*prefixes.items(), ("x-default", prefixes[default])]:
                ET.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    {"rel": "alternate", "hreflang": other, "href": f"{site_url}{other_prefix}{page}"},
                )
        ET.indent(tree)
        content = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True) + b"\n"
        path.write_bytes(content)
        (path.parent / "sitemap.xml.gz").write_bytes(gzip.compress(content, mtime=0))
