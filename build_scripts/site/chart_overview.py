"""The overview's charts across indicators, configured in data/overview.yml: progress against targets,
stacked parts and grouped bars of places, each with its alt text."""

from __future__ import annotations

from ..data.model import Portal
from ..data.periods import period_kind
from . import chart_legend as legend
from . import i18n
from .chart_place_styles import PlaceStyles
from .chart_sizes import progress_legend
from .chart_sources import attribution, footer_names, sources_text, tip_source
from .chart_style import PROGRESS_COLORS, STACK_COLORS, TARGET_COLOR
from .i18n import period_text, t, value_text
from .target_status import state as target_state


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
    return {
        "value": float(codes.value[row]),
        "period": codes.period[row],
        "source_id": observation["source_id"],
        "qualifier": observation["qualifier"],
        "line": int(observation["line"]),
    }


def _figure_in(figure: dict, unit: str, lang: str) -> str:
    """'70,91% (6 tháng đầu năm 2022)': a figure with its period, and its qualifier ('trên 55,25 triệu')."""
    return t(
        "chart_value_period",
        lang,
        value=i18n.qualified(value_text(figure["value"], unit, lang), figure["qualifier"], lang, figure["value"]),
        period=period_text(figure["period"], lang),
    )


def _tip(portal: Portal, figure: dict | None, text: str, lang: str) -> dict:
    """A drawn figure's tooltip: its text, and its source as the chart's SVG lists it (chart_points);
    none for a figure the portal does not have (drawn as nothing)."""
    if figure is None:
        return {"tip": None, "cite": None}
    return {"tip": text, "cite": [*tip_source(portal, figure["source_id"], lang), figure["line"]]}


def _part_tip(portal: Portal, figure: dict | None, label: str, part: str, unit: str, lang: str) -> dict:
    """'Đề án 06: Đã hoàn thành 59 (2022)': the tooltip of one part of a bar, or of a place in a group."""
    if figure is None:
        return _tip(portal, None, "", lang)
    text = t("chart_pair", lang, label=part, value=_figure_in(figure, unit, lang))
    return _tip(portal, figure, t("chart_item", lang, label=label, value=text), lang)


def _overview_footer(portal: Portal, config: dict, figures: list[dict], lang: str, extra: str = "") -> str:
    """An overview chart's note, what it compares where that needs saying, its sources, its licence
    and its page's address."""
    names = footer_names(portal, [f["source_id"] for f in figures], lang)
    parts = [config.get("note", {}).get(lang, ""), extra]
    parts.append(sources_text(names, lang) + " · " + attribution(portal, "", lang))  # as an indicator's chart
    return " ".join(part for part in parts if part)


PROGRESS_STATES = {  # a bar's state -> its text: in the legend (in this order) and in the alt text
    "met": "chart_target_met",
    "short": "chart_target_short",
    "partial": "chart_target_partial",
}


