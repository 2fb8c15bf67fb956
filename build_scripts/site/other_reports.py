"""Other reports of what a source reports (reports.csv, reported_figures.csv), where a reader can check a
figure: beside each figure, the reports that print it too ("also reported by", linked to each), or that
none was found; on a source's page, each report found, the figures it prints as it prints them, and how
many of the source's figures no other report prints.

A portal that records no report at all says nothing of them: "none found" means a search was made."""

from __future__ import annotations

from datetime import date

from ..config.site import language_name
from .i18n import date_text, number, period_text, t
from .markdown import attr, safe_url, text

KEY = ("indicator_id", "geo", "period", "kind")


def _by_figure(portal) -> dict[tuple[str, ...], list[tuple[dict, str]]]:
    """(indicator, place, period, kind) -> [(report, the figure as it prints it)], in the table's order."""
    memo = portal.memo
    if "reports_by_figure" not in memo:
        out: dict[tuple[str, ...], list[tuple[dict, str]]] = {}
        for row in portal.reported_figures:
            out.setdefault(tuple(row[c] for c in KEY), []).append((portal.reports[row["report_id"]], row["as_printed"]))
        memo["reports_by_figure"] = out
    return memo["reports_by_figure"]


def _report_link(report: dict, lang: str) -> str:
    url = safe_url(report["url"])
    name = attr(report["publisher"])
    when = f" ({attr(date_text(date.fromisoformat(report['published']), lang))})" if report["published"] else ""
    return (f'<a href="{url}" rel="nofollow noopener">{name}</a>' if url else name) + when


def figure_reports_html(portal, row, lang: str) -> str:
    """Beside a figure: who else printed it (linked, with the figure as each printed it), or that no other
    report found prints it; nothing where the portal records no reports."""
    if not portal.reports:
        return ""
    found = _by_figure(portal).get(tuple(str(row[c]) for c in KEY), [])
    if not found:
        return f'<span class="other-reports none">{attr(t("reported_by_none", lang))}</span>'
    links = t("chart_separator", lang).join(f"{_report_link(r, lang)}: “{attr(printed)}”" for r, printed in found)
    return f'<span class="other-reports">{attr(t("reported_by", lang))} {links}</span>'


def source_reports_md(portal, source_id: str, lang: str) -> str:
    """A source's page: the other reports found of what it reports, each with the figures it prints too;
    how many of the source's figures another report prints."""
    if not portal.reports:
        return ""
    out = [f"## {text(t('other_reports', lang))}\n\n"]
    reports = [r for r in portal.reports.values() if r["source_id"] == source_id]
    figures_of = {}
    for row in portal.reported_figures:
        figures_of.setdefault(row["report_id"], []).append(row)
    if not reports:
        out.append(f"{text(t('other_reports_none', lang))}\n\n")
    for report in reports:
        facts = [_report_link(report, lang), attr(language_name(report["language"], lang))]
        note = f"<br>{attr(report[f'note_{lang}'])}" if report.get(f"note_{lang}") else ""
        out.append(f"- {' · '.join(facts)}<br>{attr(t('found_by', lang))}: {attr(report['found_by'])}{note}\n")
        for figure in figures_of.get(report["report_id"], []):
            name = portal.indicators[figure["indicator_id"]][f"name_{lang}"]
            place = portal.places[figure["geo"]][f"name_{lang}"]
            where = f"{place}, {period_text(figure['period'], lang)}"
            out.append(f"    - {text(name)} ({text(where)}): “{text(figure['as_printed'])}”\n")
    positions = portal.by_source.positions.get(source_id)
    total = 0 if positions is None else len(positions)
    if total:
        rows = portal.by_source[source_id]
        keys = set(_by_figure(portal))
        printed = sum(1 for row in rows[list(KEY)].itertuples(index=False) if tuple(map(str, row)) in keys)
        out.append(
            "\n"
            + text(t("other_reports_count", lang, printed=number(printed, lang), total=number(total, lang)))
            + "\n\n"
        )
    return "".join(out)
