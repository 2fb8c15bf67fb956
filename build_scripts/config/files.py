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
from ..config.site import current
from ..config.value_kinds import (
    URL,
    Context,
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


def iri(example: str):
    """An absolute http(s) IRI, as the DCAT catalogue names a theme or a licence."""
    return text(max_chars=2000, pattern=URL, hint=f"an absolute http(s) IRI, such as {example}")


def code_of(table: dict):
    """One code of a controlled vocabulary of config/authorities.py."""
    return text(max_chars=60, pattern="|".join(map(re.escape, table)), hint=f"one of {', '.join(table)}")


PACKAGE = mapping(
    {
        "name": slug("lower-case words joined by '-': it names the package and its zip file"),
        "version": text(max_chars=40, pattern=SEMVER, hint="a semantic version MAJOR.MINOR.PATCH, such as 1.2.0"),
        "released": date(),
        "title": per_language(text(max_chars=200)),
        "description": per_language(text(max_chars=5000, multiline=True)),
        "keywords": list_of(text(max_chars=100), max_items=100),
        "license": mapping(
            {"name": text(max_chars=100), "title": text(max_chars=200), "path": url()},
            {"iri": iri(f"{EU_AUTHORITY}licence/CC_BY_4_0"), "types": list_of(code_of(LICENCE_TYPES), 1, 6)},
        ),
        "creator": text(max_chars=300),
        "contributors": list_of(
            mapping(
                {"title": text(max_chars=300)},
                {
                    "role": text(max_chars=50),
                    "roles": list_of(text(max_chars=50), max_items=20),
                    "path": url(),
                    "email": text(max_chars=200),
                    "organization": text(),
                },
            ),
            min_items=1,
            max_items=200,
        ),
    },
    {  # what the DCAT catalogue says of the dataset, each left out of it when not given
        "contact": mapping(
            {"name": text(max_chars=300)},
            {
                "email": text(max_chars=254, pattern=EMAIL, hint="an e-mail address such as data@example.org"),
                "url": url(),
            },
        ),
        "themes": list_of(iri(f"{EU_AUTHORITY}data-theme/TECH"), min_items=1, max_items=20),
        "publisher": mapping(
            {},
            {
                "iri": iri("https://example.org/#publisher"),
                "name": text(max_chars=300),
                "type": code_of(PUBLISHER_TYPES),
            },
        ),
    },
)


def check_package(data_dir: Path, label: str) -> list[Problem]:
    """Every problem of package.yml."""
    document, problems = _read(data_dir / "package.yml", f"{label}/package.yml")
    if document is None:
        return problems
    ctx = Context(document, current().languages)
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

_COMMON = {"id": slug("lower-case words joined by '-': it names the chart's file"), "kind": text()}
_COMMON_OPTIONAL = {"note": per_language(text(max_chars=500, multiline=True))}
CHARTS = {
    "progress": mapping(
        {**_COMMON, "title": per_language(text()), "indicators": list_of(reference("indicator"), 1, 30)},
        {**_COMMON_OPTIONAL, "geo": reference("place")},
    ),
    "stacked": mapping(
        {
            **_COMMON,
            "title": per_language(text()),
            "part_labels": list_of(per_language(text(max_chars=100)), 1, 12),
            "bars": list_of(
                mapping(
                    {"label": per_language(text(max_chars=100)), "parts": list_of(reference("indicator"), 1, 12)},
                    {"period": period()},
                ),
                1,
                30,
            ),
        },
        {**_COMMON_OPTIONAL, "geo": reference("place")},
    ),
    "grouped": mapping(
        {
            **_COMMON,
            "title": per_language(text()),
            "geos": list_of(reference("place"), 1, 12),
            "indicators": list_of(reference("indicator"), 1, 12),
        },
        {**_COMMON_OPTIONAL, "period": period()},
    ),
}


def check_overview(data_dir: Path, label: str, indicators: set[str] | None, places: set[str] | None) -> list[Problem]:
    """Every problem of overview.yml (which is optional), its references checked against the tables."""
    path = data_dir / "overview.yml"
    if not path.exists():
        return []
    document, problems = _read(path, f"{label}/overview.yml")
    if document is None:
        return problems
    ctx = Context(document, current().languages, indicators, places)
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
