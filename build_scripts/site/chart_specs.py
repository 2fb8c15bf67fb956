"""What each chart shows, in each language: specs for charts.py and their alt text.

An indicator with two or more points gets a time series (or bars when all
points share one period); targets are reference marks; the featured places
(site.yml) are drawn first, each in its own colour. A single figure becomes a
figure card. Many places are summarised, as a band over time or as a ranking
in a single period (chart_places.py says which and why); such a chart's spec
carries the top and bottom places at the latest period (spec["ranking"]).
Every word is a text of the site's languages (texts/<lang>.yml, site.yml).
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np

from ..config.site import current
from ..data.model import Portal
from ..data.periods import period_kind, read_period
from ..site import i18n
from ..site.chart_places import RANKED_PLACES, Kinds, plan
from ..site.charts import COLORS, SUMMARY_COLOR, TARGET_COLOR
from ..site.i18n import period_text, t, value_text

TIME_SERIES_MIN_POINTS = 2
MAX_LABELLED_POINTS = 16  # past this many points, values are in the table, not printed on the chart
MAX_FOOTER_SOURCES = 3


class Point(NamedTuple):
    geo: str
    period: str
    kind: str
    value: float
    qualifier: str
    derived: bool
    source: str  # the source's short name and line, for the point's tooltip


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
    footer_sources: list[str]
    band: tuple[int, list[tuple[str, float, float, float]], set[str]] | None  # (places, per period: min,
    # median, max; their levels)
    parts: dict[tuple[str, str], list[Point]]  # (geo, kind) -> its points in time order
    ranking: Ranking | None = None  # whenever places are summarised (a band or a ranked chart)
    ranked: bool = False  # one period of many places: a ranking chart
    merged_targets: bool = False  # every target drawn as one series


def chart_data(portal: Portal, indicator_id: str) -> ChartData:
    memo = portal.memo.setdefault("chart_data", {})
    if indicator_id not in memo:
        memo.clear()  # one indicator at a time: its two languages follow each other
        memo[indicator_id] = _chart_data(portal, indicator_id)
    return memo[indicator_id]


class _Columns:
    """The observations' columns that charts read, as the load's codes (portal order), and what each
    code stands for; made once, so that an indicator's chart data is a few array operations on its
    rows, and a Python object is made only for a point that is drawn (a band's provinces are not:
    at 1.3 million rows, a Point per row took most of the specs' time)."""

    def __init__(self, portal: Portal):
        names = ("geo", "period", "kind", "qualifier", "source_id", "is_derived")
        self.codes = {column: portal.codes[column][0] for column in names}
        self.texts = {column: list(portal.codes[column][1]) for column in self.codes}
        self.rows = portal.row_codes  # each row's value, and its period's start and end as day numbers
        featured = set(current().featured_places)
        self.is_province = np.array([g not in featured for g in self.texts["geo"]], dtype=bool)
        self.provinces = {g for g, province in zip(self.texts["geo"], self.is_province) if province}
        self.actual = self.texts["kind"].index("actual") if "actual" in self.texts["kind"] else -1
        self.derived = self.texts["is_derived"].index("true") if "true" in self.texts["is_derived"] else -1
        self.lines = portal.observations["line"].to_numpy()  # each row's line in its source
        self.geo_code = {g: code for code, g in enumerate(self.texts["geo"])}
        levels = list(current().levels)
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
    names = list(
        dict.fromkeys(_source_short(portal, s) for s in sorted(columns.texts["source_id"][c] for c in sources))
    )
    geo_texts = columns.texts["geo"]
    geos = _ordered_geos({geo_texts[code] for code in np.unique(geo).tolist()})
    featured = [g for g in geos if g not in columns.provinces]
    others = [g for g in geos if g in columns.provinces]
    kind_of = np.zeros(len(columns.texts["period"]), dtype=np.int64)
    kind_of[in_time_order] = [
        list(PERIOD_MARKERS).index(period_kind(columns.texts["period"][c])) for c in in_time_order
    ]
    of = kind_of[period]  # each point's kind of period, as an index of PERIOD_MARKERS
    layout = plan(featured, others, _kinds(columns, geo, kind, of, rows), single_period=len(periods) == 1)
    band, ranking, drawn = None, None, np.ones(len(kept), dtype=bool)

    def points_at(chosen: np.ndarray) -> list[Point]:
        return _points(portal, columns, geo[chosen], period[chosen], kind[chosen], rows[chosen])

    if layout.summarised:
        codes = np.array([columns.geo_code[g] for g in layout.summarised], dtype=geo.dtype)
        in_band = np.isin(geo, codes)
        actual = in_band & (kind == columns.actual)
        # a band joins one kind of period (a half-year and a year are different quantities), and the
        # ranking compares the same: the kind most of the summarised places' figures are of
        common = np.bincount(of[actual], minlength=len(PERIOD_MARKERS)).argmax() if actual.any() else 0
        higher_is_better = portal.indicators[indicator_id]["higher_is_better"] != "false"
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
    return ChartData(points, periods, geos, names, band, parts, ranking, ranked, layout.merged_targets and not ranked)


def _points(portal: Portal, columns: _Columns, geo, period, kind, rows) -> list[Point]:
    """The points of these rows (codes, as the chart data's arrays hold them), each with its source."""
    texts, geo_texts = columns.texts, columns.texts["geo"]
    cited = [
        f"{_source_short(portal, texts['source_id'][code])}:{line}"
        for code, line in zip(columns.codes["source_id"][rows].tolist(), columns.lines[rows].tolist())
    ]
    return [
        Point(
            geo_texts[g],
            texts["period"][p],
            texts["kind"][k],
            value,
            texts["qualifier"][q],
            texts["is_derived"][d] == "true",
            c,
        )
        for g, p, k, value, q, d, c in zip(
            geo.tolist(),
            period.tolist(),
            kind.tolist(),
            columns.rows.value[rows].tolist(),
            columns.codes["qualifier"][rows].tolist(),
            columns.codes["is_derived"][rows].tolist(),
            cited,
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


def indicator_chart(portal: Portal, indicator_id: str, lang: str) -> tuple[dict, str]:
    """(spec, alt text) for one indicator: a card, bars, a series or a ranking (see the module's docstring).

    Whenever the chart summarises places (a band, or a ranking of one period), spec["ranking"] lists
    the top and bottom of them at the latest period, for the page to show beside the chart:

        {"period": "2024",             # the period, as the language writes it
         "count": 58,                  # places ranked: those of the summarised places' levels
         "places": "tỉnh",             # the word for them ("58 tỉnh")
         "median": "71,5%",            # their median, as a value text
         "higher_is_better": True,     # the order: best first, the highest values or the lowest
         "top": [{"geo": "VN-01", "name": "Hà Nội", "value": 98.2, "value_label": "98,2%"}, ...],
         "bottom": [...]}              # the last RANKED_PLACES, none of the top, the worst last
    """
    indicator = portal.indicators[indicator_id]
    data = chart_data(portal, indicator_id)
    points = data.points
    unit = indicator["unit"]
    title = indicator[f"name_{lang}"]
    footer = _sources_text(data.footer_sources, lang) + " · " + attribution(portal, f"indicators/{indicator_id}/", lang)
    if data.ranked:
        spec, alt = _ranking_chart(portal, data, title, footer, unit, lang)
    elif len(points) < TIME_SERIES_MIN_POINTS and data.band is None:
        spec, alt = _card(portal, points[0], title, footer, unit, lang)
    elif len(data.periods) == 1 and data.band is None:
        spec, alt = _bar_chart(portal, points, data.geos, title, i18n.unit_name(unit, lang), footer, unit, lang)
    else:
        spec, alt = _series_chart(portal, data, title, footer, unit, lang)
    if data.ranking is not None:
        spec["ranking"] = ranking_spec(portal, data.ranking, unit, lang)
    return spec, alt


def _card(portal: Portal, point: Point, title: str, footer: str, unit: str, lang: str) -> tuple[dict, str]:
    value_label = i18n.qualified(value_text(point.value, unit, lang), point.qualifier, lang)
    place, period = portal.places[point.geo][f"name_{lang}"], period_text(point.period, lang)
    subtitle = t(
        "chart_card_target" if point.kind == "target" else "chart_place_period", lang, place=place, period=period
    )
    spec = {
        "kind": "card",
        "lang": lang,
        "title": title,
        "value_label": value_label,
        "subtitle": subtitle,
        "footer": footer,
    }
    return spec, _alt_card(title, value_label, subtitle, lang)


def _series_chart(portal: Portal, data: ChartData, title: str, footer: str, unit: str, lang: str) -> tuple[dict, str]:
    periods, geos, points = data.periods, data.geos, data.points
    band = _band_spec(data.band, lang) if data.band else None
    if band:
        band["color"] = _summary_color(geos)
    series = []
    for index, geo in enumerate(geos):
        for kind in ("actual", "target") if not data.merged_targets else ("actual",):
            place = portal.places[geo][f"name_{lang}"]
            label = place if kind == "actual" else t("chart_target_label", lang, target=t("target", lang), place=place)
            for kind_of_period, part in _by_period_kind(data.parts.get((geo, kind), [])):
                series.append(
                    {
                        "label": label
                        if kind_of_period == "year"
                        else t(
                            "chart_period_kind_label",
                            lang,
                            label=label,
                            period_kind=t("period_" + kind_of_period, lang),
                        ),
                        "role": kind,
                        "color": _geo_color(geo, index),
                        "marker": PERIOD_MARKERS[kind_of_period],
                        "points": [[period_text(p.period, lang), p.value] for p in part],
                        "x": [year_position(p.period) for p in part],
                        "value_labels": [short_value(p, unit, lang) for p in part],
                        "derived": [p.derived for p in part],
                        "tips": [point_tip(p, place, unit, lang) for p in part],
                    }
                )
    targets = [p for geo in geos for p in data.parts.get((geo, "target"), [])] if data.merged_targets else []
    if targets:  # one series, one legend entry: targets are drawn alike, and each tooltip names its place
        targets.sort(key=lambda p: year_position(p.period))
        places = [portal.places[p.geo][f"name_{lang}"] for p in targets]
        series.append(
            {
                "label": t("target", lang),
                "role": "target",
                "color": TARGET_COLOR,
                "marker": "D",
                "points": [[period_text(p.period, lang), p.value] for p in targets],
                "x": [year_position(p.period) for p in targets],
                "value_labels": [short_value(p, unit, lang) for p in targets],
                "derived": [p.derived for p in targets],
                "tips": [point_tip(p, place, unit, lang) for p, place in zip(targets, places)],
                "places": places,
            }
        )
    years = [read_period(p).year for p in periods]
    spec = {
        "kind": "series",
        "lang": lang,
        "title": title,
        "ylabel": i18n.unit_name(unit, lang),
        "footer": footer,
        "years": [min(years), max(years)],
        "series": series,
        "invert": current().units[unit].ordinal,
        "derived_label": t("derived_legend", lang) if any(p.derived for p in points) else "",
    }
    labelled = sum(len(x["points"]) for x in series)
    spec["label_points"] = labelled <= MAX_LABELLED_POINTS and band is None
    if not band:
        return spec, _alt_series(title, series, unit, lang)
    spec["band"] = band
    return spec, _alt_series(title, series, unit, lang, _alt_band(band, unit, lang))


PERIOD_MARKERS = {"year": "o", "half": "s", "quarter": "^", "month": "v", "day": "D"}


def _by_period_kind(points: list[Point]) -> list[tuple[str, list[Point]]]:
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
    return t(f"short_qualified_{point.qualifier}", lang, value=value, estimate=t("estimate_short", lang))


def point_tip(point: Point, place: str, unit: str, lang: str) -> str:
    """What a reader gets on hovering, tapping or arrowing to a point: value, place, period, source."""
    name, line = point.source.rsplit(":", 1)
    value = i18n.qualified(value_text(point.value, unit, lang), point.qualifier, lang)
    if point.derived:
        value = t("chart_derived_value", lang, value=value, derived=t("derived", lang))
    if point.kind != "actual":
        value = t("chart_item", lang, label=t(point.kind, lang), value=value)
    period = period_text(point.period, lang)
    return t(
        "chart_tip", lang, place=place, period=period, value=value, source=name, line=t("source_line", lang, line=line)
    )


def attribution(portal: Portal, page: str, lang: str) -> str:
    """What a chart carries wherever it is reused: the licence and the address of its page."""
    prefix = "" if lang == i18n.default_language() else f"{lang}/"
    return f"{portal.metadata['license']['name']} · {portal.metadata.get('site_url', '')}{prefix}{page}"


def _province_band(periods: np.ndarray, values: np.ndarray, in_time_order: list[int]) -> list[tuple]:
    """Range (min-max) and median of the provinces' actual values (each with its period's code), per
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


def _places_word(levels: set[str], lang: str) -> str:
    """The word for many places of these levels: their level's plural ('tỉnh', 'provinces'), or 'places'."""
    known = current().levels
    if len(levels) == 1 and next(iter(levels)) in known:
        return known[next(iter(levels))].plurals[lang]
    return t("places_word", lang)


def _band_spec(band: tuple, lang: str) -> dict:
    n, rows, levels = band
    places = _places_word(levels, lang)
    return {
        "points": [[period_text(p, lang), low, middle, high] for p, low, middle, high in rows],
        "x": [year_position(p) for p, *_ in rows],
        "count": n,
        "range_label": t("band_range", lang, n=n, places=places),
        "median_label": t("band_median", lang, n=n, places=places),
    }


def _alt_band(band: dict, unit: str, lang: str) -> str:
    first, last = band["points"][0], band["points"][-1]
    return t(
        "alt_band",
        lang,
        median_label=band["median_label"],
        first=value_text(first[2], unit, lang),
        first_period=first[0],
        last=value_text(last[2], unit, lang),
        last_period=last[0],
        period=last[0],
        low=value_text(last[1], unit, lang),
        high=value_text(last[3], unit, lang),
    )


def _bar_chart(portal, points, geos, title, ylabel, footer, unit, lang):
    bars, targets = [], []
    for index, geo in enumerate(geos):
        place = portal.places[geo][f"name_{lang}"]
        for point in points:
            if point.geo != geo:
                continue
            if point.kind == "target":
                label = t("chart_item", lang, label=t("target", lang), value=value_text(point.value, unit, lang))
                targets.append({"value": point.value, "label": label})
            else:
                bars.append(
                    {
                        "label": place,
                        "value": point.value,
                        "color": _geo_color(geo, index),
                        "value_label": short_value(point, unit, lang),
                    }
                )
    period = period_text(points[0].period, lang)
    spec = {
        "kind": "bars",
        "lang": lang,
        "title": t("chart_title_period", lang, title=title, period=period),
        "ylabel": ylabel,
        "footer": footer,
        "bars": bars,
        "targets": targets,
    }
    parts = [t("chart_pair", lang, label=b["label"], value=b["value_label"]) for b in bars] + [
        x["label"] for x in targets
    ]
    return spec, t("alt_bars", lang, title=title, period=period, parts=t("chart_separator", lang).join(parts))


def ranking_spec(portal: Portal, ranking: Ranking, unit: str, lang: str) -> dict:
    """spec["ranking"] (see indicator_chart): the top and bottom places at the latest period."""

    def entry(point: Point) -> dict:
        name = portal.places[point.geo][f"name_{lang}"]
        return {"geo": point.geo, "name": name, "value": point.value, "value_label": short_value(point, unit, lang)}

    return {
        "period": period_text(ranking.period, lang),
        "count": len(ranking.geos),
        "places": _places_word(ranking.levels, lang),
        "median": value_text(ranking.median, unit, lang),
        "higher_is_better": ranking.higher_is_better,
        "top": [entry(p) for p in ranking.top],
        "bottom": [entry(p) for p in ranking.bottom],
    }


def _ranking_chart(portal: Portal, data: ChartData, title: str, footer: str, unit: str, lang: str) -> tuple[dict, str]:
    """One period of many places, best first: the top and bottom RANKED_PLACES, the featured places
    wherever they rank (in their own colours), a row for each run of places between, and the median."""
    ranking = data.ranking
    name = {g: portal.places[g][f"name_{lang}"] for g in {p.geo for p in data.points}}
    actual = {p.geo: p for p in data.points if p.kind == "actual"}
    targets = {p.geo: p for p in data.points if p.kind == "target"}
    count, n = len(ranking.geos), RANKED_PLACES
    position = {g: i for i, g in enumerate(ranking.geos)}
    shown = set(range(min(n, count))) | set(range(max(n, count - n), count))
    shown |= {position[g] for g in data.geos if g in position}
    inserted: dict[int, list[str]] = {}  # featured places of other levels, before the ranked place they beat
    for g in data.geos:
        if g not in position and g in actual:
            key = -actual[g].value if ranking.higher_is_better else actual[g].value
            inserted.setdefault(bisect.bisect_right(ranking.keys, key), []).append(g)
    places = _places_word(ranking.levels, lang)
    rows, hidden = [], 0

    def row(g: str) -> dict:
        nonlocal hidden
        if hidden:
            rows.append({"label": t("ranking_others", lang, n=i18n.number(hidden, lang), places=places), "gap": hidden})
            hidden = 0
        point = actual[g]
        featured = g in data.geos
        entry = {
            "label": name[g],
            "value": point.value,
            "color": _geo_color(g, data.geos.index(g)) if featured else SUMMARY_COLOR,
            "value_label": short_value(point, unit, lang),
            "tip": point_tip(point, name[g], unit, lang),
            "featured": featured,
        }
        if g in targets:
            entry["target"] = targets[g].value
            entry["target_tip"] = point_tip(targets[g], name[g], unit, lang)
        rows.append(entry)

    for i in range(count + 1):
        for g in inserted.get(i, []):
            row(g)
        if i < count:
            if i in shown:
                row(ranking.geos[i])
            else:
                hidden += 1
    period = period_text(ranking.period, lang)
    median = {
        "value": ranking.median,
        "label": t("band_median", lang, n=i18n.number(count, lang), places=places),
        "color": _summary_color(data.geos),
    }
    spec = {
        "kind": "ranking",
        "lang": lang,
        "title": t("chart_title_period", lang, title=title, period=period),
        "ylabel": i18n.unit_name(unit, lang),
        "footer": footer,
        "rows": rows,
        "median": median,
        "target_label": t("target", lang) if any("target" in r for r in rows) else "",
    }
    comma = t("chart_comma", lang)

    def listed(points: list[Point]) -> str:
        return comma.join(t("chart_pair", lang, label=name[p.geo], value=short_value(p, unit, lang)) for p in points)

    parts = [t("ranking_top", lang, n=len(ranking.top), places=places, names=listed(ranking.top))]
    if ranking.bottom:
        parts.append(t("ranking_bottom", lang, n=len(ranking.bottom), places=places, names=listed(ranking.bottom)))
    listed_geos = {p.geo for p in ranking.top + ranking.bottom}
    parts += [  # the featured places, where neither list names them
        t("chart_pair", lang, label=name[g], value=short_value(actual[g], unit, lang))
        for g in data.geos
        if g in actual and g not in listed_geos
    ]
    value = value_text(ranking.median, unit, lang)
    parts.append(t("alt_median", lang, n=i18n.number(count, lang), places=places, value=value))
    alt = t("alt_ranking", lang, title=title, period=period, parts=t("chart_separator", lang).join(parts))
    return spec, alt


def _home_place() -> str | None:
    featured = current().featured_places
    return featured[0] if featured else None


def _ordered_geos(geos: set[str]) -> list[str]:
    """The featured places first, in the configuration's order, then the others by code."""
    featured = current().featured_places
    return sorted(geos, key=lambda g: (featured.index(g) if g in featured else len(featured), g))


def _geo_color(geo: str, index: int) -> str:
    """A featured place's own colour; the others share the rest of the palette in turn."""
    featured = current().featured_places[: len(COLORS) - 1]
    if geo in featured:
        return COLORS[featured.index(geo)]
    return COLORS[len(featured) + index % (len(COLORS) - len(featured))]


def _summary_color(lines: list[str]) -> str:
    """The colour of the places drawn together (a band, a ranking's median): the palette's first after
    the first two that none of the chart's lines has (a third featured place has the third)."""
    used = {_geo_color(geo, index) for index, geo in enumerate(lines)}
    return next((color for color in COLORS[2:] if color not in used), COLORS[2])


def _source_short(portal: Portal, source_id: str) -> str:
    source = portal.sources[source_id]
    return source["publisher"] or source_id


def _sources_text(names: list[str], lang: str) -> str:
    """'Sources: A; B; C (+2)': the first few sources a chart cites, and how many more."""
    shown = t("chart_separator", lang).join(names[:MAX_FOOTER_SOURCES])
    if len(names) > MAX_FOOTER_SOURCES:
        shown = t("chart_more_sources", lang, names=shown, n=len(names) - MAX_FOOTER_SOURCES)
    return t("chart_sources", lang, sources=t("sources", lang), names=shown)


def _alt_card(title: str, value_label: str, subtitle: str, lang: str) -> str:
    return t("alt_card", lang, title=title, value=value_label, subtitle=subtitle)


def _alt_series(title: str, series: list[dict], unit: str, lang: str, *more: str) -> str:
    """A line chart's alt text: each series from its first to its last value, then `more` parts."""
    parts = []
    for s in series:
        first, last = s["points"][0], s["points"][-1]
        if s["role"] == "target":
            whens = [p[0] for p in s["points"]]
            if "places" in s:  # every place's targets in one series: each value says whose it is
                whens = [
                    t("chart_place_period", lang, place=place, period=when) for place, when in zip(s["places"], whens)
                ]
            values = [
                t("chart_value_period", lang, value=label, period=when) for when, label in zip(whens, s["value_labels"])
            ]
            parts.append(t("chart_item", lang, label=s["label"], value=t("chart_comma", lang).join(values)))
            continue
        if len(s["points"]) == 1:
            value = t("chart_value_period", lang, value=s["value_labels"][0], period=first[0])
            parts.append(t("chart_item", lang, label=s["label"], value=value))
            continue
        parts.append(
            t(
                "alt_series_change",
                lang,
                label=s["label"],
                first=s["value_labels"][0],
                first_period=first[0],
                last=s["value_labels"][-1],
                last_period=last[0],
                trend=_trend(first[1], last[1], unit, lang),
            )
        )
    return t("alt_series", lang, title=title, parts=t("chart_separator", lang).join(parts + list(more)))


def _trend(first: float, last: float, unit: str, lang: str) -> str:
    if last == first:
        return t("trend_unchanged", lang)
    if current().units[unit].ordinal:  # a position: a lower number is a place higher
        better = last < first
        return t("trend_rank_improved" if better else "trend_rank_fell", lang)
    return t("trend_up" if last > first else "trend_down", lang)


# ------------------------------------------------------------ overview charts


def overview_chart(portal: Portal, config: dict, lang: str) -> tuple[dict, str] | None:
    """Charts across indicators, configured in data/overview.yml."""
    kind = config["kind"]
    title = config["title"][lang]
    if kind == "progress":
        return _progress(portal, config, title, lang)
    if kind == "stacked":
        return _stacked(portal, config, title, lang)
    if kind == "grouped":
        return _grouped(portal, config, title, lang)
    raise ValueError(f"data/overview.yml: unknown chart kind '{kind}'")


def _value(portal: Portal, indicator_id: str, geo: str, period: str | None, kind: str = "actual") -> dict | None:
    """The latest figure of an indicator for a place (in a period, if given), as {"value": ...}, or None."""
    memo = portal.memo.setdefault("overview_value", {})  # both languages' charts ask for the same figures
    key = (indicator_id, geo, period, kind)
    if key not in memo:
        memo[key] = _latest_value(portal, indicator_id, geo, period, kind)
    return memo[key]


def _latest_value(portal: Portal, indicator_id: str, geo: str, period: str | None, kind: str) -> dict | None:
    positions = portal.by_indicator.positions.get(indicator_id)
    if positions is None:
        return None
    codes = portal.row_codes
    keep = codes.names["geo"][codes.codes["geo"][positions]] == geo
    if period:
        keep &= codes.period[positions] == period
    among = codes.actual if kind == "actual" else ~codes.actual
    row = codes.latest(positions[keep], "indicator_id", among).get(indicator_id)
    if row is None:
        return None
    observation = portal.observations.iloc[row]
    return {"value": float(codes.value[row]), "period": codes.period[row], "source_id": observation["source_id"]}


def _figure_in(figure: dict, unit: str, lang: str) -> str:
    """'70,91% (6 tháng đầu năm 2022)': a figure with its period."""
    return t(
        "chart_value_period",
        lang,
        value=value_text(figure["value"], unit, lang),
        period=period_text(figure["period"], lang),
    )


def _overview_footer(portal: Portal, config: dict, figures: list[dict], lang: str, extra: str = "") -> str:
    """An overview chart's note, what it compares where that needs saying, its sources, its licence
    and its page's address."""
    names = list(dict.fromkeys(_source_short(portal, f["source_id"]) for f in figures))
    parts = [config.get("note", {}).get(lang, ""), extra]
    parts.append(_sources_text(names, lang))
    parts.append(attribution(portal, "", lang))
    return " ".join(part for part in parts if part)


def _progress(portal, config, title, lang):
    bars, figures, unlike = [], [], False
    for indicator_id in config["indicators"]:
        target = _value(portal, indicator_id, config.get("geo", _home_place()), None, "target")
        if target is None:
            continue
        actual = _value(portal, indicator_id, config.get("geo", _home_place()), None, "actual")
        if actual is None or not target["value"]:
            continue
        share = 100 * actual["value"] / target["value"]
        unit = portal.indicators[indicator_id]["unit"]
        # each side with its period: a half-year's result against a full year's target says so
        partial = period_kind(actual["period"]) != period_kind(target["period"])
        figures += [actual, target]
        bars.append(
            {
                "label": portal.indicators[indicator_id][f"name_{lang}"],
                "value": round(share, 1),
                "value_label": t("chart_share", lang, share=i18n.number(round(share, 1), lang))
                + (" *" if partial else "")  # the mark of the footnote 'unlike_periods'
                + f"\n{_figure_in(actual, unit, lang)}\n"
                + t("chart_item", lang, label=t("target", lang), value=_figure_in(target, unit, lang)),
            }
        )
        unlike = unlike or partial
    if not bars:
        return None
    reference = t("chart_target_reference", lang)
    spec = {
        "kind": "progress",
        "lang": lang,
        "title": title,
        "bars": bars,
        "reference_label": reference,
        "ylabel": "",
        "footer": _overview_footer(portal, config, figures, lang, t("unlike_periods", lang) if unlike else ""),
    }
    parts = [t("chart_item", lang, label=b["label"], value=b["value_label"]) for b in bars]
    alt = t("alt_progress", lang, title=title, parts=t("chart_separator", lang).join(parts))
    return spec, alt


def _stacked(portal, config, title, lang):
    bars, figures = [], []
    for bar in config["bars"]:
        values = []
        for indicator_id in bar["parts"]:
            row = _value(portal, indicator_id, config.get("geo", _home_place()), bar.get("period"))
            values.append(float(row["value"]) if row is not None else 0.0)
            figures += [row] if row is not None else []
        bars.append(
            {"label": bar["label"][lang], "values": values, "value_labels": [i18n.number(v, lang) for v in values]}
        )
    parts = [p[lang] for p in config["part_labels"]]
    spec = {
        "kind": "stacked",
        "lang": lang,
        "title": title,
        "bars": bars,
        "parts": parts,
        "ylabel": "",
        "footer": _overview_footer(portal, config, figures, lang),
    }
    items = [
        t(
            "chart_item",
            lang,
            label=b["label"],
            value=t("chart_comma", lang).join(
                t("chart_pair", lang, label=p, value=v) for p, v in zip(parts, b["value_labels"])
            ),
        )
        for b in bars
    ]
    alt = t("alt_stacked", lang, title=title, parts=t("chart_separator", lang).join(items))
    return spec, alt


def _grouped(portal, config, title, lang):
    groups = [portal.indicators[i][f"name_{lang}"] for i in config["indicators"]]
    members, figures = [], []
    for index, geo in enumerate(config["geos"]):
        values = []
        for indicator_id in config["indicators"]:
            row = _value(portal, indicator_id, geo, config.get("period"))
            values.append(float(row["value"]) if row is not None else 0.0)
            figures += [row] if row is not None else []
        unit = portal.indicators[config["indicators"][0]]["unit"]
        members.append(
            {
                "label": portal.places[geo][f"name_{lang}"],
                "values": values,
                "color": _geo_color(geo, index),
                "value_labels": [value_text(v, unit, lang) for v in values],
            }
        )
    unit = portal.indicators[config["indicators"][0]]["unit"]
    period = period_text(config["period"], lang) if config.get("period") else ""
    spec = {
        "kind": "grouped",
        "lang": lang,
        "title": t("chart_title_period", lang, title=title, period=period) if period else title,
        "groups": groups,
        "members": members,
        "ylabel": i18n.unit_name(unit, lang),
        "footer": _overview_footer(portal, config, figures, lang),
    }
    items = [
        t(
            "chart_item",
            lang,
            label=g,
            value=t("chart_comma", lang).join(
                t("chart_pair", lang, label=m["label"], value=m["value_labels"][i]) for m in members
            ),
        )
        for i, g in enumerate(groups)
    ]
    alt = t("alt_grouped", lang, title=spec["title"], parts=t("chart_separator", lang).join(items))
    return spec, alt
