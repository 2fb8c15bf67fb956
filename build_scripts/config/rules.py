"""The rules site.yml meets, each problem with the file, the line, the key path and the rule.

The shape is declared with value_kinds.py's combinators; then what a shape cannot say: languages Babel
knows, given once each, with interface texts for each (a catalogue in build_scripts/site/texts/, or all of
them in site.yml); identifiers given once; patterns that compile and cannot backtrack without bound
(patterns.py); an events folder the generator does not publish in itself; unit formats that show the
value; texts.<lang> naming keys the interface has.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config.migrations import FIRST_CONTRACT, VERSION_PATTERN
from ..config.patterns import backtracking_problem
from ..config.site import (
    DEFAULT_EVENTS_PATH,
    DEFAULT_PLACE_CODE,
    DEFAULT_STATISTICS_CODE,
    DEFAULT_TOPIC_PAGE_PREFIX,
    DEFAULT_UNIT_FORMAT,
    MAX_FILE_BYTES,
    QUALIFIERS,
    Unit,
    language_problem,
)
from ..config.value_kinds import (
    URL,
    Context,
    boolean,
    choice,
    list_of,
    mapping,
    one_of,
    per_language,
    positive_number,
    rule,
    slug,
    text,
    text_mapping,
    unchecked,
    url,
    whole_number,
)
from ..config.yamlfile import YamlDocument, read_yaml
from ..data.names import SITE_NAMES, folded
from ..data.schema import FIELD_SPECS, ID_CHARS, INDEX_PAGE, PROJECT_NAMED
from ..problems import Problem, shown

UNIT_ID = r"[A-Za-z0-9_]+"
COLUMN_NAME = r"[a-z][a-z0-9_]*"
MAX_LANGUAGES = 12

# ------------------------------------------------------------------ spatial: the catalogue's geometry

BBOX_HINT = "[west, south, east, north] in degrees of longitude and latitude, such as [102.14, 8.56, 109.46, 23.39]"
POINT_HINT = "[longitude, latitude] in degrees, such as [107.83, 16.17]"


def _degrees(value, path: str, ctx: Context, hint: str) -> list[float] | None:
    """A list of longitude, latitude pairs' numbers, each within its range; None after a problem."""
    if not isinstance(value, list) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        ctx.add(path, "config-type", f"expected a list of numbers, found {shown(value)}", hint)
        return None
    for index, number in enumerate(value):
        limit = 180 if index % 2 == 0 else 90
        if not -limit <= number <= limit:
            what = "longitude" if index % 2 == 0 else "latitude"
            ctx.add(f"{path}[{index}]", "config-range", f"{number} is not a {what} (-{limit} to {limit})", hint)
            return None
    return [float(v) for v in value]


def _bbox(value, path: str, ctx: Context) -> None:
    numbers = _degrees(value, path, ctx, BBOX_HINT)
    if numbers is None:
        return
    if len(numbers) != 4:
        ctx.add(path, "config-type", f"{len(numbers)} numbers, not the 4 of a box", BBOX_HINT)
    elif not (numbers[0] < numbers[2] and numbers[1] < numbers[3]):
        ctx.add(path, "config-range", "west must be less than east and south less than north", BBOX_HINT)


def _point(value, path: str, ctx: Context) -> None:
    numbers = _degrees(value, path, ctx, POINT_HINT)
    if numbers is not None and len(numbers) != 2:
        ctx.add(path, "config-type", f"{len(numbers)} numbers, not the 2 of a point", POINT_HINT)


# ------------------------------------------------------------------ the shape of site.yml


def _named(what: str, example_id: str, example_name: str) -> dict:
    return {
        "id": slug("lower-case words joined by '-'", doc=f"The {what}'s identifier.", example=example_id),
        "name": per_language(
            text(max_chars=100), doc=f"The {what}'s name in each site language.", example=example_name
        ),
    }


