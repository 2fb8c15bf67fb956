"""Stage 7: schema.org JSON-LD as Google's Dataset rules read it
(https://developers.google.com/search/docs/appearance/structured-data/dataset), as the pages embed it
(script_json writes it safely into a <script> element).

One Dataset a page, on the page about it: the whole package on its data page (package_jsonld), each
table on its own (table_jsonld), each indicator on its own (indicator_jsonld). The package hasPart the
tables and indicators by @id, each of them isPartOf the package, and all are includedInDataCatalog, the
portal, which the home page marks up as a DataCatalog pointing to the package (catalog_jsonld) rather
than repeating it. A Dataset is identified by its page in the default language, the same in every
language; its pages in the other languages are its sameAs.

Its distributions are every file written for it that holds data (formats.py names them, as the pages'
download lists do): an indicator's CSV and workbook; a table's files; the whole-package files and every
table's for the package (the descriptor, datapackage.json, describes them and is no copy of the data). Each names its
media type; a gzip-compressed file is application/gzip. Its description is the page's, followed by
what the data says of it (unit, places and span covered, a table's rows), at most 5,000 characters.
"""

from __future__ import annotations

import json
import mimetypes
from datetime import date

from ..data import schema
from ..data.model import Coverage, Portal
from ..site.i18n import date_text, number, t, topic_name, unit_name
from . import formats

SCHEMA = "https://schema.org/"
JSONLD_MAX_SOURCES = 40  # sources listed in isBasedOn, the newest first
JSONLD_MAX_VARIABLES = 100  # indicators the package lists as measured (hasPart names them all)
PLACES_NAMED = 10  # places a description names before "and N more"
DESCRIPTION_MAX = 5000  # characters, Google's limit


def script_json(obj) -> str:
    """JSON for a <script type="application/ld+json"> element: '<' never appears, so data cannot close it.

    Compact: with an indent, json uses its Python encoder, a third of an indicator page's time at L."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def indicator_jsonld(portal: Portal, site_url: str, lang: str, indicator_id: str) -> dict:
    """The Dataset of one indicator's page: its figures, as its CSV and workbook."""
    indicator = portal.indicators[indicator_id]
    coverage = portal.coverage_of_indicator(indicator_id)
    unit = t("jsonld_unit", lang, unit=_unit(indicator["unit"], lang))
    return dataset_jsonld(
        portal,
        site_url,
        lang,
        path=f"indicators/{indicator_id}/",
        names={other: indicator[f"name_{other}"] for other in portal.config.languages},
        description=_description(indicator[f"description_{lang}"], unit, _coverage_text(portal, coverage, lang)),
        coverage=coverage,
        files=formats.data_files(formats.INDICATOR, indicator_id, portal.files),
        variables=[_variable(portal, indicator_id, lang)],
        keywords=[topic_name(portal.topic(indicator_id), lang)],
    )


def table_jsonld(portal: Portal, site_url: str, lang: str, resource: str, rows: int) -> dict:
    """The Dataset of one table's page (rows: its records): what it measures is its columns (listing a
    thousand indicators made the observations page 250 KB)."""
    meta, table = portal.metadata, schema.resource(resource)
    table_text = t("jsonld_table", lang, package=meta["title"][lang], rows=number(rows, lang))
    return dataset_jsonld(
        portal,
        site_url,
        lang,
        path=f"data/{resource}/",
        names={other: f"{meta['title'][other]}: {table.titles[other]}" for other in portal.config.languages},
        description=_description(table.descriptions[lang], table_text, _coverage_text(portal, portal.coverage, lang)),
        coverage=portal.coverage,
        files=formats.data_files(formats.RESOURCE, resource, portal.files, rows),
        variables=[_column_variable(resource, column, lang) for column in table.published_fields],
    )


