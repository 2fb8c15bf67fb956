"""Reference periods: YYYY, YYYY-H1/H2, YYYY-Qn, YYYY-MM, YYYY-MM-DD.

A period is read into its first and last day, so that periods of different
lengths sort and plot on one time axis.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ..problems import shown

_FORMS = re.compile(
    r"(?P<year>[0-9]{4})(?:-H(?P<half>[12])|-Q(?P<quarter>[1-4])|-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?",
    re.ASCII,  # ASCII digits only: '٢٠٢٢' is not 2022
)
EXPECTED = "YYYY, YYYY-H1, YYYY-H2, YYYY-Q1..Q4, YYYY-MM or YYYY-MM-DD"
FIRST_YEAR, LAST_YEAR = 1900, 2099  # the years a period or a date may name


class PeriodFormatError(ValueError):
    """Text that is not a period in a known format."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    code: str

    @property
    def midpoint(self) -> date:
        return date.fromordinal((self.start.toordinal() + self.end.toordinal()) // 2)

    @property
    def year(self) -> int:
        return self.start.year


def read_period(text: str) -> Period:
    match = _FORMS.fullmatch(text)
    if not match:
        raise PeriodFormatError(f"'{shown(text)}' is in no known period format ({EXPECTED})")
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodFormatError(
            f"'{shown(text)}': year {year} is outside {FIRST_YEAR}-{LAST_YEAR} (expected {EXPECTED}, from {FIRST_YEAR})"
        )
    try:
        if match["half"]:
            first_month = 1 if match["half"] == "1" else 7
            start, end = date(year, first_month, 1), _month_end(year, first_month + 5)
        elif match["quarter"]:
            first_month = 3 * int(match["quarter"]) - 2
            start, end = date(year, first_month, 1), _month_end(year, first_month + 2)
        elif match["day"]:
            start = end = date(year, int(match["month"]), int(match["day"]))
        elif match["month"]:
            month = int(match["month"])
            start, end = date(year, month, 1), _month_end(year, month)
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    except ValueError as error:  # month 13, 30 February, ...
        raise PeriodFormatError(f"'{shown(text)}' is not a real date: {error} (expected {EXPECTED})") from None
    return Period(start, end, text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_kind(text: str) -> str:
    match = _FORMS.fullmatch(text)
    if match is None:
        raise PeriodFormatError(f"'{shown(text)}' is in no known period format ({EXPECTED})")
    for kind in ("half", "quarter", "day", "month"):
        if match[kind]:
            return kind
    return "year"