def _progress(portal, config, title, lang):
    bars, figures, unlike, alt_parts = [], [], False, []
    geo = config.get("geo", PlaceStyles.of(portal.config).home_place())
    for indicator_id in config["indicators"]:
        target = _value(portal, indicator_id, geo, None, "target")
        if target is None:
            continue
        actual = _value(portal, indicator_id, geo, None, "actual")
        if actual is None or not target["value"]:
            continue
        share = 100 * actual["value"] / target["value"]
        unit = portal.indicators[indicator_id]["unit"]
        # each side with its period: a half-year's result against a full year's target says so
        partial = period_kind(actual["period"]) != period_kind(target["period"])
        figures += [actual, target]
        label = portal.indicators[indicator_id][f"name_{lang}"]
        share_text = t("chart_share", lang, share=i18n.number(round(share, 1), lang)) + (" *" if partial else "")
        texts = [  # the share (marked for the footnote 'unlike_periods'), the figure and the target
            share_text,
            _figure_in(actual, unit, lang),
            t("chart_item", lang, label=t("target", lang), value=_figure_in(target, unit, lang)),
        ]
        # met; short of it; or a part-year result short of a full-year target, which says nothing yet of the year
        higher = portal.higher_is_better(indicator_id)  # validate refuses a target where it is None
        state = target_state(actual["value"], actual["period"], target["value"], target["period"], higher)
        # as a screen reader reads it: the share and whether the target was met, then the figure and the target
        met = t(PROGRESS_STATES[state], lang)
        alt_parts.append(t("chart_item", lang, label=label, value=", ".join([f"{share_text} ({met})", *texts[1:]])))
        result = t("chart_item", lang, label=label, value=", ".join([f"{share_text} ({met})", texts[1]]))
        bar = {"label": label, "value": round(share, 1), "value_label": "\n".join(texts), "state": state}
        mark = _tip(portal, target, t("chart_item", lang, label=label, value=texts[2]), lang)
        # a tooltip at the bar's end, and one on its target's mark
        bar.update(_tip(portal, actual, result, lang), target_tip=mark["tip"], target_cite=mark["cite"])
        bars.append(bar)
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
        "state_labels": {state: t(key, lang) for state, key in PROGRESS_STATES.items()},
        "unit_label": "",
        "footer": _overview_footer(portal, config, figures, lang, t("unlike_periods", lang) if unlike else ""),
    }
    spec["legend"] = [
        legend.entry(label, line=TARGET_COLOR, width=2.4)
        if state == "target"
        else legend.entry(label, box=PROGRESS_COLORS[state])
        for state, label in progress_legend(spec)
    ]
    alt = t("alt_progress", lang, title=title, parts=t("chart_separator", lang).join(alt_parts))
    if unlike:  # the mark '*' is explained under the drawing, which the alt text stands for
        alt += " " + t("unlike_periods", lang)
    return spec, alt


def _stacked(portal, config, title, lang):
    bars, figures = [], []
    home = config.get("geo", PlaceStyles.of(portal.config).home_place())
    for bar in config["bars"]:
        values, tips = [], []
        for indicator_id, part in zip(bar["parts"], config["part_labels"]):
            row = _value(portal, indicator_id, home, bar.get("period"))
            values.append(float(row["value"]) if row is not None else 0.0)
            figures += [row] if row is not None else []
            unit = portal.indicators[indicator_id]["unit"]
            tips.append(_part_tip(portal, row, bar["label"][lang], part[lang], unit, lang))
        bars.append(
            {
                "label": bar["label"][lang],
                "values": values,
                "value_labels": [i18n.number(v, lang) for v in values],
                "tips": [tip["tip"] for tip in tips],
                "cites": [tip["cite"] for tip in tips],
            }
        )
    parts = [p[lang] for p in config["part_labels"]]
    spec = {
        "kind": "stacked",
        "lang": lang,
        "title": title,
        "bars": bars,
        "parts": parts,
        "unit_label": "",
        "footer": _overview_footer(portal, config, figures, lang),
        "legend": [legend.entry(p, box=STACK_COLORS[i % len(STACK_COLORS)]) for i, p in enumerate(parts)],
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
        values, tips = [], []
        place = portal.places[geo][f"name_{lang}"]
        for indicator_id, group in zip(config["indicators"], groups):
            row = _value(portal, indicator_id, geo, config.get("period"))
            values.append(float(row["value"]) if row is not None else 0.0)
            figures += [row] if row is not None else []
            tips.append(_part_tip(portal, row, group, place, portal.indicators[indicator_id]["unit"], lang))
        unit = portal.indicators[config["indicators"][0]]["unit"]
        members.append(
            {
                "label": place,
                "values": values,
                "color": PlaceStyles.of(portal.config).color(geo, index),
                "value_labels": [value_text(v, unit, lang) for v in values],
                "tips": [tip["tip"] for tip in tips],
                "cites": [tip["cite"] for tip in tips],
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
        "unit_label": i18n.unit_name(unit, lang),
        "footer": _overview_footer(portal, config, figures, lang),
        "legend": [legend.entry(m["label"], box=m["color"]) for m in members],
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
