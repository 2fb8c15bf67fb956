"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON,
one CSV per indicator, and the whole package as a zip. Byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import datetime
import io
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
    """The rows as a JSON array of objects, typed (numbers, booleans, null for empty), written by pandas."""
    text = frame.to_json(orient="records", force_ascii=False, indent=1, double_precision=15)
    return (text + "\n").encode("utf-8")


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
    """One sheet, header in bold, numbers as numbers; XlsxWriter writes about twice as fast as openpyxl."""
    import xlsxwriter

    raw = io.BytesIO()
    workbook = xlsxwriter.Workbook(raw, {"constant_memory": True, "in_memory": True})
    workbook.set_properties({"author": "vn-dx-open-data", "created": datetime.datetime(*fixed_zip_time())})
    worksheet = workbook.add_worksheet(sheet[:31])
    worksheet.write_row(0, 0, list(frame.columns), workbook.add_format({"bold": True}))
    for index, column in enumerate(frame.columns):
        worksheet.set_column(index, index, max(10, min(60, len(column) + 4)))
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    for row_index, values in enumerate(zip(*columns), start=1):
        worksheet.write_row(row_index, 0, values)
    workbook.close()
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
