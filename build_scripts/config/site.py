"""The data folder's site.yml: what makes a portal that portal, checked like the data.

Languages, topics, units, place levels and featured places, events, the pattern of place codes, how
each source language prints numbers, the citation key and the catalogue's spatial coverage; and the
texts of the interface, each language's file in build_scripts/site/texts/ with the site's own wording
laid over it. Nothing of one portal's domain is written in the code: another site.yml makes another
portal.

The build reads one data folder at a time. site_load.load_site() reads and checks it before any table
is read, and the stages receive the SiteConfig it returns: as an argument, or as Portal.config. Only
the two leaves that nearly every line of output goes through, the words of a language (site/i18n.py)
and the columns of the tables (data/schema.py), read it where they are: the configuration in use, set
for the length of a build, a validation or a test with `using(config)` (forked workers inherit it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..problems import shown

TEXTS = Path(__file__).resolve().parents[1] / "site" / "texts"
GENERATOR = Path(__file__).resolve().parents[2]
DEFAULT_PLACE_CODE = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"
DEFAULT_STATISTICS_CODE = r"^[0-9A-Za-z.-]{1,20}$"
DEFAULT_UNIT_FORMAT = "{value} {name}"  # a unit without a format of its own (site.yml units[].format)
DEFAULT_TOPIC_PAGE_PREFIX = "topic-"  # a topic's page is indicators/<prefix><topic>/ (site.yml topic_page_prefix)
DEFAULT_EVENTS_PATH = "events"  # the folder of the events' pages (site.yml events.path)
MAX_FILE_BYTES = 100 * 1024 * 1024  # GitHub's limit for one file (Pages and the repository): 100 MiB
# How a source qualifies a figure (observations.csv qualifier): each has its words in number_formats and its
# texts qualified_<qualifier> and short_qualified_<qualifier>. "top": a position N or better ("top 10").
QUALIFIERS = ("approx", "at_least", "at_most", "more_than", "less_than", "estimate", "top")
ORDINAL_QUALIFIERS = ("approx", "estimate", "top")  # the ones a position can have: "less than 10th" says nothing


@dataclass(frozen=True)
class Unit:
    id: str
    names: dict[str, str]
    formats: dict[str, str]  # language -> '{value} {name}'
    share: bool = False
    signed: bool = False
    scaled: bool = True
    ordinal: bool = False  # a position, 1 the first: charts turn its axis over, a lower number ranks higher


@dataclass(frozen=True, eq=False)  # hashed by identity: the readers cache their patterns per format
class NumberFormat:
    """How a language prints a figure: '1.234,5 triệu' or '1,234.5 million'."""

    group: str
    decimal: str
    scale_words: dict[str, Decimal] = field(default_factory=dict)
    qualifier_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def scale_pattern(self) -> str:
        """The scale words as a regular-expression alternation, longest first ("triệu tỷ" before "triệu")."""
        return "|".join(re.escape(word) for word in sorted(self.scale_words, key=len, reverse=True))


@dataclass(frozen=True)
class Level:
    id: str
    names: dict[str, str]
    plurals: dict[str, str]


@dataclass(frozen=True)
class Events:
    path: str  # the folder of their pages
    kinds: dict[str, dict[str, str]]


@dataclass(frozen=True, eq=False)  # hashed by identity: caches keyed by the configuration
class SiteConfig:
    languages: tuple[str, ...]
    topics: dict[str, dict[str, str]]
    units: dict[str, Unit]
    levels: dict[str, Level]  # in the order lists show places
    featured_places: tuple[str, ...] = ()
    place_code_pattern: str = DEFAULT_PLACE_CODE
    statistics_code_pattern: str = DEFAULT_STATISTICS_CODE  # places.csv statistics_code
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # resource -> field -> the project's column
    topic_page_prefix: str = DEFAULT_TOPIC_PAGE_PREFIX
    events: Events | None = None
    number_formats: dict[str, NumberFormat] = field(default_factory=dict)
    citation_key: str = ""
    spatial_iri: str | None = None
    spatial_bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (degrees)
    spatial_centroid: tuple[float, float] | None = None  # longitude, latitude (degrees)
    max_file_bytes: int = MAX_FILE_BYTES  # no published file may be larger (site.yml publishing.max_file_bytes)
    texts: dict[str, dict] = field(default_factory=dict)  # language -> key -> text (catalogue and site)
    project: Path = GENERATOR  # the folder of the hand-written pages (docs/) and mkdocs.yml
    raw: bytes = b""  # site.yml as written: what a cache of pages depends on

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def descriptor_language(self) -> str:
        """The language of the descriptor's plain 'description' (others are description_<lang>): English
        where the site has it, as data tools expect, else the site's default."""
        return "en" if "en" in self.languages else self.default_language

    @property
    def share_units(self) -> tuple[str, ...]:
        return tuple(u.id for u in self.units.values() if u.share)

    def number_format(self, language: str) -> NumberFormat:
        """How sources in this language print numbers: site.yml's, else Babel's symbols without scale words."""
        if language in self.number_formats:
            return self.number_formats[language]
        try:
            return NumberFormat(get_group_symbol(language), get_decimal_symbol(language))
        except (UnknownLocaleError, ValueError):
            return NumberFormat(",", ".")


# ------------------------------------------------------------------ the configuration in use

_ACTIVE: SiteConfig | None = None


@contextmanager
def using(config: SiteConfig) -> Iterator[SiteConfig]:
    """The configuration the words and columns are read from, for the length of the block; the one
    in use before it, after it (also when the block fails), so that nothing has to be reset by hand."""
    global _ACTIVE
    before, _ACTIVE = _ACTIVE, config
    try:
        yield config
    finally:
        _ACTIVE = before


def activate(config: SiteConfig) -> SiteConfig:
    """The configuration in use outside any `using()` block: the default of an interactive session, a
    profile of one data folder or a test suite. The build, validate and release never call it."""
    global _ACTIVE
    _ACTIVE = config
    return config


def current() -> SiteConfig:
    """The configuration in use: the one of the innermost `using(config)` block."""
    if _ACTIVE is None:
        raise RuntimeError(
            "no site configuration is in use: read it with load_site(data_dir), then `with using(config):`"
        )
    return _ACTIVE


# ------------------------------------------------------------------ languages


def language_problem(code: str) -> str | None:
    """Why a language code cannot be a site language, or None: Babel must have its locale data."""
    if code not in locale_identifiers():
        return f"'{shown(code)}' is not a language Babel knows"
    return None


def language_name(code: str, in_language: str | None = None) -> str:
    """A language's own name for itself, as a language switcher shows it ('Tiếng Việt', 'English'), or
    its name in another language ('Vietnamese'); the code itself where Babel knows no such language."""
    try:
        name = Locale.parse(code).get_display_name(in_language or code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
