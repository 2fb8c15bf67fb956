"""What a chart cites in its footer: its sources' short names (the first few, and how many more), the
licence and the address of its page."""

from __future__ import annotations

import textwrap

from ..data.model import Portal
from . import i18n
from .i18n import t

MAX_FOOTER_SOURCES = 3


SHORT_TITLE_CHARS = 60  # a source without a publisher is named by its title in quotes, cut at a word to this


def short_source_name(portal: Portal, source_id: str) -> str:
    """A source as a chart names it: its publisher, or, where the document does not say who published
    it, the start of its title in quotes, as the pages cite a title (a reader can look a title up; the
    source's id means nothing to one)."""
    source = portal.sources[source_id]
    return source["publisher"] or f"“{textwrap.shorten(source['title'], SHORT_TITLE_CHARS, placeholder=' …')}”"


def sources_text(names: list[str], lang: str) -> str:
    """'Sources: A; B; C (+2)': the first few sources a chart cites, and how many more."""
    shown = t("chart_separator", lang).join(names[:MAX_FOOTER_SOURCES])
    if len(names) > MAX_FOOTER_SOURCES:
        shown = t("chart_more_sources", lang, names=shown, n=len(names) - MAX_FOOTER_SOURCES)
    return t("chart_sources", lang, sources=t("sources" if len(names) > 1 else "source", lang), names=shown)


def attribution(portal: Portal, page: str, lang: str) -> str:
    """What a chart carries wherever it is reused: the licence and the address of its page."""
    prefix = "" if lang == i18n.default_language() else f"{lang}/"
    return f"{portal.metadata['license']['name']} · {portal.metadata.get('site_url', '')}{prefix}{page}"