def package_jsonld(portal: Portal, site_url: str, lang: str, rows: dict[str, int]) -> dict:
    """The Dataset of the whole package, on its data page (rows: each table's records): the whole-package
    files and every table's; it hasPart each table and indicator page's Dataset."""
    meta = portal.metadata
    tables = [r.name for r in schema.resources()]
    whole = formats.data_files(formats.PACKAGE, meta["name"], portal.files)
    prefix = _prefix(portal, lang)
    return dataset_jsonld(
        portal,
        site_url,
        lang,
        path="data/",
        names=meta["title"],
        description=_description(meta["description"][lang], _coverage_text(portal, portal.coverage, lang)),
        coverage=portal.coverage,
        files=whole
        + [file for name in tables for file in formats.data_files(formats.RESOURCE, name, portal.files, rows[name])],
        variables=[_variable(portal, i, lang, brief=True) for i in list(portal.by_indicator)[:JSONLD_MAX_VARIABLES]],
        parts=[f"{site_url}{prefix}data/{name}/" for name in tables]
        + [f"{site_url}{prefix}indicators/{i}/" for i in portal.by_indicator],
    )


def catalog_jsonld(portal: Portal, site_url: str, lang: str) -> dict:
    """The portal as a schema.org DataCatalog, for its home page: the package's Dataset is on its data page."""
    meta = portal.metadata
    home = f"{site_url}{_prefix(portal, lang)}"
    return {
        "@context": SCHEMA,
        "@type": "DataCatalog",
        "@id": home,
        "name": meta["title"][lang],
        "description": _description(meta["description"][lang]),
        "url": home,
        "inLanguage": lang,
        "publisher": _creator(meta),
        "license": meta["license"]["path"],
        "dataset": [{"@id": f"{home}data/"}],
    }


def dataset_jsonld(
    portal: Portal,
    site_url: str,
    lang: str,
    *,
    path: str,
    names: dict[str, str],
    description: str,
    coverage: Coverage,
    files: list[str],
    variables: list[dict],
    keywords: list[str] = (),
    parts: list[str] = (),
) -> dict:
    """A schema.org Dataset of the page at path (under each language's root; names: its name in each
    language) whose files (under downloads/) are its distributions. With parts it is the package, which
    has them; else it is part of the package. Sources are listed up to JSONLD_MAX_SOURCES, the newest first."""
    meta = portal.metadata
    prefix, others = _prefix(portal, lang), [other for other in portal.config.languages if other != lang]
    url, home = f"{site_url}{prefix}{path}", f"{site_url}{prefix}"
    sources = sorted(coverage.sources, key=lambda s: (portal.sources[s]["published"] or "", s), reverse=True)
    alternate = list(dict.fromkeys(names[other] for other in others if names[other] != names[lang]))
    creator = _creator(meta)
    return {
        "@context": SCHEMA,
        "@type": "Dataset",
        "@id": url,
        "name": names[lang],
        **({"alternateName": alternate} if alternate else {}),
        "description": description,
        "url": url,
        "identifier": f"{site_url}{path}",  # its page in the default language: one identifier in every language
        **({"sameAs": [f"{site_url}{_prefix(portal, other)}{path}" for other in others]} if others else {}),
        "inLanguage": lang,
        "license": meta["license"]["path"],
        "isAccessibleForFree": True,
        "creator": creator,
        "publisher": creator,
        "version": str(meta["version"]),
        "datePublished": str(meta["released"]),
        "dateModified": str(meta["released"]),
        "keywords": list(dict.fromkeys([*meta["keywords"], *keywords])),
        "includedInDataCatalog": {"@type": "DataCatalog", "@id": home, "name": meta["title"][lang], "url": home},
        **({"hasPart": [{"@id": part} for part in parts]} if parts else {"isPartOf": {"@id": f"{home}data/"}}),
        "distribution": [_download(site_url, file) for file in files],
        **({"temporalCoverage": coverage.temporal} if coverage.temporal else {}),
        "spatialCoverage": [
            {"@type": "Place", "name": portal.places[g][f"name_{lang}"], "identifier": g} for g in coverage.geos
        ],
        "variableMeasured": variables,
        "isBasedOn": [_creative_work(portal, s, lang) for s in sources[:JSONLD_MAX_SOURCES]],
    }


