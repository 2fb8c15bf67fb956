"""Configuration files read as data: YAML with plain values only, and the line of every key.

PyYAML's safe loader still builds whatever a file asks for: a ~600-byte "billion laughs" of aliases
becomes ten million list items, `!!binary` gives bytes, `!!set` a set, a date a datetime.date and
`.nan` a float NaN. This reader gives only mappings with text keys, lists, text, whole numbers,
finite numbers, booleans and null; a date stays text, for the strict reader to read. It refuses, with
the line: explicit tags other than the plain ones, merge keys, a mapping key given twice, an alias
that refers to itself, and any document that, with its aliases expanded, holds more than MAX_NODES
values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..problems import InputError, Problem

MAX_BYTES = 1 << 20  # a configuration file is a page or two; a megabyte is already suspicious
MAX_NODES = 10_000  # values in the document once its aliases are expanded
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader without the implicit timestamp: '2026-11-22' stays text. libyaml's parser where
    PyYAML has it (the nodes, their lines and the values are the same; 0.02 s for the site's and the
    generator's files, where the pure-Python parser took 0.19 s of every build)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDocument:
    """A configuration file's values, and the line of each key path ('title.vi', 'bars[0].parts')."""

    file: str
    value: object
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rsplit(".", 1)[0] if "." in path else path.rsplit("[", 1)[0] if "[" in path else ""
        return self.lines.get("", None)

    def problem(self, path: str, rule: str, found: str, hint: str = "") -> Problem:
        return Problem(self.file, self.line(path), path or None, rule, found, hint, unit="line")


def read_yaml(path: Path, file: str) -> YamlDocument:
    """The document, or InputError naming the line and the rule it breaks."""

    def fail(line, rule, found, hint=""):
        raise InputError([Problem(file, line, None, rule, found, hint, unit="line")])

    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        fail(None, "yaml-too-large", f"{len(raw):,} bytes, more than {MAX_BYTES:,}", "a configuration file is short")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(None, "encoding", f"not UTF-8 (byte {raw[error.start]:#04x} at offset {error.start})", "save as UTF-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = str(getattr(error, "problem", None) or error).splitlines()[0]
        fail(mark.line + 1 if mark else None, "yaml", f"not valid YAML: {reason}")
    finally:
        loader.dispose()
    document = YamlDocument(file, None)
    if node is None:
        return document
    counter = _Counter(file)
    counter.count(node)
    document.value = _Builder(loader, document).build(node, "")
    return document


class _Counter:
    """Walks the node graph once per node, refusing cycles, foreign tags and a too large expansion."""

    def __init__(self, file: str):
        self.file = file
        self.sizes: dict[int, int] = {}
        self.open: set[int] = set()

    def fail(self, node, rule: str, found: str, hint: str = ""):
        raise InputError([Problem(self.file, node.start_mark.line + 1, None, rule, found, hint, unit="line")])

    def count(self, node) -> int:
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if key in self.open:
            self.fail(node, "yaml-alias", "an alias refers to the value that holds it", "write the value out")
        if node.tag not in PLAIN_TAGS:
            what = "merge keys (<<)" if node.tag.endswith(":merge") else f"the tag {node.tag}"
            self.fail(node, "yaml-tag", f"{what} is not allowed", "write plain text, numbers, lists and mappings")
        self.open.add(key)
        size = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                size += self.count(key_node) + self.count(value_node)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                size += self.count(item)
        self.open.discard(key)
        if size > MAX_NODES:
            self.fail(
                node,
                "yaml-too-large",
                f"with its aliases expanded, the document holds more than {MAX_NODES:,} values",
                "write the values out instead of repeating aliases",
            )
        self.sizes[key] = size
        return size


class _Builder:
    def __init__(self, loader: _Loader, document: YamlDocument):
        self.loader, self.document = loader, document

    def fail(self, node, path: str, rule: str, found: str, hint: str = ""):
        line = node.start_mark.line + 1
        raise InputError([Problem(self.document.file, line, path or None, rule, found, hint, unit="line")])

    def build(self, node, path: str):
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, f"{path}.(key)" if path else "(key)")
                if not isinstance(key, str):
                    self.fail(key_node, path, "yaml-key", f"the key {key!r} is not text", "write keys as words")
                if key in out:
                    self.fail(key_node, _join(path, key), "yaml-duplicate-key", "the key is given twice")
                out[key] = self.build(value_node, _join(path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{path}[{index}]") for index, item in enumerate(node.value)]
        value = self.loader.construct_object(node)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(node, path, "yaml-number", f"{node.value} is not a finite number")
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
