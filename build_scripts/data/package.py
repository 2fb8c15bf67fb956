"""Stage 3: describe the validated tables as a Frictionless data package.

The descriptor is generated whole from data/package.yml and schema.py; the
same function writes the root datapackage.json (paths under data/) and the
published copy in the site's downloads (paths beside it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config.files import load_package
from ..config.site import SiteConfig
from ..data import schema
from ..data.columnar import Coded, RecordText, row_hashes
from ..data.load import Table
from ..data.periods import read_period
from ..data.typed import TypedColumns

ROOT = Path(__file__).resolve().parents[2]


def load_metadata(data_dir: Path) -> dict:
    """package.yml's values, read as config.py checks them (plain values; dates as text)."""
    return load_package(data_dir)


DERIVED_READERS = {"period": read_period}  # how a derived column's source is read
WRITE_ROWS = 200_000  # records joined and written at a time


@dataclass(frozen=True)
class Published:
    """A table as the package publishes it: the CSV file's bytes, and its columns' codes in the file's
    row order, from which the downloads are made without reading the file back."""

    content: bytes
    coded: Coded
    typed: TypedColumns | None = None  # the columns typed (typed.py), shared with the loaded table

    @cached_property
    def row_hashes(self) -> np.ndarray:
        """The hash of each row's cells, in the file's row order (columnar.row_hashes): what the kept
        downloads compare (the database's rows, the split CSVs). Computed once, before the downloads fork."""
        return row_hashes(self.coded)

    def typed_by(self, kinds: dict[str, str]) -> TypedColumns:
        """The columns typed: as the package was published (shared with the loaded table and the
        portal), or for a table put together by hand, typed here by these kinds."""
        return self.typed if self.typed is not None else TypedColumns(self.coded, kinds)


def publish(table: Table, derived: bool = True) -> Published:
    """The published form of a table: UTF-8, LF, schema column order, sorted by primary key, quoted as
    csv.writer quotes (QUOTE_MINIMAL).

    Built column-wise: each distinct value is quoted once, and Arrow joins a slice of records at a time
    into bytes (csv.writer took 3 s a million rows; a StringIO of the whole table took 600 MB).
    """
    columns = list(table.resource.published_fields if derived else table.resource.fields)
    order = _sort_order(table.frame, table.resource.primary_key)
    coded = {column: table.codes.get(column) or derived_codes(table, column) for column in columns}
    records = csv_text(coded)
    out = io.BytesIO()
    out.write(",".join(csv_field(column) for column in columns).encode("utf-8") + b"\n")
    for start in range(0, len(order), WRITE_ROWS):
        out.write(records.records_buffer(order[start : start + WRITE_ROWS]))
    del records
    pa.default_memory_pool().release_unused()  # Arrow's allocator keeps freed pages for reuse otherwise
    ordered = {column: (codes[order], distinct) for column, (codes, distinct) in coded.items()}
    kinds = {column: table.resource.field_def(column).type for column in columns}
    return Published(out.getvalue(), ordered, table.typed.view(ordered, kinds))