def media_type(file: str) -> str:
    """The media type of a download file, by its extension (formats.py); a gzip-compressed file is
    application/gzip, whatever it holds."""
    if file.endswith(".gz"):
        return "application/gzip"
    return formats.media_type(file) or mimetypes.guess_type(file)[0] or "application/octet-stream"


def _download(site_url: str, file: str) -> dict:
    return {"@type": "DataDownload", "contentUrl": f"{site_url}downloads/{file}", "encodingFormat": media_type(file)}


def _prefix(portal: Portal, lang: str) -> str:
    """A language's folder under the site: none for the default language."""
    return "" if lang == portal.config.default_language else f"{lang}/"


def _creator(meta: dict) -> dict:
    """The package's creator as an Organization, with the address of its contact point when that is the
    creator's own."""
    contact = meta.get("contact") or {}
    url = contact.get("url") if contact.get("name") == meta["creator"] else None
    return {"@type": "Organization", "name": meta["creator"], **({"url": url} if url else {})}


def _description(*parts: str) -> str:
    """The parts, each with its whitespace made single spaces, joined; cut at a word to DESCRIPTION_MAX."""
    joined = " ".join(" ".join(part.split()) for part in parts if part and part.strip())
    if len(joined) <= DESCRIPTION_MAX:
        return joined
    return joined[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0] + "…"


def _coverage_text(portal: Portal, coverage: Coverage, lang: str) -> str:
    """Which places and span the figures cover, in words: the first PLACES_NAMED places named, featured
    places first."""
    if not coverage.geos or not coverage.temporal:
        return ""
    geos = sorted(coverage.geos, key=portal.place_order)
    names = ", ".join(portal.places[g][f"name_{lang}"] for g in geos[:PLACES_NAMED])
    if len(geos) > PLACES_NAMED:
        names = t("jsonld_more_places", lang, names=names, n=number(len(geos) - PLACES_NAMED, lang))
    first, last = (date_text(date.fromisoformat(day), lang) for day in coverage.temporal.split("/"))
    period = first if first == last else t("period_span", lang, first=first, last=last)
    return t("jsonld_coverage", lang, places=names, period=period)


def _unit(unit: str, lang: str) -> str:
    return unit_name(unit, lang) or unit


def _variable(portal: Portal, indicator_id: str, lang: str, brief: bool = False) -> dict:
    """An indicator as a PropertyValue (brief: without its description)."""
    indicator = portal.indicators[indicator_id]
    out = {
        "@type": "PropertyValue",
        "name": indicator[f"name_{lang}"],
        "propertyID": indicator_id,
        "unitText": _unit(indicator["unit"], lang),
    }
    return out if brief else {**out, "description": indicator[f"description_{lang}"]}


def _column_variable(resource: str, column: str, lang: str) -> dict:
    """A column of a table as a PropertyValue, described as in the schema."""
    field = schema.resource(resource).field_def(column)
    return {
        "@type": "PropertyValue",
        "name": column,
        "propertyID": column,
        "description": field.descriptions[lang],
    }


def _creative_work(portal: Portal, source_id: str, lang: str) -> dict:
    source = portal.sources[source_id]
    work = {"@type": "NewsArticle", "name": source["title"], "inLanguage": source["language"], "identifier": source_id}
    translation = source.get(f"translated_title_{lang}") if source["language"] != lang else ""
    if translation:
        work["alternateName"] = translation  # the title in the page's language: the page marks it a translation
    if source["publisher"]:
        work["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    if source["published"]:
        work["datePublished"] = source["published"]
    if source["url"]:
        work["url"] = source["url"]
    return work
