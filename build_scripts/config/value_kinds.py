"""The value kinds the configuration files are checked with: text, choice, slug, url, typed (date, period),
boolean, positive_number, whole_number, per_language, list_of, mapping, text_mapping, one_of, reference, and
rule (a check of its own) and unchecked (a value another rule checks).

Each kind returns a check(value, path, ctx) that adds a problem to the Context for what is wrong at the
key path: the wrong type, a missing or unknown key, too many items, a text textrules.py refuses or one
not of its pattern, a reference to an indicator or place the tables lack. files.py (package.yml,
overview.yml) and rules.py (site.yml) declare their files with them.

Each check also describes itself, as its `shape` (a Shape: kind, limits, pattern and hint, allowed values,
keys or items; and, given as keywords to any kind, doc, default and example): reference.py prints the
configuration reference from these, so that the reference says what the checks check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import wraps

from ..config.yamlfile import YamlDocument
from ..data import strict
from ..data.names import windows_device
from ..data.schema import ID_CHARS, SLUG
from ..data.textrules import text_problem
from ..problems import Problem, shown

URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?(?:/\S*)?", re.ASCII
)


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


class _NoValue:
    """No default, or no example, was given (None is a value a key may default to)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class Shape:
    """What a check accepts, as the configuration reference prints it."""

    kind: str  # text, choice, slug, address, date, period, whole number, number, true/false, per-language, ...
    limits: tuple[tuple[str, int], ...] = ()  # (max_chars | min_items | max_items | max_keys | minimum, n)
    pattern: str = ""
    hint: str = ""
    allowed: tuple[str, ...] = ()
    keys: tuple[tuple[str, Callable, bool], ...] = ()  # a mapping's: name, check, required
    key: Callable | None = None  # a text mapping's key
    item: Callable | None = None  # a list's item, a text mapping's value, a per-language mapping's text
    choices: tuple[Callable, ...] = ()  # one_of's
    key_name: str = ""  # what a text mapping's keys are, as a path shows them: <lang>
    doc: str = ""  # the key's meaning, one line
    default: object = NO_VALUE
    example: object = NO_VALUE


def shape_of(check) -> Shape:
    return check.shape


def _shaped(check, kind: str, **fields):
    check.shape = Shape(kind, **fields)
    return check


def _documented(factory):
    """A kind that also takes doc, default and example, to describe the key it checks."""

    @wraps(factory)
    def make(*args, doc: str = "", default=NO_VALUE, example=NO_VALUE, **kwargs):
        check = factory(*args, **kwargs)
        check.shape = replace(check.shape, doc=doc, default=default, example=example)
        return check

    return make


def _pattern_text(pattern) -> str:
    return pattern.pattern if isinstance(pattern, re.Pattern) else pattern or ""


def type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), "a number"
    )


@_documented
def text(max_chars: int = 300, multiline: bool = False, pattern: str | re.Pattern | None = None, hint: str = ""):
    def check(value, path: str, ctx: Context) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and pattern is None:
            value = str(value)  # a title of digits is still a title
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected text, found {type_name(value)}", hint)
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

    kind = "multi-line text" if multiline else "text"
    return _shaped(check, kind, limits=(("max_chars", max_chars),), pattern=_pattern_text(pattern), hint=hint)


@_documented
def choice(values, max_chars: int = 60):
    """One of a few codes, each written as it is."""
    check = text(max_chars=max_chars, pattern="|".join(map(re.escape, values)), hint=f"one of {', '.join(values)}")
    return _shaped(check, "choice", limits=(("max_chars", max_chars),), allowed=tuple(values), hint=check.shape.hint)


@_documented
def slug(hint: str):
    """An identifier that names a file or a folder: lower-case words joined by '-', and no Windows device
    name (names.py), which no file can have on Windows."""
    as_text = text(max_chars=ID_CHARS, pattern=SLUG.strip("^$"), hint=hint)

    def check(value, path: str, ctx: Context) -> None:
        before = len(ctx.problems)
        as_text(value, path, ctx)
        device = windows_device(value) if len(ctx.problems) == before else None
        if device:
            ctx.add(
                path,
                "config-reserved-name",
                f"'{shown(value)}' is the Windows device name {device}: no file can be named so on Windows",
                "choose another: con, prn, aux, nul, com1-com9 and lpt1-lpt9 are refused",
            )

    return _shaped(check, "slug", limits=as_text.shape.limits, pattern=as_text.shape.pattern, hint=hint)


@_documented
def url(hint: str = "an http(s) address with a host, such as https://example.org/"):
    check = text(max_chars=2000, pattern=URL, hint=hint)
    return _shaped(check, "address", limits=check.shape.limits, pattern=check.shape.pattern, hint=hint)


@_documented
def typed(kind: str, expected: str):
    """A text the strict reader reads as this kind ("date", "period"): the same rules as in the tables."""

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected {expected}, found {type_name(value)}")
            return
        try:
            strict.read_cell(value, kind)
        except strict.CellFormatError as error:
            ctx.add(path, f"config-{kind}", str(error))

    return _shaped(check, kind, hint=expected)


