"""DOC_parts"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..data.model import Portal
from ..publish.catalog import script_json
from ..publish.releases import Freshness
from ..site import i18n
from ..site.figure_list import figure_text, href, latest_rows, rank_of, source_facts, url_depth
from ..site.i18n import t
from ..site.markdown import attr, front_matter, link, text
from ..site.search import UNSEARCHED, folded_terms
from .copy_buttons import code_block, copy_row

NARROW_SCREEN = "599.98px"  # up to this viewport width a chart is the narrow drawing (portal.css agrees)


FULL_TABLE_MAX_ROWS = 60  # past this a page shows a summary and links to the CSV of all rows


SUMMARY_MAX_ROWS = 100  # rows of a summary table; the CSV and the API hold the rest


CATALOGUE_PER_TOPIC = 25  # indicators per topic on the catalogue page; the topic's page lists all


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
        depth = url_depth(page) + (0 if self.lang == i18n.default_language() else 1)
        return "../" * depth

    def up(self, page: str) -> str:
        """Relative path from a page to the docs root of its own language (for Markdown links)."""
        return "../" * page.count("/")


def _place_name(ctx: PageContext, geo: str) -> str:
    return ctx.portal.places[geo][f"name_{ctx.lang}"]


def _figure(ctx: PageContext, row, unit: str) -> str:
    return figure_text(row, unit, ctx.lang)


def chart_ranking(ctx: PageContext, indicator_id: str) -> dict | None:
    """The indicator chart's spec["ranking"] (its top and bottom places), if it ranks places."""
    return ctx.charts.get(f"indicators/{indicator_id}", {}).get("ranking")


def lead_figure(ctx: PageContext, indicator_id: str) -> dict | None:
    """The one figure that stands for an indicator (home page, catalogue): the latest actual figure of
    the place that leads (figure_list.lead_key: a featured place, else the best of the ranking)."""
    rows, kind = latest_rows(ctx.portal, indicator_id, chart_ranking(ctx, indicator_id))
    return rows[0] if rows and kind == "actual" else None


def lead_note(ctx: PageContext, indicator_id: str, row: dict) -> str:
    """Whose figure stands for an indicator that has none of a featured place's: 'No figure for the
    first featured place. This figure is for X, first of 30 places.' Empty for a featured place."""
    featured, lang = ctx.portal.config.featured_places, ctx.lang
    if row["geo"] in featured:
        return ""
    ranking = chart_ranking(ctx, indicator_id)
    place = _place_name(ctx, row["geo"])
    if rank_of(ranking).get(row["geo"]) == 1 and i18n.period_text(row["period"], lang) == ranking["period"]:
        count = i18n.number(ranking["count"], lang)
        whose = t("lead_of_ranked", lang, place=place, count=count, places=ranking["places"])
    else:
        whose = t("lead_of_place", lang, place=place)
    missing = [t("lead_missing", lang, featured=_place_name(ctx, featured[0]))] if featured else []
    return " ".join([*missing, whose])


def _source_cell(ctx: PageContext, page: str, source_id: str, line: int) -> str:
    label, title, when, line_text = source_facts(ctx.portal, source_id, line, ctx.lang)
    return f"{link(label, f'{ctx.up(page)}sources/{source_id}.md')}, “{text(title)}”, {text(when)}, {text(line_text)}"


def _downloads(
    ctx: PageContext, page: str, items: list[tuple[str, str]], png_of: str | None = None, png_text: str = "chart_png"
) -> str:
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
            f'data-file="{attr(f"{name}-{ctx.lang}.png")}">{attr(t(png_text, ctx.lang))}</button>'
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
        f'<figure class="chart">\n<picture {UNSEARCHED}>'
        f'<source media="(max-width: {NARROW_SCREEN})" srcset="{src}.narrow.svg" '
        f'width="{narrow_width}" height="{narrow_height}">'
        f'<img src="{src}.svg" alt="{attr(chart["alt"])}" width="{width}" height="{height}"{loading}></picture>\n'
        "</figure>\n\n"
    )


def cite_box(ctx: PageContext, title: str, url: str, key: str, figure: str = "") -> str:
    """A 'How to cite' box: a formatted citation and BibTeX, both with the version; and, given one,
    the citation of a figure with its own source, as a journalist quotes it. Each has a copy button."""
    meta, lang = ctx.portal.metadata, ctx.lang
    work = CitedWork(
        meta["creator"], str(meta["released"])[:4], title, str(meta["version"]), url, meta["license"]["name"]
    )
    citation, bibtex = citation_and_bibtex(lang, work, bib_key(ctx, key))
    # the figure stays out of the search index, as every figure does: a changed value keeps the index
    figure_label = f"<strong>{attr(t('cite_figure', lang))}:</strong>"
    figure_part = (
        f'<p class="cite-figure" id="cite-figure" {UNSEARCHED}>{figure_label} {attr(figure)}</p>\n\n'
        + copy_row(lang, [("copy_figure_citation", "cite-figure", "strong")])
        if figure
        else ""
    )
    return (
        f'\n<div class="cite-box" markdown>\n\n### {text(t("how_to_cite", lang))}\n\n'
        + citation_block(lang, citation, bibtex, "cite", figure_part)
        + "</div>\n"
    )


@dataclass
class CitedWork:
    """What a citation of a dataset names."""

    creator: str
    year: str
    title: str
    version: str
    url: str
    licence: str


def bib_key(ctx: PageContext, key: str) -> str:
    """The start of a BibTeX key: the site's citation key (the package's name if none), then key."""
    return f"{ctx.portal.config.citation_key or ctx.portal.metadata['name']} {key}"


def citation_and_bibtex(lang: str, work: CitedWork, key: str) -> tuple[str, str]:
    """A dataset's citation in the page's language and its BibTeX entry, both with the version."""
    citation = (
        f"{work.creator} ({work.year}). {work.title} [{t('dataset', lang)}], {t('version', lang)} {work.version}. "
        f"{work.url}"
    )
    bibkey = re.sub(r"[^a-z0-9]+", "_", f"{key} {work.version}".lower()).strip("_")
    bibtex = (
        f"@misc{{{bibkey},\n  author = {{{{{_bib(work.creator)}}}}},\n  title = {{{_bib(work.title)}}},\n"
        f"  year = {{{work.year}}},\n  version = {{{work.version}}},\n  howpublished = {{\\url{{{work.url}}}}},\n"
        f"  note = {{Dataset, licence {work.licence}}}\n}}"
    )
    return citation, bibtex


def citation_block(lang: str, citation: str, bibtex: str, prefix: str, between: str = "") -> str:
    """The citation, then what goes between (a figure's citation), then the BibTeX, each with its copy
    button; prefix names the elements (prefix-text, prefix-bibtex: one box of a prefix a page)."""
    return (
        f'<p id="{prefix}-text">{attr(citation)}</p>\n\n'
        + copy_row(lang, [("copy_citation", f"{prefix}-text", "")])
        + between
        + code_block(bibtex, f"{prefix}-bibtex", "bibtex")
        + copy_row(lang, [("copy_bibtex", f"{prefix}-bibtex", "")])
    )


def _bib(value: str) -> str:
    """BibTeX-safe text: braces and backslashes from the data cannot end a field."""
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", value)


def jsonld_block(data: dict) -> str:
    return f'\n<script type="application/ld+json">\n{script_json(data)}\n</script>\n'


def _unsearched(markdown: str) -> str:
    """Figures stay on the page but out of the search index (site/search.py)."""
    return f"<div {UNSEARCHED} markdown>\n\n{markdown}\n</div>\n"
