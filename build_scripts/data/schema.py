"""Every field and resource of the data package, defined once.

The descriptor (datapackage.json), the validation, the schema tables on the
site and the API all read these definitions. A resource only lists field
names; the field itself (type and rules) lives in FIELD_SPECS. What a site
configures (site.yml) completes them: the columns of each language, the
descriptions in the site's languages, and the codes, units, topics, levels
and kinds of event a column takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..config.site import QUALIFIERS, current, language_name

KINDS = ("actual", "target")

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RENDERINGS = ("translated_title", "publisher_gloss")  # a source's words in the site languages it is not in
INFERABLE = ("publisher", "published", "place")  # the facts of a source a curator may infer, not read
INFERRED = r"^(" + "|".join(INFERABLE) + r")( (" + "|".join(INFERABLE) + r"))*$"
ID_CHARS = 64  # an identifier names a page, a chart and download files: short, and safe in every file system
# The site's own page in each section (index.md) and its topic pages (<topic_page_prefix><topic>.md,
# site.yml) take these names, so no identifier may: an indicator 'index' would replace the catalogue.
INDEX_PAGE = "index"
# Patterns spell digits [0-9]: re's \d takes any script's digits ('٢٠٢٢' would pass as a year).
PERIOD = r"^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
TRANSLATED = ("name", "description", "note", "attributed_to", "reference", "title")  # one column per language
TRANSLATED += ("translated_title", "publisher_gloss")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    descriptions: dict  # language -> description, in every site language
    descriptor_language: str  # the language of the descriptor's plain 'description'
    required: bool = True
    constraints: dict = field(default_factory=dict)
    multiline: bool = False  # may hold line breaks and tabs (textrules.py); other fields are one line

    @property
    def description_en(self) -> str:
        """The description data tools read (English where the site has it): messages name the rule with it."""
        return self.descriptions[self.descriptor_language]

    def descriptor(self) -> dict:
        constraints = dict(self.constraints)
        if self.required:
            constraints = {"required": True, **constraints}
        out = {"name": self.name, "type": self.type, "description": self.description_en}
        out.update(
            {
                f"description_{lang}": text
                for lang, text in self.descriptions.items()
                if lang != self.descriptor_language
            }
        )
        if self.type == "number":
            out["bareNumber"] = True
        if constraints:
            out["constraints"] = constraints
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        return out


@dataclass(frozen=True)
class FieldSpec:
    """A field as the code knows it: its type and rules; its descriptions are the site's texts."""

    type: str
    required: bool = True
    multiline: bool = False
    constraints: dict = field(default_factory=dict)


def _spec(type_, required=True, multiline=False, **constraints) -> FieldSpec:
    return FieldSpec(type_, required, multiline, constraints)


SLUG_FIELD = {"pattern": SLUG, "maxLength": ID_CHARS}
# Fields a site's configuration constrains, and the key of site.yml that does: its place codes, units,
# topics, levels and kinds of event (a message about a value names the key, where a maintainer changes it).
CONFIGURED_BY = {
    "geo": "place_code_pattern",
    "unit": "units",
    "topic": "topics",
    "level": "place_levels",
    "event_kind": "events.kinds",
    "statistics_code": "statistics_code_pattern",
}
CONFIGURED = tuple(CONFIGURED_BY)
FIELD_SPECS: dict[str, FieldSpec] = {
    "indicator_id": _spec("string", **SLUG_FIELD),
    "geo": _spec("string", maxLength=ID_CHARS),
    "period": _spec("string", pattern=PERIOD),
    "kind": _spec("string", enum=list(KINDS)),
    "value": _spec("number"),
    "qualifier": _spec("string", required=False, enum=list(QUALIFIERS)),
    "is_derived": _spec("boolean"),
    "source_id": _spec("string", **SLUG_FIELD),
    "line": _spec("integer", minimum=1),
    "as_written": _spec("string"),
    "note": _spec("string", required=False, multiline=True),
    "attributed_to": _spec("string", required=False),
    "name": _spec("string"),
    "description": _spec("string", multiline=True),
    "unit": _spec("string"),
    "topic": _spec("string"),
    "higher_is_better": _spec("boolean", required=False),  # empty: neither (a population, a price index)
    "is_headline": _spec("boolean"),
    "level": _spec("string"),
    "statistics_code": _spec("string", required=False, maxLength=ID_CHARS),  # its pattern matches no longer value
    "valid_from": _spec("date", required=False),
    "valid_to": _spec("date", required=False),
    "successor": _spec("string", required=False),
    "reference": _spec("string", required=False),
    "title": _spec("string"),
    "publisher": _spec("string", required=False),
    "inferred": _spec("string", required=False, pattern=INFERRED),
    "translated_title": _spec("string", required=False),
    "publisher_gloss": _spec("string", required=False),
    "published": _spec("date", required=False),
    "place": _spec("string", required=False),
    "url": _spec("string", required=False, pattern=r"^https?://\S+$"),
    "language": _spec("string", pattern=r"^[a-z]{2,3}$"),
    "archive_file": _spec("string", pattern=r"^[A-Za-z0-9_.-]+$"),
    "archive_sha256": _spec("string", pattern=r"^[0-9a-f]{64}$"),
    "event_id": _spec("string", **SLUG_FIELD),
    "date": _spec("date"),
    "event_kind": _spec("string"),
    "session_number": _spec("integer", required=False, minimum=1),
    "chair": _spec("string"),
    "report_id": _spec("string", **SLUG_FIELD),
    "report_url": _spec("string", pattern=r"^https?://\S+$"),
    "report_publisher": _spec("string"),
    "found_by": _spec("string"),
    "as_printed": _spec("string"),
    "period_start": _spec("date"),
    "period_end": _spec("date"),
}
# Columns the published files add to a resource, worked out from another column: (column, from column,
# the attribute of the value read from it). The data folder's files do not have them.
DERIVED = {"observations": (("period_start", "period", "start"), ("period_end", "period", "end"))}


