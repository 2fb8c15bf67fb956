"""Summaries of a set of observation rows: per indicator (or place), how many figures, the first and
the last period, and the latest actual figure.

A page that lists too many figures shows such a summary: an indicator's page per place, a place's,
source's or session's page per indicator. Each is computed from that page's own rows, with numpy
over integer codes, so a rebuild after one change summarises only the rows of the pages it
rewrites. (Portal-wide pandas tables, sorted once for all pages, took seconds at 1.3 million rows
even when one page needed them.)

"Latest" and "first" follow the periods' end, then start, then the rows' order in the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd


@dataclass
class RowCodes:
    """The observation columns a summary reads, as numpy arrays: keys as integer codes in sorted
    order of their values, periods' start and end as day numbers."""

    codes: dict[str, np.ndarray]  # column -> code of each row
    names: dict[str, np.ndarray]  # column -> the value of each code
    start: np.ndarray
    end: np.ndarray
    actual: np.ndarray  # bool: kind is actual
    value: np.ndarray
    qualifier: np.ndarray
    period: np.ndarray
    named: np.ndarray  # bool: the row's source names who published it

    @classmethod
    def of(cls, frame: pd.DataFrame, groups: dict[str, dict[str, np.ndarray]], named_sources: set[str]) -> RowCodes:
        """groups: for each key column, the row positions of each of its values; a value's code is its
        place in the sorted values (made from the groups the portal has, not by sorting the rows).
        named_sources: the sources whose documents name their publisher."""
        codes, names = {}, {}
        for column, positions in groups.items():
            codes[column] = np.empty(len(frame), dtype=np.int64)
            ordered = sorted(positions)
            for code, value in enumerate(ordered):
                codes[column][positions[value]] = code
            names[column] = np.array(ordered, dtype=object)
        period_codes, periods = pd.factorize(frame["period"])
        first_row = pd.Series(np.arange(len(frame))).groupby(period_codes).first().to_numpy()
        start = np.array([frame["start"].iat[i].toordinal() for i in first_row], dtype=np.int64)
        end = np.array([frame["end"].iat[i].toordinal() for i in first_row], dtype=np.int64)
        return cls(
            codes,
            names,
            start[period_codes],
            end[period_codes],
            (frame["kind"] == "actual").to_numpy(),
            frame["value"].to_numpy(),
            frame["qualifier"].to_numpy(dtype=object),
            np.asarray(periods, dtype=object)[period_codes],
            frame["source_id"].isin(named_sources).to_numpy(),
        )

    def summarise(self, positions: np.ndarray, by: str, actual_only: bool = False) -> list[tuple[str, dict]]:
        """(value of `by`, its summary) for each value among these rows, in sorted order.

        A summary: count, first_period and last_period (of any kind of figure), and the latest actual
        figure's value, qualifier, period and geo (NaN for all four when the rows have no actual
        figure). With actual_only, only values that have an actual figure are listed.
        """
        if not len(positions):
            return []
        order, keys, firsts, latest = self._grouped(positions, by, self.actual)
        counts = np.diff(np.r_[firsts, len(order)])
        names, geo_names, geo_codes = self.names[by], self.names["geo"], self.codes["geo"]
        out = []
        for index, (first, count) in enumerate(zip(firsts.tolist(), counts.tolist())):
            row = latest.get(index)
            if row is None and actual_only:
                continue
            summary = {
                "count": count,
                "first_period": self.period[order[first]],
                "last_period": self.period[order[first + count - 1]],
            }
            if row is None:
                summary.update(value=np.nan, qualifier=np.nan, period=np.nan, geo=np.nan)
            else:
                summary.update(
                    value=float(self.value[row]),
                    qualifier=self.qualifier[row],
                    period=self.period[row],
                    geo=geo_names[geo_codes[row]],
                )
            out.append((names[keys[first]], summary))
        return out

    def latest(self, positions: np.ndarray, by: str, among: np.ndarray | None = None) -> dict[str, int]:
        """Value of `by` -> the position of its latest row among these rows, counting only the rows
        that `among` (one bool per observation) marks: the actual figures unless told otherwise."""
        if not len(positions):
            return {}
        _, keys, firsts, latest = self._grouped(positions, by, self.actual if among is None else among)
        return {self.names[by][keys[firsts[group]]]: row for group, row in latest.items()}

    def _grouped(self, positions: np.ndarray, by: str, among: np.ndarray):
        """These rows in order of `by`, then period end, then start, then those whose source names its
        publisher after those whose does not (then their order in the portal); the codes in that order;
        where each value's rows begin; and each value's last row that `among` marks (value's index ->
        position). So of two figures for the same period, the latest is one a reader can cite by name."""
        key = self.codes[by]
        order = positions[
            np.lexsort((self.named[positions], self.start[positions], self.end[positions], key[positions]))
        ]
        keys = key[order]
        firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        group = np.repeat(np.arange(len(firsts)), np.diff(np.r_[firsts, len(order)]))
        marked = np.flatnonzero(among[order])
        last = marked[np.r_[group[marked][1:] != group[marked][:-1], True]] if len(marked) else marked
        return order, keys, firsts, dict(zip(group[last].tolist(), order[last].tolist()))

    def span(self, positions: np.ndarray) -> str:
        """The ISO 8601 interval from the earliest start to the latest end of these rows."""
        start = date.fromordinal(int(self.start[positions].min()))
        end = date.fromordinal(int(self.end[positions].max()))
        return f"{start.isoformat()}/{end.isoformat()}"

    def distinct(self, positions: np.ndarray, column: str) -> list[str]:
        """The values of column among these rows, sorted."""
        return self.names[column][np.unique(self.codes[column][positions])].tolist()
