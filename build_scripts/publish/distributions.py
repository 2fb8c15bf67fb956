"""The DCAT distributions of the catalogue (catalog.py): one per download file that was written.

Each resource in every format of FORMATS, and the whole package in every format of PACKAGE_FORMATS,
listed only when its file is in the downloads folder (a format another part of the build has not
written yet, or an XLSX past Excel's row limit, is left out). Each names its format as an IRI of the
EU Publications Office's file-type authority (in that table, skos:inScheme) and its media type as an
IANA IRI, as DCAT-AP 3 asks, its planned availability (config/authorities.py), and states the file's
size (dcat:byteSize) and SHA-256 (spdx:checksum, SPDX's own IRI of the algorithm, which DCAT-AP 3's
table of controlled vocabularies names). The package's CSV files take
both from the data package descriptor written beside them; any other file is hashed here, a chunk
at a time (at the largest sizes a file is hundreds of MB).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..config.authorities import AVAILABILITY, concept, eu_scheme
from ..config.site import current
from ..data import schema

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

# extension -> (IANA media type, label, EU file-type code or None where the authority has none)
FORMATS = {
    "csv": ("text/csv", "CSV", "CSV"),
    "excel.csv": ("text/csv", "CSV", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", "XLSX"),
    "json": ("application/json", "JSON", "JSON"),
    "parquet": ("application/vnd.apache.parquet", "Parquet", "PARQUET"),
    # a bulk table's files, gzip-compressed (bulk.py): the format of what is inside, dcat:compressFormat gzip
    "csv.gz": ("text/csv", "CSV, gzip", "CSV"),
    "json.gz": ("application/json", "JSON, gzip", "JSON"),
}
PACKAGE_FORMATS = {  # the whole package in one file: extension -> as FORMATS, and what it conforms to
    "zip": ("application/zip", "ZIP", "ZIP", "https://datapackage.org/standard/data-package/"),
    # the file-type authority has no code for an SQLite database (SQL is a script, GPKG a GeoPackage): the
    # distribution has no dct:format, its media type says what it is
    "sqlite": ("application/vnd.sqlite3", "SQLite", None, "https://www.sqlite.org/fileformat.html"),
    "sqlite.gz": ("application/vnd.sqlite3", "SQLite, gzip", None, "https://www.sqlite.org/fileformat.html"),
}
CHUNK = 1 << 20  # bytes read at a time when hashing a download


def distributions(portal, site_url: str, downloads: Path, licence: dict) -> list[dict]:
    """The distributions whose files are in downloads, in a fixed order: the resources in the schema's
    order, each in FORMATS' order, then the package's files."""
    described = _described_csvs(downloads)
    lang = current().descriptor_language
    meta = portal.metadata
    out = []
    for resource in schema.resources():
        for extension, (media_type, label, code) in FORMATS.items():
            path = downloads / f"{resource.name}.{extension}"
            if not path.is_file():
                continue
            title = f"{resource.titles[lang]} ({label}{', Excel' if extension == 'excel.csv' else ''})"
            facts = described.get(resource.name) if extension == "csv" else None
            out.append(
                {
                    **_distribution(site_url, path.name, title, media_type, code, licence, facts or _facts(path)),
                    "dct:description": language_texts(resource.descriptions),
                    "dcat:accessURL": {"@id": f"{site_url}data/{resource.name}/"},
                }
            )
    for extension, (media_type, label, code, conforms_to) in PACKAGE_FORMATS.items():
        path = downloads / f"{meta['name']}.{extension}"
        if not path.is_file():
            continue
        title = "Frictionless data package (zip)" if extension == "zip" else f"{meta['title'][lang]} ({label})"
        out.append(
            {
                **_distribution(site_url, path.name, title, media_type, code, licence, _facts(path)),
                "dct:description": language_texts(meta["description"]),
                "dcat:accessURL": {"@id": f"{site_url}data/"},
                "dct:conformsTo": {"@id": conforms_to, "@type": "dct:Standard"},
            }
        )
    return out


def _distribution(site_url, name, title, media_type, code, licence, facts) -> dict:
    size, digest = facts
    url = f"{site_url}downloads/{name}"
    media_iri = MEDIA_TYPE + media_type
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": media_iri, "@type": "dct:MediaType"},
        **({"dct:format": _file_type(FILE_TYPE + code)} if code else {}),
        "dct:license": licence,
        "dcatap:availability": concept(*AVAILABILITY, eu_scheme(AVAILABILITY[0])),
        "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": SHA256, "@type": "spdx:ChecksumAlgorithm"},
            "spdx:checksumValue": {"@value": digest, "@type": "xsd:hexBinary"},
        },
        **(
            {"dcat:compressFormat": {"@id": MEDIA_TYPE + "application/gzip", "@type": "dct:MediaType"}}
            if name.endswith(".gz")
            else {}
        ),
    }


def _file_type(iri: str) -> dict:
    return {"@id": iri, "@type": "dct:MediaTypeOrExtent", "skos:inScheme": {"@id": eu_scheme(iri)}}


def language_texts(texts: dict) -> list[dict]:
    """A text in every language of the site, as JSON-LD values tagged with their language."""
    return [{"@value": " ".join(texts[lang].split()), "@language": lang} for lang in current().languages]


def _facts(path: Path) -> tuple[int, str]:
    """The file's size in bytes and its SHA-256 in lower-case hex, read a chunk at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def _described_csvs(downloads: Path) -> dict[str, tuple[int, str]]:
    """Resource name -> (bytes, SHA-256) as the descriptor in downloads states them for its CSV file."""
    path = downloads / "datapackage.json"
    if not path.is_file():
        return {}
    out = {}
    for resource in json.loads(path.read_bytes()).get("resources", []):
        algorithm, _, digest = str(resource.get("hash", "")).rpartition(":")
        if algorithm == "sha256" and len(digest) == 64 and isinstance(resource.get("bytes"), int):
            out[resource["name"]] = (resource["bytes"], digest.lower())
    return out
