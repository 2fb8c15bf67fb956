"""The validated tables as one object the charts, pages and API read.

Observations stay in a pandas DataFrame (typed value, period start/end for
plotting); the small tables become dicts keyed by their identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .load import Table
from .periods import read_period
from .schema import RESOURCES_BY_NAME

OBSERVATION_COLUMNS = list(RESOURCES_BY_NAME["observations"].fields)


@dataclass(frozen=True)
class Coverage:
    """Which sources, places and time span a set of observations covers (for JSON-LD and DCAT)."""

    sources: list[str]
    geos: list[str]
    temporal: str | None  # ISO 8601 interval, start/end

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Coverage:
        if frame.empty:
            return cls([], [], None)
        span = f"{frame['start'].min().isoformat()}/{frame['end'].max().isoformat()}"
        return cls(sorted(frame["source_id"].unique()), sorted(frame["geo"].unique()), span)


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


@dataclass
class Portal:
    metadata: dict
    observations: pd.DataFrame
    indicators: dict[str, dict]
    places: dict[str, dict]
    sources: dict[str, dict]
    events: dict[str, dict]
    files: dict[str, bytes]  # resource name -> published CSV bytes
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # derived data shared by both languages

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
        return Coverage.of(self.observations)

    @cached_property
    def by_indicator_and_place(self) -> pd.DataFrame:
        """Per (indicator, place), in that order: how many figures, the first period, and the latest
        actual figure (value, qualifier, period; empty when there is none). One sort for every
        indicator page and place page, which summarise long lists with it."""
        keys = ["indicator_id", "geo"]
        needed = [*keys, "end", "start", "kind", "value", "qualifier", "period"]
        ordered = self.observations[needed].sort_values([*keys, "end", "start"], kind="stable")
        count = ordered.groupby(keys, sort=True).size().rename("count")
        first = ordered.drop_duplicates(keys, keep="first").set_index(keys)["period"].rename("first_period")
        actual = ordered[ordered["kind"] == "actual"].drop_duplicates(keys, keep="last").set_index(keys)
        return pd.concat([count, first, actual[["value", "qualifier", "period"]]], axis=1).sort_index()

    def places_of_indicator(self, indicator_id: str) -> list[tuple[str, dict]]:
        """by_indicator_and_place for one indicator: (place, its row as a dict), in place order."""
        return self._places_of_indicator.get(indicator_id, [])

    @cached_property
    def _places_of_indicator(self) -> dict[str, list[tuple[str, dict]]]:
        table = self.by_indicator_and_place  # made once for all indicators: per indicator, most of its page's time
        columns = list(table.columns)
        out: dict[str, list[tuple[str, dict]]] = {}
        for (indicator_id, geo), *values in zip(table.index, *(table[c].tolist() for c in columns)):
            out.setdefault(indicator_id, []).append((geo, dict(zip(columns, values))))
        return out

    def summary_by(self, column: str) -> pd.DataFrame:
        """Per (value of column, indicator), in that order: how many figures, and the latest actual figure
        (value, qualifier, period, place). One sort for every page of that column (a source's, say)
        that summarises a long list."""
        memo = self.memo.setdefault("summary_by", {})
        if column == "geo" and column not in memo:  # the same figures as by_indicator_and_place, by place first
            table = self.by_indicator_and_place[["count", "value", "qualifier", "period"]]
            memo[column] = table.swaplevel().sort_index()
        if column not in memo:
            keys = [column, "indicator_id"]
            needed = list(dict.fromkeys([*keys, "end", "start", "kind", "value", "qualifier", "period", "geo"]))
            ordered = self.observations[needed].sort_values([*keys, "end", "start"], kind="stable")
            count = ordered.groupby(keys, sort=True).size().rename("count")
            latest = ordered[ordered["kind"] == "actual"].drop_duplicates(keys, keep="last").set_index(keys)
            shown = [c for c in ("value", "qualifier", "period", "geo") if c not in keys]
            memo[column] = pd.concat([count, latest[shown]], axis=1).sort_index()
        return memo[column]

    @cached_property
    def coverage_by_indicator(self) -> dict[str, Coverage]:
        """Coverage.of each indicator's rows, for all indicators at once."""
        frame = self.observations
        spans = frame.groupby("indicator_id", sort=True).agg(start=("start", "min"), end=("end", "max"))
        pairs = {}
        for column in ("source_id", "geo"):
            distinct = frame[["indicator_id", column]].drop_duplicates().sort_values(["indicator_id", column])
            pairs[column] = distinct.groupby("indicator_id", sort=True)[column].agg(list).to_dict()
        return {
            indicator_id: Coverage(
                pairs["source_id"][indicator_id], pairs["geo"][indicator_id], f"{start.isoformat()}/{end.isoformat()}"
            )
            for indicator_id, start, end in zip(spans.index, spans["start"], spans["end"])
        }

    @cached_property
    def latest_actual(self) -> dict[str, dict]:
        """indicator -> its latest actual figure, the country's own when it has one (one sort for all)."""
        actual = self.observations[self.observations["kind"] == "actual"]
        ordered = actual.sort_values(["indicator_id", "end", "start"], kind="stable")
        latest = ordered.drop_duplicates("indicator_id", keep="last")
        country = ordered[ordered["geo"] == "VN"].drop_duplicates("indicator_id", keep="last")
        rows = {row["indicator_id"]: row for row in latest.to_dict("records")}
        rows.update({row["indicator_id"]: row for row in country.to_dict("records")})
        return rows

    @cached_property
    def fingerprints(self) -> dict[tuple[str, str], int]:
        """(kind, id) -> a hash of the observation rows of that indicator, place, source or event.

        Computed for all entities at once with pandas' vectorised row hashes, so that a rebuild can
        tell which pages and charts show changed data without rendering them.
        """
        rows = pd.util.hash_pandas_object(self.observations[OBSERVATION_COLUMNS], index=False)
        out: dict[tuple[str, str], int] = {}
        for column, kind in (("indicator_id", "indicator"), ("geo", "place"), ("source_id", "source")):
            sums = rows.groupby(self.observations[column].to_numpy()).sum()
            out.update({(kind, key): int(value) for key, value in sums.items()})
        out[("all", "")] = int(rows.sum())
        for event_id in self.events:
            out[("event", event_id)] = hash(tuple(out.get(("source", s), 0) for s in self.sources_of_event(event_id)))
        return out

    def predecessors(self, geo: str) -> list[str]:
        return sorted(g for g, p in self.places.items() if p["successor"] == geo)

    def sources_of_event(self, event_id: str) -> list[str]:
        return sorted(s for s, row in self.sources.items() if row["event_id"] == event_id)


def build_portal(tables: dict[str, Table], metadata: dict, files: dict[str, bytes]) -> Portal:
    frame = tables["observations"].frame.copy()
    frame["value"] = frame["value"].astype(float)
    frame["line"] = frame["line"].astype(int)
    periods = {code: read_period(code) for code in frame["period"].unique()}
    frame["start"] = frame["period"].map(lambda c: periods[c].start)
    frame["end"] = frame["period"].map(lambda c: periods[c].end)
    frame["midpoint"] = frame["period"].map(lambda c: periods[c].midpoint)
    frame = frame.sort_values(["indicator_id", "geo", "start", "end", "kind", "source_id"], kind="stable").reset_index(
        drop=True
    )

    def keyed(name: str, key: str) -> dict[str, dict]:
        return {row[key]: row for row in tables[name].rows}

    return Portal(
        metadata,
        frame,
        keyed("indicators", "indicator_id"),
        keyed("places", "geo"),
        keyed("sources", "source_id"),
        keyed("events", "event_id"),
        files,
    )