SITE = mapping(
    {
        "languages": list_of(
            text(max_chars=20),
            1,
            MAX_LANGUAGES,
            doc="The site's languages, each once and a code Babel knows; the first is the default, at the site's root.",
            example=["en", "fr"],
        ),
        "place_levels": list_of(
            mapping(
                _named("level", "region", {"en": "Region", "fr": "Région"}),
                {
                    "plural": per_language(
                        text(max_chars=100),
                        doc='The word for many places of the level, as in a chart\'s band "12 regions"; '
                        "without it, the name.",
                        example={"en": "regions", "fr": "régions"},
                    )
                },
            ),
            1,
            20,
            doc="The levels of places (places.csv level), in the order lists show them; each id once.",
        ),
        "topics": list_of(
            mapping(_named("topic", "digital-economy", {"en": "Digital economy", "fr": "Économie numérique"})),
            1,
            100,
            doc="The topics the indicators belong to (indicators.csv topic), one page each; each id once.",
        ),
        "units": list_of(
            mapping(
                {
                    "id": text(
                        max_chars=40,
                        pattern=UNIT_ID,
                        hint="letters, digits and '_'",
                        doc="The unit's identifier (indicators.csv unit).",
                        example="percent",
                    ),
                    "name": per_language(
                        text(max_chars=60), doc="The unit as a reader reads it.", example={"en": "%", "fr": "%"}
                    ),
                },
                {
                    "format": one_of(
                        text(max_chars=60),
                        per_language(text(max_chars=60)),
                        doc="How a value is written, one for all languages or one per language: {value} is the "
                        "figure (it must be there), {name} the unit's name.",
                        default=DEFAULT_UNIT_FORMAT,
                        example="{value}%",
                    ),
                    "share": boolean(doc="A share bounded 0 to 100.", default=Unit.share, example=True),
                    "signed": boolean(doc="A change: '+' before a rise.", default=Unit.signed, example=False),
                    "scaled": boolean(
                        doc='Large values are written with scale words ("1.9 million").',
                        default=Unit.scaled,
                        example=False,
                    ),
                    "ordinal": boolean(
                        doc="A position, 1 the first: charts turn their axis over, a lower number ranks higher.",
                        default=Unit.ordinal,
                        example=False,
                    ),
                },
            ),
            1,
            200,
            doc="The units of the indicators; each id once.",
        ),
    },
    {
        "featured_places": list_of(
            text(max_chars=64),
            0,
            8,
            doc="Places of places.csv drawn first in charts, each with its own colour; the first one's figures "
            "lead the home page.",
            default=[],
            example=["EX", "EX-N"],
        ),
        "place_code_pattern": text(
            max_chars=500,
            doc="The regular expression every place code (places.csv geo) matches; no part of it may "
            "backtrack without bound.",
            default=DEFAULT_PLACE_CODE,
            example="^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
        ),
        "statistics_code_pattern": text(
            max_chars=500,
            doc="The regular expression every statistics code (places.csv statistics_code) matches, as "
            "place_code_pattern.",
            default=DEFAULT_STATISTICS_CODE,
            example="^[0-9]{2}$",
        ),
        "events": mapping(
            {
                "kinds": list_of(
                    mapping(_named("kind of event", "conference", {"en": "Conference", "fr": "Conférence"})),
                    1,
                    50,
                    doc="The kinds of events (events.csv kind); each id once.",
                )
            },
            {
                "path": slug(
                    "the folder of the events' pages, lower-case words joined by '-'",
                    doc="The folder of the events' pages: not one the generator publishes in, nor a language's.",
                    default=DEFAULT_EVENTS_PATH,
                    example="meetings",
                )
            },
            doc="The events the sources report (events.csv) and their pages; leave out for none.",
        ),
        "number_formats": text_mapping(
            text(max_chars=20),
            mapping(
                {
                    "group": text(max_chars=3, doc="The thousands separator.", example=","),
                    "decimal": text(max_chars=3, doc="The decimal mark.", example="."),
                },
                {
                    "scale_words": text_mapping(
                        text(max_chars=40),
                        positive_number(),
                        100,
                        key_name="<word>",
                        doc="The words that multiply the number before them, and by how much.",
                        example={"million": 1000000, "billion": 1000000000},
                    ),
                    "qualifier_words": text_mapping(
                        choice(QUALIFIERS, max_chars=20),
                        list_of(text(max_chars=40), 1, 30),
                        len(QUALIFIERS),
                        key_name="<qualifier>",
                        doc="The words before a figure that qualify it (observations.csv qualifier), by qualifier.",
                        example={"approx": ["about", "around"], "more_than": ["over"]},
                    ),
                },
                doc="How sources in this language print figures.",
            ),
            MAX_LANGUAGES,
            key_name="<lang>",
            doc="How sources print figures, by their language (sources.csv language); a language not given "
            "prints them with Babel's separators and no scale words.",
        ),
        "citation_key": text(
            max_chars=30,
            pattern=r"[a-z0-9_]+",
            hint="lower-case letters, digits and '_'",
            doc="The prefix of the citations' BibTeX keys; without it, the package's name.",
            example="exdata",
        ),
        "spatial": mapping(
            {
                "iri": url(
                    doc="The place the data is about: the EU country authority table's IRI, else a GeoNames IRI.",
                    example="http://publications.europa.eu/resource/authority/country/FRA",
                )
            },
            {
                "bbox": rule(
                    _bbox,
                    "list of numbers",
                    hint=BBOX_HINT,
                    limits=(("min_items", 4), ("max_items", 4)),
                    doc="Its bounding box in degrees (WGS 84); the catalogue writes it as WKT.",
                    example=[-5.14, 41.33, 9.56, 51.09],
                ),
                "centroid": rule(
                    _point,
                    "list of numbers",
                    hint=POINT_HINT,
                    limits=(("min_items", 2), ("max_items", 2)),
                    doc="Its centre in degrees, within the bbox; the catalogue writes it as WKT.",
                    example=[2.21, 46.23],
                ),
            },
            doc="Where the data is about, as the catalogue (DCAT) names it; leave out for none.",
        ),
        "publishing": mapping(
            {},
            {
                "max_file_bytes": whole_number(
                    1,
                    doc="The host's limit for one file, in bytes: no published file may be larger.",
                    default=MAX_FILE_BYTES,
                    example=50000000,
                )
            },
            doc="What the host that publishes the site allows (publish/host_limit.py).",
        ),
        "generator_version": text(
            max_chars=20,
            pattern=VERSION_PATTERN,
            hint="a version of odportal, such as 2.0.0",
            doc="The version of odportal whose contract the project's files follow; when a newer major "
            "version reads the project, validate says what to change (a project without the key was made "
            "for 1.0.0).",
            default=FIRST_CONTRACT,
            example="2.0.0",
        ),
        "columns": mapping(
            {},
            {
                name: mapping(
                    {},
                    {
                        field_name: text(
                            max_chars=ID_CHARS,
                            pattern=COLUMN_NAME,
                            hint="lower-case letters, digits and '_', not the name of another field",
                            doc=f"The column of {name}.csv that holds {field_name}, and its name in the "
                            "published files.",
                            example=f"{field_name}_id",
                        )
                        for field_name in fields
                    },
                    doc=f"The columns of {name}.csv the project names its own way.",
                )
                for name, fields in PROJECT_NAMED.items()
            },
            doc="Columns a project keeps under its own names, by file: a portal made before the contract "
            "renamed them keeps its published names; leave out for the contract's names.",
        ),
        "topic_page_prefix": text(
            max_chars=30,
            pattern=r"[a-z0-9]+(-[a-z0-9]+)*-",
            hint="lower-case words joined by '-', ending with '-'",
            doc="How the address of a topic's page begins: indicators/<prefix><topic>/; no identifier may begin so.",
            default=DEFAULT_TOPIC_PAGE_PREFIX,
            example="theme-",
        ),
        "texts": text_mapping(
            text(max_chars=20),
            text_mapping(
                text(max_chars=100),
                unchecked(
                    "text",
                    hint="any text, with no {field} but those the generator's own text has",
                    doc="The site's wording of one interface text.",
                ),
                2000,
                key_name="<key>",
                doc="The site's own wording in this language: any key of build_scripts/site/texts/en.yml.",
                example={"topic": "Theme"},
            ),
            key_name="<lang>",
            doc="The site's own wording of the generator's interface texts, by language; a language the "
            "generator has no texts for gives every key.",
        ),
    },
    doc="What makes a portal that portal: its languages, topics, units, places and events, how its sources "
    "print numbers, and any interface text it words its own way.",
)