@_documented
def date():
    return typed("date", "a date YYYY-MM-DD")


@_documented
def period():
    return typed("period", 'a period such as "2024", in quotes')


@_documented
def whole_number(minimum: int = 1):
    def check(value, path: str, ctx: Context) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            found = f"{type_name(value)} {shown(value)}"
            ctx.add(path, "config-type", f"expected a whole number of at least {minimum:,}, found {found}")

    return _shaped(check, "whole number", limits=(("minimum", minimum),))


@_documented
def per_language(item):
    """A mapping with one text per language of the site."""

    def check(value, path: str, ctx: Context) -> None:
        mapping({lang: item for lang in ctx.languages})(value, path, ctx)

    return _shaped(check, "per-language", item=item, key_name="<lang>")


@_documented
def boolean():
    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, bool):
            ctx.add(path, "config-type", f"expected true or false, found {type_name(value)}")

    return _shaped(check, "true/false")


@_documented
def positive_number():
    def check(value, path: str, ctx: Context) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            ctx.add(path, "config-type", f"expected a number above 0, found {type_name(value)} {shown(value)}")

    return _shaped(check, "number above 0")


@_documented
def text_mapping(key, item, max_items: int = 1000, key_name: str = "<key>"):
    """A mapping of keys (each checked by key) to values (each checked by item)."""

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, dict):
            ctx.add(path, "config-type", f"expected a mapping of keys, found {type_name(value)}")
            return
        if len(value) > max_items:
            ctx.add(path, "config-too-long", f"{len(value):,} keys, more than {max_items:,}")
            return
        for name, each in value.items():
            key(name, key_path(path, name), ctx)
            item(each, key_path(path, name), ctx)

    return _shaped(check, "key mapping", limits=(("max_keys", max_items),), key=key, item=item, key_name=key_name)


@_documented
def one_of(*checks):
    """The first check whose kind of value matches: text or a per-language mapping, for example."""

    def check(value, path: str, ctx: Context) -> None:
        checks[0 if isinstance(value, str) else 1](value, path, ctx)

    return _shaped(check, "one of", choices=checks)


@_documented
def list_of(item, min_items: int = 0, max_items: int = 1000):
    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, list):
            ctx.add(path, "config-type", f"expected a list, found {type_name(value)}")
            return
        if len(value) < min_items:
            ctx.add(path, "config-required", f"the list needs at least {min_items} item(s)")
        if len(value) > max_items:
            ctx.add(path, "config-too-long", f"{len(value):,} items, more than {max_items:,}")
            return
        for index, each in enumerate(value):
            item(each, f"{path}[{index}]", ctx)

    return _shaped(check, "list", limits=(("min_items", min_items), ("max_items", max_items)), item=item)


@_documented
def mapping(required: dict, optional: dict | None = None):
    optional = optional or {}

    def check(value, path: str, ctx: Context) -> None:
        if not isinstance(value, dict):
            ctx.add(path, "config-type", f"expected a mapping of keys, found {type_name(value)}")
            return
        for key, item in required.items():
            if key not in value or value[key] is None:
                ctx.add(key_path(path, key), "config-required", "the key is missing")
            else:
                item(value[key], key_path(path, key), ctx)
        for key, item in optional.items():
            if value.get(key) is not None:
                item(value[key], key_path(path, key), ctx)
        known = ", ".join([*required, *optional])
        for key in value:
            if key not in required and key not in optional:
                ctx.add(
                    key_path(path, key), "config-unknown-key", "the key is not one this file takes", f"known: {known}"
                )

    keys = tuple((key, item, True) for key, item in required.items())
    return _shaped(check, "mapping", keys=keys + tuple((key, item, False) for key, item in optional.items()))


@_documented
def reference(kind: str):
    def check(value, path: str, ctx: Context) -> None:
        known = ctx.indicators if kind == "indicator" else ctx.places
        if not isinstance(value, str):
            ctx.add(path, "config-type", f"expected an {kind} identifier, found {type_name(value)}")
        elif known is not None and value not in known:
            table = "indicators" if kind == "indicator" else "places"
            ctx.add(path, "unknown-reference", f"'{shown(value)}' is not a known {kind}", f"see {table}.csv")

    table = "indicators" if kind == "indicator" else "places"
    return _shaped(check, f"{kind} identifier", hint=f"an identifier of {table}.csv")


@_documented
def rule(check, kind: str, hint: str = "", limits: tuple = ()):
    """A check of its own (a function of value, path and ctx), with what it accepts described."""

    def checked(value, path: str, ctx: Context) -> None:
        check(value, path, ctx)

    return _shaped(checked, kind, hint=hint, limits=limits)


@_documented
def unchecked(kind: str, hint: str = ""):
    """Any value: another rule checks it (rules.py checks an interface text against the generator's)."""

    def check(value, path: str, ctx: Context) -> None:
        return None

    return _shaped(check, kind, hint=hint)


def key_path(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)
