"""Which places an indicator's chart names, and which it summarises: a chart of 10, 64 or 200 places reads.

A chart names a place by drawing it as its own line (or bar) with its own legend entry. Past a few
places that stops reading: lines cross, colours repeat and the legend grows taller than the chart. So:

- The featured places (site.yml featured_places, in that order; possibly none) are drawn as lines,
  each with its own colour; so are the other places while there are at most MAX_NAMED_PLACES of them.
- Past that, the other places are summarised. Over time (two periods or more) they are a band: their
  range (lowest to highest) and their median in each period, two legend entries for any number of
  places. A band of a single period is drawn as a short bar of its range and median at that period.
- In a single period a band is one vertical stroke that says nothing, and a bar per place cannot be
  labelled past a handful. Such a chart is a ranking instead: horizontal bars, best first, of the top
  and bottom RANKED_PLACES places and of the featured places wherever they rank, a row saying how
  many places lie between, and the median of all of them as a line. It answers what readers ask of
  one period's figures for many places (who leads, who trails, where my place stands against the
  middle) at the size of a dozen bars, whatever the number of places; every figure is in the table.
- The legend never has more than MAX_LEGEND_ENTRIES entries (four rows of two on the wide drawing).
  A place can need several (its years, its half-years, its targets), so past the bound: first the
  other places join the band; then all targets become one series (they are drawn alike, and each
  target's tooltip names its place); then featured places join the band, the last first.

Whatever a chart summarises, its spec carries a ranking (chart_ranking.ranking_spec): the top and bottom
places at the latest period, with their values, for the page to list beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .chart_points import PERIOD_MARKERS

MAX_NAMED_PLACES = 4  # past this many places besides the featured ones, they are summarised (band or ranking)
MAX_LEGEND_ENTRIES = 8  # a legend's entries, at most: four rows of two columns on the wide drawing
MAX_BARS = 6  # bars of one period, at most, before the chart is a ranking (their labels stay legible)
RANKED_PLACES = 5  # places at each end of a ranking


@dataclass
class Kinds:
    """What a place's figures need in a series chart's legend."""

    actual: set[str] = field(default_factory=set)  # kinds of period of its actual figures
    target: set[str] = field(default_factory=set)  # and of its targets
    derived: bool = False  # any of its figures derived


@dataclass
class Plan:
    lines: list[str]  # places drawn each as its own series (or bar), in the order given
    summarised: list[str]  # places drawn together: a band over time, or a ranking in one period
    merged_targets: bool = False  # every target one series (tooltips name the place)
    ranked: bool = False  # one period: a ranking, not bars


def series_legend(lines: list[str], kinds: dict[str, Kinds], band: bool, merged_targets: bool) -> list[tuple]:
    """A series chart's legend, before any word, in its order: one entry per place and kind of period
    (its actual figures, then its targets; or one entry for all targets), the key of derived values,
    and the band's two. Keys: ("actual" | "target", place, kind of period), ("target", None, None)
    for all targets, ("derived",), ("range",), ("median",). The plan bounds its length; the spec
    (chart_specs) makes a series for each place's entry and words each entry (spec["legend"])."""
    entries: list[tuple] = []
    for geo in lines:
        for role in ("actual",) if merged_targets else ("actual", "target"):
            found = kinds[geo].actual if role == "actual" else kinds[geo].target
            entries += [(role, geo, kind) for kind in PERIOD_MARKERS if kind in found]
    if merged_targets and any(kinds[g].target for g in lines):
        entries.append(("target", None, None))
    if any(kinds[g].derived for g in lines):
        entries.append(("derived",))
    return entries + ([("range",), ("median",)] if band else [])


def plan(featured: list[str], others: list[str], kinds: dict[str, Kinds], single_period: bool) -> Plan:
    """Which places are lines and which are summarised (see the module's docstring).

    featured: the featured places that have figures, in the configuration's order; others: the rest.
    """
    if single_period:
        places = featured + others
        targets = sum(bool(kinds[g].target) for g in places)  # a bar chart's legend: one entry per target
        if len(others) <= MAX_NAMED_PLACES and len(places) <= MAX_BARS and targets <= MAX_LEGEND_ENTRIES:
            return Plan(places, [])
        return Plan(list(featured), list(others), ranked=True)
    lines = featured + (others if len(others) <= MAX_NAMED_PLACES else [])
    result = Plan(lines, [g for g in others if g not in lines])

    def over() -> bool:
        entries = series_legend(result.lines, kinds, bool(result.summarised), result.merged_targets)
        return len(entries) > MAX_LEGEND_ENTRIES

    if over() and len(result.lines) > len(featured):
        result.lines, result.summarised = list(featured), list(others)
    if over():
        result.merged_targets = True
    while over() and result.lines:
        result.summarised.insert(0, result.lines.pop())
    return result