def check_site(document: YamlDocument, catalogues: dict[str, dict]) -> list[Problem]:
    """Every problem of site.yml (catalogues: language -> the generator's texts in it)."""
    value = document.value
    ctx = Context(document)
    if not isinstance(value, dict):
        ctx.add("", "config-type", "expected a mapping of keys", "python -m build_scripts new DIR writes a start")
        return ctx.problems
    languages = value.get("languages")
    if isinstance(languages, list) and all(isinstance(lang, str) for lang in languages):
        ctx.languages = tuple(languages)
    SITE(value, "", ctx)
    _check_languages(ctx, catalogues)
    for key in ("place_levels", "topics", "units"):
        _check_unique(ctx, value.get(key), key)
    if isinstance(value.get("events"), dict):
        _check_unique(ctx, value["events"].get("kinds"), "events.kinds")
        _check_events_folder(ctx, value["events"].get("path"))
    for key in ("place_code_pattern", "statistics_code_pattern"):
        if isinstance(value.get(key), str):
            try:
                re.compile(value[key])
            except re.error as error:
                ctx.add(key, "config-pattern", f"not a regular expression: {error}")
                continue
            _check_backtracking(ctx, key, value[key])
    _check_centroid_in_bbox(ctx, value.get("spatial"))
    _check_columns(ctx, value.get("columns"))
    for index, unit in enumerate(value.get("units") or []):
        formats = unit.get("format") if isinstance(unit, dict) else None
        for lang, format_text in formats.items() if isinstance(formats, dict) else [("", formats)]:
            if isinstance(format_text, str) and "{value}" not in format_text:
                where = f"units[{index}].format" + (f".{lang}" if lang else "")
                ctx.add(where, "config-unit-format", f"'{shown(format_text)}' does not show {{value}}")
    return ctx.problems


