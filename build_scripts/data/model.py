"""The validated tables as one object the charts, pages and API read.

Observations stay in a pandas DataFrame (the value and line as typed.py typed them, period start/end
for plotting); the small tables become dicts keyed by their identifiers.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..config.site import SiteConfig
from ..data import columnar, schema
from ..data.load import Table
from ..data.periods import read_period
from ..data.shared_cells import frame_of
from ..data.summaries import RowCodes
from ..data.typed import TypedColumns


@dataclass(frozen=True)
class Coverage:
    """Which sources, places and time span a set of observations covers (for JSON-LD and DCAT)."""

    sources: list[str]
    geos: list[str]
    temporal: str | None  # ISO 8601 interval, start/end


class RowsBy(Mapping):
    """The observations of each value of a column, in key order, cut out when asked for.

    A dict of every group's frame held three more copies of the observations (by indicator,
    place and source): at 1.3 million rows, a gigabyte the build did not need at once.
    """

    def __init__(self, observations: pd.DataFrame, column: str):
        self.observations = observations
        self.positions = observations.groupby(column, sort=True).indices

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.observations.iloc[self.positions[key]]

    def __contains__(self, key) -> bool:  # Mapping's own would cut the rows out to answer
        return key in self.positions

    def count(self, key: str) -> int:
        """How many rows the key has (0 for none), without cutting them out."""
        return len(self.positions.get(key, ()))

    def __iter__(self):
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


def direction(higher_is_better: str) -> bool | None:
    """indicators.csv higher_is_better: True where a higher value is better, False where a lower one
    is, None for neither (empty)."""
    return {"true": True, "false": False}.get(higher_is_better)


@dataclass
class Portal:
    config: SiteConfig  # site.yml: what every stage that works on the portal reads of it
    metadata: dict
    observations: pd.DataFrame
    indicators: dict[str, dict]
    places: dict[str, dict]
    sources: dict[str, dict]
    events: dict[str, dict]
    files: dict[str, bytes]  # resource name -> published CSV bytes
    codes: dict[str, tuple[np.ndarray, np.ndarray]]  # column -> each row's code, distinct values (as loaded)
    typed: TypedColumns  # the observations' columns typed (typed.py): what every file and page writes
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # derived data shared by both languages
    reports: dict[str, dict] = field(default_factory=dict)  # other reports of what the sources report
    reported_figures: list[dict] = field(default_factory=list)  # the figures those reports print too

    @cached_property
    def by_indicator(self) -> Mapping[str, pd.DataFrame]:
        return RowsBy(self.observations, "indicator_id")

    @cached_property
    def by_geo(self) -> Mapping[str, pd.DataFrame]:
        return RowsBy(self.observations, "geo")

    @cached_property
    def by_source(self) -> Mapping[str, pd.DataFrame]:
        return RowsBy(self.observations, "source_id")

    @cached_property
    def coverage(self) -> Coverage:
        return self._coverage(np.arange(len(self.observations)))

    @cached_property
    def row_codes(self) -> RowCodes:
        groups = {"indicator_id": self.by_indicator, "geo": self.by_geo, "source_id": self.by_source}
        named = {source_id for source_id, source in self.sources.items() if source["publisher"]}
        return RowCodes.of(self.observations, {column: rows.positions for column, rows in groups.items()}, named)

    def places_of_indicator(self, indicator_id: str) -> list[tuple[str, dict]]:
        """Per place of the indicator's figures: how many, the first period, the latest actual figure."""
        memo = self.memo.setdefault("places_of_indicator", {})  # both languages' pages read it
        if indicator_id not in memo:
            memo[indicator_id] = self.row_codes.summarise(self.by_indicator.positions[indicator_id], "geo")
        return memo[indicator_id]

    def coverage_of_indicator(self, indicator_id: str) -> Coverage:
        return self._coverage(self.by_indicator.positions[indicator_id])

    def _coverage(self, positions: np.ndarray) -> Coverage:
        if not len(positions):
            return Coverage([], [], None)
        codes = self.row_codes
        return Coverage(codes.distinct(positions, "source_id"), codes.distinct(positions, "geo"), codes.span(positions))

    def records(self, positions) -> list[dict]:
        """The observations at positions as dicts, as DataFrame.to_dict("records") gives them (the same
        keys, values and types), from each column's array: pandas took 7 ms for a few dozen rows, and an
        indicator page asks for them."""
        columns = list(self.observations.columns)
        arrays = self._column_arrays
        taken = np.asarray(positions, dtype=np.int64)
        return [dict(zip(columns, row)) for row in zip(*(arrays[column][taken].tolist() for column in columns))]

    @cached_property
    def _column_arrays(self) -> dict[str, np.ndarray]:
        return {column: self.observations[column].to_numpy() for column in self.observations.columns}

    @cached_property
    def row_hashes(self) -> np.ndarray:
        """A hash of each observation row's cells, the same in every build (columnar.row_hashes), from the
        codes the load made. Computed once: the fingerprints and the API (which keeps a document whose
        rows' hashes are unchanged) read it."""
        return columnar.row_hashes(self.codes)

    @cached_property
    def fingerprints(self) -> dict[tuple[str, str], int]:
        """(kind, id) -> a hash of the observation rows of that indicator, place, source or event; of all
        rows ("all", ""); and of what the data pages show of them: how many, their coverage, and which
        indicators have figures.

        Computed for all entities at once: each row's hash (row_hashes), summed over
        the rows of each indicator, place and source (their positions, not a groupby of the keys, which
        took as long again), so that a rebuild can tell which pages and charts show changed data
        without rendering them.
        """
        rows = self.row_hashes
        out: dict[tuple[str, str], int] = {}
        for groups, kind in ((self.by_indicator, "indicator"), (self.by_geo, "place"), (self.by_source, "source")):
            out.update({(kind, key): int(rows[positions].sum()) for key, positions in groups.positions.items()})
        out[("all", "")] = int(rows.sum())
        out[("rows", "")] = len(self.observations)
        coverage = self.coverage
        out[("coverage", "")] = _digest([coverage.sources, coverage.geos, coverage.temporal])
        out[("with-data", "indicators")] = _digest(list(self.by_indicator))
        for event_id in self.events:
            out[("event", event_id)] = hash(tuple(out.get(("source", s), 0) for s in self.sources_of_event(event_id)))
        return out

    def topic(self, indicator_id: str) -> str:
        """The topic an indicator belongs to (its column as the project names it)."""
        return self.indicators[indicator_id][schema.column("indicators", "topic", self.config)]

    def statistics_code(self, geo: str) -> str:
        """A place's code in the national statistics, or ''."""
        return self.places[geo][schema.column("places", "statistics_code", self.config)]

    def higher_is_better(self, indicator_id: str) -> bool | None:
        return direction(self.indicators[indicator_id]["higher_is_better"])

    def level_rank(self, geo: str) -> int:
        """Where a place's level comes in lists: site.yml's order of place levels."""
        levels = list(self.config.levels)
        level = self.places[geo]["level"]
        return levels.index(level) if level in levels else len(levels)

    def place_order(self, geo: str) -> tuple:
        """Where a place comes in lists: the featured places first (site.yml's order), then by level, then code."""
        featured = self.config.featured_places
        return (featured.index(geo) if geo in featured else len(featured), self.level_rank(geo), geo)

    @cached_property
    def shared_place_names(self) -> dict[str, set[str]]:
        """Per name column ('name_vi'): the names that more than one place has (a province and the one
        of the same name it became part of), which the pages tell apart by their dates."""
        names = ((column, name) for place in self.places.values() for column, name in place.items())
        counts = Counter((column, name) for column, name in names if column.startswith("name_"))
        shared: dict[str, set[str]] = {}
        for (column, name), count in counts.items():
            shared.setdefault(column, set())
            if count > 1:
                shared[column].add(name)
        return shared

    def predecessors(self, geo: str) -> list[str]:
        return list(self._predecessors.get(geo, ()))

    @cached_property
    def _predecessors(self) -> dict[str, list[str]]:
        """Place -> the places that became part of it, sorted: found once, not by a scan of every place
        for each place's page."""
        found: dict[str, list[str]] = {}
        for geo, place in sorted(self.places.items()):
            if place["successor"]:
                found.setdefault(place["successor"], []).append(geo)
        return found

    def small_table(self, name: str) -> list[dict]:
        """The rows of a resource other than the observations, as the data folder gives them."""
        keyed = {"indicators": self.indicators, "places": self.places, "sources": self.sources}
        keyed |= {"events": self.events, "reports": self.reports}
        return self.reported_figures if name == "reported_figures" else list(keyed[name].values())

    def sources_of_event(self, event_id: str) -> list[str]:
        return sorted(s for s, row in self.sources.items() if row["event_id"] == event_id)


