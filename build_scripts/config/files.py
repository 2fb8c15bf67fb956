"""The data folder's configuration files, checked like the data: package.yml and overview.yml.

Each file is read by yamlfile.py (plain values only, bounded) and checked against a small
declarative description made of value_kinds.py's kinds: which keys a mapping has, which are required,
what each value is. A problem names the file, the line, the key path and the rule, one line each, as
the tables' problems do. Texts meet textrules.py; identifiers that become file names or addresses are
slugs of bounded length; references name indicators and places that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config.authorities import LICENCE_TYPES, PUBLISHER_TYPES
from ..config.value_kinds import (
    NO_VALUE,
    Context,
    choice,
    date,
    key_path,
    list_of,
    mapping,
    per_language,
    period,
    reference,
    slug,
    text,
    type_name,
    url,
)
from ..config.yamlfile import YamlDocument, read_yaml
from ..problems import InputError, Problem, shown

EMAIL = re.compile(r"[^@\s:/]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+", re.ASCII)
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"  # the EU's controlled vocabularies
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", re.ASCII)
CHART_KINDS = ("progress", "stacked", "grouped")
MAX_CHARTS = 50


# ------------------------------------------------------------------ package.yml


def iri(example: str, doc: str = ""):
    """An absolute http(s) IRI, as the DCAT catalogue names a theme or a licence."""
    return url(hint=f"an absolute http(s) IRI, such as {example}", doc=doc, example=example)


def code_of(table: dict, doc: str = "", example=NO_VALUE):
    """One code of a controlled vocabulary of config/authorities.py."""
    return choice(tuple(table), max_chars=60, doc=doc, example=example)


PACKAGE = mapping(
    {
        "name": slug(
            "lower-case words joined by '-': it names the package and its zip file",
            doc="The package's name, in its descriptor and its files' names.",
            example="example-open-data",
        ),
        "version": text(
            max_chars=40,
            pattern=SEMVER,
            hint="a semantic version MAJOR.MINOR.PATCH, such as 1.2.0",
            doc="The data's version; `release` snapshots it.",
            example="1.2.0",
        ),
        "released": date(doc="The day the data last changed: every page's date comes from it.", example="2026-01-15"),
        "title": per_language(
            text(max_chars=200),
            doc="The package's title in each site language.",
            example={"en": "Example open data", "fr": "Données ouvertes d'exemple"},
        ),
        "description": per_language(
            text(max_chars=5000, multiline=True),
            doc="What the package holds, in each site language.",
            example={"en": "Figures on the example, each citing its source.", "fr": "Des chiffres sur l'exemple."},
        ),
        "keywords": list_of(
            text(max_chars=100), max_items=100, doc="Words to find the package by.", example=["statistics", "open data"]
        ),
        "license": mapping(
            {
                "name": text(max_chars=100, doc="The licence's short name (SPDX).", example="CC-BY-4.0"),
                "title": text(
                    max_chars=200,
                    doc="The licence's full name.",
                    example="Creative Commons Attribution 4.0 International",
                ),
                "path": url(doc="The licence's text.", example="https://creativecommons.org/licenses/by/4.0/"),
            },
            {
                "iri": iri(
                    f"{EU_AUTHORITY}licence/CC_BY_4_0",
                    doc="The licence in the EU licence authority table, as the catalogue names it.",
                ),
                "types": list_of(
                    code_of(LICENCE_TYPES),
                    1,
                    6,
                    doc="Its types in the ADMS licence-type table; without them, those of a well-known licence name "
                    "(CC-BY-4.0: Attribution), else none.",
                    example=["Attribution"],
                ),
            },
            doc="The licence of the data.",
        ),
        "creator": text(
            max_chars=300, doc="Who made the package, as citations name it.", example="Example contributors"
        ),
        "contributors": list_of(
            mapping(
                {"title": text(max_chars=300, doc="The contributor's name.", example="Example contributors")},
                {
                    "role": text(max_chars=50, doc="One role (as roles, for one).", example="creator"),
                    "roles": list_of(
                        text(max_chars=50), max_items=20, doc="The contributor's roles.", example=["creator"]
                    ),
                    "path": url(doc="The contributor's page.", example="https://example.org/"),
                    "email": text(max_chars=200, doc="The contributor's e-mail address.", example="data@example.org"),
                    "organization": text(doc="The contributor's organisation.", example="Example statistics office"),
                },
            ),
            min_items=1,
            max_items=200,
            doc="Who contributed to the package.",
        ),
    },
    {  # what the DCAT catalogue says of the dataset, each left out of it when not given
        "contact": mapping(
            {"name": text(max_chars=300, doc="The contact's name.", example="Example contributors")},
            {
                "email": text(
                    max_chars=254,
                    pattern=EMAIL,
                    hint="an e-mail address such as data@example.org",
                    doc="The contact's e-mail address (give email, url or both).",
                    example="data@example.org",
                ),
                "url": url(doc="The contact's page (give email, url or both).", example="https://example.org/contact/"),
            },
            doc="The catalogue's contact point for the data.",
        ),
        "themes": list_of(
            iri(f"{EU_AUTHORITY}data-theme/TECH"),
            min_items=1,
            max_items=20,
            doc="The data's themes: IRIs of the EU data-theme authority table.",
            example=[f"{EU_AUTHORITY}data-theme/TECH"],
        ),
        "publisher": mapping(
            {},
            {
                "iri": iri(
                    "https://example.org/#publisher",
                    doc="The publisher's IRI; without it, the site's address with #publisher.",
                ),
                "name": text(max_chars=300, doc="The publisher's name; without it, creator.", example="Example office"),
                "type": code_of(
                    PUBLISHER_TYPES,
                    doc="A code of the ADMS publisher-type table; left out when not given.",
                    example="NationalAuthority",
                ),
            },
            doc="The catalogue's publisher of the data.",
        ),
    },
    doc="The data package's metadata: the descriptor datapackage.json and the DCAT catalogue are made from it.",
)


def check_package(data_dir: Path, label: str, languages: tuple[str, ...]) -> list[Problem]:
    """Every problem of package.yml."""
    document, problems = _read(data_dir / "package.yml", f"{label}/package.yml")
    if document is None:
        return problems
    ctx = Context(document, languages)
    PACKAGE(document.value, "", ctx)
    contact = document.value.get("contact") if isinstance(document.value, dict) else None
    if isinstance(contact, dict) and contact.get("email") is None and contact.get("url") is None:
        ctx.add(
            "contact", "config-required", "the contact has neither email nor url", "give contact.email or contact.url"
        )
    return ctx.problems


def load_package(data_dir: Path) -> dict:
    """package.yml's values (the build reads it after validate has checked it)."""
    return read_yaml(data_dir / "package.yml", "package.yml").value


