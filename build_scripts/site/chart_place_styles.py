"""How charts show places: the featured places (site.yml) first, each in its own colour, the others
sharing the rest of the palette; the colour of the places drawn together; the word for many places."""

from __future__ import annotations

from ..config.site import current
from .chart_style import COLORS
from .i18n import t


def home_place() -> str | None:
    featured = current().featured_places
    return featured[0] if featured else None


def ordered_geos(geos: set[str]) -> list[str]:
    """The featured places first, in the configuration's order, then the others by code."""
    featured = current().featured_places
    return sorted(geos, key=lambda g: (featured.index(g) if g in featured else len(featured), g))


def geo_color(geo: str, index: int) -> str:
    """A featured place's own colour; the others share the rest of the palette in turn."""
    featured = current().featured_places[: len(COLORS) - 1]
    if geo in featured:
        return COLORS[featured.index(geo)]
    return COLORS[len(featured) + index % (len(COLORS) - len(featured))]


def summary_color(lines: list[str]) -> str:
    """The colour of the places drawn together (a band, a ranking's median): the palette's first after
    the first two that none of the chart's lines has (a third featured place has the third)."""
    used = {geo_color(geo, index) for index, geo in enumerate(lines)}
    return next((color for color in COLORS[2:] if color not in used), COLORS[2])


def places_word(levels: set[str], lang: str) -> str:
    """The word for many places of these levels: their level's plural ('tỉnh', 'provinces'), or 'places'."""
    known = current().levels
    if len(levels) == 1 and next(iter(levels)) in known:
        return known[next(iter(levels))].plurals[lang]
    return t("places_word", lang)
