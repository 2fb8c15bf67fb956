"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON;
the observations as one CSV per indicator, place and source and one XLSX per
indicator; the whole package as a zip. Byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import xlsx
from .package import build_descriptor, dump_json
from .schema import RESOURCES

EXCEL_MAX_ROWS = 1_048_575  # rows below the header in one sheet
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_zip_time() -> tuple:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(time.gmtime(int(epoch))[:6], ZIP_EPOCH)


def write_downloads(out: Path, metadata: dict, files: dict[str, bytes]) -> dict[str, int]:
    """Write every download; returns how many files of each kind were written."""
    out.mkdir(parents=True, exist_ok=True)
    descriptor = dump_json(build_descriptor(metadata, files, ""))
    (out / "datapackage.json").write_bytes(descriptor)
    created = datetime.datetime(*fixed_zip_time())
    counts = {"workbooks": 0, "split CSVs": 0}
    for resource in RESOURCES:
        content = files[resource.name]
        (out / f"{resource.name}.csv").write_bytes(content)
        (out / f"{resource.name}.excel.csv").write_bytes(b"\xef\xbb\xbf" + content.replace(b"\n", b"\r\n"))
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
        kinds = {column: resource.field_def(column).type for column in resource.fields}
        strip = xlsx.has_characters_not_in_xml(content)
        with (out / f"{resource.name}.json").open("wb") as handle:
            _write_json_records(handle, _typed_frame(frame, kinds))
        if len(frame) <= EXCEL_MAX_ROWS:  # past Excel's row limit, the workbooks per indicator stand in
            rows = xlsx.row_xml(frame, kinds, np.arange(len(frame)) + 2, strip)
            parts = xlsx.workbook_parts(list(frame.columns), rows, resource.name, created, resource.name)
            (out / f"{resource.name}.xlsx").write_bytes(zip_bytes(parts, sort=False))
            counts["workbooks"] += 1
            del rows
        if resource.name == "observations":
            counts["split CSVs"] = _split_csvs(out, frame, content)
            counts["workbooks"] += _indicator_workbooks(out / "indicators", frame, kinds, created, strip)
    entries = {"datapackage.json": descriptor} | {f"{r.name}.csv": files[r.name] for r in RESOURCES}
    (out / f"{metadata['name']}.zip").write_bytes(zip_bytes(entries))
    return counts


