"""The data folder's configuration files, checked like the data: package.yml and overview.yml.

Each file is read by yamlfile.py (plain values only, bounded) and checked against a small
declarative description: which keys a mapping has, which are required, what each value is. A problem
names the file, the line, the key path and the rule, one line each, as the tables' problems do. Texts
meet textrules.py; identifiers that become file names or addresses are slugs of bounded length;
references name indicators and places that exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config.site import current
from ..config.yamlfile import YamlDocument, read_yaml
from ..data import strict
from ..data.schema import ID_CHARS, SLUG
from ..data.textrules import text_problem
from ..problems import InputError, Problem, shown

URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?(?:/\S*)?", re.ASCII
)
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", re.ASCII)
CHART_KINDS = ("progress", "stacked", "grouped")
MAX_CHARTS = 50


@dataclass
class Context:
    """What references may name: the indicators and places of the tables (None: not checked)."""

    document: YamlDocument
    languages: tuple[str, ...] = ()  # the site's: a per-language mapping gives one text for each
    indicators: set[str] | None = None
    places: set[str] | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, rule: str, found: str, hint: str = "") -> None:
        self.problems.append(self.document.problem(path, rule, found, hint))


# ------------------------------------------------------------------ value kinds


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), "a number"
    )


def text(max_chars: int = 300, multiline: bool = False, pattern: str | re.Pattern | None = None, hint: str = ""):
    def check(value, path: str, ctx: Context) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and pattern is None:
            value = str(value)  # a title of digits is still a title
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected text, found {_type_name(value)}", hint)
            return
        if not value.strip():
            ctx.add(path, "config-required", "the text is empty", hint)
            return
        broken = text_problem(value, multiline)
        if broken:
            ctx.add(path, *broken)
        elif len(value) > max_chars:
            ctx.add(path, "config-too-long", f"{len(value):,} characters, more than {max_chars:,}", hint)
        elif pattern is not None and not re.fullmatch(pattern, value):
            ctx.add(path, "config-pattern", f"'{shown(value)}' is not allowed", hint)

    return check


def slug(hint: str):
    return text(max_chars=ID_CHARS, pattern=SLUG.strip("^$"), hint=hint)


def url():
    return text(max_chars=2000, pattern=URL, hint="an http(s) address with a host, such as https://example.org/")


def typed(kind: str, expected: str):
    """A text the strict reader reads as this kind ("date", "period"): the same rules as in the tables."""

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected {expected}, found {_type_name(value)}")
            return
        try:
            strict.read_cell(value, kind)
        except strict.CellFormatError as error:
            ctx.add(path, f"config-{kind}", str(error))

    return check


def date():
    return typed("date", "a date YYYY-MM-DD")


def period():
    return typed("period", 'a period such as "2024", in quotes')


def per_language(item):
    """A mapping with one text per language of the site."""

    def check(value, path: str, ctx: Context) -> None:
        mapping({lang: item for lang in ctx.languages})(value, path, ctx)

    return check


def boolean():
    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, bool):
            ctx.add(path, "config-type", f"expected true or false, found {_type_name(value)}")

    return check


def positive_number():
    def check(value, path: str, ctx: Context) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            ctx.add(path, "config-type", f"expected a number above 0, found {_type_name(value)} {shown(value)}")

    return check


def text_mapping(key, item, max_items: int = 1000):
    """A mapping of keys (each checked by key) to values (each checked by item)."""

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, dict):
            ctx.add(path, "config-type", f"expected a mapping of keys, found {_type_name(value)}")
            return
        if len(value) > max_items:
            ctx.add(path, "config-too-long", f"{len(value):,} keys, more than {max_items:,}")
            return
        for name, each in value.items():
            key(name, _join(path, name), ctx)
            item(each, _join(path, name), ctx)

    return check


def one_of(*checks):
    """The first check whose kind of value matches: text or a per-language mapping, for example."""

    def check(value, path: str, ctx: Context) -> None:
        checks[0 if isinstance(value, str) else 1](value, path, ctx)

    return check


def list_of(item, min_items: int = 0, max_items: int = 1000):
    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, list):
            ctx.add(path, "config-type", f"expected a list, found {_type_name(value)}")
            return
        if len(value) < min_items:
            ctx.add(path, "config-required", f"the list needs at least {min_items} item(s)")
        if len(value) > max_items:
            ctx.add(path, "config-too-long", f"{len(value):,} items, more than {max_items:,}")
            return
        for index, each in enumerate(value):
            item(each, f"{path}[{index}]", ctx)

    return check


def mapping(required: dict, optional: dict | None = None):
    optional = optional or {}

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, dict):
            ctx.add(path, "config-type", f"expected a mapping of keys, found {_type_name(value)}")
            return
        for key, item in required.items():
            if key not in value or value[key] is None:
                ctx.add(_join(path, key), "config-required", "the key is missing")
            else:
                item(value[key], _join(path, key), ctx)
        for key, item in optional.items():
            if value.get(key) is not None:
                item(value[key], _join(path, key), ctx)
        known = ", ".join([*required, *optional])
        for key in value:
            if key not in required and key not in optional:
                ctx.add(_join(path, key), "config-unknown-key", "the key is not one this file takes", f"known: {known}")

    return check


def reference(kind: str):
    def check(value, path: str, ctx: Context) -> None:
        known = ctx.indicators if kind == "indicator" else ctx.places
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected an {kind} identifier, found {_type_name(value)}")
        elif known is not None and value not in known:
            table = "indicators" if kind == "indicator" else "places"
            ctx.add(path, "unknown-reference", f"'{shown(value)}' is not a known {kind}", f"see {table}.csv")

    return check


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


# ------------------------------------------------------------------ package.yml

PACKAGE = mapping(
    {
        "name": slug("lower-case words joined by '-': it names the package and its zip file"),
        "version": text(max_chars=40, pattern=SEMVER, hint="a semantic version MAJOR.MINOR.PATCH, such as 1.2.0"),
        "released": date(),
        "title": per_language(text(max_chars=200)),
        "description": per_language(text(max_chars=5000, multiline=True)),
        "keywords": list_of(text(max_chars=100), max_items=100),
        "license": mapping({"name": text(max_chars=100), "title": text(max_chars=200), "path": url()}),
        "creator": text(max_chars=300),
        "contributors": list_of(
            mapping(
                {"title": text(max_chars=300)},
                {"role": text(max_chars=50), "path": url(), "email": text(max_chars=200), "organization": text()},
            ),
            min_items=1,
            max_items=200,
        ),
    }
)


def check_package(data_dir: Path, label: str) -> list[Problem]:
    """Every problem of package.yml."""
    document, problems = _read(data_dir / "package.yml", f"{label}/package.yml")
    if document is None:
        return problems
    ctx = Context(document, current().languages)
    PACKAGE(document.value, "", ctx)
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
        ctx.add("", "config-type", f"expected a list of charts, found {_type_name(charts)}", "see data/overview.yml")
        return ctx.problems
    if len(charts) > MAX_CHARTS:
        ctx.add("", "config-too-long", f"{len(charts)} charts, more than {MAX_CHARTS}")
        return ctx.problems
    seen = set()
    for index, chart in enumerate(charts):
        path = f"[{index}]"
        if not isinstance(chart, dict):
            ctx.add(path, "config-type", f"expected a mapping for the chart, found {_type_name(chart)}")
            continue
        kind = chart.get("kind")
        if kind not in CHARTS:
            ctx.add(
                _join(path, "kind"),
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
                ctx.add(_join(path, "id"), "config-duplicate-id", f"the chart id '{shown(chart_id)}' is used twice")
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
