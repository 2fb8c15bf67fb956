"""How a source is named wherever the site cites it, in a page's language: its publisher (with what it is,
where its name is in another language, and a mark where the curator inferred it), its title (as printed,
with a translation marked as one where the page's language is not the source's), its date (marked too
where inferred) and the line.

Every citation names a source through here: the pages' citations and facts, the "to cite" texts, the
chart footers and tooltips. sources.csv says which facts were inferred (`inferred`, schema.INFERABLE)
and gives the renderings (translated_title_<lang>, publisher_gloss_<lang>)."""

from __future__ import annotations

import textwrap
from datetime import date

from .i18n import date_text, t

SHORT_TITLE_CHARS = 60  # a source without a publisher is named by its title in quotes, cut at a word to this


def inferred(source: dict) -> set[str]:
    """The facts of a source the curator inferred rather than read ('publisher', 'published', 'place')."""
    return set(source.get("inferred", "").split())


def _marked(words: str, fact: str, source: dict, lang: str) -> str:
    return t("inferred_fact", lang, fact=words) if fact in inferred(source) else words


def publisher_name(source: dict, lang: str, unknown_key: str = "publisher_unknown") -> str:
    """'Báo Bình Định (Bình Định provincial newspaper) [inferred]'; that the document does not say, if not."""
    name = source["publisher"]
    if not name:
        return t(unknown_key, lang)
    gloss = source.get(f"publisher_gloss_{lang}", "")
    if gloss:
        name = t("publisher_glossed", lang, name=name, gloss=gloss)
    return _marked(name, "publisher", source, lang)


def translation(source: dict, lang: str) -> str:
    """The title's translation into a language the source is not in; empty where there is none."""
    return "" if source.get("language") == lang else source.get(f"translated_title_{lang}", "")


def title_text(source: dict, lang: str) -> str:
    """The title as printed, then, on a page in another language, its translation marked as one."""
    translated = translation(source, lang)
    if not translated:
        return source["title"]
    return t("title_translated", lang, title=source["title"], translation=translated)


def short_title(source: dict, lang: str) -> str:
    """The title a short citation gives: the page language's translation where there is one, cut at a word."""
    return textwrap.shorten(translation(source, lang) or source["title"], SHORT_TITLE_CHARS, placeholder=" …")


def published_text(source: dict, lang: str, unknown_key: str = "date_unknown") -> str:
    """'6 Feb 2025 [inferred]', or that the document prints no date."""
    if not source["published"]:
        return t(unknown_key, lang)
    return _marked(date_text(date.fromisoformat(source["published"]), lang), "published", source, lang)


def short_name(source: dict, lang: str) -> str:
    """A source as a chart or a tooltip names it: its publisher as the pages name it, or, where the
    document does not say who published it, the start of its title in quotes (a reader can look a title
    up; the source's id means nothing to one)."""
    if source["publisher"]:
        return publisher_name(source, lang)
    return f"“{short_title(source, lang)}”"


def citation(source: dict, lang: str, line=None) -> str:
    """'Publisher [inferred], “Title [translation: …]”, date, line N': a source as a figure cites it."""
    parts = [publisher_name(source, lang), f"“{title_text(source, lang)}”", published_text(source, lang)]
    if line is not None:
        parts.append(t("source_line", lang, line=line))
    return ", ".join(parts)
