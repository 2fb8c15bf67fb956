"""Figures as a reader reads them: the latest figure first, in words, and every figure of a page with
its value, qualifier, period, place and source in one place.

Both are HTML blocks (MkDocs passes them through as they are), so every text from the data goes
through attr() (HTML-escaped) here, not through markdown.text(). A list of figures is a table on a
wide screen and a stack of cards on a phone (portal.css): each cell carries its column's name in
data-label, which the card shows above the value, so nothing scrolls sideways at 360 px.
"""

from __future__ import annotations

import pandas as pd

from ..site import i18n, source_naming
from ..site.i18n import period_text, t, value_text
from ..site.markdown import attr
from ..site.search import UNSEARCHED
from .other_reports import figure_reports_html

LATEST_MAX_PLACES = 5  # the opening of an indicator page names at most this many places' latest figures
ENDS = ("top", "bottom")  # the ends of a chart's spec["ranking"]: its best places, then its worst
# A column's share of a wide table: fixed widths keep the table inside the page at 1280 px.
COLUMN_WIDTHS = {"line": 6, "indicator": 26, "place": 13, "period": 13, "value": 20, "source": 30, "note": 22}


def url_depth(page: str) -> int:
    """How many folders deep a page (its Markdown path) is served, as MkDocs writes pages with directory
    URLs: 'indicators/x.md' at indicators/x/ (2), 'indicators/index.md' at indicators/ (1). Only a file
    named index.md is its folder's page: 'indicators/consumer-price-index.md' is not."""
    return page.count("/") + (0 if page.rpartition("/")[2] == "index.md" else 1)


def href(page: str, target: str) -> str:
    """The address of a page of the same language (target: its Markdown path) from a page's own
    address (url_depth)."""
    depth = url_depth(page)
    path = target.removesuffix(".md")
    path = path.removesuffix("index") if path.endswith("/index") or path == "index" else path + "/"
    return "../" * depth + path


def figure_text(row, unit: str, lang: str) -> str:
    """'more than 55.25 million': the value with its qualifier in words."""
    return i18n.qualified(value_text(row["value"], unit, lang), row["qualifier"], lang, row["value"])


def period_span(first: str, last: str, lang: str) -> str:
    """'Q1 2023 – Q3 2025': the first and the last period of some figures as the language writes them;
    one period when they are the same."""
    if first == last:
        return period_text(first, lang)
    return t("period_span", lang, first=period_text(first, lang), last=period_text(last, lang))


def kind_text(row, lang: str) -> str:
    words = t(row["kind"], lang)
    if row["is_derived"] == "true":
        words += f" · {t('derived', lang)}"
    return words


def source_facts(portal, source_id: str, line, lang: str) -> tuple[str, str, str, str]:
    """How a figure's source is named: publisher (or that the document does not say), title, date, and the line."""
    source = portal.sources[source_id]
    return (
        source_naming.publisher_name(source, lang),
        source_naming.title_text(source, lang),
        source_naming.published_text(source, lang),
        t("source_line", lang, line=line),
    )


def source_html(portal, page: str, row, lang: str) -> str:
    """The source of a figure: publisher (a link to the source's page), title, date, line, and who the
    article says produced or reported the figure."""
    label, title, when, line = source_facts(portal, row["source_id"], row["line"], lang)
    out = (
        f'<a href="{href(page, "sources/" + row["source_id"] + ".md")}">{attr(label)}</a>, '
        f"“{attr(title)}”, {attr(when)}, {attr(line)}"
    )
    attributed = row.get(f"attributed_to_{lang}", "")
    if attributed:
        out += f'<span class="attributed">{attr(t("attributed_to", lang))} {attr(attributed)}</span>'
    return out + figure_reports_html(portal, row, lang)


def _cell(column: str, portal, page: str, row, lang: str) -> str:
    if column == "line":
        return attr(row["line"])
    if column == "indicator":
        indicator = portal.indicators[row["indicator_id"]]
        target = href(page, f"indicators/{row['indicator_id']}.md")
        return f'<a href="{target}">{attr(indicator[f"name_{lang}"])}</a>'
    if column == "place":
        name = portal.places[row["geo"]][f"name_{lang}"]
        return f'<a href="{href(page, "places/" + row["geo"].lower() + ".md")}">{attr(name)}</a>'
    if column == "period":
        return attr(period_text(row["period"], lang))
    if column == "value":
        unit = portal.indicators[row["indicator_id"]]["unit"]
        printed = f"{t('as_written', lang)}: “{row['as_written']}”"
        return (
            f'<strong class="value">{attr(figure_text(row, unit, lang))}</strong>'
            f'<span class="kind">{attr(kind_text(row, lang))}</span>'
            f'<span class="as-written">{attr(printed)}</span>'
        )
    if column == "source":
        return source_html(portal, page, row, lang)
    if column == "note":
        return attr(row.get(f"note_{lang}", ""))
    raise ValueError(f"no such column of a figure list: {column}")


def figure_list(portal, page: str, frame: pd.DataFrame, columns: tuple[str, ...], lang: str) -> str:
    """Every row of frame, as a table above the width breakpoint and as cards below it."""
    total = sum(COLUMN_WIDTHS[c] for c in columns)
    cols = "".join(f'<col style="width:{COLUMN_WIDTHS[c] * 100 / total:.1f}%">' for c in columns)
    head = "".join(f'<th scope="col">{attr(t(c, lang))}</th>' for c in columns)
    labels = {c: attr(t(c, lang)) for c in columns}
    body = []
    for row in frame.to_dict("records"):
        cells = "".join(
            f'<td class="{c}" data-label="{labels[c]}">{_cell(c, portal, page, row, lang)}</td>' for c in columns
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="figure-list" {UNSEARCHED}>\n<table class="figures">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>\n</div>\n\n"
    )


