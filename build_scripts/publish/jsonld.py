"""Stage 7: schema.org Dataset JSON-LD, for one indicator or one table, as the pages embed it
(script_json writes it safely into a <script> element).
"""

from __future__ import annotations

import json

from ..data import schema
from ..data.model import Coverage, Portal


def script_json(obj) -> str:
    """JSON for a <script type="application/ld+json"> element: '<' never appears, so data cannot close it.

    Compact: with an indent, json uses its Python encoder, a third of an indicator page's time at L."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


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
        variables = [_column_variable(resource, column, lang) for column in schema.resource(resource).published_fields]
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
        "isBasedOn": [_creative_work(portal, s, lang) for s in sources[:JSONLD_MAX_SOURCES]],
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
