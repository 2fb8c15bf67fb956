"""Stage 7: the DCAT-AP 3 catalogue (JSON-LD) of the package, its resources and their download files
(distributions.py, from the formats of formats.py), and the date of the newest source. All URLs are
absolute under site_url.

What else machines read is beside it: the JSON API in api.py, schema.org JSON-LD in jsonld.py, the
Atom feed, sitemaps and robots.txt in feed_and_sitemaps.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config.authorities import (
    DATA_THEME_SCHEME,
    DATA_THEMES,
    LICENCE_TYPES_OF,
    adms_concept,
    concept,
    concept_scheme,
    eu_scheme,
    in_scheme,
)
from ..config.site import SiteConfig
from ..data.model import Portal

# kept importable from here, where render.py and the site's pages import them
from ..publish.api import dump, write_api
from ..publish.distributions import distributions, language_texts
from ..publish.feed_and_sitemaps import add_hreflang_to_sitemaps, atom_feed, robots_txt
from ..publish.jsonld import dataset_jsonld, script_json

__all__ = [
    "add_hreflang_to_sitemaps",
    "atom_feed",
    "dataset_jsonld",
    "dcat_catalog",
    "dump",
    "newest_source_date",
    "robots_txt",
    "script_json",
    "write_api",
]

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalog(portal: Portal, site_url: str, downloads: Path) -> dict:
    """A DCAT-AP 3 catalogue (JSON-LD) of the package, its resources and the download files written into
    downloads. The contact point, themes, licence IRI and types and the publisher come from package.yml,
    the place and its geometry from site.yml, each left out when not given. The licence and the
    publisher are named by their IRIs everywhere and described once, on the catalogue; each concept of
    a controlled vocabulary says which table it is in (config/authorities.py)."""
    meta = portal.metadata
    frame = portal.observations
    languages = portal.config.languages
    licence = {"@id": licence_iri(meta["license"])}
    themes = list(meta.get("themes") or [])
    place = _location(portal.config)
    spatial = {"dct:spatial": place} if place else {}
    language = [
        {"@id": iri, "@type": "dct:LinguisticSystem", **in_scheme(eu_scheme(iri))}
        for iri in (portal.config.texts[lang]["language_iri"] for lang in languages)
    ]
    publisher = _publisher(meta, site_url)
    released = {"@value": str(meta["released"]), "@type": "xsd:date"}
    home = {"@id": site_url, "@type": "foaf:Document"}
    dataset = {
        "@id": f"{site_url}data/",
        "@type": "dcat:Dataset",
        "dct:identifier": meta["name"],
        "dct:title": language_texts(meta["title"], languages),
        "dct:description": language_texts(meta["description"], languages),
        "dcat:keyword": list(meta["keywords"]),
        "dct:publisher": {"@id": publisher["@id"]},
        **_contact_point(meta.get("contact")),
        **({"dcat:theme": [_theme(theme) for theme in themes]} if themes else {}),
        "dct:license": licence,
        "dcat:version": str(meta["version"]),
        "dct:issued": released,
        "dct:modified": released,
        "dct:language": language,
        **spatial,
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": frame["start"].min().isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": frame["end"].max().isoformat(), "@type": "xsd:date"},
        },
        "dcat:landingPage": home,
        "dcat:distribution": distributions(portal, site_url, downloads, licence),
    }
    taxonomies = sorted({theme_scheme(theme) for theme in themes})
    return {
        "@context": CONTEXT,
        "@id": f"{site_url}catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": language_texts(meta["title"], languages),
        "dct:description": language_texts(meta["description"], languages),
        "dct:publisher": publisher,
        "foaf:homepage": home,
        "dct:language": language,
        **spatial,
        **({"dcat:themeTaxonomy": [_taxonomy(scheme) for scheme in taxonomies]} if taxonomies else {}),
        "dct:license": _licence_document(meta["license"]),
        "dct:issued": released,
        "dct:modified": released,
        "dcat:dataset": [dataset],
    }


def licence_iri(licence: dict) -> str:
    """The licence's IRI: package.yml's license.iri (such as the EU licence authority's, which DCAT-AP
    recommends), else its path."""
    return licence.get("iri") or licence["path"]


def theme_scheme(theme: str) -> str:
    """The concept scheme a theme's IRI belongs to: the IRI without its last part ('.../data-theme/TECH'
    -> '.../data-theme')."""
    head, hash_sign, _ = theme.rpartition("#")
    return head if hash_sign else theme.rstrip("/").rpartition("/")[0]


def _theme(theme: str) -> dict:
    """A theme of the EU data-theme table as the concept it is; another vocabulary's theme by its IRI."""
    scheme, _, code = theme.rstrip("/").rpartition("/")
    if scheme == DATA_THEME_SCHEME[0] and code in DATA_THEMES:
        return concept(theme, DATA_THEMES[code], scheme)
    return {"@id": theme}


