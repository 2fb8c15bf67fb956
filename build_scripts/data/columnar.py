"""Text put together column by column: a long table repeats few values, so each column's distinct
values are formatted once (quoted for CSV, encoded for JSON, escaped for XML), and Arrow joins each
row's pieces in C++. A Python call per row took seconds a million rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def text(value: str) -> pa.Scalar:
    """A constant piece for Arrow's joins of large_string columns (they need one type throughout)."""
    return pa.scalar(value, type=pa.large_string())


Coded = dict[str, tuple[np.ndarray, Sequence[str]]]
"""A table as its columns' codes, in column order: column -> (each row's code, the distinct values).
The load makes them as it reads a file (Table.codes); coded_columns() makes them from a frame."""


def coded_columns(frame: pd.DataFrame) -> Coded:
    return {column: distinct_codes(frame[column]) for column in frame.columns}


def row_count(coded: Coded) -> int:
    return len(next(iter(coded.values()))[0]) if coded else 0


ROW_HASH_BASE = np.uint64(1_099_511_628_211)  # an odd 64-bit multiplier (FNV's prime)


def row_hashes(coded: Coded) -> np.ndarray:
    """A hash of each row's cells, the same in every build: a polynomial over each column's value hashes
    (pandas' SipHash of each distinct value; uint64 wraps around). A changed cell changes its row's hash
    unless two values' hashes collide (the multiplier is odd, so each power of it is invertible)."""
    rows = np.zeros(row_count(coded), dtype=np.uint64)
    for codes, distinct in coded.values():
        rows = rows * ROW_HASH_BASE + pd.util.hash_array(np.asarray(distinct, dtype=object), categorize=False)[codes]
    return rows


def positions_by_value(coded: Coded, column: str) -> dict[str, np.ndarray]:
    """The positions of the rows of each of a column's values, ascending, in the values' sorted
    order (as a pandas groupby(sort=True) gives them), without comparing a text per row."""
    codes, distinct = coded[column]
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(distinct))
    runs = np.split(order, np.cumsum(counts)[:-1])
    return {distinct[i]: runs[i] for i in sorted(range(len(distinct)), key=distinct.__getitem__) if counts[i]}


class RecordText:
    """A table's rows as text: `write(index, column, distinct values)` gives each distinct value's
    text, with what comes before and after it in a record, once; Arrow joins each row's pieces."""

    def __init__(self, coded: Coded, write):
        self.coded = [
            (codes, pa.array(write(index, column, list(distinct)), type=pa.large_string()))
            for index, (column, (codes, distinct)) in enumerate(coded.items())
        ]

    def records(self, positions: np.ndarray) -> pa.LargeStringArray:
        """The records of the rows at positions, in that order."""
        taken = [pieces.take(pa.array(codes[positions])) for codes, pieces in self.coded]
        return pc.binary_join_element_wise(*taken, text(""))

    def records_buffer(self, positions: np.ndarray) -> pa.Buffer:
        """The same records, one after the other, as UTF-8: Arrow's buffer, not copied (a file's
        write() takes it as it takes bytes)."""
        return joined_buffer(self.records(positions))


def distinct_codes(values: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's position among the column's distinct values, and those values.

    Text held by Arrow (as pandas reads CSV) is encoded by Arrow, four times faster than pandas."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow" and not values.hasnans:
        arrow = pa.array(values)
        encoded = (arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow).dictionary_encode()
        return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    return codes, list(distinct)


def joined_bytes(joined: pa.LargeStringArray) -> bytes:
    """The values of a string array, one after the other, as UTF-8 bytes."""
    return joined_buffer(joined).to_pybytes()


def joined_buffer(joined: pa.LargeStringArray) -> pa.Buffer:
    """The values of a string array, one after the other: its data buffer, cut, not copied (a file's
    write() takes it as it takes bytes)."""
    if len(joined) == 0:
        return pa.py_buffer(b"")
    _, offsets, data = joined.buffers()
    first, last = np.frombuffer(offsets, dtype=np.int64)[[joined.offset, joined.offset + len(joined)]]
    return data.slice(int(first), int(last - first))
