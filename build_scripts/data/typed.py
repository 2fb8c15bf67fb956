"""Every cell typed once: each column's distinct texts read by the strict reader (strict.py) as values
of the column's Table Schema type, from which every file is written (the JSON, the API, SQLite,
Parquet, the workbooks) and the charts and pages read their figures (model.py).

A long table repeats few values (1.3 million observations hold 73,000 distinct values), so a column
is typed per distinct text, into an Arrow array in the order of the column's codes (load.py), and a
row takes its value by its code. An empty cell is null, whatever the type.

A number is written back as the shortest text that reads back as the same double (number_text:
79.95, never 79.950000000000003); the strict reader refuses a text with more digits than a double
keeps, so that text is the CSV's decimal in every file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..data import strict
from ..data.columnar import Coded

ARROW_TYPES = {
    "string": pa.string(),
    "number": pa.float64(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
DATE_ZERO = datetime.date(1970, 1, 1)  # day 0 of Arrow's date32


def typed_values(distinct: Sequence[str], kind: str) -> pa.Array:
    """Each distinct text of a column of this type as its value, in their order; null for an empty
    cell. strict.CellFormatError for a text the strict reader refuses (validate has refused it)."""
    texts = pa.array(distinct, type=pa.string())
    empty = pc.equal(texts, "")
    if kind == "string":
        return pc.if_else(empty, pa.scalar(None, pa.string()), texts)
    mask = empty.to_numpy(zero_copy_only=False)
    if kind == "number":
        values = strict.number_values(distinct)
    elif kind == "integer":
        values = strict.integer_values(distinct)
    elif kind == "date":
        values = np.array([0 if t == "" else (strict.read_date(t) - DATE_ZERO).days for t in distinct], np.int32)
    else:
        values = np.array([False if t == "" else strict.read_boolean(t) for t in distinct], dtype=bool)
    return pa.array(values, mask=mask).cast(ARROW_TYPES[kind])


def number_text(value: float) -> str:
    """The shortest text that reads back as the same double (Python's repr, as JSON writes a float),
    a whole number without its '.0': 79.95, 3, -0.5, 1e+16."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def texts(values: pa.Array, kind: str) -> pa.Array:
    """Each value as a spreadsheet cell's or the API's text: a number by number_text, an integer in
    digits, a truth value as 1 or 0, a date as YYYY-MM-DD, a text as itself; null stays null."""
    if kind == "number":
        return pa.array([None if v is None else number_text(v) for v in values.to_pylist()], type=pa.string())
    if kind == "boolean":
        return pc.if_else(values, "1", "0")
    return values.cast(pa.string())


def days_since(values: pa.Array, day_zero: datetime.date) -> pa.Array:
    """A date column's values as numbers of days after day_zero (a spreadsheet counts from 1899-12-30)."""
    offset = (DATE_ZERO - day_zero).days
    return pc.add(values.cast(pa.int32()).cast(pa.int64()), offset)


class TypedColumns(Mapping):
    """A table's columns typed: column -> an Arrow array of its distinct values' values (typed_values),
    each column typed when first asked for and then kept.

    memo: the typed columns of another view of the same cells (the loaded table, the published one
    in the package's row order: the same distinct texts), shared, so that no column is typed twice."""

    def __init__(self, coded: Coded, kinds: Mapping[str, str], memo: dict[str, pa.Array] | None = None):
        self.coded, self.kinds = coded, kinds
        self.memo = {} if memo is None else memo

    def __getitem__(self, column: str) -> pa.Array:
        if column not in self.memo:
            self.memo[column] = typed_values(self.coded[column][1], self.kinds[column])
        return self.memo[column]

    def __contains__(self, column) -> bool:  # Mapping's own would type the column to answer
        return column in self.coded

    def __iter__(self) -> Iterator[str]:
        return iter(self.coded)

    def __len__(self) -> int:
        return len(self.coded)

    def view(self, coded: Coded, kinds: Mapping[str, str] | None = None) -> TypedColumns:
        """The same cells in another order or with more columns (coded: the same distinct values for
        the columns both have), sharing what is typed."""
        return TypedColumns(coded, {**self.kinds, **(kinds or {})}, self.memo)

    def row_values(self, column: str) -> np.ndarray:
        """Each row's value, as NumPy holds it (a number column as floats, NaN for an empty cell)."""
        codes, _ = self.coded[column]
        return self[column].to_numpy(zero_copy_only=False)[codes]