# ------------------------------------------------------------------ overview.yml


def _common(kind: str) -> dict:
    return {
        "id": slug(
            "lower-case words joined by '-': it names the chart's file",
            doc="The chart's identifier, once in the file.",
            example="results-against-targets",
        ),
        "kind": choice(
            CHART_KINDS, max_chars=300, doc="What the chart shows; it decides the chart's other keys.", example=kind
        ),
    }


_TITLE = per_language(
    text(), doc="The chart's title.", example={"en": "Results against targets", "fr": "Résultats et objectifs"}
)
_COMMON_OPTIONAL = {
    "note": per_language(
        text(max_chars=500, multiline=True),
        doc="A note under the chart.",
        example={"en": "Latest result over target.", "fr": "Dernier résultat sur l'objectif."},
    )
}
_GEO = reference("place", doc="The place the figures are of.", example="EX")
_PERIOD = period(doc="The period the figures are of; without it, the latest.", example="2024")
CHARTS = {
    "progress": mapping(
        {
            **_common("progress"),
            "title": _TITLE,
            "indicators": list_of(
                reference("indicator"), 1, 30, doc="The indicators shown, each with a target.", example=["ex-share"]
            ),
        },
        {**_COMMON_OPTIONAL, "geo": _GEO},
        doc="Each indicator's latest actual figure as a share of its target.",
    ),
    "stacked": mapping(
        {
            **_common("stacked"),
            "title": _TITLE,
            "part_labels": list_of(
                per_language(text(max_chars=100)),
                1,
                12,
                doc="The name of each part, in the order of each bar's parts.",
                example=[{"en": "Done", "fr": "Fait"}, {"en": "In progress", "fr": "En cours"}],
            ),
            "bars": list_of(
                mapping(
                    {
                        "label": per_language(
                            text(max_chars=100), doc="The bar's label.", example={"en": "Plan A", "fr": "Plan A"}
                        ),
                        "parts": list_of(
                            reference("indicator"),
                            1,
                            12,
                            doc="One indicator per part label, in their order.",
                            example=["ex-done", "ex-in-progress"],
                        ),
                    },
                    {"period": _PERIOD},
                ),
                1,
                30,
                doc="The bars, each a whole made of parts.",
            ),
        },
        {**_COMMON_OPTIONAL, "geo": _GEO},
        doc="Parts of a whole, a bar each.",
    ),
    "grouped": mapping(
        {
            **_common("grouped"),
            "title": _TITLE,
            "geos": list_of(reference("place"), 1, 12, doc="The places compared.", example=["EX-N", "EX-S"]),
            "indicators": list_of(reference("indicator"), 1, 12, doc="The indicators compared.", example=["ex-speed"]),
        },
        {**_COMMON_OPTIONAL, "period": _PERIOD},
        doc="Indicators by place, at one period.",
    ),
}
OVERVIEW_DOC = (
    "Charts that tell the story across indicators, on the home page and the indicator catalogue: a list of "
    "charts, each a mapping whose kind decides its keys. The file is optional."
)