def check_site_references(data_dir, label: str, places: set[str] | None) -> list:
    """What site.yml names that the tables must hold: each featured place is a place of places.csv."""
    path = Path(data_dir) / "site.yml"
    if places is None or not path.exists():
        return []
    document = read_yaml(path, f"{label}/site.yml")
    ctx = Context(document)
    for index, geo in enumerate(document.value.get("featured_places") or []):
        if geo not in places:
            ctx.add(
                f"featured_places[{index}]",
                "unknown-reference",
                f"'{shown(geo)}' is not a known place",
                "see places.csv",
            )
    return ctx.problems


def _check_languages(ctx: Context, catalogues: dict[str, dict]) -> None:
    given = ctx.document.value.get("texts") or {}
    if not isinstance(given, dict):
        return
    keys = set(catalogues.get("en", {}))
    seen = set()
    for index, lang in enumerate(ctx.languages):
        path = f"languages[{index}]"
        if lang in seen:
            ctx.add(path, "config-duplicate-id", f"the language '{shown(lang)}' is given twice")
        seen.add(lang)
        problem = language_problem(lang)
        if problem:
            ctx.add(path, "config-language", problem, "a code such as vi, en, fr or pt_BR")
            continue
        own = given.get(lang) if isinstance(given.get(lang), dict) else {}
        missing = sorted(keys - set(catalogues.get(lang, {})) - set(own))
        if missing:
            ctx.add(
                path,
                "config-texts-missing",
                f"no interface text in '{lang}' for {len(missing)} key(s), such as {', '.join(missing[:3])}",
                f"give texts.{lang} every key of build_scripts/site/texts/en.yml, "
                f"or add build_scripts/site/texts/{lang}.yml",
            )
    for lang, own in given.items():
        if lang not in ctx.languages:
            ctx.add(f"texts.{lang}", "config-language", f"'{shown(lang)}' is not one of the site's languages")
        elif isinstance(own, dict):
            for key, value in own.items():
                if key not in keys:
                    ctx.add(
                        f"texts.{lang}.{key}",
                        "config-unknown-key",
                        "the interface has no such text",
                        "see build_scripts/site/texts/en.yml for the keys",
                    )
                elif key in CODED_TEXTS and isinstance(value, str):
                    problem = CODED_TEXTS[key](value, lang)
                    if problem:
                        ctx.add(f"texts.{lang}.{key}", "config-text-code", *problem)
                elif isinstance(value, str):
                    problem = _fields_problem(value, _filled_fields(catalogues, key))
                    if problem:
                        ctx.add(f"texts.{lang}.{key}", "config-text-fields", *problem)


def _date_pattern_problem(value: str, lang: str) -> tuple[str, str] | None:
    """A date pattern that Babel cannot format (the build would stop at the first date), or that writes
    nothing."""
    from datetime import date

    from babel.dates import format_date

    hint = "a Babel date pattern such as d MMM yyyy"
    try:
        written = format_date(date(2024, 7, 1), value, locale=lang)
    except (ValueError, KeyError) as error:
        return f"'{shown(value)}' is not a date pattern: {error}", hint
    return None if written.strip() else (f"'{shown(value)}' writes no date", hint)


def _address_problem(value: str, lang: str) -> tuple[str, str] | None:
    if URL.fullmatch(value):  # as an address anywhere in site.yml (value_kinds.url)
        return None
    return f"'{shown(value)}' is not an address", "the language's address in the EU language table, http://…/FRA"


def _locale_problem(value: str, lang: str) -> tuple[str, str] | None:
    if re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", value):
        return None
    return f"'{shown(value)}' is not a locale", "a language and a country code, such as fr_FR"


