"""The home page, the search page and the API page."""

from __future__ import annotations

from datetime import date

from ..publish import formats
from ..publish.catalog import newest_source_date
from ..publish.jsonld import catalog_jsonld
from ..site.i18n import date_text, period_text, t
from ..site.markdown import link, table, text
from ..site.search import UNSEARCHED
from .page_parts import (
    PageContext,
    _chart_image,
    _downloads,
    _figure,
    _place_name,
    _source_cell,
    jsonld_block,
    lead_figure,
    lead_note,
)


def home_page(ctx: PageContext, intro: str) -> str:
    portal, lang, page = ctx.portal, ctx.lang, "index.md"
    title = portal.metadata["title"][lang]
    out = [ctx.front(title, portal.metadata["description"][lang]), intro.strip(), "\n\n"]
    cards = []
    for indicator_id, indicator in portal.indicators.items():
        if indicator["is_headline"] != "true" or indicator_id not in portal.by_indicator:
            continue
        row = lead_figure(ctx, indicator_id)
        if row is None:
            continue
        note = lead_note(ctx, indicator_id, row)  # whose figure it is, when it is no featured place's
        note = f"    {text(note)}\n\n" if note else ""
        cards.append(
            f"-   **{link(indicator[f'name_{lang}'], f'indicators/{indicator_id}.md')}**\n\n"
            f'    <span class="figure">{text(_figure(ctx, row, indicator["unit"]))}</span>\n\n'
            f"    {text(_place_name(ctx, row['geo']))}, {text(period_text(row['period'], lang))} · "
            f"{_source_cell(ctx, page, row['source_id'], row['line'])}\n\n{note}"
        )
    if cards:  # a section only where it has something to show (a new project has no headline or overview)
        out.append(f'## {text(t("headline", lang))}\n\n<div class="grid cards" {UNSEARCHED} markdown>\n\n')
        out += [*cards, "</div>\n\n"]
    latest = max(portal.events.values(), key=lambda e: e["date"], default=None)
    if latest and portal.config.events:
        out.append(f"## {text(t('latest_event', lang))}\n\n")
        session_page_path = f"{portal.config.events.path}/{latest['event_id']}.md"
        out.append(
            f"{link(latest[f'title_{lang}'], session_page_path)} "
            f"({text(date_text(date.fromisoformat(latest['date']), lang))})\n\n"
        )
    newest = newest_source_date(portal)
    if newest:
        out.append(f"{text(t('newest_source', lang))}: {text(date_text(newest, lang))}\n\n")
    overview = [_chart_image(ctx, page, key, lazy=True) for key in ctx.charts if key.startswith("overview/")]
    if overview:
        out += [f"## {text(t('overview', lang))}\n\n", *overview]
    out.append(f"## {text(t('whole_package', lang))}\n\n")
    out.append(_package_downloads(ctx, page))
    out.append(f"{link(t('data', lang), 'data/index.md')}\n")
    out.append(jsonld_block(catalog_jsonld(portal, ctx.site_url, lang)))  # the package's Dataset: data/
    return "".join(out)


def _package_downloads(ctx: PageContext, page: str) -> str:
    name = ctx.portal.metadata["name"]
    return _downloads(
        ctx,
        page,
        [
            (t(fmt.key, ctx.lang) if fmt.key else file, f"downloads/{file}")
            for fmt, file in formats.downloads(formats.PACKAGE, name, ctx.portal.files)
        ],
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
        'for values in data["observations"]:\n    row = dict(zip(data["columns"], values))\n'
        '    print(row["period"], row["geo"], row["value"])\n'
    )
    main = ctx.portal.config.descriptor_language
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
