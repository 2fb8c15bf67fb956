"""Stage 5: Markdown pages, one set per language, for MkDocs to publish.

Pages live at the same path in both languages (indicators/<id>.md), so the
language switcher can land on the same page. Every string from the data goes
through markdown.text(); links to downloads are relative, so the site works
under any sub-path.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import numpy as np
import pandas as pd

from ..config.site import current
from ..data import schema
from ..data.model import Portal
from ..data.schema import PILLAR_PAGE_PREFIX
from ..publish.catalog import FORMATS, dataset_jsonld, newest_source_date, script_json
from ..publish.releases import Freshness
from ..site import i18n
from ..site.figure_list import figure_list, figure_text, href, latest_block, source_facts
from ..site.i18n import date_text, period_text, t, topic_name
from ..site.markdown import attr, front_matter, link, safe_url, table, text
from ..site.search import folded_terms

NARROW_SCREEN = "599.98px"  # up to this viewport width a chart is the narrow drawing (portal.css agrees)
FULL_TABLE_MAX_ROWS = 60  # past this a page shows a summary and links to the CSV of all rows
SUMMARY_MAX_ROWS = 100  # rows of a summary table; the CSV and the API hold the rest
CATALOGUE_PER_PILLAR = 25  # indicators per pillar on the catalogue page; the pillar's page lists all
PREVIEW_ROWS = 20


@dataclass
class PageContext:
    portal: Portal
    lang: str
    charts: dict[str, dict]  # chart key -> {"alt": ..., "kind": ...}
    history: Freshness

    @property
    def site_url(self) -> str:
        return self.portal.metadata["site_url"]

    @property
    def lang_prefix(self) -> str:
        return "" if self.lang == i18n.default_language() else f"{self.lang}/"

    def front(self, title: str, description: str, key: tuple[str, str] | None = None, image: str = "") -> str:
        """Front matter: title, meta description, when the page's data last changed, and the chart a
        shared link shows (image: a chart's key)."""
        extra = {}
        if image:
            extra["image"] = f"{self.site_url}{self.lang_prefix}charts/{image}.png"
            extra["image_alt"] = self.charts[image]["alt"]
        return front_matter(
            title,
            description,
            data_changed=self.history.changed_text(key, self.lang),
            data_version=self.history.version(key),
            **extra,
        ) + folded_terms(title, description)

    def root(self, page: str) -> str:
        """Relative path from a page to the site root of the default language (downloads live there)."""
        depth = page.count("/") + (0 if page.endswith("index.md") else 1)
        depth += 0 if self.lang == i18n.default_language() else 1
        return "../" * depth

    def up(self, page: str) -> str:
        """Relative path from a page to the docs root of its own language (for Markdown links)."""
        return "../" * page.count("/")


def render_pages(ctx: PageContext, handwritten: dict[str, str]) -> dict[str, str]:
    """All generated pages of one language: {relative path: Markdown}."""
    return {path: write() for path, (_, write) in page_plan(ctx, handwritten).items()}


ALL_DATA = ("all", "")  # depends on every observation
ROW_COUNT, COVERAGE = ("rows", ""), ("coverage", "")  # how many observations; their sources, places and span


def page_plan(ctx: PageContext, handwritten: dict[str, str]) -> dict[str, tuple[tuple, Callable[[], str]]]:
    """Every generated page: path -> (what it shows, a function that writes it).

    What a page shows is a tuple of keys: ("indicator", id), ("place", geo), ("source", id),
    ("event", id), ("chart", key), ALL_DATA, ROW_COUNT, COVERAGE, ("with-data", "indicators"), or
    ("text", a hash of what else it shows). A rebuild rewrites a page only when the
    fingerprint of one of them (or of the shared tables and code) changed, so one changed figure
    rewrites its indicator, place and source pages and the few summaries that list them.
    """
    portal = ctx.portal
    overview = tuple(("chart", key) for key in ctx.charts if key.startswith("overview/"))
    members = _pillar_members(portal, with_empty=True)
    plan = {"index.md": ((ALL_DATA, *overview), partial(home_page, ctx, handwritten.get("index.md", "")))}
    listed = tuple(("indicator", i) for ids in members.values() for i in ids)
    plan["search.md"] = ((("text", "search"),), partial(search_page, ctx))
    plan["indicators/index.md"] = ((*listed, *overview), partial(indicator_catalogue, ctx))
    for indicator_id in portal.by_indicator:
        plan[f"indicators/{indicator_id}.md"] = (
            (("indicator", indicator_id), ("chart", f"indicators/{indicator_id}")),
            partial(indicator_page, ctx, indicator_id),
        )
    for pillar, ids in members.items():
        if any(i in portal.by_indicator for i in ids):
            plan[f"indicators/{PILLAR_PAGE_PREFIX}{pillar}.md"] = (
                tuple(("indicator", i) for i in ids),
                partial(pillar_page, ctx, pillar),
            )
    plan["places/index.md"] = (tuple(("place", geo) for geo in portal.places), partial(place_catalogue, ctx))
    for geo in portal.places:
        plan[f"places/{geo.lower()}.md"] = ((("place", geo),), partial(place_page, ctx, geo))
    plan["sources/index.md"] = (tuple(("source", s) for s in portal.sources), partial(source_catalogue, ctx))
    for source_id in portal.sources:
        plan[f"sources/{source_id}.md"] = ((("source", source_id),), partial(source_page, ctx, source_id))
    events = current().events
    if events:  # a site without events has no events pages
        plan[f"{events.path}/index.md"] = (tuple(("event", e) for e in portal.events), partial(session_timeline, ctx))
        for event_id in portal.events:
            plan[f"{events.path}/{event_id}.md"] = ((("event", event_id),), partial(session_page, ctx, event_id))
    # the data pages show counts, coverage and a preview, not each figure: a changed figure leaves them be
    plan["data/index.md"] = ((ROW_COUNT,), partial(data_overview, ctx))
    plan["api.md"] = ((("with-data", "indicators"),), partial(api_page, ctx))
    preview = ("text", hashlib.sha256(_preview_frame(portal, "observations").to_csv().encode("utf-8")).hexdigest())
    for resource in schema.resources():
        shows = (ROW_COUNT, COVERAGE, preview) if resource.name == "observations" else (COVERAGE,)
        plan[f"data/{resource.name}.md"] = (shows, partial(resource_page, ctx, resource.name))
    return plan


# ------------------------------------------------------------------- helpers


def _place_name(ctx: PageContext, geo: str) -> str:
    return ctx.portal.places[geo][f"name_{ctx.lang}"]


def _figure(ctx: PageContext, row, unit: str) -> str:
    return figure_text(row, unit, ctx.lang)


def _source_cell(ctx: PageContext, page: str, source_id: str, line: int) -> str:
    label, title, when, line_text = source_facts(ctx.portal, source_id, line, ctx.lang)
    return f"{link(label, f'{ctx.up(page)}sources/{source_id}.md')}, “{text(title)}”, {text(when)}, {text(line_text)}"


def _downloads(ctx: PageContext, page: str, items: list[tuple[str, str]], png_of: str | None = None) -> str:
    """A list of download links; paths are relative to the default-language site root.

    png_of names a chart (its SVG path) that the reader's browser turns into a PNG: the button
    stays hidden until portal.js, which draws it, has run.
    """
    root = ctx.root(page)
    links = [f'<a href="{root}{path}" download>{attr(label)}</a>' for label, path in items]
    if png_of:
        name = png_of.rsplit("/", 1)[-1].removesuffix(".svg")
        links.append(
            f'<button type="button" class="chart-png" hidden data-svg="{attr(root + png_of)}" '
            f'data-file="{attr(f"{name}-{ctx.lang}.png")}">{attr(t("chart_png", ctx.lang))}</button>'
        )
    return f'<p class="downloads"><strong>{attr(t("downloads", ctx.lang))}:</strong> {" · ".join(links)}</p>\n\n'


def _chart_image(ctx: PageContext, page: str, key: str, lazy: bool = False) -> str:
    """A chart as a picture with its size (the page does not jump as it loads): the narrow drawing on a
    phone, whose text is then at least 12 px, the wide one elsewhere; lazy for charts below the first
    screen, which then do not compete with the page's own text on a slow phone. The figure carries
    each drawn point (portal.js shows its value, period and source on hover, tap or arrow key)."""
    chart = ctx.charts[key]
    src = f"{href(page, 'charts/' + key + '.md').removesuffix('/')}"
    width, height, narrow_width, narrow_height = chart["size"]
    loading = ' loading="lazy"' if lazy else ""
    return (
        f'<figure class="chart">\n<picture><source media="(max-width: {NARROW_SCREEN})" srcset="{src}.narrow.svg" '
        f'width="{narrow_width}" height="{narrow_height}">'
        f'<img src="{src}.svg" alt="{attr(chart["alt"])}" width="{width}" height="{height}"{loading}></picture>\n'
        "</figure>\n\n"
    )


# ---------------------------------------------------------------------- home


def home_page(ctx: PageContext, intro: str) -> str:
    portal, lang, page = ctx.portal, ctx.lang, "index.md"
    title = portal.metadata["title"][lang]
    out = [ctx.front(title, portal.metadata["description"][lang]), intro.strip(), "\n\n"]
    out.append(f'## {text(t("headline", lang))}\n\n<div class="grid cards" markdown>\n\n')
    for indicator_id, indicator in portal.indicators.items():
        if indicator["is_headline"] != "true" or indicator_id not in portal.by_indicator:
            continue
        row = portal.latest_actual.get(indicator_id)
        if row is None:
            continue
        out.append(
            f"-   **{link(indicator[f'name_{lang}'], f'indicators/{indicator_id}.md')}**\n\n"
            f'    <span class="figure">{text(_figure(ctx, row, indicator["unit"]))}</span>\n\n'
            f"    {text(_place_name(ctx, row['geo']))}, {text(period_text(row['period'], lang))} · "
            f"{_source_cell(ctx, page, row['source_id'], row['line'])}\n\n"
        )
    out.append("</div>\n\n")
    latest = max(portal.events.values(), key=lambda e: e["date"], default=None)
    if latest and current().events:
        out.append(f"## {text(t('latest_event', lang))}\n\n")
        session_page_path = f"{current().events.path}/{latest['event_id']}.md"
        out.append(
            f"{link(latest[f'title_{lang}'], session_page_path)} "
            f"({text(date_text(date.fromisoformat(latest['date']), lang))})\n\n"
        )
    newest = newest_source_date(portal)
    if newest:
        out.append(f"{text(t('newest_source', lang))}: {text(date_text(newest, lang))}\n\n")
    out.append(f"## {text(t('overview', lang))}\n\n")
    for key in ctx.charts:
        if key.startswith("overview/"):
            out.append(_chart_image(ctx, page, key, lazy=True))
    out.append(f"## {text(t('whole_package', lang))}\n\n")
    out.append(_package_downloads(ctx, page))
    out.append(f"{link(t('data', lang), 'data/index.md')}\n")
    return "".join(out)


def _package_downloads(ctx: PageContext, page: str) -> str:
    name = ctx.portal.metadata["name"]
    return _downloads(
        ctx, page, [(t("zip", ctx.lang), f"downloads/{name}.zip"), ("datapackage.json", "downloads/datapackage.json")]
    )


def search_page(ctx: PageContext) -> str:
    """The search box (Pagefind's, loaded by portal.js from the site's own pagefind/ folder)."""
    lang = ctx.lang
    title = t("search", lang)
    return (
        ctx.front(title, t("search_description", lang))
        + f"# {text(title)}\n\n{text(t('search_description', lang))}\n\n"
        + '<div id="site-search" data-pagefind-ignore></div>\n\n'
        + f"<noscript><p>{text(t('search_needs_script', lang))}</p></noscript>\n"
    )


# ---------------------------------------------------------------- indicators


def indicator_catalogue(ctx: PageContext) -> str:
    """The indicators by pillar: the first few of each here, all of them on the pillar's own page."""
    portal, lang, page = ctx.portal, ctx.lang, "indicators/index.md"
    out = [ctx.front(t("indicators", lang), _catalogue_description(ctx)), f"# {text(t('indicators', lang))}\n\n"]
    overview = [key for key in ctx.charts if key.startswith("overview/")]
    for index, key in enumerate(overview):  # the first is on the first screen
        out.append(_chart_image(ctx, page, key, lazy=index > 0))
    for pillar, members in _pillar_members(portal).items():
        out.append(f"## {text(topic_name(pillar, lang))}\n\n")
        out.append(_catalogue_table(ctx, members[:CATALOGUE_PER_PILLAR], ""))
        all_label = t("all_in_pillar", lang, n=i18n.number(len(members), lang))
        out.append(f"\n{link(all_label, f'{PILLAR_PAGE_PREFIX}{pillar}.md')}\n\n")
    return "".join(out)


def pillar_page(ctx: PageContext, pillar: str) -> str:
    lang = ctx.lang
    members = _pillar_members(ctx.portal).get(pillar, [])
    title = topic_name(pillar, lang)
    out = [ctx.front(title, f"{t('indicators', lang)}: {title}"), f"# {text(title)}\n\n"]
    out.append(_catalogue_table(ctx, members, ""))
    return "".join(out)


def _pillar_members(portal: Portal, with_empty: bool = False) -> dict[str, list[str]]:
    """Pillar -> its indicators that have figures (with_empty: all its indicators)."""
    members = {pillar: [] for pillar in tuple(current().topics)}
    for indicator_id, row in portal.indicators.items():
        if with_empty or indicator_id in portal.by_indicator:
            members[row["pillar"]].append(indicator_id)
    return {pillar: ids for pillar, ids in members.items() if ids}


def _catalogue_table(ctx: PageContext, indicator_ids: list[str], prefix: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    rows = []
    for indicator_id in indicator_ids:
        indicator = portal.indicators[indicator_id]
        latest = portal.latest_actual.get(indicator_id)
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
    return table(headers, rows, ["left", "left", "right"])


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
    out.append(latest_block(portal, page, indicator_id, lang))
    out.append(f"{text(indicator[f'description_{lang}'])}\n\n")
    facts = [
        (t("unit", lang), i18n.unit_name(unit, lang)),
        (t("pillar", lang), topic_name(indicator["pillar"], lang)),
        (t("higher_is_better", lang), t("yes" if indicator["higher_is_better"] == "true" else "no", lang)),
        (t("count_of_figures", lang), i18n.number(count, lang)),
    ]
    out.append("".join(f"- **{text(k)}:** {text(v)}\n" for k, v in facts) + "\n")
    if ctx.charts[key]["kind"] != "card":  # a single figure is the opening's own; it needs no chart
        out.append(_chart_image(ctx, page, key))
    if ctx.charts[key].get("ranking"):  # many places, summarised in the chart: which lead and which trail
        out.append(_ranking_list(ctx, page, ctx.charts[key]["ranking"]))
    lang_dir = "" if lang == i18n.default_language() else f"{lang}/"
    out.append(
        _downloads(
            ctx,
            page,
            [
                (t("rows_csv", lang), f"downloads/indicators/{indicator_id}.csv"),
                (t("rows_xlsx", lang), f"downloads/indicators/{indicator_id}.xlsx"),
                (t("rows_metadata", lang), f"downloads/indicators/{indicator_id}.csv-metadata.json"),
                (t("chart_svg", lang), f"{lang_dir}charts/{key}.svg"),
            ],
            png_of=f"{lang_dir}charts/{key}.svg",
        )
    )
    out.append(f"## {text(t('observations', lang))}\n\n")
    if frame is None:
        out.append(_unsearched(_indicator_summary(ctx, indicator_id, unit)))
        out.append(f"{text(t('skip_table', lang, n=i18n.number(count, lang)))}\n")
    else:
        out.append(_observation_table(ctx, page, frame, unit))
    url = f"{ctx.site_url}{ctx.lang_prefix}indicators/{indicator_id}/"
    out.append(cite_box(ctx, name, url, f"{indicator_id}"))
    csv_url = f"{ctx.site_url}downloads/indicators/{indicator_id}.csv"
    out.append(
        jsonld_block(
            dataset_jsonld(
                portal,
                ctx.site_url,
                lang,
                name=name,
                description=indicator[f"description_{lang}"],
                url=url,
                coverage=portal.coverage_of_indicator(indicator_id),
                distributions=[(csv_url, "text/csv"), (csv_url.removesuffix(".csv") + ".xlsx", FORMATS["xlsx"][0])],
                indicator_ids=[indicator_id],
            )
        )
    )
    return "".join(out)


def _observation_table(ctx: PageContext, page: str, frame: pd.DataFrame, unit: str) -> str:
    return figure_list(ctx.portal, page, frame, ("period", "place", "value", "source", "note"), ctx.lang)


def _latest_by_indicator(ctx: PageContext, page: str, csv_path: str | None, positions: np.ndarray) -> str:
    """For a page with too many figures to list: each indicator's latest figure, and the full rows as CSV."""
    lang, portal = ctx.lang, ctx.portal
    shown, total = _latest_summary(portal, page, positions)
    out = []
    if csv_path:
        out.append(_downloads(ctx, page, [(t("all_rows_csv", lang), csv_path)]))
    rows = []
    for row in shown:
        indicator = portal.indicators[row["indicator_id"]]
        rows.append(
            [
                link(indicator[f"name_{lang}"], f"{ctx.up(page)}indicators/{row['indicator_id']}.md"),
                text(_place_name(ctx, row["geo"])),
                text(f"{_figure(ctx, row, indicator['unit'])} ({period_text(row['period'], lang)})"),
                text(i18n.number(row["count"], lang)),
            ]
        )
    headers = [t(k, lang) for k in ("indicator", "place", "latest", "count_of_figures")]
    out.append(_unsearched(table([text(h) for h in headers], rows, ["left", "left", "left", "right"])))
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


def _unsearched(markdown: str) -> str:
    """Long tables stay on the page but out of the search index, which would otherwise grow with the data."""
    return f"<div data-search-exclude markdown>\n\n{markdown}\n</div>\n"


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
    out.append(f"\n{text(t('ranking_median', lang, median=ranking['median']))}\n\n")
    return "".join(out)


def _indicator_summary(ctx: PageContext, indicator_id: str, unit: str) -> str:
    """Per place: how many figures, from which period, and the latest actual figure."""
    lang = ctx.lang
    rows = []
    for geo, row in ctx.portal.places_of_indicator(indicator_id):
        has_actual = isinstance(row["period"], str)
        latest_text = f"{_figure(ctx, row, unit)} ({period_text(row['period'], lang)})" if has_actual else "—"
        rows.append(
            [
                text(_place_name(ctx, geo)),
                text(i18n.number(int(row["count"]), lang)),
                text(period_text(row["first_period"], lang)),
                text(latest_text),
            ]
        )
    headers = [t("place", lang), t("count_of_figures", lang), t("period", lang), t("latest", lang)]
    return (
        f"### {text(t('summary', lang))}\n\n"
        + table([text(h) for h in headers], rows, ["left", "right", "left", "left"])
        + "\n"
    )


# -------------------------------------------------------------------- places


def place_catalogue(ctx: PageContext) -> str:
    portal, lang = ctx.portal, ctx.lang
    out = [ctx.front(t("places", lang), t("places", lang), ("resource", "places")), f"# {text(t('places', lang))}\n\n"]
    rows = []
    for geo, place in sorted(portal.places.items(), key=lambda kv: portal.place_order(kv[0])):
        successor = place["successor"]
        rows.append(
            [
                link(place[f"name_{lang}"], f"{geo.lower()}.md"),
                text(geo),
                text(i18n.level_name(place["level"], lang)),
                text(place["gso_code"]),
                link(portal.places[successor][f"name_{lang}"], f"{successor.lower()}.md") if successor else "",
                text(i18n.number(portal.by_geo.count(geo), lang)),
            ]
        )
    headers = [
        t("place", lang),
        "geo",
        t("level", lang),
        t("gso_code", lang),
        t("successor", lang),
        t("count_of_figures", lang),
    ]
    out.append(table([text(h) for h in headers], rows, ["left"] * 5 + ["right"]))
    return "".join(out)


def place_page(ctx: PageContext, geo: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"places/{geo.lower()}.md"
    place = portal.places[geo]
    name = place[f"name_{lang}"]
    level = i18n.level_name(place["level"], lang)
    out = [ctx.front(name, f"{name} ({level})", ("place", geo)), f"# {text(name)}\n\n"]
    facts = [(t("level", lang), text(level)), ("geo", text(geo))]
    if place["gso_code"]:
        facts.append((t("gso_code", lang), text(place["gso_code"])))
    if place["valid_from"] or place["valid_to"]:
        start = date_text(date.fromisoformat(place["valid_from"]), lang) if place["valid_from"] else "…"
        end = date_text(date.fromisoformat(place["valid_to"]), lang) if place["valid_to"] else "…"
        facts.append((t("valid", lang), text(f"{start} – {end}")))
    if place["successor"]:
        successor = portal.places[place["successor"]]
        facts.append((t("successor", lang), link(successor[f"name_{lang}"], f"{place['successor'].lower()}.md")))
    predecessors = portal.predecessors(geo)
    if predecessors:
        facts.append(
            (
                t("predecessors", lang),
                ", ".join(link(portal.places[p][f"name_{lang}"], f"{p.lower()}.md") for p in predecessors),
            )
        )
    if place[f"reference_{lang}"]:
        facts.append((t("reference", lang), text(place[f"reference_{lang}"])))
    out.append("".join(f"- **{text(k)}:** {v}\n" for k, v in facts) + "\n")
    count = portal.by_geo.count(geo)
    out.append(f"## {text(t('figures', lang))}\n\n")
    if not count:
        out.append(f"{text(t('no_figures_for_place', lang, name=name))}\n\n")
        related = [g for g in _related_places(portal, geo) if portal.by_geo.count(g)]
        if related:
            links = ", ".join(
                f"{link(portal.places[g][f'name_{lang}'], f'{g.lower()}.md')} "
                f"({text(i18n.number(portal.by_geo.count(g), lang))})"
                for g in related
            )
            out.append(f"{text(t('see_related_places', lang))} {links}\n")
        return "".join(out)
    if count > FULL_TABLE_MAX_ROWS:
        out.append(_latest_by_indicator(ctx, page, f"downloads/places/{geo.lower()}.csv", portal.by_geo.positions[geo]))
        return "".join(out)
    columns = ("indicator", "period", "value", "source", "note")
    out.append(figure_list(portal, page, portal.by_geo[geo], columns, lang))
    return "".join(out)


def _related_places(portal: Portal, geo: str) -> list[str]:
    """The places a reader of a place without figures may want: what it became, what it was formed
    from, and what else was merged into the same place."""
    successor = portal.places[geo]["successor"]
    related = ([successor] if successor else []) + portal.predecessors(geo)
    if successor:
        related += [p for p in portal.predecessors(successor) if p != geo]
    return list(dict.fromkeys(related))


# ------------------------------------------------------------------- sources


def source_catalogue(ctx: PageContext) -> str:
    portal, lang = ctx.portal, ctx.lang
    out = [
        ctx.front(t("sources", lang), t("sources", lang), ("resource", "sources")),
        f"# {text(t('sources', lang))}\n\n",
    ]
    rows = []
    for source_id, source in sorted(portal.sources.items(), key=lambda kv: (kv[1]["published"] or "9999", kv[0])):
        published = source["published"]
        rows.append(
            [
                link(source["title"], f"{source_id}.md"),
                text(source["publisher"] or t("unknown", lang)),
                text(date_text(date.fromisoformat(published), lang) if published else t("unknown", lang)),
                text(i18n.number(portal.by_source.count(source_id), lang)),
            ]
        )
    headers = [t("title", lang), t("publisher", lang), t("published", lang), t("count_of_figures", lang)]
    out.append(table([text(h) for h in headers], rows, ["left", "left", "left", "right"]))
    return "".join(out)


def citation_text(ctx: PageContext, source: dict) -> str:
    lang = ctx.lang
    publisher = source["publisher"] or t("unknown", lang)
    when = date_text(date.fromisoformat(source["published"]), lang) if source["published"] else "n.d."
    return f"{publisher} ({when}). {source['title']}. [{source['archive_file']}]"


def source_page(ctx: PageContext, source_id: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    source = portal.sources[source_id]
    out = [
        ctx.front(source["title"], citation_text(ctx, source), ("source", source_id)),
        f"# {text(source['title'])}\n\n",
    ]
    facts = [
        (t("publisher", lang), text(source["publisher"] or t("unknown", lang))),
        (
            t("published", lang),
            text(
                date_text(date.fromisoformat(source["published"]), lang) if source["published"] else t("unknown", lang)
            ),
        ),
        (t("place", lang), text(source["place"] or "—")),
        (t("language", lang), text(source["language"])),
        (t("archive_file", lang), f"`{attr(source['archive_file'])}`"),
        ("SHA-256", f"`{source['archive_sha256']}`"),
    ]
    url = safe_url(source["url"]) if source["url"] else None
    if url:
        facts.append((t("original_address", lang), f'<a href="{url}" rel="nofollow noopener">{url}</a>'))
    else:
        facts.append((t("original_address", lang), text(t("address_unknown", lang))))
    if source["event_id"]:
        event = portal.events[source["event_id"]]
        path = f"../{current().events.path}/{source['event_id']}.md"
        facts.append((t("events", lang), link(event[f"title_{lang}"], path)))
    if source[f"note_{lang}"]:
        facts.append((t("note", lang), text(source[f"note_{lang}"])))
    out.append("".join(f"- **{text(k)}:** {v}\n" for k, v in facts) + "\n")
    out.append(f"## {text(t('figures', lang))}\n\n")
    count = portal.by_source.count(source_id)
    if not count:
        out.append(f"{text(t('none', lang))}\n")
        return "".join(out)
    if count > FULL_TABLE_MAX_ROWS:
        csv_path, positions = f"downloads/sources/{source_id}.csv", portal.by_source.positions[source_id]
        out.append(_latest_by_indicator(ctx, f"sources/{source_id}.md", csv_path, positions))
        return "".join(out)
    frame = portal.by_source[source_id].sort_values(["line", "indicator_id"], kind="stable")
    columns = ("line", "indicator", "place", "period", "value", "note")
    out.append(figure_list(portal, f"sources/{source_id}.md", frame, columns, lang))
    return "".join(out)


# ------------------------------------------------------------------ sessions


def session_timeline(ctx: PageContext) -> str:
    portal, lang = ctx.portal, ctx.lang
    out = [
        ctx.front(t("events", lang), t("events", lang), ("resource", "events")),
        f"# {text(t('events', lang))}\n\n",
        '<div class="timeline" markdown>\n\n',
    ]
    for event in sorted(portal.events.values(), key=lambda e: e["date"], reverse=True):
        when = date_text(date.fromisoformat(event["date"]), lang)
        figures = sum(portal.by_source.count(s) for s in portal.sources_of_event(event["event_id"]))
        out.append(
            f"### {text(when)}\n\n{link(event[f'title_{lang}'], event['event_id'] + '.md')}  \n"
            f"{text(t('chair', lang))}: {text(event['chair'])} · {text(t('count_of_figures', lang))}: "
            f"{text(i18n.number(figures, lang))}\n\n"
        )
    out.append("</div>\n")
    return "".join(out)


def session_page(ctx: PageContext, event_id: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"{current().events.path}/{event_id}.md"
    event = portal.events[event_id]
    title = event[f"title_{lang}"]
    when = date_text(date.fromisoformat(event["date"]), lang)
    out = [ctx.front(title, f"{title}, {when}", ("event", event_id)), f"# {text(title)}\n\n"]
    facts = [(t("date", lang), text(when)), (t("chair", lang), text(event["chair"]))]
    if event["session_number"]:
        facts.append((t("event_number", lang), text(event["session_number"])))
    facts.append((t("source", lang), _source_cell(ctx, page, event["source_id"], int(event["line"]))))
    out.append("".join(f"- **{text(k)}:** {v}\n" for k, v in facts) + "\n")
    out.append(f"## {text(t('reported_in', lang))}\n\n")
    for source_id in portal.sources_of_event(event_id):
        out.append(f"- {link(portal.sources[source_id]['title'], f'../sources/{source_id}.md')}\n")
    out.append(f"\n## {text(t('figures_reported', lang))}\n\n")
    sources = [portal.by_source.positions[s] for s in portal.sources_of_event(event_id) if s in portal.by_source]
    if not sources:
        out.append(f"{text(t('none', lang))}\n")
        return "".join(out)
    positions = np.concatenate(sources)
    if len(positions) > FULL_TABLE_MAX_ROWS:
        out.append(_latest_by_indicator(ctx, page, None, positions))
        return "".join(out)
    frame = portal.observations.iloc[positions]
    out.append(figure_list(portal, page, frame, ("indicator", "place", "period", "value", "source"), lang))
    return "".join(out)


# ---------------------------------------------------------------------- data


def data_overview(ctx: PageContext) -> str:
    portal, lang, page = ctx.portal, ctx.lang, "data/index.md"
    meta = portal.metadata
    out = [
        ctx.front(t("data", lang), meta["description"][lang]),
        f"# {text(t('data', lang))}\n\n",
        f"{text(meta['description'][lang])}\n\n",
    ]
    out.append(
        f"- **{text(t('version', lang).capitalize())}:** {text(meta['version'])}\n- **{text(t('published', lang))}:** "
        f"{text(date_text(date.fromisoformat(str(meta['released'])), lang))}\n"
        f'- **{text(t("licence", lang))}:** <a href="{safe_url(meta["license"]["path"])}">'
        f"{attr(meta['license']['title'])}</a>\n\n"
    )
    out.append(_package_downloads(ctx, page))
    rows = [
        [
            link(r.titles[lang], f"{r.name}.md"),
            text(r.descriptions[lang]),
            text(i18n.number(_row_count(portal, r.name), lang)),
        ]
        for r in schema.resources()
    ]
    out.append(
        table(
            [text(t("data", lang)), text(t("description", lang)), text(t("rows", lang))],
            rows,
            ["left", "left", "right"],
        )
    )
    out.append(f"\n## {text(t('load_with', lang))}\n\n")
    out.append(code_snippets(ctx, page))
    return "".join(out)


def code_snippets(ctx: PageContext, page: str) -> str:
    return (
        "Python (pandas):\n\n```python\nimport pandas as pd\n\n"
        'observations = pd.read_csv("BASE/downloads/observations.csv")\n```\n\n'
        "Python (frictionless):\n\n```python\nfrom frictionless import Package\n\n"
        'package = Package("BASE/downloads/datapackage.json")\n'
        'print(package.get_resource("observations").to_pandas())\n```\n\n'
        'R:\n\n```r\nobservations <- read.csv("BASE/downloads/observations.csv", encoding = "UTF-8")\n```\n\n'
        f"{text('BASE')}: {text(ctx.portal.metadata.get('site_url', ''))}\n\n"
    ).replace("BASE/", ctx.portal.metadata.get("site_url", ""))


def _row_count(portal: Portal, name: str) -> int:
    """Rows of a resource: records, not lines (a quoted value may hold a line break)."""
    if name == "observations":
        return len(portal.observations)
    return len(
        {"indicators": portal.indicators, "places": portal.places, "sources": portal.sources}.get(name, portal.events)
    )


def resource_page(ctx: PageContext, name: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"data/{name}.md"
    resource = schema.resource(name)
    title = resource.titles[lang]
    description = resource.descriptions[lang]
    out = [ctx.front(title, description, ("resource", name)), f"# {text(title)}\n\n{text(description)}\n\n"]
    out.append(
        f"- **{text(t('rows', lang).capitalize())}:** {text(i18n.number(_row_count(portal, name), lang))}\n"
        f"- **{text(t('primary_key', lang).capitalize())}:** `{', '.join(resource.primary_key)}`\n\n"
    )
    out.append(
        _downloads(
            ctx,
            page,
            [
                (t("csv", lang), f"downloads/{name}.csv"),
                (t("excel_csv", lang), f"downloads/{name}.excel.csv"),
                (t("excel", lang), f"downloads/{name}.xlsx"),
                (t("json", lang), f"downloads/{name}.json"),
            ],
        )
    )
    out.append(f"## {text(t('schema', lang))}\n\n")
    rows = []
    for column in resource.fields:
        field = resource.field_def(column)
        constraints = []
        if resource.is_required(column):
            constraints.append(t("required", lang))
        for key, value in field.constraints.items():
            constraints.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
        if column in resource.primary_key:
            constraints.append(t("primary_key", lang))
        for fk_field, ref, ref_field in resource.foreign_keys:
            if fk_field == column:
                constraints.append(f"→ {ref}.{ref_field}")
        rows.append([f"`{column}`", text(field.type), text(field.descriptions[lang]), text("; ".join(constraints))])
    out.append(table([text(t(k, lang)) for k in ("field", "type", "description", "constraints")], rows))
    out.append(f"\n## {text(t('preview', lang))}\n\n")
    frame = _preview_frame(portal, name)
    others = tuple(f"_{other}" for other in i18n.languages() if other != lang)
    frame = frame[[c for c in frame.columns if not c.endswith(others)]]  # the page's language only; the file has all
    out.append(
        _unsearched(
            table([f"`{c}`" for c in frame.columns], [[text(v) for v in r] for r in frame.itertuples(index=False)])
        )
    )
    url = f"{ctx.site_url}{ctx.lang_prefix}data/{name}/"
    out.append(cite_box(ctx, f"{portal.metadata['title'][lang]}: {title}", url, name))
    formats = [("csv", "text/csv"), ("xlsx", FORMATS["xlsx"][0]), ("json", "application/json")]
    out.append(
        jsonld_block(
            dataset_jsonld(
                portal,
                ctx.site_url,
                lang,
                name=f"{portal.metadata['title'][lang]}: {title}",
                description=description,
                url=url,
                coverage=portal.coverage,
                distributions=[(f"{ctx.site_url}downloads/{name}.{ext}", media) for ext, media in formats],
                resource=name,
            )
        )
    )
    return "".join(out)


def _preview_frame(portal: Portal, name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(portal.files[name]), dtype=str, keep_default_na=False, nrows=PREVIEW_ROWS)


# ------------------------------------------------------- citation, JSON-LD, API


def cite_box(ctx: PageContext, title: str, url: str, key: str) -> str:
    """A 'How to cite' box: a formatted citation and BibTeX, both with the version."""
    meta, lang = ctx.portal.metadata, ctx.lang
    version = str(meta["version"])
    year = str(meta["released"])[:4]
    creator = meta["creator"]
    citation = f"{creator} ({year}). {title} [{t('dataset', lang)}], {t('version', lang)} {version}. {url}"
    bibkey = re.sub(r"[^a-z0-9]+", "_", f"{current().citation_key or meta['name']} {key} {version}".lower()).strip("_")
    bibtex = (
        f"@misc{{{bibkey},\n  author = {{{{{_bib(creator)}}}}},\n  title = {{{_bib(title)}}},\n"
        f"  year = {{{year}}},\n  version = {{{version}}},\n  howpublished = {{\\url{{{url}}}}},\n"
        f"  note = {{Dataset, licence {meta['license']['name']}}}\n}}"
    )
    fence = "`" * max(3, _longest_backtick_run(bibtex) + 1)
    return (
        f'\n<div class="cite-box" markdown>\n\n### {text(t("how_to_cite", lang))}\n\n{text(citation)}\n\n'
        f"{fence}bibtex\n{bibtex}\n{fence}\n\n</div>\n"
    )


def _bib(value: str) -> str:
    """BibTeX-safe text: braces and backslashes from the data cannot end a field."""
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", value)


def _longest_backtick_run(value: str) -> int:
    return max((len(run) for run in re.findall(r"`+", value)), default=0)


def jsonld_block(data: dict) -> str:
    return f'\n<script type="application/ld+json">\n{script_json(data)}\n</script>\n'


def api_page(ctx: PageContext) -> str:
    lang, base = ctx.lang, ctx.site_url
    example_id = next(iter(ctx.portal.by_indicator))
    title = "API"
    intro = t("api_intro", lang)
    example_place = next(iter(sorted(ctx.portal.places)), "").lower()
    rows = [
        ["`api/indicators.json`", text(t("api_indicators", lang))],
        ["`api/indicators/<indicator_id>.json`", text(t("api_indicator", lang))],
        ["`api/places/<geo>.json`", text(t("api_place", lang, example=example_place))],
        ["`api/sources.json`", text(t("api_sources", lang))],
        ["`catalog.jsonld`", text(t("api_catalog", lang))],
        ["`feed.xml`", text(t("api_feed", lang))],
        ["`downloads/datapackage.json`", text(t("api_package", lang))],
    ]
    python = (
        f'import json, urllib.request\n\nurl = "{base}api/indicators/{example_id}.json"\n'
        "with urllib.request.urlopen(url) as response:\n    data = json.load(response)\n"
        'for row in data["observations"]:\n    print(row["period"], row["geo"], row["value"])\n'
    )
    main = current().descriptor_language
    javascript = (
        f'const response = await fetch("{base}api/indicators.json");\n'
        "const { indicators } = await response.json();\n"
        f"for (const indicator of indicators) console.log(indicator.indicator_id, indicator.name_{main});\n"
    )
    return (
        ctx.front(title, intro)
        + f"# {title}\n\n{text(intro)}\n\n"
        + table(["URL", text(t("description", lang))], rows)
        + f"\n{text(t('base_address', lang))}: `{base}`\n\n## Python\n\n```python\n{python}```\n\n"
        f"## JavaScript\n\n```javascript\n{javascript}```\n"
    )
