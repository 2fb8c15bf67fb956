"""Stage 7: the DCAT catalogue (JSON-LD) of the package, its resources and their download formats
(FORMATS), and the date of the newest source. All URLs are absolute under site_url.

What else machines read is beside it: the JSON API in api.py, schema.org JSON-LD in jsonld.py, the
Atom feed, sitemaps and robots.txt in feed_and_sitemaps.py.
"""

from __future__ import annotations

from datetime import date

from ..config.site import current
from ..data import schema
from ..data.model import Portal

# kept importable from here, where render.py and the site's pages import them
from ..publish.api import dump, write_api
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

FORMATS = {  # extension -> (IANA media type, DCAT format label)
    "csv": ("text/csv", "CSV"),
    "excel.csv": ("text/csv", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("application/json", "JSON"),
}


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


def newest_source_date(portal: Portal) -> date | None:
    dates = [s["published"] for s in portal.sources.values() if s["published"]]
    return date.fromisoformat(max(dates)) if dates else None
