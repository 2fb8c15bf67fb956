"""The indicator catalogue, each topic's page and each indicator's page."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config.site import SiteConfig
from ..data.model import Portal
from ..publish import formats
from ..publish.jsonld import indicator_jsonld
from ..site import i18n
from ..site.figure_list import (
    figure_list,
    figure_text,
    href,
    latest_block,
    latest_rows,
    period_span,
    source_facts,
)
from ..site.i18n import period_text, t, topic_name
from ..site.markdown import attr, link, table, text
from .page_parts import (
    CATALOGUE_PER_TOPIC,
    FULL_TABLE_MAX_ROWS,
    SUMMARY_MAX_ROWS,
    PageContext,
    _chart_image,
    _downloads,
    _figure,
    _place_name,
    _unsearched,
    chart_ranking,
    cite_box,
    jsonld_block,
    lead_figure,
)
from .page_share import share_box
from .target_status import targets_text


def indicator_catalogue(ctx: PageContext) -> str:
    """The indicators by topic: the first few of each here, all of them on the topic's own page."""
    portal, lang, page = ctx.portal, ctx.lang, "indicators/index.md"
    out = [ctx.front(t("indicators", lang), _catalogue_description(ctx)), f"# {text(t('indicators', lang))}\n\n"]
    overview = [key for key in ctx.charts if key.startswith("overview/")]
    for index, key in enumerate(overview):  # the first is on the first screen
        out.append(_chart_image(ctx, page, key, lazy=index > 0))
    for topic, members in topic_members(portal).items():
        out.append(f"## {text(topic_name(topic, lang))}\n\n")
        out.append(_catalogue_table(ctx, members[:CATALOGUE_PER_TOPIC], ""))
        all_label = t("all_in_topic", lang, n=i18n.number(len(members), lang))
        out.append(f"\n{link(all_label, topic_page(portal.config, topic).removeprefix('indicators/'))}\n\n")
    return "".join(out)


def topic_page(config: SiteConfig, topic: str) -> str:
    """The Markdown file of a topic's page."""
    return f"indicators/{config.topic_page_prefix}{topic}.md"


def topic_catalogue(ctx: PageContext, topic: str) -> str:
    lang = ctx.lang
    members = topic_members(ctx.portal).get(topic, [])
    title = topic_name(topic, lang)
    out = [ctx.front(title, f"{t('indicators', lang)}: {title}"), f"# {text(title)}\n\n"]
    out.append(_catalogue_table(ctx, members, ""))
    return "".join(out)


def topic_members(portal: Portal, with_empty: bool = False) -> dict[str, list[str]]:
    """Topic -> its indicators that have figures (with_empty: all its indicators)."""
    members = {topic: [] for topic in tuple(portal.config.topics)}
    for indicator_id in portal.indicators:
        if with_empty or indicator_id in portal.by_indicator:
            members[portal.topic(indicator_id)].append(indicator_id)
    return {topic: ids for topic, ids in members.items() if ids}


