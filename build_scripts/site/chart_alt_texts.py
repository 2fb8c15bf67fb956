"""The alt texts of indicators' charts that are not the specs' own lists: a figure card, a series
chart (each series from its first to its last value, and its trend) and a band."""

from __future__ import annotations

from .i18n import t, value_text


def alt_card(title: str, value_label: str, subtitle: str, lang: str) -> str:
    return t("alt_card", lang, title=title, value=value_label, subtitle=subtitle)


def alt_series(title: str, series: list[dict], ordinal: bool, lang: str, *more: str) -> str:
    """A line chart's alt text: each series from its first to its last value, then `more` parts; ordinal:
    the unit is a position, where a lower number is a place higher."""
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
                trend=_trend(first[1], last[1], ordinal, lang),
            )
        )
    return t("alt_series", lang, title=title, parts=t("chart_separator", lang).join(parts + list(more)))


def _trend(first: float, last: float, ordinal: bool, lang: str) -> str:
    if last == first:
        return t("trend_unchanged", lang)
    if ordinal:  # a position: a lower number is a place higher
        better = last < first
        return t("trend_rank_improved" if better else "trend_rank_fell", lang)
    return t("trend_up" if last > first else "trend_down", lang)


def alt_band(band: dict, unit: str, lang: str) -> str:
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
