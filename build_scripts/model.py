"""The validated tables as one object the charts, pages and API read.

Observations stay in a pandas DataFrame (typed value, period start/end for
plotting); the small tables become dicts keyed by their identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .load import Table
from .periods import read_period


@dataclass
class Portal:
    metadata: dict
    observations: pd.DataFrame
    indicators: dict[str, dict]
    places: dict[str, dict]
    sources: dict[str, dict]
    events: dict[str, dict]
    files: dict[str, bytes]  # resource name -> published CSV bytes

    @cached_property
    def by_indicator(self) -> dict[str, pd.DataFrame]:
        return {key: frame for key, frame in self.observations.groupby("indicator_id", sort=True)}

    @cached_property
    def by_geo(self) -> dict[str, pd.DataFrame]:
        return {key: frame for key, frame in self.observations.groupby("geo", sort=True)}

    @cached_property
    def by_source(self) -> dict[str, pd.DataFrame]:
        return {key: frame for key, frame in self.observations.groupby("source_id", sort=True)}

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