def _taxonomy(scheme: str) -> dict:
    return concept_scheme(DATA_THEME_SCHEME) if scheme == DATA_THEME_SCHEME[0] else {"@id": scheme}


def _location(config: SiteConfig) -> dict | None:
    """site.yml's place: its IRI, its table, and its bounding box and centroid as WKT (DCAT-AP 3's
    recommended geometry literal), longitude before latitude as in WKT's default reference system."""
    if not config.spatial_iri:
        return None
    place = {"@id": config.spatial_iri, "@type": "dct:Location", **in_scheme(eu_scheme(config.spatial_iri))}
    if config.spatial_bbox:
        west, south, east, north = (_degrees(v) for v in config.spatial_bbox)
        ring = f"{west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}"
        place["dcat:bbox"] = {"@value": f"POLYGON(({ring}))", "@type": "gsp:wktLiteral"}
    if config.spatial_centroid:
        longitude, latitude = (_degrees(v) for v in config.spatial_centroid)
        place["dcat:centroid"] = {"@value": f"POINT({longitude} {latitude})", "@type": "gsp:wktLiteral"}
    return place


def _degrees(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _publisher(meta: dict, site_url: str) -> dict:
    """package.yml's publisher: its IRI (default: the site's address with #publisher), name (default:
    the creator) and ADMS publisher type, when given."""
    given = meta.get("publisher") or {}
    kind = {"dct:type": adms_concept("publishertype", given["type"])} if given.get("type") else {}
    return {
        "@id": given.get("iri") or f"{site_url}#publisher",
        "@type": "foaf:Agent",
        "foaf:name": given.get("name") or meta["creator"],
        **kind,
    }


def _licence_document(licence: dict) -> dict:
    """The licence, its ADMS types those package.yml names (license.types), else those of its name."""
    iri = licence_iri(licence)
    same = {"skos:exactMatch": {"@id": licence["path"]}} if iri != licence["path"] else {}
    types = licence.get("types") or LICENCE_TYPES_OF.get(licence["name"], ())
    kinds = {"dct:type": [adms_concept("licencetype", code) for code in types]} if types else {}
    return {"@id": iri, "@type": "dct:LicenseDocument", "dct:title": licence["title"], **same, **kinds}


def _contact_point(contact: dict | None) -> dict:
    if not contact:
        return {}
    kind = {"@type": "vcard:Kind", "vcard:fn": contact["name"]}
    if contact.get("email"):
        kind["vcard:hasEmail"] = {"@id": f"mailto:{contact['email']}"}
    if contact.get("url"):
        kind["vcard:hasURL"] = {"@id": contact["url"]}
    return {"dcat:contactPoint": kind}


def newest_source_date(portal: Portal) -> date | None:
    dates = [s["published"] for s in portal.sources.values() if s["published"]]
    return date.fromisoformat(max(dates)) if dates else None
