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

import pandas as pd
import yaml

from .load import Table
from .schema import RESOURCES

ROOT = Path(__file__).resolve().parents[1]


def load_metadata(data_dir: Path) -> dict:
    return yaml.safe_load((data_dir / "package.yml").read_text(encoding="utf-8"))


def canonical_csv(table: Table) -> bytes:
    """The published form of a table: UTF-8, LF, schema column order, sorted by primary key."""
    columns = list(table.resource.fields)
    frame = table.frame[columns]
    keys = _sort_keys(frame, table.resource.primary_key)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(frame.loc[order].itertuples(index=False, name=None))
    return out.getvalue().encode("utf-8")


def _sort_keys(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """For each key column, three sort columns: whole numbers first, in numeric order (9 before 10),
    then text in text order."""
    keys = {}
    for column in key:
        cells = frame[column]
        digits = cells.str.isdigit().to_numpy(dtype=bool)
        keys[f"{column}.is_text"] = ~digits
        keys[f"{column}.number"] = [int(c) if d else 0 for c, d in zip(cells, digits)]
        keys[f"{column}.text"] = cells.where(~digits, "").to_numpy()
    return pd.DataFrame(keys, index=frame.index)


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
