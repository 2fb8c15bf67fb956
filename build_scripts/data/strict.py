"""The one reader of typed cells: numbers, integers, dates and periods, for validate and the build alike.

Python's own readers are generous: float() takes 'NaN', 'inf', '1_000' and full-width or Arabic-Indic
digits ('１２', '١٢'); int() takes the same digits; re's \\d matches any script's digits. Whatever one of
them lets through, another part of the build trips on. This module accepts only what the schema
documents, so that what validate accepts, the build can publish:

- a number is ASCII digits with an optional leading '-', an optional '.' fraction and an optional
  exponent ('1e3', '2.5E-2'); finite and at most MAX_MAGNITUDE in size;
- an integer is ASCII digits with an optional leading '-', at most MAX_INTEGER in size;
- a date is exactly YYYY-MM-DD, a real day, in FIRST_YEAR..LAST_YEAR;
- a period is one of periods.EXPECTED, in the same years.
"""

from __future__ import annotations

import math
import re
from datetime import date

import numpy as np

from ..data.periods import FIRST_YEAR, LAST_YEAR, PeriodFormatError, read_period
from ..problems import shown

MAX_MAGNITUDE = 1e18  # a figure's size: more than any printed figure (10^15 VND is "triệu tỷ đồng")
MAX_INTEGER = 2**31 - 1  # line and session numbers
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
    for text in distinct:
        if text == "":
            continue
        try:
            read_cell(text, kind)
        except CellFormatError as error:
            out[text] = str(error)
    return out


def numbers(codes: np.ndarray, distinct, refused_as_nan: bool = False) -> np.ndarray:
    """A number column as floats (NaN for an empty cell), each distinct text read once by read_number;
    with refused_as_nan, NaN too for a text it refuses (validate goes on checking the other rows)."""

    def read(text: str) -> float:
        if text == "":
            return math.nan
        try:
            return read_number(text)
        except CellFormatError:
            if refused_as_nan:
                return math.nan
            raise

    return np.array([read(text) for text in distinct], dtype=float)[codes]


def integers(codes: np.ndarray, distinct) -> np.ndarray:
    """A required integer column as ints, each distinct text read once by read_integer."""
    return np.array([read_integer(text) for text in distinct], dtype=np.int64)[codes]
