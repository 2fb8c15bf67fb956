"""Whether a result met its target, by one rule wherever the site says so (the overview chart's bars and
each indicator page's text): the latest actual figure of a place against its latest target.

- met: the result reaches the target (in the direction the indicator calls better; the share of the
  target rounded to a tenth of a percent, as the overview prints it);
- partial: short of it, but the result is for a part of the target's period (a half-year against a
  year), which says nothing yet of the period: not judged;
- short: short of it, over a like period: not met;
- no_result: a target and no result yet: not judged.
"""

from __future__ import annotations

from ..data.periods import period_kind
from . import i18n
from .chart_place_styles import PlaceStyles
from .i18n import period_text, t, value_text
from .markdown import text

STATES = ("met", "short", "partial", "no_result")  # each in words: the text target_state_<state>


def state(actual: float, actual_period: str, target: float, target_period: str, higher_is_better: bool) -> str:
    """The state of a result against its target (not no_result: there is a result)."""
    if target:
        share = round(100 * actual / target, 1)
        met = share >= 100 if higher_is_better else share <= 100
    else:
        met = actual >= target if higher_is_better else actual <= target
    if met:
        return "met"
    return "partial" if period_kind(actual_period) != period_kind(target_period) else "short"


def latest_against_targets(portal, indicator_id: str) -> list[tuple[str, dict, dict | None, str]]:
    """(place, its latest target, its latest result or None, the state) of each place with a target."""
    positions = portal.by_indicator.positions.get(indicator_id)
    if positions is None:
        return []
    codes = portal.row_codes
    targets = codes.latest(positions, "geo", ~codes.actual)
    if not targets:
        return []
    results = codes.latest(positions, "geo", codes.actual)
    higher = portal.higher_is_better(indicator_id)  # validate refuses a target where it is None
    out = []
    for geo in PlaceStyles.of(portal.config).ordered(set(targets)):
        target = _figure(codes, targets[geo])
        result = _figure(codes, results[geo]) if geo in results else None
        if result is None:
            out.append((geo, target, None, "no_result"))
        else:
            out.append(
                (
                    geo,
                    target,
                    result,
                    state(result["value"], result["period"], target["value"], target["period"], higher),
                )
            )
    return out


def _figure(codes, row: int) -> dict:
    return {"value": float(codes.value[row]), "period": codes.period[row], "qualifier": codes.qualifier[row]}


def targets_text(portal, indicator_id: str, lang: str) -> str:
    """An indicator page's word on its targets: that none is recorded, or each place's latest result
    against its latest target, with the state in words."""
    unit = portal.indicators[indicator_id]["unit"]
    rows = latest_against_targets(portal, indicator_id)
    if not rows:
        return f"**{text(t('target', lang))}:** {text(t('target_none', lang))}\n\n"

    def figure(f: dict) -> str:
        value = i18n.qualified(value_text(f["value"], unit, lang), f["qualifier"], lang, f["value"])
        return t("chart_value_period", lang, value=value, period=period_text(f["period"], lang))

    items = []
    for geo, target, result, status in rows:
        words = t(
            "target_against" if result else "target_awaiting",
            lang,
            place=portal.places[geo][f"name_{lang}"],
            target=figure(target),
            result=figure(result) if result else "",
            state=t(f"target_state_{status}", lang),
        )
        items.append(f"- {text(words)}\n")
    return f"**{text(t('targets', lang))}**\n\n{''.join(items)}\n"
