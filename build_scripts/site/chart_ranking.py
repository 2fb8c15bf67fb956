"""Rankings: the spec and alt text of a ranking chart (one period of many places, best first), and
spec["ranking"], the top and bottom places a page lists beside any chart that summarises places."""

from __future__ import annotations

import bisect

from ..data.model import Portal
from . import chart_legend as legend
from . import i18n
from .chart_data import ChartData, Ranking
from .chart_place_styles import PlaceStyles
from .chart_places import RANKED_PLACES
from .chart_points import Point, point_cite, point_tip, short_value
from .chart_style import SUMMARY_COLOR, TARGET_COLOR
from .i18n import period_text, t, value_text


def ranking_spec(portal: Portal, ranking: Ranking, unit: str, lang: str) -> dict:
    """spec["ranking"] (see indicator_chart): the top and bottom places at the latest period."""

    def entry(point: Point) -> dict:
        name = portal.places[point.geo][f"name_{lang}"]
        return {"geo": point.geo, "name": name, "value": point.value, "value_label": short_value(point, unit, lang)}

    return {
        "period": period_text(ranking.period, lang),
        "count": len(ranking.geos),
        "places": PlaceStyles.of(portal.config).places_word(ranking.levels, lang),
        "median": value_text(ranking.median, unit, lang),
        "higher_is_better": ranking.higher_is_better,
        "top": [entry(p) for p in ranking.top],
        "bottom": [entry(p) for p in ranking.bottom],
    }


def ranking_chart(portal: Portal, data: ChartData, title: str, footer: str, unit: str, lang: str) -> tuple[dict, str]:
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
    places = PlaceStyles.of(portal.config).places_word(ranking.levels, lang)
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
            "color": PlaceStyles.of(portal.config).color(g, data.geos.index(g)) if featured else SUMMARY_COLOR,
            "value_label": short_value(point, unit, lang),
            "tip": point_tip(point, name[g], unit, lang),
            "cite": point_cite(portal, point, lang),
            "featured": featured,
        }
        if g in targets:
            entry["target"] = targets[g].value
            entry["target_tip"] = point_tip(targets[g], name[g], unit, lang)
            entry["target_cite"] = point_cite(portal, targets[g], lang)
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
        "color": PlaceStyles.of(portal.config).summary_color(data.geos),
    }
    spec = {
        "kind": "ranking",
        "lang": lang,
        "title": t("chart_title_period", lang, title=title, period=period),
        "unit_label": i18n.unit_name(unit, lang),
        "footer": footer,
        "rows": rows,
        "median": median,
        "target_label": t("target", lang) if any("target" in r for r in rows) else "",
    }
    spec["legend"] = [legend.entry(median["label"], line=median["color"], style=":", width=2)]
    if spec["target_label"]:
        spec["legend"].append(legend.entry(spec["target_label"], mark="D", edge=TARGET_COLOR))
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
