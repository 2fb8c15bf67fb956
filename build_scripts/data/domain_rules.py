"""The domain rules of the observations, beyond their schema: periods that exist, shares within
0-100, a note for every derived figure in every language, and each value equal to its as_written,
read in the conventions of its source's language (site.yml number_formats), and its qualifier what
the printed words say (qualifier_rules.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..config.site import NumberFormat, SiteConfig
from ..data import strict
from ..data.load import Table
from ..data.numbers import NumberFormatError, read_figure, read_figures, same_value
from ..data.periods import PeriodFormatError, read_period
from ..data.qualifier_rules import check_qualifiers
from ..data.schema import PERIOD
from ..problems import Problem, shown


def check_unconfigured_events(tables: dict[str, Table], config: SiteConfig) -> list[Problem]:
    """A site whose site.yml has no events (events: null) has none in its data: each row of the events
    table is refused."""
    events = tables.get("events")
    if config.events or events is None:
        return []
    return [
        Problem(
            events.file,
            int(row),
            "kind",
            "events-not-configured",
            "an event where site.yml configures none (events: null)",
            "configure events (their kinds and page texts) in site.yml, or leave this table empty",
        )
        for row in events.row_numbers
    ]


def check_domain(tables: dict[str, Table], config: SiteConfig) -> list[Problem]:
    if "observations" not in tables:
        return []
    observations = tables["observations"]
    frame, file = observations.frame, observations.file
    numbers = np.asarray(observations.row_numbers)
    units, undirected = {}, set()
    if "indicators" in tables:
        indicators = tables["indicators"].frame
        units = dict(zip(indicators["indicator_id"], indicators["unit"]))
        undirected = set(indicators["indicator_id"][indicators["higher_is_better"] == ""])
    value = strict.numbers(*observations.codes["value"], refused_as_nan=True)
    has_value = ~np.isnan(value)
    problems = []

    period_errors = {}
    for code in frame["period"].unique():
        try:
            read_period(code)
        except PeriodFormatError as error:
            if code and re.match(PERIOD, code):  # a pattern error is reported by the schema check already
                period_errors[code] = str(error)
    for index in np.flatnonzero(frame["period"].isin(period_errors).to_numpy()):
        problems.append(
            Problem(file, int(numbers[index]), "period", "period", period_errors[frame["period"].iat[index]])
        )

    is_share = frame["indicator_id"].map(units).isin(config.share_units).to_numpy()
    for index in np.flatnonzero(is_share & has_value & ((value < 0) | (value > 100))):
        unit = units[frame["indicator_id"].iat[index]]
        problems.append(
            Problem(
                file,
                int(numbers[index]),
                "value",
                "share-range",
                f"{frame['value'].iat[index]} is outside 0-100 for the share unit '{unit}'",
                "a share in percent lies between 0 and 100",
            )
        )

    aimless = (frame["kind"] == "target").to_numpy() & frame["indicator_id"].isin(undirected).to_numpy()
    for index in np.flatnonzero(aimless):  # whether a target was met needs a better direction
        problems.append(
            Problem(
                file,
                int(numbers[index]),
                "kind",
                "target-without-direction",
                f"a target of '{frame['indicator_id'].iat[index]}', whose higher_is_better is empty (neither)",
                "give the indicator's higher_is_better (true or false) in indicators.csv, or record no target",
            )
        )

    derived = (frame["is_derived"] == "true").to_numpy()
    for lang in config.languages:
        column = f"note_{lang}"
        for index in np.flatnonzero(derived & (frame[column] == "").to_numpy()):
            problems.append(
                Problem(
                    file,
                    int(numbers[index]),
                    column,
                    "derived-note",
                    "a derived figure has no note in this language",
                    f"write the arithmetic in {column}",
                )
            )

    language = _source_languages(tables, frame, config.default_language)
    problems += check_qualifiers(file, frame, numbers, units, language.to_numpy(dtype=object), config)

    checked = has_value & ~derived & (frame["as_written"] != "").to_numpy()
    printed = np.full(len(frame), np.nan)
    for lang in language.unique():  # each source's figures read in its language's conventions
        rows = (language == lang).to_numpy() & checked
        if rows.any():
            convention = config.number_format(lang)
            printed[rows] = read_figures(frame["as_written"][rows], convention)
    agrees = np.isclose(value, printed, rtol=1e-9, atol=0) & ~np.isnan(printed)
    for index in np.flatnonzero(checked & ~agrees):  # few rows: confirm each with the exact reader
        problems += _check_as_written(
            file,
            int(numbers[index]),
            frame["value"].iat[index],
            float(value[index]),
            frame["as_written"].iat[index],
            config.number_format(language.iat[index]),
        )
    return problems


def _source_languages(tables: dict[str, Table], frame, default: str) -> pd.Series:
    """Each observation's source language (the site's default where the source is unknown)."""
    if "sources" not in tables:
        return pd.Series(default, index=frame.index)
    sources = tables["sources"].frame
    languages = dict(zip(sources["source_id"], sources["language"]))
    return frame["source_id"].map(languages).fillna(default).replace("", default)


def _check_as_written(
    file: str, row: int, recorded_text: str, recorded: float, written: str, convention: NumberFormat
) -> list[Problem]:
    try:
        printed = read_figure(written, convention)
    except NumberFormatError as error:
        return [Problem(file, row, "as_written", "as-written-number", str(error))]
    if same_value(recorded, printed):
        return []
    return [
        Problem(
            file,
            row,
            "value",
            "value-matches-as-written",
            f"value {shown(recorded_text)} but as_written '{shown(written)}' reads as {_plain(printed)}",
            "value must be the printed number times its scale word",
        )
    ]


def _plain(number) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
