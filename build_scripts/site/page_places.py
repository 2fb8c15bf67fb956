"""The place catalogue and each place's page."""

from __future__ import annotations

from datetime import date

from ..data.model import Portal
from ..publish import formats
from ..site import i18n
from ..site.figure_list import figure_list
from ..site.i18n import date_text, t
from ..site.markdown import link, table, text
from .page_indicators import _latest_by_indicator
from .page_parts import FULL_TABLE_MAX_ROWS, PageContext, _downloads, _unsearched


def place_catalogue(ctx: PageContext) -> str:
    portal, lang = ctx.portal, ctx.lang
    out = [ctx.front(t("places", lang), t("places", lang), ("resource", "places")), f"# {text(t('places', lang))}\n\n"]
    rows = []
    for geo, place in sorted(portal.places.items(), key=lambda kv: portal.place_order(kv[0])):
        successor, dates = place["successor"], validity(place, lang)
        rows.append(
            [
                link(place[f"name_{lang}"], f"{geo.lower()}.md")  # with its dates: two places may share a name
                + (f'<br><span class="valid">{text(dates)}</span>' if dates else ""),
                text(geo),
                text(i18n.level_name(place["level"], lang)),
                text(portal.statistics_code(geo)),
                # by name only: a successor is the later place, and its dates widened the list past the page
                link(portal.places[successor][f"name_{lang}"], f"{successor.lower()}.md") if successor else "",
                text(i18n.number(portal.by_geo.count(geo), lang)),
            ]
        )
    headers = [
        t("place", lang),
        t("place_code", lang),
        t("level", lang),
        t("statistics_code", lang),
        t("successor", lang),
        t("count_of_figures", lang),
    ]
    # the list's cells are out of the search index: each place is found by its own page
    out.append(_unsearched(table([text(h) for h in headers], rows, ["left"] * 5 + ["right"])))
    return "".join(out)


def dated_name(portal: Portal, geo: str, lang: str) -> str:
    """A place's name, with its dates where another place has the same name (a province and the one of
    the same name it became part of): 'Thái Nguyên (01/07/2025 – …)'."""
    place = portal.places[geo]
    name = place[f"name_{lang}"]
    dates = validity(place, lang) if name in portal.shared_place_names.get(f"name_{lang}", ()) else ""
    return f"{name} ({dates})" if dates else name


def place_link(portal: Portal, geo: str, lang: str) -> str:
    """A link to a place from a place's page, by its dated name."""
    return link(dated_name(portal, geo, lang), f"{geo.lower()}.md")


def validity(place: dict, lang: str) -> str:
    """When the place existed in this form ('… – 30/06/2025'), or '' for a place with no dates."""
    if not (place["valid_from"] or place["valid_to"]):
        return ""
    start = date_text(date.fromisoformat(place["valid_from"]), lang) if place["valid_from"] else "…"
    end = date_text(date.fromisoformat(place["valid_to"]), lang) if place["valid_to"] else "…"
    return f"{start} – {end}"


def place_page(ctx: PageContext, geo: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"places/{geo.lower()}.md"
    place = portal.places[geo]
    name = dated_name(portal, geo, lang)  # the page's title tells it from a place of the same name
    level = i18n.level_name(place["level"], lang)
    out = [ctx.front(name, f"{name} ({level})", ("place", geo)), f"# {text(name)}\n\n"]
    facts = [(t("level", lang), text(level)), (t("place_code", lang), text(geo))]
    if portal.statistics_code(geo):
        facts.append((t("statistics_code", lang), text(portal.statistics_code(geo))))
    dates = validity(place, lang)
    if dates:
        facts.append((t("valid", lang), text(dates)))
    if place["successor"]:
        facts.append((t("successor", lang), place_link(portal, place["successor"], lang)))
    predecessors = portal.predecessors(geo)
    if predecessors:
        facts.append(
            (
                t("predecessors", lang),
                ", ".join(place_link(portal, p, lang) for p in predecessors),
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
                f"{place_link(portal, g, lang)} ({text(i18n.number(portal.by_geo.count(g), lang))})" for g in related
            )
            out.append(f"{text(t('see_related_places', lang))} {links}\n")
        return "".join(out)
    csv_path = "downloads/" + formats.path_of(formats.slice_csv(formats.PLACE), geo.lower(), portal.files)
    if count > FULL_TABLE_MAX_ROWS:
        out.append(
            _latest_by_indicator(
                ctx,
                page,
                csv_path,
                portal.by_geo.positions[geo],
                place_column=False,  # every row is this page's place
            )
        )
        return "".join(out)
    files = formats.downloads(formats.PLACE, geo.lower(), portal.files)
    out.append(_downloads(ctx, page, [(t(fmt.key, lang), f"downloads/{file}") for fmt, file in files]))  # its slices
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
