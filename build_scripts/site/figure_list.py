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
# A column's share of a wide table: fixed widths keep the table inside the page at 1280 px.
COLUMN_WIDTHS = {"line": 6, "indicator": 26, "place": 13, "period": 13, "value": 20, "source": 30, "note": 22}


def href(page: str, target: str) -> str:
    """The address of a page of the same language (target: its Markdown path) from a page's own
    address, as MkDocs writes them with directory URLs: 'indicators/x.md' is served at indicators/x/."""
    depth = page.count("/") + (0 if page.endswith("index.md") else 1)
    path = target.removesuffix(".md")
    path = path.removesuffix("index") if path.endswith("/index") or path == "index" else path + "/"
    return "../" * depth + path


def figure_text(row, unit: str, lang: str) -> str:
    """'more than 55.25 million': the value with its qualifier in words."""
    return i18n.qualified(value_text(row["value"], unit, lang), row["qualifier"], lang, row["value"])


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


def latest_rows(portal, indicator_id: str) -> tuple[list[dict], str]:
    """The latest actual figure of each place of an indicator (or, with none, each latest target), the
    places in their levels' order and then by name; and which kind they are. Made once for both
    languages' pages."""
    memo = portal.memo.setdefault("latest_rows", {})
    if indicator_id not in memo:
        memo[indicator_id] = _latest_rows(portal, indicator_id)
    return memo[indicator_id]


def _latest_rows(portal, indicator_id: str) -> tuple[list[dict], str]:
    positions = portal.by_indicator.positions[indicator_id]
    codes = portal.row_codes
    kind = "actual"
    latest = codes.latest(positions, "geo")
    if not latest:
        kind, latest = "target", codes.latest(positions, "geo", among=~codes.actual)
    rows = portal.records(list(latest.values()))
    rows.sort(key=lambda r: portal.place_order(r["geo"]))
    return rows, kind


def latest_block(portal, page: str, indicator_id: str, lang: str) -> str:
    """The opening of an indicator page: its latest figure in words, for each place (a few at most),
    with period, place and source."""
    rows, kind = latest_rows(portal, indicator_id)
    if not rows:
        return ""
    unit = portal.indicators[indicator_id]["unit"]
    heading = t("latest_figure" if kind == "actual" else "latest_target", lang)
    items = []
    for row in rows[:LATEST_MAX_PLACES]:
        place = portal.places[row["geo"]][f"name_{lang}"]
        derived = f" ({t('derived', lang)})" if row["is_derived"] == "true" else ""
        items.append(
            f'<li><span class="figure">{attr(figure_text(row, unit, lang))}</span>'
            f'<span class="where">{attr(place)} · {attr(period_text(row["period"], lang))}{attr(derived)}</span>'
            f'<span class="source">{attr(t("source", lang))}: {source_html(portal, page, row, lang)}</span></li>'
        )
    more = len(rows) - LATEST_MAX_PLACES
    tail = f'<p class="more">{attr(t("more_places", lang, n=i18n.number(more, lang)))}</p>' if more > 0 else ""
    return (
        f'<section class="latest" aria-label="{attr(heading)}" {UNSEARCHED}>\n'
        f'<p class="latest-heading">{attr(heading)}</p>'
        f'<ul class="latest-figures">{"".join(items)}</ul>{tail}\n</section>\n\n'
    )
