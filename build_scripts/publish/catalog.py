"""Stage 7: the DCAT-AP 3 catalogue (JSON-LD) of the package, its resources and their download files
(distributions.py: FORMATS), and the date of the newest source. All URLs are absolute under site_url.

What else machines read is beside it: the JSON API in api.py, schema.org JSON-LD in jsonld.py, the
Atom feed, sitemaps and robots.txt in feed_and_sitemaps.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config.site import current
from ..data.model import Portal

# kept importable from here, where render.py and the site's pages import them
from ..publish.api import dump, write_api
from ..publish.distributions import FORMATS, distributions, language_texts
from ..publish.feed_and_sitemaps import add_hreflang_to_sitemaps, atom_feed, robots_txt
from ..publish.jsonld import dataset_jsonld, script_json

__all__ = [
    "FORMATS",
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
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalog(portal: Portal, site_url: str, downloads: Path) -> dict:
    """A DCAT-AP 3 catalogue (JSON-LD) of the package, its resources and the download files written into
    downloads. The contact point, themes and licence IRI come from package.yml, each left out when it
    does not say; the licence is named by its IRI everywhere and described once, on the catalogue."""
    meta = portal.metadata
    frame = portal.observations
    languages = current().languages
    licence = {"@id": licence_iri(meta["license"])}
    themes = list(meta.get("themes") or [])
    spatial = {"dct:spatial": {"@id": current().spatial_iri, "@type": "dct:Location"}} if current().spatial_iri else {}
    language = [{"@id": current().texts[lang]["language_iri"], "@type": "dct:LinguisticSystem"} for lang in languages]
    publisher = {"@type": "foaf:Agent", "foaf:name": meta["creator"]}
    dataset = {
        "@id": f"{site_url}data/",
        "@type": "dcat:Dataset",
        "dct:identifier": meta["name"],
        "dct:title": language_texts(meta["title"]),
        "dct:description": language_texts(meta["description"]),
        "dcat:keyword": list(meta["keywords"]),
        "dct:publisher": publisher,
        **_contact_point(meta.get("contact")),
        **({"dcat:theme": [{"@id": theme} for theme in themes]} if themes else {}),
        "dct:license": licence,
        "owl:versionInfo": str(meta["version"]),
        "dct:issued": {"@value": str(meta["released"]), "@type": "xsd:date"},
        "dct:modified": {"@value": str(meta["released"]), "@type": "xsd:date"},
        "dct:language": language,
        **spatial,
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": frame["start"].min().isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": frame["end"].max().isoformat(), "@type": "xsd:date"},
        },
        "dcat:landingPage": {"@id": site_url},
        "dcat:distribution": distributions(portal, site_url, downloads, licence),
    }
    taxonomies = sorted({theme_scheme(theme) for theme in themes})
    return {
        "@context": CONTEXT,
        "@id": f"{site_url}catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": language_texts(meta["title"]),
        "dct:description": language_texts(meta["description"]),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": site_url},
        "dct:language": language,
        **spatial,
        **({"dcat:themeTaxonomy": [{"@id": scheme} for scheme in taxonomies]} if taxonomies else {}),
        "dct:license": _licence_document(meta["license"]),
        "dct:modified": {"@value": str(meta["released"]), "@type": "xsd:date"},
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


def _licence_document(licence: dict) -> dict:
    iri = licence_iri(licence)
    same = {"skos:exactMatch": {"@id": licence["path"]}} if iri != licence["path"] else {}
    return {"@id": iri, "@type": "dct:LicenseDocument", "dct:title": licence["title"], **same}


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
