"""What a chart cites in its footer: its sources' short names (the first few, and how many more), the
licence and the address of its page."""

from __future__ import annotations

from ..data.model import Portal
from . import i18n
from .i18n import t
from .source_naming import citation, short_name

MAX_FOOTER_SOURCES = 3


def short_source_name(portal: Portal, source_id: str, lang: str | None = None) -> str:
    """A source as a chart names it in a language (the site's first where none is given): source_naming's
    short name."""
    return short_name(portal.sources[source_id], lang or i18n.default_language())


def footer_names(portal: Portal, source_ids, lang: str) -> list[str]:
    """The sources' short names in a language, each once, in the order given."""
    return list(dict.fromkeys(short_source_name(portal, source_id, lang) for source_id in source_ids))


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


LINE_MARK = "\x00"  # where a tooltip's citation takes its point's line (no source text holds it)


def tip_source(portal: Portal, source_id: str, lang: str) -> list[str]:
    """A source as a point's tooltip cites it, source_naming's citation (publisher, title, date, line)
    after the word for a source: the two texts around the line number, which each point gives, so that
    a chart lists each source's text once however many of its points it prints."""
    memo = portal.memo.setdefault("tip_source", {})
    if (source_id, lang) not in memo:
        cited = citation(portal.sources[source_id], lang, LINE_MARK)
        before, _, after = t("chart_tip_source", lang, source=t("source", lang), citation=cited).partition(LINE_MARK)
        memo[source_id, lang] = [before, after]
    return memo[source_id, lang]
