"""The one reader of typed cells: numbers, integers, dates and periods, for validate and the build alike.

Python's own readers are generous: float() takes 'NaN', 'inf', '1_000' and full-width or Arabic-Indic
digits ('１２', '١٢'); int() takes the same digits; re's \\d matches any script's digits. Whatever one of
them lets through, another part of the build trips on. This module accepts only what the schema
documents, so that what validate accepts, the build can publish:

- a number is ASCII digits with an optional leading '-', an optional '.' fraction and an optional
  exponent ('1e3', '2.5E-2'); finite and at most MAX_MAGNITUDE in size; and no more digits than a
  double keeps, so that every file gives back the same decimal (typed.py writes the shortest text of
  the double: '0.30000000000000001' would come back as 0.3);
- an integer is ASCII digits with an optional leading '-', at most MAX_INTEGER in size;
- a date is exactly YYYY-MM-DD, a real day, in FIRST_YEAR..LAST_YEAR;
- a period is one of periods.EXPECTED, in the same years.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..data.periods import FIRST_YEAR, LAST_YEAR, PeriodFormatError, read_period
from ..problems import shown

MAX_MAGNITUDE = 1e18  # a figure's size: more than any printed figure (10^15 VND is "triệu tỷ đồng")
MAX_INTEGER = 2**31 - 1  # line and session numbers
KEPT_DIGITS = 15  # significant digits that always read back from a double (C's DBL_DIG); some 17-digit texts do too
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?", re.ASCII)
INTEGER = re.compile(r"-?[0-9]{1,10}", re.ASCII)
DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})", re.ASCII)

EXPECTED = {
    "number": f"a plain number in ASCII digits, such as 71.79 or -3 (no spaces, underscores, NaN or infinity), "
    f"at most {MAX_MAGNITUDE:.0e} in size",
    "integer": f"a whole number in ASCII digits, such as 38, at most {MAX_INTEGER}",
    "date": f"a real date written YYYY-MM-DD, between {FIRST_YEAR} and {LAST_YEAR}",
}


class CellFormatError(ValueError):
    """A cell that is not of its field's type, in the strict sense of this module."""


def read_number(text: str) -> float:
    if not NUMBER.fullmatch(text):
        raise CellFormatError(f"'{shown(text)}' is not a number: expected {EXPECTED['number']}")
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise CellFormatError(f"'{shown(text)}' is too large: a figure may be at most {MAX_MAGNITUDE:.0e} in size")
    shortest = repr(value)  # the shortest text that reads back as this double
    if shortest != text and shortest != text + ".0" and Decimal(shortest) != Decimal(text):
        raise CellFormatError(
            f"'{shown(text)}' has more digits than a number keeps: every file would give it back as "
            f"{shortest}; write it with at most {KEPT_DIGITS} significant digits"
        )
    return value


def read_integer(text: str) -> int:
    if not INTEGER.fullmatch(text) or abs(int(text)) > MAX_INTEGER:
        raise CellFormatError(f"'{shown(text)}' is not an integer: expected {EXPECTED['integer']}")
    return int(text)


def read_date(text: str) -> date:
    match = DATE.fullmatch(text)
    if not match:
        raise CellFormatError(f"'{shown(text)}' is not a date: expected {EXPECTED['date']}")
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellFormatError(f"'{shown(text)}': the year is outside {FIRST_YEAR}-{LAST_YEAR}")
    try:
        return date(year, int(match["month"]), int(match["day"]))
    except ValueError as error:
        raise CellFormatError(f"'{shown(text)}' is not a real date: {error}") from None


def read_boolean(text: str) -> bool:
    """The schema's own truth values only (trueValues, falseValues of the descriptor)."""
    if text not in TRUTH:
        raise CellFormatError(f"'{shown(text)}' is not a truth value: expected true or false")
    return TRUTH[text]


TRUTH = {"true": True, "false": False}
READERS = {"number": read_number, "integer": read_integer, "date": read_date}


def read_cell(text: str, kind: str):
    """The typed value of a non-empty cell of a field of this type; CellFormatError if it is not one."""
    if kind == "period":
        try:
            return read_period(text)
        except PeriodFormatError as error:
            raise CellFormatError(str(error)) from None
    reader = READERS.get(kind)
    return text if reader is None else reader(text)


def rejected(distinct, kind: str) -> dict[str, str]:
    """Of a column's distinct non-empty texts, those its type refuses, each with the reason."""
    out = {}
    if kind not in READERS and kind != "period":
        return out
    vouched = _vouched(distinct, kind)[1] if kind in VECTORISED else np.zeros(len(distinct), dtype=bool)
    for index in np.flatnonzero(~vouched).tolist():
        text = distinct[index]
        if text == "":
            continue
        try:
            read_cell(text, kind)
        except CellFormatError as error:
            out[text] = str(error)
    return out


# What Arrow reads of a column at once, in C++: a text that matches the pattern and reads back as itself
# is what read_number (read_integer) accepts, as it reads it; each other text is read by the reader.
VECTORISED = {
    "number": ("^" + NUMBER.pattern + "$", pa.float64()),
    "integer": ("^" + INTEGER.pattern + "$", pa.int64()),
}


def _vouched(distinct, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Arrow's reading of each distinct text (0 where it cannot read one), and which of them it vouches
    for: those the pattern matches, within the reader's bounds, whose value written back (the shortest
    text that reads back as it: what repr writes) is the text itself."""
    pattern, arrow_type = VECTORISED[kind]
    texts = pa.array(distinct, type=pa.string())
    plain = pc.match_substring_regex(texts, pattern)
    values = np.array(pc.if_else(plain, texts, "0").cast(arrow_type).to_numpy(zero_copy_only=False))
    bound = MAX_MAGNITUDE if kind == "number" else MAX_INTEGER
    same = pc.equal(pa.array(values).cast(pa.string()), texts)
    vouched = pc.and_(plain, same).to_numpy(zero_copy_only=False) & (np.abs(values) <= bound)
    return values, vouched


def number_values(distinct, refused_as_nan: bool = False) -> np.ndarray:
    """Each distinct text as read_number reads it, NaN for an empty cell; with refused_as_nan, NaN too
    for a text it refuses (validate goes on checking the other rows). Arrow reads those it vouches for
    (_vouched), read_number each other one."""
    values, vouched = _vouched(distinct, "number")
    for index in np.flatnonzero(~vouched).tolist():
        text = distinct[index]
        try:
            values[index] = math.nan if text == "" else read_number(text)
        except CellFormatError:
            if not refused_as_nan:
                raise
            values[index] = math.nan
    return values


def integer_values(distinct) -> np.ndarray:
    """Each distinct non-empty text as read_integer reads it (0 for an empty cell), as number_values."""
    values, vouched = _vouched(distinct, "integer")
    for index in np.flatnonzero(~vouched).tolist():
        values[index] = 0 if distinct[index] == "" else read_integer(distinct[index])
    return values


def numbers(codes: np.ndarray, distinct, refused_as_nan: bool = False) -> np.ndarray:
    """A number column as floats (NaN for an empty cell), each distinct text read once (number_values)."""
    return number_values(distinct, refused_as_nan)[codes]


def integers(codes: np.ndarray, distinct) -> np.ndarray:
    """A required integer column as ints, each distinct text read once by read_integer."""
    if any(text == "" for text in distinct):
        read_integer("")  # refused, as a required integer's empty cell is
    return integer_values(distinct)[codes]