def check_overview(
    data_dir: Path, label: str, languages: tuple[str, ...], indicators: set[str] | None, places: set[str] | None
) -> list[Problem]:
    """Every problem of overview.yml (which is optional), its references checked against the tables."""
    path = data_dir / "overview.yml"
    if not path.exists():
        return []
    document, problems = _read(path, f"{label}/overview.yml")
    if document is None:
        return problems
    ctx = Context(document, languages, indicators, places)
    charts = document.value
    if charts is None:
        return []
    if not isinstance(charts, list):
        ctx.add("", "config-type", f"expected a list of charts, found {type_name(charts)}", "see data/overview.yml")
        return ctx.problems
    if len(charts) > MAX_CHARTS:
        ctx.add("", "config-too-long", f"{len(charts)} charts, more than {MAX_CHARTS}")
        return ctx.problems
    seen = set()
    for index, chart in enumerate(charts):
        path = f"[{index}]"
        if not isinstance(chart, dict):
            ctx.add(path, "config-type", f"expected a mapping for the chart, found {type_name(chart)}")
            continue
        kind = chart.get("kind")
        if kind not in CHARTS:
            ctx.add(
                key_path(path, "kind"),
                "config-kind",
                f"'{shown(kind)}' is not a chart kind",
                f"one of {', '.join(CHART_KINDS)}",
            )
            continue
        CHARTS[kind](chart, path, ctx)
        if kind == "stacked" and isinstance(chart.get("bars"), list) and isinstance(chart.get("part_labels"), list):
            for number, bar in enumerate(chart["bars"]):
                parts = bar.get("parts") if isinstance(bar, dict) else None
                if isinstance(parts, list) and len(parts) != len(chart["part_labels"]):
                    ctx.add(
                        f"{path}.bars[{number}].parts",
                        "config-parts",
                        f"{len(parts)} parts where part_labels names {len(chart['part_labels'])}",
                        "give each bar one indicator per part label",
                    )
        chart_id = chart.get("id")
        if isinstance(chart_id, str):
            if chart_id in seen:
                ctx.add(key_path(path, "id"), "config-duplicate-id", f"the chart id '{shown(chart_id)}' is used twice")
            seen.add(chart_id)
    return ctx.problems


def load_overview(data_dir: Path) -> list[dict]:
    """overview.yml's charts (the build reads it after validate has checked it)."""
    path = data_dir / "overview.yml"
    return (read_yaml(path, "overview.yml").value or []) if path.exists() else []


def _read(path: Path, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    if not path.exists():
        return None, [
            Problem(file, None, None, "file-missing", "the file does not exist", "copy it from the repository")
        ]
    try:
        return read_yaml(path, file), []
    except InputError as error:
        return None, error.problems