def _catalogue_table(ctx: PageContext, indicator_ids: list[str], prefix: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    rows = []
    for indicator_id in indicator_ids:
        indicator = portal.indicators[indicator_id]
        latest = lead_figure(ctx, indicator_id)
        latest_text = (
            f"{_figure(ctx, latest, indicator['unit'])} ({period_text(latest['period'], lang)}, "
            f"{_place_name(ctx, latest['geo'])})"
            if latest is not None
            else "—"
        )
        rows.append(
            [
                link(indicator[f"name_{lang}"], f"{prefix}{indicator_id}.md"),
                text(latest_text),
                text(i18n.number(portal.by_indicator.count(indicator_id), lang)),
            ]
        )
    headers = [text(t("indicator", lang)), text(t("latest", lang)), text(t("count_of_figures", lang))]
    return _unsearched(table(headers, rows, ["left", "left", "right"]))


def _catalogue_description(ctx: PageContext) -> str:
    return t("catalogue_description", ctx.lang, n=len(ctx.portal.by_indicator))


def indicator_page(ctx: PageContext, indicator_id: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"indicators/{indicator_id}.md"
    indicator = portal.indicators[indicator_id]
    count = portal.by_indicator.count(indicator_id)
    frame = portal.by_indicator[indicator_id] if count <= FULL_TABLE_MAX_ROWS else None  # else: summarised
    name = indicator[f"name_{lang}"]
    unit = indicator["unit"]
    key = f"indicators/{indicator_id}"
    front = ctx.front(name, indicator[f"description_{lang}"], ("indicator", indicator_id), image=key)
    out = [front, f"# {text(name)}\n\n"]
    out.append(latest_block(portal, page, indicator_id, lang, chart_ranking(ctx, indicator_id)))
    out.append(f"{text(indicator[f'description_{lang}'])}\n\n")
    facts = [
        (t("unit", lang), i18n.unit_name(unit, lang)),
        (t("topic", lang), topic_name(portal.topic(indicator_id), lang)),
    ]
    better = portal.higher_is_better(indicator_id)
    if better is not None:  # neither (a population, a price index): no line
        facts.append((t("higher_is_better", lang), t("yes" if better else "no", lang)))
    facts.append((t("count_of_figures", lang), i18n.number(count, lang)))
    out.append("".join(f"- **{text(k)}:** {text(v)}\n" for k, v in facts) + "\n")
    out.append(targets_text(portal, indicator_id, lang))
    if ctx.charts[key]["kind"] != "card":  # a single figure is the opening's own; it needs no chart
        out.append(_chart_image(ctx, page, key))
    if ctx.charts[key].get("ranking"):  # many places, summarised in the chart: which lead and which trail
        out.append(_ranking_list(ctx, page, ctx.charts[key]["ranking"]))
    lang_dir = "" if lang == i18n.default_language() else f"{lang}/"
    image = "card" if ctx.charts[key]["kind"] == "card" else "chart"  # a single figure is drawn as a card
    out.append(
        _downloads(
            ctx,
            page,
            [
                *(
                    (t(fmt.key, lang), f"downloads/{file}")
                    for fmt, file in formats.downloads(formats.INDICATOR, indicator_id, portal.files)
                ),
                (t(f"{image}_svg", lang), f"{lang_dir}charts/{key}.svg"),
            ],
            png_of=f"{lang_dir}charts/{key}.svg",
            png_text=f"{image}_png",
        )
    )
    out.append(f"## {text(t('observations', lang))}\n\n")
    if frame is None:
        out.append(_unsearched(_indicator_summary(ctx, indicator_id, unit)))
        out.append(f"{text(t('skip_table', lang, n=i18n.number(count, lang)))}\n")
    else:
        out.append(_observation_table(ctx, page, frame, unit))
    url = f"{ctx.site_url}{ctx.lang_prefix}indicators/{indicator_id}/"
    out.append(cite_box(ctx, name, url, f"{indicator_id}", figure_citation(ctx, indicator_id, url)))
    out.append(share_box(ctx, indicator_id, url))
    out.append(jsonld_block(indicator_jsonld(portal, ctx.site_url, lang, indicator_id)))
    return "".join(out)


def figure_citation(ctx: PageContext, indicator_id: str, url: str) -> str:
    """The latest figure (of the place that leads, figure_list.lead_key) as a journalist cites it: the
    figure, its place and period, the document that printed it and its line, then this dataset with its
    version and the page."""
    rows, _ = latest_rows(ctx.portal, indicator_id, chart_ranking(ctx, indicator_id))
    if not rows:
        return ""
    row, lang, portal = rows[0], ctx.lang, ctx.portal
    indicator = portal.indicators[indicator_id]
    publisher, title, when, line = source_facts(portal, row["source_id"], row["line"], lang)
    place = portal.places[row["geo"]][f"name_{lang}"]
    dataset = f"{portal.metadata['title'][lang]}, {t('version', lang)} {portal.metadata['version']}"
    return (
        f"{indicator[f'name_{lang}']}: {figure_text(row, indicator['unit'], lang)}; {place}, "
        f"{period_text(row['period'], lang)}. {publisher}, “{title}”, {when}, {line}; "
        f"{t('cited_via', lang)} {dataset}, {url}"
    )


def _observation_table(ctx: PageContext, page: str, frame: pd.DataFrame, unit: str) -> str:
    return figure_list(ctx.portal, page, frame, ("period", "place", "value", "source", "note"), ctx.lang)


def _latest_by_indicator(
    ctx: PageContext, page: str, csv_path: str | None, positions: np.ndarray, place_column: bool = True
) -> str:
    """For a page with too many figures to list: each indicator's latest figure (and its place, unless
    place_column is False: a place's own page), and the full rows as CSV."""
    lang, portal = ctx.lang, ctx.portal
    shown, total = _latest_summary(portal, page, positions)
    out = []
    if csv_path:
        out.append(_downloads(ctx, page, [(t("all_rows_csv", lang), csv_path)]))
    rows = []
    for row in shown:
        indicator = portal.indicators[row["indicator_id"]]
        cells = [
            link(indicator[f"name_{lang}"], f"{ctx.up(page)}indicators/{row['indicator_id']}.md"),
            text(_place_name(ctx, row["geo"])),
            text(f"{_figure(ctx, row, indicator['unit'])} ({period_text(row['period'], lang)})"),
            text(i18n.number(row["count"], lang)),
        ]
        rows.append(cells if place_column else cells[:1] + cells[2:])
    keys = ("indicator", "place", "latest", "count_of_figures")
    keys = keys if place_column else tuple(k for k in keys if k != "place")
    align = ["left"] * (len(keys) - 1) + ["right"]
    out.append(_unsearched(table([text(t(k, lang)) for k in keys], rows, align)))
    out.append(
        f"\n{text(t('summary_of', lang, shown=i18n.number(len(shown), lang), total=i18n.number(total, lang)))}\n"
    )
    return "".join(out)


def _latest_summary(portal: Portal, page: str, positions: np.ndarray) -> tuple[list[dict], int]:
    """The rows of a summary table (indicator, place, latest figure, count) of the page's rows, and
    their count, in no language: made once for both."""
    memo = portal.memo.setdefault("latest_summary", {})
    if page not in memo:
        summary = portal.row_codes.summarise(positions, "indicator_id", actual_only=True)
        rows = [{"indicator_id": indicator_id, **row} for indicator_id, row in summary[:SUMMARY_MAX_ROWS]]
        memo[page] = (rows, len(positions))
    return memo[page]


def _ranking_list(ctx: PageContext, page: str, ranking: dict) -> str:
    """The top and bottom places of a chart that summarises many, numbered by their rank, each linked."""
    lang = ctx.lang
    heading = t("ranking_heading", lang, count=i18n.number(ranking["count"], lang), places=ranking["places"])

    def entries(rows: list[dict], first: int) -> str:
        items = []
        for row in rows:
            address = href(page, f"places/{row['geo'].lower()}.md")
            items.append(f'<li><a href="{attr(address)}">{attr(row["name"])}</a>: {attr(row["value_label"])}</li>')
        items = "".join(items)
        return f'<ol class="ranking" start="{first}">{items}</ol>\n'

    out = [f"### {text(heading)}, {text(ranking['period'])}\n\n", entries(ranking["top"], 1)]
    if ranking["bottom"]:
        out.append(entries(ranking["bottom"], ranking["count"] - len(ranking["bottom"]) + 1))
    out.append(f"\n{text(t('ranking_median', lang, median=ranking['median']))}\n")
    return _unsearched("".join(out)) + "\n"


def _indicator_summary(ctx: PageContext, indicator_id: str, unit: str) -> str:
    """Per place: how many figures, the span of their periods, and the latest actual figure."""
    lang = ctx.lang
    rows = []
    for geo, row in ctx.portal.places_of_indicator(indicator_id):
        has_actual = isinstance(row["period"], str)
        latest_text = f"{_figure(ctx, row, unit)} ({period_text(row['period'], lang)})" if has_actual else "—"
        rows.append(
            [
                text(_place_name(ctx, geo)),
                text(i18n.number(int(row["count"]), lang)),
                text(period_span(row["first_period"], row["last_period"], lang)),
                text(latest_text),
            ]
        )
    headers = [t("place", lang), t("count_of_figures", lang), t("period", lang), t("latest", lang)]
    return (
        f"### {text(t('summary', lang))}\n\n"
        + table([text(h) for h in headers], rows, ["left", "right", "left", "left"])
        + "\n"
    )
