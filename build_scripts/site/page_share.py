"""Citing and sharing: the citation of the whole package (from what CITATION.cff says), on the About
and data pages; and on each indicator page its address and the snippet that embeds its chart
elsewhere (page_embed.py), each with a copy button (copy_buttons.py)."""

from __future__ import annotations

import hashlib
from functools import partial

import yaml

from ..publish.releases import citation_cff
from .copy_buttons import code_block, copy_row
from .i18n import t
from .markdown import attr, text
from .page_embed import embed_page, embed_path, embed_snippet
from .page_parts import CitedWork, PageContext, bib_key, citation_and_bibtex, citation_block
from .search import UNSEARCHED

ABOUT_PAGE = "about.md"  # the hand-written page that takes in the package's citation, where a site has it


def package_work(ctx: PageContext) -> CitedWork:
    """The package as CITATION.cff names it (the file `release` writes, made here from the same
    metadata, so that any portal has it): authors, year released, title, version, address, licence."""
    cff = yaml.safe_load(citation_cff(ctx.portal.metadata, ctx.site_url, ctx.portal.config.descriptor_language))
    authors = "; ".join(
        author.get("name") or ", ".join(filter(None, (author.get("family-names"), author.get("given-names"))))
        for author in cff["authors"]
    )
    return CitedWork(
        authors, str(cff["date-released"])[:4], cff["title"], str(cff["version"]), cff["url"], cff["license"]
    )


def package_cite_box(ctx: PageContext) -> str:
    """'How to cite the whole package': its citation and BibTeX, each with a copy button."""
    citation, bibtex = citation_and_bibtex(ctx.lang, package_work(ctx), bib_key(ctx, ""))
    return (
        f'\n<div class="cite-box" markdown>\n\n## {text(t("cite_package", ctx.lang))}\n\n'
        + citation_block(ctx.lang, citation, bibtex, "package-cite")
        + "</div>\n"
    )


def about_page(ctx: PageContext, handwritten: str) -> str:
    """The hand-written About page as it is, then the package's citation."""
    return handwritten.rstrip("\n") + "\n" + package_cite_box(ctx)


def share_box(ctx: PageContext, indicator_id: str, url: str) -> str:
    """An indicator page's address (copy, or the device's sharing) and the snippet that embeds its chart."""
    lang = ctx.lang
    snippet = code_block(embed_snippet(ctx, indicator_id), "embed-code", "html")
    return (
        f'\n<div class="share-box" {UNSEARCHED} markdown>\n\n### {text(t("share_heading", lang))}\n\n'
        f"<p><strong>{attr(t('share_link', lang))}:</strong> "
        f'<a id="share-link" href="{attr(url)}">{attr(url)}</a></p>\n\n'
        + copy_row(lang, [("copy_link", "share-link", "")], share="share-link")
        + f"<p>{attr(t('embed_code', lang))}</p>\n\n"
        + snippet
        + copy_row(lang, [("copy_embed", "embed-code", "")])
        + "</div>\n"
    )


def share_plan(ctx: PageContext, handwritten: dict[str, str]) -> dict:
    """The pages this module adds to pages.page_plan: each indicator's embed page (HTML, which MkDocs
    copies as it is), and the About page with the package's citation where the site has one."""
    plan = {
        embed_path(indicator_id): (
            (("indicator", indicator_id), ("chart", f"indicators/{indicator_id}")),
            partial(embed_page, ctx, indicator_id),
        )
        for indicator_id in ctx.portal.by_indicator
    }
    if ABOUT_PAGE in handwritten:
        shown = ("text", hashlib.sha256(handwritten[ABOUT_PAGE].encode("utf-8")).hexdigest())
        plan[ABOUT_PAGE] = ((shown,), partial(about_page, ctx, handwritten[ABOUT_PAGE]))
    return plan
