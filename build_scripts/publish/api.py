"""Stage 7: the static JSON API: api/indicators.json and api/sources.json, and one document per
indicator and per place with its observations, written as compact JSON (dump). All URLs are absolute
under site_url.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..config.site import SiteConfig
from ..data import schema
from ..data.columnar import Coded, RecordText, joined_buffer
from ..data.model import Portal, direction
from ..data.typed import TypedColumns, texts
from ..publish import formats
from ..publish.kept_downloads import KeptDownloads, digest_of, shared_digest
from ..publish.standalone import citation

API_VERSION = 2  # 2: an indicator's observations as rows of values under "columns"; a place lists its indicators


def dump(obj) -> bytes:
    """Compact JSON: without indent, Python's C encoder writes it (the API is a million rows at scale)."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def api_texts(values: pa.Array, kind: str) -> list[str]:
    """Each of a column's typed values (typed.py) as the API writes it: a number in its shortest text,
    a whole one as an integer (3, not 3.0), a truth value as true or false, a text or date as a JSON
    string, null for an empty cell."""
    if kind in ("number", "integer"):
        return ["null" if v is None else v for v in texts(values, kind).to_pylist()]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [encode(v) for v in (values.cast(pa.string()) if kind == "date" else values).to_pylist()]


def observation_rows(coded: Coded, typed: TypedColumns) -> RecordText:
    """Each observation as the API writes it: a compact JSON array of its values in the order of
    "columns", followed by a comma (dropped after a document's last row). Rows of values, not objects
    that repeat every key: at 1.3 million rows the keys were half the API's bytes.

    Made once for all rows, from each column's distinct values as typed.py typed them for every file,
    each encoded once; Arrow puts the rows together (a Python loop per row took a minute at 1.3
    million rows).
    """
    columns = api_columns()
    resource = schema.resource("observations")

    def write(index: int, column: str, distinct: list) -> list[str]:
        before = "[" if index == 0 else ","
        after = "]," if index == len(columns) - 1 else ""
        return [before + value + after for value in api_texts(typed[column], resource.field_def(column).type)]

    return RecordText({column: coded[column] for column in columns}, write)


def api_columns() -> list[str]:
    return list(schema.resource("observations").fields)


def write_api(out: Path, portal: Portal, site_url: str, kept_folder: Path | None = None) -> tuple[int, int]:
    """api/indicators.json, api/indicators/<id>.json, api/places/<geo>.json, api/sources.json; returns
    how many indicators' documents were made and how many kept.

    With kept_folder, an indicator's document is linked from the last build's (kept_downloads.py) when
    its inputs are the same: the generator, the site's configuration, the package metadata and small
    tables (KeptDownloads' shared digest), the indicator's entry, and its rows, by the hash of each row's
    cells in their order (Portal.row_hashes; 64 bits a row). After one changed value the build wrote
    every document again: 190 MB, 3.8 s of CPU at 1.3 million rows."""
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "places").mkdir(parents=True, exist_ok=True)
    meta = {
        "api_version": API_VERSION,
        "package_version": str(portal.metadata["version"]),
        "license": portal.metadata["license"]["name"],
    }
    rows = _RowObjects(observation_rows(portal.codes, portal.typed), len(portal.observations))
    columns = api_columns()

    def write_document(path: Path, head: dict, positions) -> None:
        """dump({**head, "columns": [...], "observations": [rows]}) into path, with each row's JSON made
        once and the rows written from Arrow's buffer (not copied twice more)."""
        objects = rows.buffer(positions)
        with path.open("wb") as handle:
            handle.write(dump({**head, "columns": columns}).rstrip(b"\n")[:-1] + b',"observations":[')
            handle.write(objects.slice(0, max(0, objects.size - 1)))  # without the comma after the last row
            handle.write(b"]}\n")

    by_indicator, by_geo = portal.by_indicator.positions, portal.by_geo.positions
    nothing = np.empty(0, dtype=np.int64)
    kept = KeptDownloads(kept_folder, out, shared_digest(portal.config.raw, portal.metadata, portal.files, ()))
    row_hashes = portal.row_hashes if kept_folder else None
    listing = {}
    # in the observations' order (an indicator's rows are one run of them), so that a batch serves many files
    for indicator_id in sorted(portal.indicators, key=lambda i: by_indicator.get(i, nothing)[:1].tolist()):
        positions = by_indicator.get(indicator_id, nothing)
        entry = _indicator_meta(portal.indicators[indicator_id], site_url, portal.config)
        listing[indicator_id] = {
            **entry,
            "observations": len(positions),
            "api_url": f"{site_url}api/indicators/{indicator_id}.json",
        }
        head = {**meta, "indicator": entry}
        rel = f"indicators/{indicator_id}.json"
        rows_digest = row_hashes[positions].tobytes() if row_hashes is not None else b""
        kept.file(rel, digest_of(dump(head), rows_digest), lambda path, h=head, p=positions: write_document(path, h, p))
    kept.finish()
    (out / "indicators.json").write_bytes(dump({**meta, "indicators": [listing[i] for i in portal.indicators]}))
    codes, distinct = portal.codes["indicator_id"]
    for geo, place in portal.places.items():
        entry = {k: (place[k] or None) for k in schema.resource("places").fields}
        entry["page_url"] = f"{site_url}places/{geo.lower()}/"
        if len(by_geo.get(geo, nothing)):  # a place without figures has no file of them to link to
            entry.update(formats.api_links(formats.PLACE, geo.lower(), site_url, portal.files))
        # the place's indicators, each with its count of the place's observations (the rows are in the
        # indicator's document: one copy of each row in the API, not one per indicator and one per place)
        counts = np.bincount(codes[by_geo.get(geo, nothing)], minlength=len(distinct))
        indicators = [
            {
                "indicator_id": distinct[code],
                "observations": int(counts[code]),
                "api_url": listing[distinct[code]]["api_url"],
            }
            for code in sorted(np.flatnonzero(counts), key=lambda c: distinct[c])
        ]
        (out / "places" / f"{geo.lower()}.json").write_bytes(dump({**meta, "place": entry, "indicators": indicators}))
    sources = []
    for source_id, source in portal.sources.items():
        entry = {k: (source[k] or None) for k in schema.resource("sources").fields}
        entry["citation"] = citation(
            source, portal.config.languages
        )  # its inferred facts marked, as every file marks them
        entry["observations"] = portal.by_source.count(source_id)
        entry["page_url"] = f"{site_url}sources/{source_id}/"
        sources.append(entry)
    (out / "sources.json").write_bytes(dump({**meta, "sources": sources}))
    return kept.made, kept.linked


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


def _indicator_meta(indicator: dict, site_url: str, config: SiteConfig) -> dict:
    entry = {
        k: indicator[k]
        for k in (
            "indicator_id",
            *(f"name_{lang}" for lang in config.languages),
            *(f"description_{lang}" for lang in config.languages),
            "unit",
            schema.column("indicators", "topic", config),  # as the project names it, as in its files
        )
    }
    entry["higher_is_better"] = direction(indicator["higher_is_better"])  # null: neither
    entry["page_url"] = f"{site_url}indicators/{indicator['indicator_id']}/"
    entry.update(formats.api_links(formats.INDICATOR, indicator["indicator_id"], site_url))
    return entry