def derived_codes(table: Table, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A derived column's codes (schema.DERIVED): its source column's codes, each distinct value read
    (a period) and the attribute written in ISO 8601 ('2024-H1' -> '2024-01-01' as period_start)."""
    ((source, attribute),) = [
        (source, attribute) for name, source, attribute in table.resource.derived if name == column
    ]
    codes, distinct = table.codes[source]
    read = DERIVED_READERS[source]
    return codes, np.array([getattr(read(text), attribute).isoformat() for text in distinct], dtype=object)


def canonical_csv(table: Table) -> bytes:
    """The bytes of the table's file in the data folder, in the canonical form the package publishes
    (publish, without the derived columns)."""
    return publish(table, derived=False).content


def _quoted_by_csv_writer(character: str) -> bool:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([character, ""])
    return out.getvalue().startswith('"')


# The characters that make csv.writer quote a field, asked of csv.writer itself ("\r" alone is
# not one of them with "\n" as line end, in Python 3.11).
QUOTED_IF_CONTAINS = re.compile("[" + "".join(re.escape(c) for c in ',"\n\r' if _quoted_by_csv_writer(c)) + "]")


def csv_field(text: str) -> str:
    """text as csv.writer writes it in a record of two fields or more (QUOTE_MINIMAL)."""
    return '"' + text.replace('"', '""') + '"' if QUOTED_IF_CONTAINS.search(text) else text


def csv_text(coded: Coded) -> RecordText:
    """The rows as CSV records, quoted as csv.writer quotes (QUOTE_MINIMAL).

    Every table has two columns or more; csv.writer would quote a lone empty field ('""').
    """
    last = len(coded) - 1

    def write(index: int, _: str, distinct: list[str]) -> list[str]:
        return [csv_field(text) + ("\n" if index == last else ",") for text in distinct]

    return RecordText(coded, write)


def _sort_order(frame: pd.DataFrame, key: tuple[str, ...]) -> np.ndarray:
    """Positions of the rows in primary-key order, stable: for each key column whole numbers first, in
    numeric order (9 before 10), then text in text order.

    Each key column is ranked once per distinct value (a long table repeats its identifiers), and the
    rows are sorted on those whole-number ranks.
    """
    ranks = {column: _ranks(frame[column]) for column in key}
    ordered = pd.DataFrame(ranks).sort_values(list(key), kind="stable")
    return ordered.index.to_numpy()


def _ranks(cells: pd.Series) -> np.ndarray:
    """For each cell the rank of its sort key (is text, number, text) among the column's distinct keys;
    equal keys ("7" and "07") share a rank."""
    codes, distinct = pd.factorize(cells.to_numpy(dtype=object))
    keys = [(False, int(text), "") if text.isdigit() else (True, 0, text) for text in distinct]
    rank_of_key = {sort_key: rank for rank, sort_key in enumerate(sorted(set(keys)))}
    return np.array([rank_of_key[sort_key] for sort_key in keys], dtype=np.int64)[codes]


def build_descriptor(
    config: SiteConfig,
    metadata: dict,
    files: dict[str, bytes],
    path_prefix: str,
    published: bool = False,
    names: dict | None = None,
) -> dict:
    """files: resource name -> the exact bytes the descriptor describes: the data folder's files, or
    (published) the published files, with their derived columns (schema.DERIVED); names: resource name
    -> its file's name where it is not <name>.csv (a compressed 'observations.csv.gz')."""
    names = names or {}
    resources = []
    for resource in schema.resources(config):
        content = files[resource.name]
        resources.append(
            {
                "name": resource.name,
                "type": "table",
                "path": path_prefix + names.get(resource.name, f"{resource.name}.csv"),
                **in_languages("title", resource.titles, config),
                **in_languages("description", resource.descriptions, config),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                "schema": resource.table_schema(published),
            }
        )
    license_ = metadata["license"]
    return {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": metadata["name"],
        **in_languages("title", metadata["title"], config),
        **in_languages("description", metadata["description"], config),
        "version": metadata["version"],
        "created": f"{metadata['released']}T00:00:00Z",
        "keywords": metadata["keywords"],
        "licenses": [{"name": license_["name"], "title": license_["title"], "path": license_["path"]}],
        "contributors": [v2_contributor(contributor) for contributor in metadata["contributors"]],
        "sources": [
            {
                "title": config.texts[config.descriptor_language]["package_sources_title"],
                "path": f"{path_prefix}sources.csv",
            }
        ],
        "resources": resources,
    }


DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"  # Data Package v2.0 (2024)
# Data Package v1 roles -> their v2 names (v2 takes an array 'roles' and names an author 'creator')
V2_ROLES = {"author": "creator", "maintainer": "contact", "wrangler": "dataCurator"}


def v2_contributor(contributor: dict) -> dict:
    """A contributor of package.yml in Data Package v2's form: 'roles', an array (v1 had one 'role')."""
    out = {key: value for key, value in contributor.items() if key not in ("role", "roles")}
    roles = contributor.get("roles") or ([contributor["role"]] if contributor.get("role") else [])
    return {**out, **({"roles": [V2_ROLES.get(role, role) for role in roles]} if roles else {})}


def in_languages(key: str, texts: dict[str, str], config: SiteConfig) -> dict[str, str]:
    """A text of the descriptor in every site language: key in the descriptor language (English where the
    site has it, as data tools read it), key_<lang> for each other language."""
    main = config.descriptor_language
    return {key: texts[main], **{f"{key}_{lang}": texts[lang] for lang in config.languages if lang != main}}


def dump_json(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def root_descriptor(config: SiteConfig, metadata: dict, data_dir: Path) -> bytes:
    """datapackage.json for the repository root, describing data/*.csv exactly as committed."""
    files = {r.name: (data_dir / f"{r.name}.csv").read_bytes() for r in schema.resources(config)}
    return dump_json(build_descriptor(config, metadata, files, "data/"))