def _filled_fields(catalogues: dict[str, dict], key: str) -> set[str]:
    """The fields the generator fills in a text: those its own texts use, in any language (a language
    may leave one out: "trong top {number}" beside "{value} or better")."""
    return set().union(*(_fields(texts[key]) for texts in catalogues.values() if isinstance(texts.get(key), str)))


def _fields_problem(value: str, known: set[str]) -> tuple[str, str] | None:
    """A text the generator fills in (its own texts have {fields}) that str.format cannot fill: a lone
    brace, a field it does not pass, a format spec or an attribute would end the build in a traceback.
    A text without fields is printed as written, braces and all; markup in any text is shown as text."""
    if not known:
        return None
    shown_fields = ", ".join("{" + name + "}" for name in sorted(known))
    hint = f"the text's fields are {shown_fields}; a brace on its own is written {{{{ or }}}}"
    try:
        given = _fields(value, plain=True)
    except ValueError as error:
        return f"'{shown(value)}' cannot be filled in: {error}", hint
    unknown = sorted(given - known)
    if unknown:
        return f"'{shown(value)}' has the field {{{unknown[0]}}}, which the generator does not fill in", hint
    return None


def _fields(text: str, plain: bool = False) -> set[str]:
    """The {fields} of a text as str.format reads it; plain: ValueError unless each is a bare name."""
    from string import Formatter

    fields = set()
    for _, name, spec, conversion in Formatter().parse(text):
        if name is None:
            continue
        if plain and (spec or conversion or not name.isidentifier()):
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"the field {written} is not a plain {{name}} (no position, format, '.' or '[')")
        fields.add(name)
    return fields


# The interface texts that are codes, not words: each is checked as what it is.
CODED_TEXTS = {"date_format": _date_pattern_problem, "language_iri": _address_problem, "og_locale": _locale_problem}


def _check_events_folder(ctx: Context, folder) -> None:
    """The events' pages have a folder of their own: not one the generator publishes its own pages or
    files in, nor a language's (names.SITE_NAMES), else one would replace the other or fail the build."""
    if not isinstance(folder, str):
        return
    name = folded(folder)
    owner = SITE_NAMES.get(name) or (f"site in {name}" if name in ctx.languages else None)
    owner = owner or ("home page" if name == INDEX_PAGE else None)
    if owner:
        ctx.add(
            "events.path",
            "config-reserved-name",
            f"'{shown(folder)}' is the folder of the generator's own {owner}",
            f"choose another folder for the events' pages; taken: {', '.join(sorted(SITE_NAMES))} and the languages",
        )


def _check_backtracking(ctx: Context, key: str, pattern: str) -> None:
    """A pattern that validate and every data tool can match in bounded time (patterns.py)."""
    problem = backtracking_problem(pattern)
    if problem:
        ctx.add(
            key,
            "config-pattern-backtracks",
            f"'{shown(pattern)}' can match one code in exponentially many ways: {problem}",
            "let the next character decide where each repeated part ends, as in ^[A-Z]+(-[A-Z]+)*$, not ^([A-Z]+)+$",
        )


def _check_columns(ctx: Context, columns) -> None:
    """A column the project names its own way takes no other field's name (two columns would be one)."""
    for name, named in columns.items() if isinstance(columns, dict) else ():
        for field_name, column in named.items() if isinstance(named, dict) else ():
            if isinstance(column, str) and column != field_name and column in FIELD_SPECS:
                ctx.add(
                    f"columns.{name}.{field_name}",
                    "config-column-taken",
                    f"'{shown(column)}' is the name of another field",
                    "choose a name no field of the contract has",
                )


def _check_unique(ctx: Context, items, path: str) -> None:
    seen = set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            if ident in seen:
                ctx.add(f"{path}[{index}].id", "config-duplicate-id", f"the id '{shown(ident)}' is given twice")
            seen.add(ident)


def _check_centroid_in_bbox(ctx: Context, spatial) -> None:
    """The centroid lies in the box (both given and each well formed: else its own problem is named)."""
    if not isinstance(spatial, dict):
        return
    box, point = spatial.get("bbox"), spatial.get("centroid")
    quiet = Context(ctx.document)
    _bbox(box, "", quiet)
    _point(point, "", quiet)
    if box is not None and point is not None and not quiet.problems:
        if not (box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]):
            ctx.add("spatial.centroid", "config-range", f"{shown(point)} is outside the bbox {shown(box)}")
