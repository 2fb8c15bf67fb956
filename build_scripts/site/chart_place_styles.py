"""How charts show places: the featured places (site.yml) first, each in its own colour, the others
sharing the rest of the palette; the colour of the places drawn together; the word for many places."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..config.site import Level, SiteConfig
from .chart_style import COLORS
from .i18n import t


@dataclass(frozen=True)
class PlaceStyles:
    featured: tuple[str, ...]  # site.yml's featured places, in its order
    levels: dict[str, Level]  # site.yml's place levels

    @staticmethod
    @cache
    def of(config: SiteConfig) -> PlaceStyles:
        return PlaceStyles(tuple(config.featured_places), config.levels)

    def home_place(self) -> str | None:
        return self.featured[0] if self.featured else None

    def ordered(self, geos: set[str]) -> list[str]:
        """The featured places first, in the configuration's order, then the others by code."""
        featured = self.featured
        return sorted(geos, key=lambda g: (featured.index(g) if g in featured else len(featured), g))

    def color(self, geo: str, index: int) -> str:
        """A featured place's own colour; the others share the rest of the palette in turn."""
        featured = self.featured[: len(COLORS) - 1]
        if geo in featured:
            return COLORS[featured.index(geo)]
        return COLORS[len(featured) + index % (len(COLORS) - len(featured))]

    def summary_color(self, lines: list[str]) -> str:
        """The colour of the places drawn together (a band, a ranking's median): the palette's first after
        the first two that none of the chart's lines has (a third featured place has the third)."""
        used = {self.color(geo, index) for index, geo in enumerate(lines)}
        return next((color for color in COLORS[2:] if color not in used), COLORS[2])

    def places_word(self, levels: set[str], lang: str) -> str:
        """The word for many places of these levels: their level's plural ('tỉnh', 'provinces'), or 'places'."""
        if len(levels) == 1 and next(iter(levels)) in self.levels:
            return self.levels[next(iter(levels))].plurals[lang]
        return t("places_word", lang)