SORTED_BY = ("indicator_id", "geo", "start", "end", "kind", "source_id")  # the observations' order, stable


def _observation_order(
    loaded: dict[str, tuple[np.ndarray, np.ndarray]], per_period: dict[str, np.ndarray]
) -> np.ndarray:
    """The rows' order sorted by SORTED_BY, ties kept in file order: each key ranked once per distinct
    value (as pandas' sort_values ranks them, by sorting the distinct values) and the ranks sorted
    (np.lexsort, stable), not the 1.3 million texts and dates (0.6 s, and a copy of the frame, at L)."""
    keys = []
    for name in SORTED_BY:
        if name in per_period:
            codes, distinct = loaded["period"][0], per_period[name]
        else:
            codes, distinct = loaded[name]
        rank, uniques = pd.factorize(distinct, sort=True)  # equal values (a start two periods share) alike
        rank[rank < 0] = len(uniques)  # none missing once validated; sorted last, as sort_values puts them
        keys.append(rank[codes])
    return np.lexsort(keys[::-1])  # lexsort's last key is its first


def _digest(value) -> int:
    """A hash of a JSON value that is the same in every process (hash() of text is not)."""
    return int(hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:15], 16)


def build_portal(config: SiteConfig, tables: dict[str, Table], metadata: dict, files: dict[str, bytes]) -> Portal:
    loaded = tables["observations"].codes
    period_texts = loaded["period"][1]
    periods = [read_period(text) for text in period_texts]  # once per distinct period, not per row
    per_period = {
        name: np.array([getattr(p, name) for p in periods], dtype=object) for name in ("start", "end", "midpoint")
    }
    order = _observation_order(loaded, per_period)
    codes = {column: (column_codes[order], distinct) for column, (column_codes, distinct) in loaded.items()}
    typed = tables["observations"].typed.view(codes)
    for column in typed:  # every column, before the downloads and the API fork: each is typed once
        typed[column]  # noqa: B018
    frame = frame_of(codes)  # the loaded frame's columns, in that order
    frame["value"] = typed.row_values("value")  # the strict reader's values, as every file writes them
    frame["line"] = typed.row_values("line")
    for name, values in per_period.items():
        frame[name] = values.take(codes["period"][0])

    def keyed(name: str, key: str) -> dict[str, dict]:
        return {row[key]: row for row in tables[name].rows}

    return Portal(
        config,
        metadata,
        frame,
        keyed("indicators", "indicator_id"),
        keyed("places", "geo"),
        keyed("sources", "source_id"),
        keyed("events", "event_id"),
        files,
        codes,
        typed,
        reports=keyed("reports", "report_id") if "reports" in tables else {},
        reported_figures=list(tables["reported_figures"].rows) if "reported_figures" in tables else [],
    )
