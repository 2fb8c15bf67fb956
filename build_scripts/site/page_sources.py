"""The source catalogue, each source's page, and the events' timeline and pages."""

from __future__ import annotations

from datetime import date

import numpy as np

from ..config.site import language_name
from ..publish import formats
from ..site import i18n, source_naming
from ..site.figure_list import figure_list
from ..site.i18n import date_text, t
from ..site.markdown import attr, link, safe_url, table, text
from ..site.search import UNSEARCHED
from .other_reports import source_reports_md
from .page_indicators import _latest_by_indicator
from .page_parts import FULL_TABLE_MAX_ROWS, PageContext, _downloads, _source_cell, _unsearched


def source_catalogue(ctx: PageContext) -> str:
    portal, lang = ctx.portal, ctx.lang
    out = [
        ctx.front(t("sources", lang), t("sources", lang), ("resource", "sources")),
        f"# {text(t('sources', lang))}\n\n",
    ]
    rows = []
    for source_id, source in sorted(portal.sources.items(), key=lambda kv: (kv[1]["published"] or "9999", kv[0])):
        rows.append(
            [
                link(source_naming.title_text(source, lang), f"{source_id}.md"),
                text(source_naming.publisher_name(source, lang, "unknown")),
                text(source_naming.published_text(source, lang, "unknown")),
                text(i18n.number(portal.by_source.count(source_id), lang)),
            ]
        )
    headers = [t("title", lang), t("publisher", lang), t("published", lang), t("count_of_figures", lang)]
    # the list's cells are out of the search index: each source is found by its own page
    out.append(_unsearched(table([text(h) for h in headers], rows, ["left", "left", "left", "right"])))
    return "".join(out)


def citation_text(ctx: PageContext, source: dict) -> str:
    lang = ctx.lang
    publisher = source_naming.publisher_name(source, lang, "unknown")
    when = source_naming.published_text(source, lang)
    return f"{publisher} ({when}). {source_naming.title_text(source, lang)}. [{source['archive_file']}]"


def place_name(portal, written: str, lang: str) -> str:
    """A source's place, written as text in the site's first language (or as a place's code), in the
    page's language: the name in `lang` of the place of that code, or of the places of that name when
    they have one between them (two places named alike, before and after a reorganisation, share their
    names); else as written."""
    if written in portal.places:
        return portal.places[written][f"name_{lang}"]
    default = i18n.default_language()
    names = {place[f"name_{lang}"] for place in portal.places.values() if place[f"name_{default}"] == written}
    return names.pop() if len(names) == 1 else written


def source_page(ctx: PageContext, source_id: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    source = portal.sources[source_id]
    out = [
        ctx.front(source_naming.title_text(source, lang), citation_text(ctx, source), ("source", source_id)),
        f"# {text(source['title'])}\n\n",
    ]
    translation = source_naming.translation(source, lang)
    if translation:
        out.append(f'<p class="translated-title">{attr(t("translated_title", lang, title=translation))}</p>\n\n')
    facts = [
        (t("publisher", lang), text(source_naming.publisher_name(source, lang, "unknown"))),
        (t("published", lang), text(source_naming.published_text(source, lang, "unknown"))),
        (t("place", lang), text(place_name(portal, source["place"], lang) or "—")),
        (t("language", lang), text(language_name(source["language"], lang))),  # 'Tiếng Việt', not 'vi'
        # a file name and a hash: left out of the search index, whose excerpts showed them
        (t("archive_file", lang), f"<span {UNSEARCHED}><code>{attr(source['archive_file'])}</code></span>"),
        ("SHA-256", f"<span {UNSEARCHED}><code>{attr(source['archive_sha256'])}</code></span>"),
    ]
    url = safe_url(source["url"]) if source["url"] else None
    if url:
        facts.append((t("original_address", lang), f'<a href="{url}" rel="nofollow noopener">{url}</a>'))
    else:
        facts.append((t("original_address", lang), text(t("address_unknown", lang))))
    if source["event_id"]:
        event = portal.events[source["event_id"]]
        path = f"../{portal.config.events.path}/{source['event_id']}.md"
        facts.append((t("events", lang), link(event[f"title_{lang}"], path)))
    if source[f"note_{lang}"]:
        facts.append((t("note", lang), text(source[f"note_{lang}"])))
    out.append("".join(f"- **{text(k)}:** {v}\n" for k, v in facts) + "\n")
    out.append(source_reports_md(portal, source_id, lang))
    out.append(f"## {text(t('figures', lang))}\n\n")
    count = portal.by_source.count(source_id)
    if not count:
        out.append(f"{text(t('none', lang))}\n")
        return "".join(out)
    page = f"sources/{source_id}.md"
    listed = [
        (t(fmt.key, lang), f"downloads/{file}")
        for fmt, file in formats.downloads(formats.SOURCE, source_id, portal.files)
    ]
    if count > FULL_TABLE_MAX_ROWS:
        csv_path = "downloads/" + formats.path_of(formats.slice_csv(formats.SOURCE), source_id, portal.files)
        out.append(_latest_by_indicator(ctx, page, csv_path, portal.by_source.positions[source_id]))
        return "".join(out)
    out.append(_downloads(ctx, page, listed))  # the same rows, as its slice
    frame = portal.by_source[source_id].sort_values(["line", "indicator_id"], kind="stable")
    columns = ("line", "indicator", "place", "period", "value", "note")
    out.append(figure_list(portal, page, frame, columns, lang))
    return "".join(out)


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
    page = f"{ctx.portal.config.events.path}/{event_id}.md"
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
        title = source_naming.title_text(portal.sources[source_id], lang)
        out.append(f"- {link(title, f'../sources/{source_id}.md')}\n")
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