def _configured_constraints(name: str, config) -> dict:
    return {
        "geo": {"pattern": config.place_code_pattern},
        "unit": {"enum": list(config.units)},
        "topic": {"enum": list(config.topics)},
        "level": {"enum": list(config.levels)},
        # a site without events has no kinds to list (Table Schema v2: an enum lists one value at least);
        # domain_rules refuses any row of its events table
        "event_kind": {"enum": list(config.events.kinds)} if config.events else {},
        "statistics_code": {"pattern": config.statistics_code_pattern},
    }.get(name, {})


def _field(column: str, config) -> Field:
    """The field of a column: 'name_fr' is the field 'name' in French."""
    # the language is a suffix of the site's languages ('name_pt_BR' is the field 'name' in pt_BR)
    lang = next((code for code in config.languages if column.endswith(f"_{code}")), "")
    stem = column.removesuffix(f"_{lang}") if lang else column
    translated = bool(lang) and stem in TRANSLATED
    spec = FIELD_SPECS[stem if translated else column]
    descriptions = {}
    for each in config.languages:
        words = config.texts[each]
        if translated:
            language = words.get("language_names", {}).get(lang) or language_name(lang)
            descriptions[each] = words[f"field.{stem}_lang"].format(language=language)
        else:
            descriptions[each] = words[f"field.{column}"]
    configured = _configured_constraints(column, config)
    constraints = {**configured, **spec.constraints, **configured}  # a site's pattern first, as descriptors list it
    return Field(
        column, spec.type, descriptions, config.descriptor_language, spec.required, constraints, spec.multiline
    )


