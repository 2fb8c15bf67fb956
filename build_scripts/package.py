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
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .load import Table
from .schema import RESOURCES

ROOT = Path(__file__).resolve().parents[1]


def load_metadata(data_dir: Path) -> dict:
    return yaml.safe_load((data_dir / "package.yml").read_text(encoding="utf-8"))


WRITE_ROWS = 50_000  # rows gathered from the columns and written at a time


def canonical_csv(table: Table) -> bytes:
    """The published form of a table: UTF-8, LF, schema column order, sorted by primary key.

    Written a slice of rows at a time through an encoder into bytes: a StringIO of the whole table
    (four bytes a character, then copied into a str and again into bytes) took 600 MB at 1.3 M rows.
    """
    columns = list(table.resource.fields)
    cells = [table.frame[column].to_numpy(dtype=object) for column in columns]  # Python values, as itertuples
    order = _sort_order(table.frame, table.resource.primary_key)
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")  # newline="": no translation of line feeds
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for start in range(0, len(order), WRITE_ROWS):
        rows = order[start : start + WRITE_ROWS]
        writer.writerows(zip(*(column[rows] for column in cells)))
    text.detach()  # flushes; closing the wrapper would close `out` too
    return out.getvalue()


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


def build_descriptor(metadata: dict, files: dict[str, bytes], path_prefix: str) -> dict:
    """files: resource name -> the exact bytes the descriptor describes."""
    resources = []
    for resource in RESOURCES:
        content = files[resource.name]
        resources.append(
            {
                "name": resource.name,
                "path": f"{path_prefix}{resource.name}.csv",
                "profile": "tabular-data-resource",
                "title": resource.title_en,
                "title_vi": resource.title_vi,
                "description": resource.description_en,
                "description_vi": resource.description_vi,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                "schema": resource.table_schema(),
            }
        )
    license_ = metadata["license"]
    return {
        "profile": "tabular-data-package",
        "name": metadata["name"],
        "title": metadata["title"]["en"],
        "title_vi": metadata["title"]["vi"],
        "description": metadata["description"]["en"],
        "description_vi": metadata["description"]["vi"],
        "version": metadata["version"],
        "created": f"{metadata['released']}T00:00:00Z",
        "keywords": metadata["keywords"],
        "licenses": [{"name": license_["name"], "title": license_["title"], "path": license_["path"]}],
        "contributors": metadata["contributors"],
        "sources": [
            {"title": "Archived news reports listed in the sources resource", "path": f"{path_prefix}sources.csv"}
        ],
        "resources": resources,
    }


def dump_json(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def root_descriptor(metadata: dict, data_dir: Path) -> bytes:
    """datapackage.json for the repository root, describing data/*.csv exactly as committed."""
    files = {r.name: (data_dir / f"{r.name}.csv").read_bytes() for r in RESOURCES}
    return dump_json(build_descriptor(metadata, files, "data/"))
