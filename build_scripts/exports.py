"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON,
one CSV per indicator, and the whole package as a zip. Byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pandas as pd

from .package import build_descriptor, dump_json
from .schema import RESOURCES

EXCEL_MAX_ROWS = 1_048_575  # rows below the header in one sheet
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_zip_time() -> tuple:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(time.gmtime(int(epoch))[:6], ZIP_EPOCH)


def write_downloads(out: Path, metadata: dict, files: dict[str, bytes]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    descriptor = dump_json(build_descriptor(metadata, files, ""))
    (out / "datapackage.json").write_bytes(descriptor)
    for resource in RESOURCES:
        content = files[resource.name]
        (out / f"{resource.name}.csv").write_bytes(content)
        (out / f"{resource.name}.excel.csv").write_bytes(b"\xef\xbb\xbf" + content.replace(b"\n", b"\r\n"))
        frame = _typed_frame(content, resource)
        (out / f"{resource.name}.json").write_bytes(_json_records(frame))
        if len(frame) <= EXCEL_MAX_ROWS:
            (out / f"{resource.name}.xlsx").write_bytes(xlsx_bytes(frame, resource.name))
    _split_csvs(out, files["observations"])
    entries = {"datapackage.json": descriptor} | {f"{r.name}.csv": files[r.name] for r in RESOURCES}
    (out / f"{metadata['name']}.zip").write_bytes(zip_bytes(entries))


def _typed_frame(content: bytes, resource) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    for column in resource.fields:
        kind = resource.field_def(column).type
        if kind == "number":
            frame[column] = pd.to_numeric(frame[column].replace("", None))
        elif kind == "integer":
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
        elif kind == "boolean":
            frame[column] = frame[column].map({"true": True, "false": False})
    return frame


def _json_records(frame: pd.DataFrame) -> bytes:
    records = []
    columns = list(frame.columns)
    for values in frame.itertuples(index=False):
        record = {}
        for column, value in zip(columns, values):
            if value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value):
                record[column] = None
            elif hasattr(value, "item"):
                record[column] = value.item()
            else:
                record[column] = value
            if isinstance(record[column], float) and record[column].is_integer():
                record[column] = int(record[column])
        records.append(record)
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


SPLITS = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}  # folder -> column


def _split_csvs(out: Path, content: bytes) -> None:
    """The observations split by indicator, place and source: one CSV each, same header and quoting."""
    records = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    header, body = records[0], records[1:]
    for folder, column in SPLITS.items():
        index = header.index(column)
        grouped: dict[str, list[list[str]]] = {}
        for record in body:
            grouped.setdefault(record[index], []).append(record)
        (out / folder).mkdir(parents=True, exist_ok=True)
        for key, rows in grouped.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            name = key.lower() if column == "geo" else key
            (out / folder / f"{name}.csv").write_bytes(buffer.getvalue().encode("utf-8"))


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "vn-dx-open-data"
    stamp = datetime.datetime(*fixed_zip_time())
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    worksheet = workbook.create_sheet(sheet[:31])
    for index, column in enumerate(frame.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, len(column) + 4))
    worksheet.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        worksheet.append(
            [
                None
                if (v is None or v is pd.NA or (isinstance(v, float) and v != v))
                else (v.item() if hasattr(v, "item") else v)
                for v in values
            ]
        )
    raw = io.BytesIO()
    workbook.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and order, so equal content gives equal bytes."""
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    return zip_bytes(entries, sort=False)


def zip_bytes(entries: dict[str, bytes], sort: bool = True) -> bytes:
    out = io.BytesIO()
    names = sorted(entries) if sort else list(entries)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=fixed_zip_time())
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return out.getvalue()