def _typed_frame(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    typed = frame.copy()
    for column, kind in kinds.items():
        if kind == "number":
            typed[column] = pd.to_numeric(frame[column].replace("", None))
        elif kind == "integer":
            typed[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
        elif kind == "boolean":
            typed[column] = frame[column].map({"true": True, "false": False})
    return typed


JSON_CHUNK_ROWS = 100_000


def _write_json_records(handle, frame: pd.DataFrame) -> None:
    """The rows as a JSON array of objects, typed (numbers, booleans, null for empty), written by pandas
    in chunks, so that a million rows never sit in memory as one string; the bytes are those of one call."""
    handle.write(b"[")
    for first in range(0, max(len(frame), 1), JSON_CHUNK_ROWS):
        chunk = frame.iloc[first : first + JSON_CHUNK_ROWS]
        text = chunk.to_json(orient="records", force_ascii=False, indent=1, double_precision=15)
        inner = text[1:-2] if len(chunk) else ""  # without "[" and "\n]"
        handle.write(("," if first else "").encode("utf-8") + inner.encode("utf-8"))
    handle.write(b"\n]\n" if len(frame) else b"]\n")


SPLITS = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}  # folder -> column


def _split_csvs(out: Path, frame: pd.DataFrame, content: bytes) -> int:
    """The observations split by indicator, place and source: one CSV each, with the whole file's header,
    quoting and row order: each file is cut from the published file's bytes, a run of rows at a time."""
    header, starts, ends = _record_spans(frame, content)
    written = 0
    for folder, column in SPLITS.items():
        (out / folder).mkdir(parents=True, exist_ok=True)
        for key, positions in frame.groupby(column, sort=True).indices.items():
            name = key.lower() if column == "geo" else key
            breaks = np.flatnonzero(np.diff(positions) != 1)  # runs of consecutive rows: one slice each
            firsts, lasts = np.r_[positions[:1], positions[breaks + 1]], np.r_[positions[breaks], positions[-1:]]
            body = b"".join(content[a:b] for a, b in zip(starts[firsts].tolist(), ends[lasts].tolist()))
            (out / folder / f"{name}.csv").write_bytes(header + body)
            written += 1
    return written


def _record_spans(frame: pd.DataFrame, content: bytes) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The header line, and where each row's record starts and ends (with its newline) in content.

    A record is a line unless a quoted value holds a line break; then the records are found by
    formatting each row again, as csv.writer would (csv_records).
    """
    newlines = np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == ord("\n"))
    if len(newlines) == len(frame) + 1:
        return content[: newlines[0] + 1], newlines[:-1] + 1, newlines[1:] + 1
    header = content[: content.index(b"\n") + 1]
    lengths = np.array([len(record.encode("utf-8")) for record in csv_records(frame)], dtype=np.int64)
    ends = len(header) + np.cumsum(lengths)
    if ends[-1] != len(content):
        raise AssertionError("the observation records, formatted again, differ from the published CSV")
    return header, ends - lengths, ends


def _quoted_by_csv_writer(character: str) -> bool:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([character, ""])
    return out.getvalue().startswith('"')


# The characters that make csv.writer quote a field, asked of csv.writer itself ("\r" alone is
# not one of them with "\n" as line end, in Python 3.11).
QUOTED_IF_CONTAINS = "[" + "".join(re.escape(c) for c in ',"\n\r' if _quoted_by_csv_writer(c)) + "]"


def csv_records(frame: pd.DataFrame) -> np.ndarray:
    """Each row as one CSV record with its newline, quoted as csv.writer quotes (QUOTE_MINIMAL)."""
    record = None
    for column in frame.columns:
        values = frame[column]
        needs_quotes = values.str.contains(QUOTED_IF_CONTAINS, regex=True)
        field = ('"' + values.str.replace('"', '""', regex=False) + '"').where(needs_quotes, values)
        record = field if record is None else record + "," + field
    return (record + "\n").to_numpy()


WORKBOOK_BATCH_ROWS = 50_000
WORKBOOK_LEVEL = 1  # zlib level of the many small workbooks: 3x faster than 6, files about a quarter larger


def _indicator_workbooks(folder: Path, frame: pd.DataFrame, kinds: dict[str, str], created, strip: bool) -> int:
    """One workbook per indicator, made in batches of indicators so that only a batch's XML is in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    groups = list(frame.groupby("indicator_id", sort=True).indices.items())
    written, start = 0, 0
    while start < len(groups):
        stop, rows = start, 0
        while stop < len(groups) and (rows == 0 or rows + len(groups[stop][1]) <= WORKBOOK_BATCH_ROWS):
            rows += len(groups[stop][1])
            stop += 1
        batch = groups[start:stop]
        positions = np.concatenate([p for _, p in batch])
        numbers = np.concatenate([np.arange(len(p)) + 2 for _, p in batch])
        xml = np.array(xlsx.row_xml(frame.iloc[positions], kinds, numbers, strip), dtype=object)
        offset = 0
        for key, group in batch:
            parts = xlsx.workbook_parts(
                list(frame.columns), xml[offset : offset + len(group)].tolist(), key, created, key
            )
            (folder / f"{key}.xlsx").write_bytes(zip_bytes(parts, sort=False, level=WORKBOOK_LEVEL))
            offset += len(group)
            written += 1
        start = stop
    return written


def zip_bytes(entries: dict[str, bytes], sort: bool = True, level: int | None = None) -> bytes:
    out = io.BytesIO()
    names = sorted(entries) if sort else list(entries)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=fixed_zip_time())
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=level)
    return out.getvalue()
