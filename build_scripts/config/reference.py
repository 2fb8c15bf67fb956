"""The configuration reference (CONFIGURATION.md): every key of site.yml, package.yml and overview.yml, printed
from the rules validate checks them with (rules.py, files.py), so that the reference cannot say other than
the checks do.

Each key, in the rules' order, with its meaning, type, whether it is required and its default, its limits,
pattern and allowed values, and an example: what each check's Shape (value_kinds.py) describes.
`odportal reference [--out FILE]` writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..config import files, rules
from ..config.value_kinds import NO_VALUE, Shape, key_path

CONTAINERS = ("mapping", "key mapping")  # kinds whose keys are listed as keys of their own
PLAIN = re.compile(r"[^\W\d_][\w .'/-]*")  # a text YAML reads as itself, unquoted
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


@dataclass(frozen=True)
class Entry:
    path: str  # units[].format, number_formats.<lang>.group, [].bars[].parts
    check: Callable  # the rule itself; its shape says what it accepts
    required: bool | None  # in the mapping that holds it (None: a key of a mapping of any keys)


def entries(check, path: str = "", required: bool | None = True) -> Iterator[Entry]:
    """The key a check checks (none at the file's top), then the keys within it, in the rules' order."""
    if path:
        yield Entry(path, check, required)
    yield from _within(check, path)


def _within(check, path: str) -> Iterator[Entry]:
    shape = check.shape
    if shape.kind == "mapping":
        for key, child, required in shape.keys:
            yield from entries(child, key_path(path, key), required)
    elif shape.kind == "list" and shape.item.shape.kind == "mapping":
        yield from _within(shape.item, f"{path}[]")
    elif shape.kind == "key mapping" and shape.item.shape.kind in CONTAINERS:
        yield from entries(shape.item, key_path(path, shape.key_name), None)


def reference_markdown() -> str:
    """The reference, as Markdown: a section per file, a heading and a list per key."""
    out = [
        "# Configuration reference",
        "",
        "Every key of a project's configuration files in `data/`, as `odportal validate` checks it. This file is "
        "generated from the rules themselves (`build_scripts/config/rules.py`, `files.py`) by "
        "`python -m build_scripts reference --out CONFIGURATION.md`: edit the rules, not this file.",
        "",
        "A path names a key inside the keys above it: `units[].format` is the `format` of each item of the list "
        "`units`; `<lang>` stands for a site language's code, `<key>` for any key. *Required* means required "
        "in the mapping that holds the key. A text per site language is a mapping with one text for each of "
        "the site's languages, such as `{en: Region, fr: Région}`.",
    ]
    out += _file("data/site.yml", rules.SITE.shape.doc, entries(rules.SITE), "##")
    out += _file("data/package.yml", files.PACKAGE.shape.doc, entries(files.PACKAGE), "##")
    out += [
        "",
        "## data/overview.yml",
        "",
        files.OVERVIEW_DOC,
        "",
        f"- **Type:** list of at most {files.MAX_CHARTS} charts",
    ]
    for kind, chart in files.CHARTS.items():
        out += _file(f"A `{kind}` chart", chart.shape.doc, _within(chart, "[]"), "###", top=False)
    return "\n".join(out) + "\n"


def _file(title: str, doc: str, keys: Iterator[Entry], level: str, top: bool = True) -> list[str]:
    out = ["", f"{level} {title}", "", doc]
    for entry in keys:
        if top and entry.path.startswith("[]"):
            continue
        out += ["", f"{level}# `{entry.path}`", ""] + _described(entry)
    return out


def _described(entry: Entry) -> list[str]:
    shape = entry.check.shape
    lines = [shape.doc, "", f"- **Type:** {kind_text(shape)}"]
    required = "yes" if entry.required else "no"
    if shape.default is not NO_VALUE:
        required += f"; default `{yaml_text(shape.default)}`"
    lines += [] if entry.required is None else [f"- **Required:** {required}"]
    lines += [f"- **{label}:** {text}" for label, text in _facts(shape)]
    for label, child in _leaves(shape):
        said = "; ".join(text if name == "Limits" else f"{name.lower()} {text}" for name, text in _facts(child))
        if said and f"- **{label}:** {said}" not in lines:
            lines.append(f"- **{label}:** {said}")
    if shape.example is not NO_VALUE:
        lines.append(f"- **Example:** `{yaml_text(shape.example)}`")
    return lines


def kind_text(shape: Shape) -> str:
    kind = shape.kind
    if kind == "multi-line text":
        return "text, several lines allowed"
    if kind == "choice":
        return "text: one of the allowed codes"
    if kind == "slug":
        return "text: a slug, and not a Windows device name (con, prn, aux, nul, com1-com9, lpt1-lpt9)"
    if kind == "address":
        return "text: an http(s) address"
    if kind == "per-language":
        return f"{kind_text(shape.item.shape)} per site language"
    if kind == "list":
        item = shape.item.shape
        return "list of mappings (keys below)" if item.kind == "mapping" else f"list; each item: {kind_text(item)}"
    if kind == "mapping":
        return "mapping (keys below)"
    if kind == "key mapping":
        item = shape.item.shape
        value = "a mapping (keys below)" if item.kind in CONTAINERS else kind_text(item)
        return f"mapping of {shape.key_name} to {value}"
    if kind == "one of":
        return ", or ".join(kind_text(choice.shape) for choice in shape.choices)
    return kind


def _facts(shape: Shape) -> list[tuple[str, str]]:
    """What a shape itself limits: (label, text) pairs."""
    limits = dict(shape.limits)
    said = []
    if "max_chars" in limits:
        said.append(f"at most {limits['max_chars']:,} characters")
    if "max_items" in limits:
        low = limits.get("min_items", 0)
        if low == limits["max_items"]:
            said.append(f"exactly {low} items")
        else:
            said.append(f"{low} to {limits['max_items']:,} items" if low else f"at most {limits['max_items']:,} items")
    if "max_keys" in limits:
        said.append(f"at most {limits['max_keys']:,} keys")
    if "minimum" in limits:
        said.append(f"at least {limits['minimum']:,}")
    facts = [("Limits", "; ".join(said))] if said else []
    if shape.allowed:
        facts.append(("Allowed", ", ".join(f"`{value}`" for value in shape.allowed)))
    elif shape.pattern:
        facts.append(("Pattern", f"`{shape.pattern}`" + (f" ({shape.hint})" if shape.hint else "")))
    elif shape.hint:
        facts.append(("Written as", shape.hint))
    return facts


def _leaves(shape: Shape) -> list[tuple[str, Shape]]:
    """The values within a key that have no key of their own: a list's items, a mapping's keys, ..."""
    if shape.kind == "list" and shape.item.shape.kind != "mapping":
        return [("Each item", shape.item.shape), *_leaves(shape.item.shape)]
    if shape.kind == "per-language":
        return [("Each text", shape.item.shape)]
    if shape.kind == "key mapping":
        keys = [("Each key", shape.key.shape)]
        item = shape.item.shape
        return keys if item.kind in CONTAINERS else [*keys, ("Each value", item), *_leaves(item)]
    if shape.kind == "one of":
        return [leaf for choice in shape.choices for leaf in _leaves(choice.shape) or [("Each text", choice.shape)]]
    return []


def yaml_text(value) -> str:
    """A value as YAML writes it in flow style, on one line: [en, fr], {en: Region}, "{value}%"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(each) for each in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_text(key)}: {yaml_text(each)}" for key, each in value.items()) + "}"
    if PLAIN.fullmatch(value) and value.lower() not in YAML_WORDS and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)
