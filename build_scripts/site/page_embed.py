"""A page per indicator chart for other sites to embed in an <iframe>: the chart, the sources it cites,
the licence, and a link back to the indicator's page.

The page is plain HTML written beside the Markdown pages, before MkDocs runs, which copies it as it is:
no theme, no script, no font, its style inline, every address relative to it. So it loads nothing from
any host but its own, whichever site frames it, and stays a few kilobytes. It is kept out of search
engines (robots noindex) and out of the site's search: it has no data-pagefind-body, and its one
article (a composition meant for reuse elsewhere) is UNSEARCHED, so that what the search index reads
of it (search.indexed_part) is nothing, and a changed figure does not make the index again.
"""

from __future__ import annotations

from .chart_sources import MAX_FOOTER_SOURCES
from .i18n import t
from .markdown import attr
from .page_parts import NARROW_SCREEN, PageContext
from .search import UNSEARCHED
from .source_naming import citation

EMBED_FOLDER = "embed"  # embed/<indicator_id>/ in each language's site
MAX_EMBED_SOURCES = 3 * MAX_FOOTER_SOURCES  # the caption cites this many sources, then links the rest
CAPTION_HEIGHT = 170  # px below the wide drawing that the snippet's iframe leaves for the caption

STYLE = (  # system fonts only: no request for a font file. The caption keeps its height, and the chart
    # is scaled to what the frame leaves it, so that a frame of any size shows the sources and licence
    "html{font:13px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2937;background:#fff}"
    "html,body,article{height:100%}body{margin:0;padding:8px;box-sizing:border-box}"
    "figure{margin:0;height:100%;display:flex;flex-direction:column}"
    "picture{flex:1 1 auto;min-height:8em;display:flex}"
    "img{max-width:100%;max-height:100%;width:auto;height:auto;object-fit:contain;object-position:left top}"
    "figcaption{flex:none}figcaption p{margin:.35em 0}"
    "a{color:#1d4e89;text-decoration:underline;text-underline-offset:.15em}.freshness{font-size:12px;color:#4a4a4a}"
)


def embed_path(indicator_id: str) -> str:
    """The embed page of an indicator, as a path of its language's site."""
    return f"{EMBED_FOLDER}/{indicator_id}/index.html"


def embed_snippet(ctx: PageContext, indicator_id: str) -> str:
    """The <iframe> another site pastes to show the chart: absolute, sized to the wide drawing and its caption."""
    width, height, _, _ = ctx.charts[f"indicators/{indicator_id}"]["size"]
    src = f"{ctx.site_url}{ctx.lang_prefix}{EMBED_FOLDER}/{indicator_id}/"
    name = ctx.portal.indicators[indicator_id][f"name_{ctx.lang}"]
    return (
        f'<iframe src="{attr(src)}" title="{attr(name)}" width="{width}" height="{height + CAPTION_HEIGHT}" '
        'style="max-width:100%;border:0" loading="lazy"></iframe>'
    )


def embed_page(ctx: PageContext, indicator_id: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = embed_path(indicator_id).removesuffix(".html") + ".md"  # where ctx.root() counts from
    up, root = "../" * page.count("/"), ctx.root(page)
    indicator = portal.indicators[indicator_id]
    name, site = indicator[f"name_{lang}"], portal.metadata["title"][lang]
    chart = ctx.charts[f"indicators/{indicator_id}"]
    width, height, narrow_width, narrow_height = chart["size"]
    src = f"{up}charts/indicators/{indicator_id}"
    shown = ("indicator", indicator_id)
    changed = f"{ctx.history.changed_text(shown, lang)} ({t('changed_in_version', lang)} {ctx.history.version(shown)})"
    back = f"{up}indicators/{indicator_id}/"
    return (
        f'<!doctype html>\n<html lang="{attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'<meta name="description" content="{attr(indicator[f"description_{lang}"])}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{attr(name)} - {attr(site)}</title>\n"
        f'<link rel="alternate" type="application/atom+xml" title="{attr(t("feed_title", lang))}" '
        f'href="{root}feed.xml">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<article {UNSEARCHED}>\n<figure>\n"
        f'<picture><source media="(max-width: {NARROW_SCREEN})" srcset="{src}.narrow.svg" '
        f'width="{narrow_width}" height="{narrow_height}">'
        f'<img src="{src}.svg" alt="{attr(chart["alt"])}" width="{width}" height="{height}"></picture>\n'
        f"<figcaption>\n{_sources(ctx, indicator_id, up, back)}"
        f"<p>{attr(t('licence', lang))}: {attr(portal.metadata['license']['title'])}. "
        f'<a class="back" href="{back}" target="_blank" rel="noopener">'
        f"{attr(t('embed_back', lang, name=name, site=site))}</a></p>\n"
        f'<p class="freshness">{attr(t("data_changed", lang))} {attr(changed)}</p>\n'
        "</figcaption>\n</figure>\n</article>\n</body>\n</html>\n"
    )


def _sources(ctx: PageContext, indicator_id: str, up: str, back: str) -> str:
    """'Sources: publisher, “title”, date; …': every source the chart's figures cite (the first few,
    then a link to the rest), each linked to its page."""
    portal, lang = ctx.portal, ctx.lang
    codes, ids = portal.codes["source_id"]
    cited = sorted({ids[code] for code in codes[portal.by_indicator.positions[indicator_id]].tolist()})
    links = [
        f'<a href="{up}sources/{attr(source_id)}/" target="_blank" rel="noopener">'
        f"{attr(citation(portal.sources[source_id], lang))}</a>"
        for source_id in cited[:MAX_EMBED_SOURCES]
    ]
    if len(cited) > MAX_EMBED_SOURCES:
        more = t("embed_more_sources", lang, n=len(cited) - MAX_EMBED_SOURCES)
        links.append(f'<a href="{back}" target="_blank" rel="noopener">{attr(more)}</a>')
    label = t("sources" if len(cited) > 1 else "source", lang)
    return f'<p class="sources"><strong>{attr(label)}:</strong> {"; ".join(links)}</p>\n'
