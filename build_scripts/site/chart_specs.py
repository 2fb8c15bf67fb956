"""What each chart shows, in each language: specs for charts.py and their alt text.

An indicator with two or more points gets a time series (or bars when all
points share one period); targets are reference marks; the featured places
(site.yml) are drawn first, each in its own colour. A single figure becomes a
figure card. Many places are summarised, as a band over time or as a ranking
in a single period (chart_places.py says which and why); such a chart's spec
carries the top and bottom places at the latest period (spec["ranking"]).
Every word is a text of the site's languages (texts/<lang>.yml, site.yml).

This module makes an indicator's spec (a card, bars or a series) from modules
that each hold one part: chart_data (what the chart shows, before any word),
chart_points (a point's place on the time axis, label and tooltip),
chart_place_styles (places' order, colours and words), chart_sources (the
footer), chart_alt_texts, chart_ranking (ranking charts, spec["ranking"]) and
chart_overview (the overview's charts across indicators: overview_chart).
"""

from __future__ import annotations

from ..data.model import Portal
from ..data.periods import read_period
from . import chart_legend as legend
from . import i18n
from .chart_alt_texts import alt_band, alt_card, alt_series
from .chart_data import ChartData, chart_data
from .chart_overview import overview_chart
from .chart_place_styles import PlaceStyles
from .chart_points import PERIOD_MARKERS, Point, by_period_kind, point_cite, point_tip, short_value, year_position
from .chart_ranking import ranking_chart, ranking_spec
from .chart_sources import attribution, footer_names, sources_text
from .chart_style import BAND_ALPHA, DERIVED_KEY_COLOR, TARGET_COLOR
from .i18n import period_text, t, value_text

__all__ = ["indicator_chart", "overview_chart"]


TIME_SERIES_MIN_POINTS = 2
MAX_LABELLED_POINTS = 16  # past this many points, values are in the table, not printed on the chart


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
    footer = sources_text(footer_names(portal, data.footer_sources, lang), lang)
    footer += " · " + attribution(portal, f"indicators/{indicator_id}/", lang)
    if data.ranked:
        spec, alt = ranking_chart(portal, data, title, footer, unit, lang)
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
    value_label = i18n.qualified(value_text(point.value, unit, lang), point.qualifier, lang, point.value)
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
    return spec, alt_card(title, value_label, subtitle, lang)


def _series_chart(portal: Portal, data: ChartData, title: str, footer: str, unit: str, lang: str) -> tuple[dict, str]:
    periods, geos = data.periods, data.geos
    band = _band_spec(portal, data.band, lang) if data.band else None
    if band:
        band["color"] = PlaceStyles.of(portal.config).summary_color(geos)
    series = []
    for key in data.legend:  # a series for each place's legend entry, in the legend's order (chart_places)
        role, geo, kind_of_period = (*key, None, None)[:3]
        if role not in ("actual", "target"):
            continue
        if geo is None:  # every target, one series: they are drawn alike, and each tooltip names its place
            series.append(_merged_targets(portal, data, unit, lang))
            continue
        place = portal.places[geo][f"name_{lang}"]
        label = place if role == "actual" else t("chart_target_label", lang, target=t("target", lang), place=place)
        if kind_of_period != "year":
            label = t("chart_period_kind_label", lang, label=label, period_kind=t("period_" + kind_of_period, lang))
        part = dict(by_period_kind(data.parts.get((geo, role), []))).get(kind_of_period, [])
        series.append(
            {
                "label": label,
                "role": role,
                "color": PlaceStyles.of(portal.config).color(geo, geos.index(geo)),
                "marker": PERIOD_MARKERS[kind_of_period],
                "points": [[period_text(p.period, lang), p.value] for p in part],
                "x": [year_position(p.period) for p in part],
                "value_labels": [short_value(p, unit, lang) for p in part],
                "derived": [p.derived for p in part],
                "tips": [point_tip(p, place, unit, lang) for p in part],
                "cites": [point_cite(portal, p, lang) for p in part],
            }
        )
    years = [read_period(p).year for p in periods]
    spec = {
        "kind": "series",
        "lang": lang,
        "title": title,
        "unit_label": i18n.unit_name(unit, lang),
        "footer": footer,
        "years": [min(years), max(years)],
        "series": series,
        "invert": portal.config.units[unit].ordinal,
        "derived_label": t("derived_legend", lang) if ("derived",) in data.legend else "",
    }
    labelled = sum(len(x["points"]) for x in series)
    spec["label_points"] = labelled <= MAX_LABELLED_POINTS and band is None
    if band:
        spec["band"] = band
    spec["legend"] = series_legend(spec)
    if not band:
        return spec, alt_series(title, series, spec["invert"], lang)
    return spec, alt_series(title, series, spec["invert"], lang, alt_band(band, unit, lang))


