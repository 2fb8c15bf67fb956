"""The other reports' figures against the dataset's (reported_figures.csv): each is a figure its
report's source printed (indicator, place, period and kind of an observation citing that source), and
the report prints the same value, read in the report's language's number_formats. A report that prints
another number does not corroborate the figure, and is not recorded as if it did.

Rules: `reported-figure-observed`, `reported-figure-value`."""

from __future__ import annotations

import re

from ..config.site import NumberFormat, SiteConfig
from ..data.load import Table
from ..data.numbers import NumberFormatError, read_figure, same_value
from ..problems import Problem, shown

KEY = ("indicator_id", "geo", "period", "kind")


def check_reported_figures(tables: dict[str, Table], config: SiteConfig) -> list[Problem]:
    if not {"reports", "reported_figures", "observations"} <= tables.keys():
        return []
    figures = tables["reported_figures"]
    if figures.frame.empty:
        return []
    reports = {row["report_id"]: row for row in tables["reports"].rows}
    observations = tables["observations"].frame
    wanted = observations["indicator_id"].isin(set(figures.frame["indicator_id"])).to_numpy()
    values: dict[tuple[str, ...], set[str]] = {}  # (source, indicator, place, period, kind) -> values printed
    for row in observations.loc[wanted, ["source_id", *KEY, "value"]].itertuples(index=False):
        values.setdefault(tuple(row[:-1]), set()).add(row[-1])
    problems = []
    for number, row in zip(figures.row_numbers, figures.rows):
        report = reports.get(row["report_id"])
        if report is None:
            continue  # the foreign key check names it
        printed = values.get((report["source_id"], *(row[c] for c in KEY)))
        if not printed:
            figure = " / ".join(row[c] for c in KEY)
            problems.append(
                Problem(
                    figures.file,
                    number,
                    "indicator_id",
                    "reported-figure-observed",
                    f"no observation of source '{report['source_id']}' (the report's source) is {figure}",
                    "a report corroborates a figure its source printed: indicator_id, geo, period, kind of one",
                )
            )
            continue
        problem = _value_problem(row["as_printed"], printed, config.number_format(report["language"]))
        if problem:
            problems.append(Problem(figures.file, number, "as_printed", "reported-figure-value", *problem))
    return problems


def _value_problem(written: str, values: set[str], number_format: NumberFormat) -> tuple[str, str] | None:
    """None when the text prints one of the values: as a whole, or as a part of 'a/b' or 'a; b' (a rank
    '71/193' prints the 193 ranked too, as the sources' figures read)."""
    try:
        read = read_figure(written, number_format)
    except NumberFormatError as error:
        return f"'{shown(written)}' is not a figure: {error}", "copy the figure as the report prints it"
    parts = [read]
    for part in re.split(r"[/;]", written)[1:] if re.search(r"\d\s*[/;]\s*\d", written) else []:
        try:
            parts.append(read_figure(part, number_format))
        except NumberFormatError:
            continue
    if any(same_value(float(value), number) for value in values for number in parts):
        return None
    return (
        f"'{shown(written)}' reads as {read}, and the dataset has {', '.join(sorted(values))}",
        "record a report only where it prints the same figure",
    )