@dataclass(frozen=True)
class Resource:
    name: str
    titles: dict  # language -> title
    descriptions: dict  # language -> description
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)
    optional_fields: tuple[str, ...] = ()  # nullable in this resource although required elsewhere
    renames: dict = field(default_factory=dict)  # column name -> the field's name, where they differ
    field_defs: dict = field(default_factory=dict, compare=False, repr=False)
    derived: tuple[tuple[str, str, str], ...] = ()  # DERIVED: what the published files add
    described_in: str = "en"  # the descriptor's language (SiteConfig.descriptor_language)

    @property
    def description(self) -> str:
        """The description in the descriptor's language: the one data tools read (a table's comment)."""
        return self.descriptions[self.described_in]

    @property
    def published_fields(self) -> tuple[str, ...]:
        """The columns of the published files: the data folder's, each derived one after its source."""
        out = []
        for column in self.fields:
            out.append(column)
            out += [name for name, source, _ in self.derived if source == column]
        return tuple(out)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def column(self, field_name: str) -> str:
        """The column that holds a field: its own name, unless the resource or site.yml's columns
        names it otherwise."""
        return next((column for column, named in self.renames.items() if named == field_name), field_name)

    def field_def(self, column: str) -> Field:
        return self.field_defs[column]

    def is_required(self, column: str) -> bool:
        return self.field_def(column).required and column not in self.optional_fields

    def table_schema(self, published: bool = False) -> dict:
        """The Table Schema of the data folder's file, or (published) of the published files."""
        fields = []
        for column in self.published_fields if published else self.fields:
            d = self.field_def(column).descriptor()
            d["name"] = column
            if not self.is_required(column):
                d.get("constraints", {}).pop("required", None)
                if d.get("constraints") == {}:
                    d.pop("constraints")
            fields.append(d)
        schema = {"fields": fields, "missingValues": [""], "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            # Table Schema v2: a reference into the table itself names no resource
            schema["foreignKeys"] = [
                {"fields": [f], "reference": {**({"resource": r} if r != self.name else {}), "fields": [rf]}}
                for f, r, rf in self.foreign_keys
            ]
        return schema


RESOURCE_SHAPES = (  # name, columns ('*' after a stem: one column per site language), key, references, optional
    (
        "observations",
        "indicator_id geo period kind value qualifier is_derived source_id line as_written attributed_to* note*",
        ("indicator_id", "geo", "period", "kind", "source_id"),
        (
            ("indicator_id", "indicators", "indicator_id"),
            ("geo", "places", "geo"),
            ("source_id", "sources", "source_id"),
        ),
        (),
    ),
    (
        "indicators",
        "indicator_id name* description* unit topic higher_is_better is_headline",
        ("indicator_id",),
        (),
        (),
    ),
    (
        "places",
        "geo name* level statistics_code valid_from valid_to successor reference*",
        ("geo",),
        (("successor", "places", "geo"),),
        (),
    ),
    (
        "sources",
        "source_id title translated_title* publisher publisher_gloss* published place inferred url language"
        " archive_file archive_sha256 event_id note*",
        ("source_id",),
        (("event_id", "events", "event_id"),),
        ("event_id",),
    ),
    (
        "events",
        "event_id date kind session_number title* chair source_id line",
        ("event_id",),
        (("source_id", "sources", "source_id"),),
        (),
    ),
    (  # other reports of what a source reports, found by the curator: facts only, and how each was found
        "reports",
        "report_id source_id url publisher published language found_by note*",
        ("report_id",),
        (("source_id", "sources", "source_id"),),
        (),
    ),
    (  # the figures each of those reports prints too, as it prints them
        "reported_figures",
        "report_id indicator_id geo period kind as_printed",
        ("report_id", "indicator_id", "geo", "period", "kind"),
        (
            ("report_id", "reports", "report_id"),
            ("indicator_id", "indicators", "indicator_id"),
            ("geo", "places", "geo"),
        ),
        (),
    ),
)
# column -> field, where a resource's column shares its name with another resource's field
RENAMES = {"events": {"kind": "event_kind"}, "reports": {"url": "report_url", "publisher": "report_publisher"}}
# The fields a project may keep under its own column names (site.yml columns): the ones the contract
# renamed, so that a portal made before keeps its published names (config/migrations.py)
PROJECT_NAMED = {"places": ("statistics_code",), "indicators": ("topic",)}
MAY_BE_EMPTY = ("events", "reports", "reported_figures")  # a header and no rows: none found, or none at all


def resources(config=None) -> tuple[Resource, ...]:
    """The resources of the active site's package (config: another site's)."""
    return _resources(config or current())


def resource(name: str, config=None) -> Resource:
    return {r.name: r for r in resources(config)}[name]


def column(resource_name: str, field_name: str, config=None) -> str:
    """The column of a resource that holds a field, as the project names it."""
    return resource(resource_name, config).column(field_name)


@lru_cache(maxsize=8)
def _resources(config) -> tuple[Resource, ...]:
    out = []
    for name, columns, key, references, optional in RESOURCE_SHAPES:
        named = dict(config.columns.get(name, {}))  # field -> the project's column
        fields = []
        for column in columns.split():
            if column.endswith("*"):
                fields += [f"{column[:-1]}_{lang}" for lang in config.languages]
            else:
                fields.append(named.get(column, column))
        renames = {**RENAMES.get(name, {}), **{column: field_name for field_name, column in named.items()}}
        derived = DERIVED.get(name, ())
        defs = {}
        for column in fields + [column for column, _, _ in derived]:
            field_def = _field(renames.get(column, column), config)
            defs[column] = field_def
        out.append(
            Resource(
                name,
                {lang: config.texts[lang][f"resource.{name}.title"] for lang in config.languages},
                {lang: config.texts[lang][f"resource.{name}.description"] for lang in config.languages},
                tuple(fields),
                key,
                references,
                optional,
                renames,
                defs,
                derived,
                config.descriptor_language,
            )
        )
    return tuple(out)
