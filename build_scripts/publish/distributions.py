"""The DCAT distributions of the catalogue (catalog.py): one per download file that was written.

Each resource, and the whole package, in every format of the registry (formats.py) that holds data,
listed only when its file is in the downloads folder (a format another part of the build has not
written yet, or an XLSX past Excel's row limit, is left out). Each names its format as an IRI of the
EU Publications Office's file-type authority (in that table, skos:inScheme) and its media type as an
IANA IRI, as DCAT-AP 3 asks, its planned availability (config/authorities.py), and states the file's
size (dcat:byteSize) and SHA-256 (spdx:checksum: the algorithm by the https IRI the EU's Codelists
shapes require, owl:sameAs the http IRI of SPDX's ontology, which DCAT-AP 3's table of vocabularies
names). The package's CSV files take both from the data package descriptor written beside them; any
other file is hashed here, a chunk at a time (at the largest sizes a file is hundreds of MB).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..config.authorities import AVAILABILITY, concept, eu_scheme
from ..data import schema
from . import formats

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
# SHA-256 as the EU's Codelists shapes name it (their pattern wants https), the same as SPDX's own term
SHA256 = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

CHUNK = 1 << 20  # bytes read at a time when hashing a download


def distributions(portal, site_url: str, downloads: Path, licence: dict) -> list[dict]:
    """The distributions whose files are in downloads, in a fixed order: the resources in the schema's
    order, each in the registry's order (formats.py: the formats that hold data, then those of them
    compressed when bulk), then the package's files."""
    described = _described_csvs(downloads)
    lang = portal.config.descriptor_language
    languages = portal.config.languages
    meta = portal.metadata
    out = []
    for resource in schema.resources():
        for fmt, gz in _variants(formats.RESOURCE):
            path = downloads / fmt.path(resource.name, gz)
            if not path.is_file():
                continue
            title = f"{resource.titles[lang]} ({_label(fmt, gz)})"
            facts = described.get(resource.name) if fmt.described and not gz else None
            out.append(
                {
                    **_distribution(site_url, path.name, title, fmt, licence, facts or _facts(path)),
                    "dct:description": language_texts(resource.descriptions, languages),
                    "dcat:accessURL": {"@id": f"{site_url}data/{resource.name}/"},
                    **_conforms_to(fmt),
                }
            )
    for fmt, gz in _variants(formats.PACKAGE):
        path = downloads / fmt.path(meta["name"], gz)
        if not path.is_file():
            continue
        title = fmt.title or f"{meta['title'][lang]} ({_label(fmt, gz)})"
        out.append(
            {
                **_distribution(site_url, path.name, title, fmt, licence, _facts(path)),
                "dct:description": language_texts(meta["description"], languages),
                "dcat:accessURL": {"@id": f"{site_url}data/"},
                **_conforms_to(fmt),
            }
        )
    return out


def _variants(scope: str) -> list[tuple[formats.Format, bool]]:
    """The scope's formats that hold data, each plain, then those compressed when bulk, compressed."""
    held = [fmt for fmt in formats.of(scope) if fmt.data]
    return [(fmt, False) for fmt in held] + [(fmt, True) for fmt in held if fmt.gzip_when_bulk]


def _label(fmt: formats.Format, gz: bool) -> str:
    return f"{fmt.label}, gzip" if gz else fmt.label


def _conforms_to(fmt: formats.Format) -> dict:
    return {"dct:conformsTo": {"@id": fmt.conforms_to, "@type": "dct:Standard"}} if fmt.conforms_to else {}


def _distribution(site_url, name, title, fmt, licence, facts) -> dict:
    size, digest = facts
    url = f"{site_url}downloads/{name}"
    media_iri = MEDIA_TYPE + fmt.media_type
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": media_iri, "@type": "dct:MediaType"},
        **({"dct:format": _file_type(FILE_TYPE + fmt.file_type)} if fmt.file_type else {}),
        "dct:license": licence,
        "dcatap:availability": concept(*AVAILABILITY, eu_scheme(AVAILABILITY[0])),
        "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": SHA256, "@type": "spdx:ChecksumAlgorithm", "owl:sameAs": {"@id": SPDX_SHA256}},
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


def language_texts(texts: dict, languages: tuple[str, ...]) -> list[dict]:
    """A text in every language of the site, as JSON-LD values tagged with their language."""
    return [{"@value": " ".join(texts[lang].split()), "@language": lang} for lang in languages]


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
