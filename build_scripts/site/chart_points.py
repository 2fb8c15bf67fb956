"""A point of an indicator's chart and how it is shown: its place on a time axis whose unit is a
year, the marker of its kind of period, its label on the chart and its tooltip."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from ..data.periods import period_kind, read_period
from . import i18n
from .chart_sources import tip_source
from .i18n import number, period_text, t, value_text


class Point(NamedTuple):
    geo: str
    period: str
    kind: str
    value: float
    qualifier: str
    derived: bool
    source_id: str  # the source and the line that print the figure, for the point's tooltip
    line: int


PERIOD_MARKERS = {"year": "o", "half": "s", "quarter": "^", "month": "v", "day": "D"}


def by_period_kind(points: list[Point]) -> list[tuple[str, list[Point]]]:
    """A place's points split by the kind of their periods, years first: a half-year and a year are
    different quantities, never joined by one line."""
    groups: dict[str, list[Point]] = {}
    for point in points:
        groups.setdefault(period_kind(point.period), []).append(point)
    return sorted(groups.items(), key=lambda item: list(PERIOD_MARKERS).index(item[0]))


def year_position(code: str) -> float:
    """Where a period sits on a time axis whose unit is a year: its midpoint (2024 -> 2024.5, the first
    half of 2024 -> about 2024.25)."""
    period = read_period(code)
    first = date(period.midpoint.year, 1, 1)
    days = (date(period.midpoint.year + 1, 1, 1) - first).days
    return round(period.midpoint.year + (period.midpoint - first).days / days, 4)


def short_value(point: Point, unit: str, lang: str) -> str:
    """A value as a chart labels it, keeping how the source qualified it: '> 55,25 triệu', '≈ 18%',
    'ước 18,3%' / '18.3% est.'."""
    value = value_text(point.value, unit, lang)
    if not point.qualifier:
        return value
    return t(
        f"short_qualified_{point.qualifier}",
        lang,
        value=value,
        number=number(point.value, lang),
        estimate=t("estimate_short", lang),
    )


TIP_FIELDS = ("place", "period", "value")  # the fields of a point's tooltip, in point_tip's order


def point_tip(point: Point, place: str, unit: str, lang: str) -> list[str]:
    """What a reader gets on hovering, tapping or arrowing to a point: value, place and period (and
    under them its source, point_cite), as the language's sentence and its TIP_FIELDS (tip_text): a
    chart sends the sentence once and each point's fields (chart_tips)."""
    value = i18n.qualified(value_text(point.value, unit, lang), point.qualifier, lang, point.value)
    if point.derived:
        value = t("chart_derived_value", lang, value=value, derived=t("derived", lang))
    if point.kind != "actual":
        value = t("chart_item", lang, label=t(point.kind, lang), value=value)
    return [t("chart_tip", lang), place, period_text(point.period, lang), value]


def tip_text(tip: list[str] | str) -> str:
    """A point's tooltip as a reader sees it: point_tip's sentence with its fields, or a text as it is."""
    if isinstance(tip, str):
        return tip
    sentence, *fields = tip
    return sentence.format(**dict(zip(TIP_FIELDS, fields)))


def point_cite(portal, point: Point, lang: str) -> list:
    """The source a point's tooltip cites, as the chart's SVG lists it: the texts before and after the
    line number (chart_sources.tip_source, one per source) and the line."""
    return [*tip_source(portal, point.source_id, lang), point.line]