def _merged_targets(portal: Portal, data: ChartData, unit: str, lang: str) -> dict:
    targets = sorted(
        (p for geo in data.geos for p in data.parts.get((geo, "target"), [])), key=lambda p: year_position(p.period)
    )
    places = [portal.places[p.geo][f"name_{lang}"] for p in targets]
    return {
        "label": t("target", lang),
        "role": "target",
        "color": TARGET_COLOR,
        "marker": "D",
        "points": [[period_text(p.period, lang), p.value] for p in targets],
        "x": [year_position(p.period) for p in targets],
        "value_labels": [short_value(p, unit, lang) for p in targets],
        "derived": [p.derived for p in targets],
        "tips": [point_tip(p, place, unit, lang) for p, place in zip(targets, places)],
        "cites": [point_cite(portal, p, lang) for p in targets],
        "places": places,
    }


def series_legend(spec: dict) -> list[dict]:
    """A series chart's legend (chart_legend): each series as it is drawn, the key of derived values, the band's two."""
    entries = [
        legend.entry(x["label"], mark="D", edge=TARGET_COLOR, size=9)
        if x["role"] == "target"
        else legend.entry(x["label"], line=x["color"], marker=x["marker"])
        for x in spec["series"]
    ]
    if spec["derived_label"]:
        entries.append(legend.entry(spec["derived_label"], mark="o", edge=DERIVED_KEY_COLOR))
    if spec.get("band"):
        band = spec["band"]
        entries.append(legend.entry(band["range_label"], box=band["color"], alpha=BAND_ALPHA))
        entries.append(legend.entry(band["median_label"], line=band["color"], style=":", width=2))
    return entries


def _band_spec(portal: Portal, band: tuple, lang: str) -> dict:
    n, rows, levels = band
    places = PlaceStyles.of(portal.config).places_word(levels, lang)
    return {
        "points": [[period_text(p, lang), low, middle, high] for p, low, middle, high in rows],
        "x": [year_position(p) for p, *_ in rows],
        "count": n,
        "range_label": t("band_range", lang, n=n, places=places),
        "median_label": t("band_median", lang, n=n, places=places),
    }


def _bar_chart(portal, points, geos, title, unit_label, footer, unit, lang):
    bars, targets, bar_of = [], [], {}
    for index, geo in enumerate(geos):
        place = portal.places[geo][f"name_{lang}"]
        for point in points:
            if point.geo != geo:
                continue
            tip = {"tip": point_tip(point, place, unit, lang), "cite": point_cite(portal, point, lang)}
            if point.kind == "target":
                label = t("chart_item", lang, label=t("target", lang), value=value_text(point.value, unit, lang))
                targets.append({"value": point.value, "label": label, "geo": geo, **tip})
            else:
                bar_of.setdefault(geo, len(bars))
                bars.append(
                    {
                        "label": place,
                        "value": point.value,
                        "color": PlaceStyles.of(portal.config).color(geo, index),
                        "value_label": short_value(point, unit, lang),
                        **tip,
                    }
                )
    for target in targets:  # its point on its line, over its place's bar (or the middle, where it has none)
        target["at"] = bar_of.get(target.pop("geo"), (len(bars) - 1) / 2)
    period = period_text(points[0].period, lang)
    spec = {
        "kind": "bars",
        "lang": lang,
        "title": t("chart_title_period", lang, title=title, period=period),
        "unit_label": unit_label,
        "footer": footer,
        "bars": bars,
        "targets": targets,
        "legend": [legend.entry(x["label"], line=TARGET_COLOR, style="--", width=1.6) for x in targets],
    }
    parts = [t("chart_pair", lang, label=b["label"], value=b["value_label"]) for b in bars] + [
        x["label"] for x in targets
    ]
    return spec, t("alt_bars", lang, title=title, period=period, parts=t("chart_separator", lang).join(parts))