def latest_rows(portal, indicator_id: str, ranking: dict | None = None) -> tuple[list[dict], str]:
    """The latest actual figure of each place of an indicator (or, with none, each latest target), and
    which kind they are; the places in lead order (lead_key). ranking: the indicator chart's
    spec["ranking"], if it has one. Made once for both languages' pages (their rankings name the
    same places)."""
    memo = portal.memo.setdefault("latest_rows", {})
    ranked = ranked_places(ranking)
    if (indicator_id, *ranked) not in memo:
        memo[indicator_id, *ranked] = _latest_rows(portal, indicator_id, ranked)
    return memo[indicator_id, *ranked]


def ranked_places(ranking: dict | None) -> tuple[str, ...]:
    """The places at the ends of a chart's ranking: its top (best first), then its bottom (the worst last)."""
    return tuple(entry["geo"] for end in ENDS for entry in ranking[end]) if ranking else ()


def _latest_rows(portal, indicator_id: str, ranked: tuple[str, ...]) -> tuple[list[dict], str]:
    positions = portal.by_indicator.positions[indicator_id]
    codes = portal.row_codes
    kind = "actual"
    latest = codes.latest(positions, "geo")
    if not latest:
        kind, latest = "target", codes.latest(positions, "geo", among=~codes.actual)
    rows = portal.records(list(latest.values()))
    higher_is_better = portal.higher_is_better(indicator_id) is not False  # neither: the largest first
    rows.sort(key=lambda row: lead_key(portal, row, ranked, higher_is_better))
    return rows, kind


def lead_key(portal, row: dict, ranked: tuple[str, ...], higher_is_better: bool) -> tuple:
    """Where a place's latest figure comes among an indicator's: the featured places first (site.yml's
    order), then the ends of the chart's ranking (ranked: top, then bottom), then by place level, the
    best value first, then by code. So a page leads with the places its configuration names, and then
    with those the data sets apart, never with the first code or the last row."""
    featured = portal.config.featured_places
    geo = row["geo"]
    value = float(row["value"])
    return (
        featured.index(geo) if geo in featured else len(featured),
        ranked.index(geo) if geo in ranked else len(ranked),
        portal.level_rank(geo),
        -value if higher_is_better else value,
        geo,
    )


def latest_block(portal, page: str, indicator_id: str, lang: str, ranking: dict | None = None) -> str:
    """The opening of an indicator page: its latest figure in words, for each place (a few at most:
    shown_places), with period, place, its rank where the chart's ranking gives one, and source."""
    rows, kind = latest_rows(portal, indicator_id, ranking)
    if not rows:
        return ""
    unit = portal.indicators[indicator_id]["unit"]
    heading = t("latest_figure" if kind == "actual" else "latest_target", lang)
    ranks = rank_of(ranking)
    items = []
    for row in shown_places(rows, ranking, LATEST_MAX_PLACES, portal.config.featured_places):
        where = [portal.places[row["geo"]][f"name_{lang}"], period_text(row["period"], lang)]
        if row["geo"] in ranks and where[1] == ranking["period"]:  # ranked at the period it shows
            count = i18n.number(ranking["count"], lang)
            where.append(
                t("latest_rank", lang, rank=i18n.number(ranks[row["geo"]], lang), count=count, places=ranking["places"])
            )
        derived = f" ({t('derived', lang)})" if row["is_derived"] == "true" else ""
        items.append(
            f'<li><span class="figure">{attr(figure_text(row, unit, lang))}</span>'
            f'<span class="where">{attr(" · ".join(where))}{attr(derived)}</span>'
            f'<span class="source">{attr(t("source", lang))}: {source_html(portal, page, row, lang)}</span></li>'
        )
    more = len(rows) - len(items)
    tail = f'<p class="more">{attr(t("more_places", lang, n=i18n.number(more, lang)))}</p>' if more > 0 else ""
    return (
        f'<section class="latest" aria-label="{attr(heading)}" {UNSEARCHED}>\n'
        f'<p class="latest-heading">{attr(heading)}</p>'
        f'<ul class="latest-figures">{"".join(items)}</ul>{tail}\n</section>\n\n'
    )


def shown_places(rows: list[dict], ranking: dict | None, limit: int, featured: tuple[str, ...]) -> list[dict]:
    """At most limit of rows (in lead order, latest_rows): the featured places', then as many of the
    ranking's best as of its worst (one more of the best when the room is odd), then the rest."""
    featured = set(featured)
    chosen = [row for row in rows if row["geo"] in featured][:limit]
    others = {row["geo"]: row for row in rows if row["geo"] not in featured}
    top, bottom = ([others[e["geo"]] for e in (ranking or {}).get(end, ()) if e["geo"] in others] for end in ENDS)
    room = limit - len(chosen)
    from_bottom = min(len(bottom), max(room // 2, room - len(top)))
    chosen += top[: room - from_bottom] + bottom[len(bottom) - from_bottom :]
    taken = {row["geo"] for row in chosen}
    return chosen + [row for row in rows if row["geo"] not in taken][: limit - len(chosen)]


def rank_of(ranking: dict | None) -> dict[str, int]:
    """Place -> its rank (1 the best) among a chart's ranking's top and bottom places."""
    if not ranking:
        return {}
    first_of_bottom = ranking["count"] - len(ranking["bottom"]) + 1
    ranks = {entry["geo"]: index + 1 for index, entry in enumerate(ranking["top"])}
    return ranks | {entry["geo"]: first_of_bottom + index for index, entry in enumerate(ranking["bottom"])}
