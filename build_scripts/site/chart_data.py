"""What an indicator's chart shows, before any word of either language (ChartData, made once per
indicator and localised in each language): its points, periods and places drawn as series, the band
of the places summarised over time, and the ranking of one period (chart_places.py says which)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np

from ..data.model import Portal
from ..data.periods import period_kind
from .chart_place_styles import PlaceStyles
from .chart_places import RANKED_PLACES, Kinds, plan, series_legend
from .chart_points import PERIOD_MARKERS, Point


@dataclass
class Ranking:
    """The places of the summarised places' levels at the latest period they have actual figures for,
    best first: the highest values first, or the lowest where lower is better."""

    period: str
    geos: list[str]  # every ranked place, best first
    keys: list[float]  # their values, negated where higher is better: ascending
    median: float
    levels: set[str]
    higher_is_better: bool
    top: list[Point]  # the first RANKED_PLACES
    bottom: list[Point]  # the last RANKED_PLACES (none of the top), the worst last


@dataclass
class ChartData:
    """What an indicator's chart shows, before any word of either language: made once per indicator
    and localised twice."""

    points: list[Point]  # one per (geo, period, kind), the first printed; none of a band's places
    periods: list[str]  # in time order
    geos: list[str]  # places drawn as series (or bars, or highlighted in a ranking), the featured first
    footer_sources: list[str]  # the ids of the sources a footer names
    band: tuple[int, list[tuple[str, float, float, float]], set[str]] | None  # (places, per period: min,
    # median, max; their levels)
    parts: dict[tuple[str, str], list[Point]]  # (geo, kind) -> its points in time order
    ranking: Ranking | None = None  # whenever places are summarised (a band or a ranked chart)
    ranked: bool = False  # one period of many places: a ranking chart
    merged_targets: bool = False  # every target drawn as one series
    legend: list[tuple] = dataclass_field(default_factory=list)  # a series chart's (chart_places.series_legend)


def chart_data(portal: Portal, indicator_id: str) -> ChartData:
    memo = portal.memo.setdefault("chart_data", {})
    if indicator_id not in memo:
        memo.clear()  # one indicator at a time: its two languages follow each other
        memo[indicator_id] = _chart_data(portal, indicator_id)
    return memo[indicator_id]


class _Columns:
    """The observations' columns that charts read, as the load's codes (portal order), and what each
    code stands for; made once, so that an indicator's chart data is a few array operations on its
    rows, and a Python object is made only for a point that is drawn (a band's places are not:
    at 1.3 million rows, a Point per row took most of the specs' time)."""

    def __init__(self, portal: Portal):
        names = ("geo", "period", "kind", "qualifier", "source_id", "is_derived")
        self.codes = {column: portal.codes[column][0] for column in names}
        self.texts = {column: list(portal.codes[column][1]) for column in self.codes}
        self.rows = portal.row_codes  # each row's value, and its period's start and end as day numbers
        featured = set(portal.config.featured_places)
        self.is_unfeatured = np.array([g not in featured for g in self.texts["geo"]], dtype=bool)
        self.unfeatured = {g for g, other in zip(self.texts["geo"], self.is_unfeatured) if other}
        self.actual = self.texts["kind"].index("actual") if "actual" in self.texts["kind"] else -1
        self.derived = self.texts["is_derived"].index("true") if "true" in self.texts["is_derived"] else -1
        self.lines = portal.observations["line"].to_numpy()  # each row's line in its source
        self.geo_code = {g: code for code, g in enumerate(self.texts["geo"])}
        levels = list(portal.config.levels)
        places = portal.places
        self.level_names = levels + [""]
        self.level = np.array(  # each place's level, as an index of level_names
            [
                levels.index(places[g]["level"]) if places.get(g, {}).get("level") in levels else len(levels)
                for g in self.texts["geo"]
            ],
            dtype=np.int64,
        )

    @staticmethod
    def of(portal: Portal) -> _Columns:
        if "chart_columns" not in portal.memo:
            portal.memo["chart_columns"] = _Columns(portal)
        return portal.memo["chart_columns"]


def _chart_data(portal: Portal, indicator_id: str) -> ChartData:
    columns = _Columns.of(portal)
    all_rows = portal.by_indicator.positions[indicator_id]
    geo, period, kind = (columns.codes[c][all_rows] for c in ("geo", "period", "kind"))
    key = (geo.astype(np.int64) * len(columns.texts["period"]) + period) * len(columns.texts["kind"]) + kind
    kept = np.sort(np.unique(key, return_index=True)[1])  # the same figure from two sources is drawn once
    geo, period, kind, rows = geo[kept], period[kept], kind[kept], all_rows[kept]
    firsts = np.unique(period, return_index=True)[1]  # each period's first point: time order, then first seen
    start, end = columns.rows.start[rows[firsts]], columns.rows.end[rows[firsts]]
    in_time_order = period[firsts[np.lexsort((firsts, end, start))]].tolist()
    periods = [columns.texts["period"][code] for code in in_time_order]
    sources = np.unique(columns.codes["source_id"][all_rows])  # every source printing a figure, drawn or not
    names = sorted(columns.texts["source_id"][c] for c in sources)  # the footer names them in its language
    geo_texts = columns.texts["geo"]
    geos = PlaceStyles.of(portal.config).ordered({geo_texts[code] for code in np.unique(geo).tolist()})
    featured = [g for g in geos if g not in columns.unfeatured]
    others = [g for g in geos if g in columns.unfeatured]
    kind_of = np.zeros(len(columns.texts["period"]), dtype=np.int64)
    kind_of[in_time_order] = [
        list(PERIOD_MARKERS).index(period_kind(columns.texts["period"][c])) for c in in_time_order
    ]
    of = kind_of[period]  # each point's kind of period, as an index of PERIOD_MARKERS
    kinds = _kinds(columns, geo, kind, of, rows)
    layout = plan(featured, others, kinds, single_period=len(periods) == 1)
    band, ranking, drawn = None, None, np.ones(len(kept), dtype=bool)

    def points_at(chosen: np.ndarray) -> list[Point]:
        return _points(columns, geo[chosen], period[chosen], kind[chosen], rows[chosen])

    if layout.summarised:
        codes = np.array([columns.geo_code[g] for g in layout.summarised], dtype=geo.dtype)
        in_band = np.isin(geo, codes)
        actual = in_band & (kind == columns.actual)
        # a band joins one kind of period (a half-year and a year are different quantities), and the
        # ranking compares the same: the kind most of the summarised places' figures are of
        common = np.bincount(of[actual], minlength=len(PERIOD_MARKERS)).argmax() if actual.any() else 0
        higher_is_better = portal.higher_is_better(indicator_id) is not False  # neither: the largest first
        ranking = _ranking(
            columns, geo, period, kind, rows, in_time_order, codes, of == common, higher_is_better, points_at
        )
        if layout.ranked and ranking is not None:
            shown = {*layout.lines, *(p.geo for p in ranking.top + ranking.bottom)}
            drawn = np.isin(geo, np.array([columns.geo_code[g] for g in shown], dtype=geo.dtype))
            geos = layout.lines
        elif not layout.ranked:
            actual &= of == common
            by_period = _province_band(period[actual], columns.rows.value[rows[actual]], in_time_order)
            if by_period:  # none when the summarised places have only targets: they are drawn as lines then
                band = (
                    len(layout.summarised),
                    [(columns.texts["period"][code], *low_median_high) for code, *low_median_high in by_period],
                    {portal.places[g]["level"] for g in layout.summarised},
                )
                geos = layout.lines
                drawn = ~in_band
    points = points_at(np.flatnonzero(drawn))
    parts = {}
    for point in points:
        parts.setdefault((point.geo, point.kind), []).append(point)
    ranked = layout.ranked and ranking is not None
    merged = layout.merged_targets and not ranked
    legend = series_legend(geos, kinds, band is not None, merged)
    return ChartData(points, periods, geos, names, band, parts, ranking, ranked, merged, legend)


def _points(columns: _Columns, geo, period, kind, rows) -> list[Point]:
    """The points of these rows (codes, as the chart data's arrays hold them), each with its source."""
    texts, geo_texts = columns.texts, columns.texts["geo"]
    return [
        Point(
            geo_texts[g],
            texts["period"][p],
            texts["kind"][k],
            value,
            texts["qualifier"][q],
            texts["is_derived"][d] == "true",
            texts["source_id"][c],
            line,
        )
        for g, p, k, value, q, d, c, line in zip(
            geo.tolist(),
            period.tolist(),
            kind.tolist(),
            columns.rows.value[rows].tolist(),
            columns.codes["qualifier"][rows].tolist(),
            columns.codes["is_derived"][rows].tolist(),
            columns.codes["source_id"][rows].tolist(),
            columns.lines[rows].tolist(),
        )
    ]


def _kinds(columns: _Columns, geo: np.ndarray, kind: np.ndarray, pk: np.ndarray, rows: np.ndarray) -> dict:
    """Each place's Kinds: the kinds of period (pk: each point's, as an index of PERIOD_MARKERS) of its
    actual figures and of its targets, and whether any is derived (from one code per distinct
    combination: a few array operations at any size)."""
    period_kinds = list(PERIOD_MARKERS)
    actual = (kind == columns.actual).astype(np.int64)
    combos = np.unique((geo.astype(np.int64) * 2 + actual) * len(period_kinds) + pk)
    result: dict[str, Kinds] = {}
    geo_texts = columns.texts["geo"]
    for combo in combos.tolist():
        place, is_actual, of = (
            combo // (2 * len(period_kinds)),
            combo // len(period_kinds) % 2,
            combo % len(period_kinds),
        )
        entry = result.setdefault(geo_texts[place], Kinds())
        (entry.actual if is_actual else entry.target).add(period_kinds[of])
    derived = columns.codes["is_derived"][rows] == columns.derived
    for place in np.unique(geo[derived]).tolist():
        result[geo_texts[place]].derived = True
    return result


def _ranking(
    columns, geo, period, kind, rows, in_time_order, summarised, of_kind, higher_is_better, points_at
) -> Ranking | None:
    """The ranking of the places of the summarised places' levels (featured ones of those levels too)
    at the latest period (of the kind of_kind marks) any of them has an actual figure for; None when
    none has."""
    levels = np.unique(columns.level[summarised])
    ranked = np.isin(columns.level[geo], levels) & (kind == columns.actual) & of_kind
    if not ranked.any():
        return None
    present = set(period[ranked].tolist())
    latest = next(code for code in reversed(in_time_order) if code in present)
    at = np.flatnonzero(ranked & (period == latest))
    values = columns.rows.value[rows[at]].astype(float)
    keys = -values if higher_is_better else values
    geo_texts = columns.texts["geo"]
    order = sorted(range(len(at)), key=lambda i: (keys[i], geo_texts[geo[at[i]]]))
    ordered = at[order]
    count, n = len(ordered), RANKED_PLACES
    ends = points_at(np.concatenate([ordered[:n], ordered[max(n, count - n) :]]))
    return Ranking(
        period=columns.texts["period"][latest],
        geos=[geo_texts[code] for code in geo[ordered].tolist()],
        keys=[float(keys[i]) for i in order],
        median=statistics.median(values.tolist()),
        levels={columns.level_names[code] for code in levels.tolist()},
        higher_is_better=higher_is_better,
        top=ends[: min(n, count)],
        bottom=ends[min(n, count) :],
    )


def _province_band(periods: np.ndarray, values: np.ndarray, in_time_order: list[int]) -> list[tuple]:
    """Range (min-max) and median of the summarised places' actual values (each with its period's code), per
    period, in time order."""
    order = np.argsort(periods, kind="stable")
    ordered = periods[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.empty(0, int)
    groups = dict(zip(ordered[starts].tolist(), np.split(values[order], starts[1:])))
    return [
        (code, float(group.min()), statistics.median(group.tolist()), float(group.max()))
        for code in in_time_order
        if (group := groups.get(code)) is not None
    ]
