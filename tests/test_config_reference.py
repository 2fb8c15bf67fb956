"""The configuration reference (CONFIGURATION.md) is made from the rules that check the files: it is fresh,
it names every key the rules accept and every key the real files use, a key added to the rules appears in
it, and each example it prints is one the rules accept."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml
from conftest import ROOT, run_cli

from build_scripts.config import files, reference, rules
from build_scripts.config.value_kinds import NO_VALUE, Context, key_path, text
from build_scripts.config.yamlfile import YamlDocument, _Loader, read_yaml

COMMITTED = ROOT / "CONFIGURATION.md"
LANGUAGES = ("en", "fr")  # the examples' languages


def _keys_of(check, path: str) -> set[str]:
    """Every key path a rule accepts, walked from the shapes' keys (lists as [], mappings of any keys as
    their placeholder)."""
    shape = check.shape
    found = set()
    for key, child, _ in shape.keys:
        found |= {key_path(path, key)} | _keys_of(child, key_path(path, key))
    if shape.kind == "list":
        found |= _keys_of(shape.item, f"{path}[]")
    if shape.kind == "key mapping" and shape.item.shape.kind in ("mapping", "key mapping"):
        inner = key_path(path, shape.key_name)
        found |= {inner} | _keys_of(shape.item, inner)
    return found


def _used_keys(value, check, path: str) -> set[str]:
    """The reference's paths of the keys a real file uses, found by walking the file beside its rule."""
    shape = check.shape
    found = set()
    if shape.kind == "mapping" and isinstance(value, dict):
        rules_of = {key: child for key, child, _ in shape.keys}
        for key, each in value.items():
            found.add(key_path(path, key))
            if key in rules_of:
                found |= _used_keys(each, rules_of[key], key_path(path, key))
    elif shape.kind == "list" and isinstance(value, list):
        for each in value:
            found |= _used_keys(each, shape.item, f"{path}[]")
    elif shape.kind == "key mapping" and isinstance(value, dict):
        if shape.item.shape.kind in ("mapping", "key mapping"):
            for each in value.values():
                found |= {key_path(path, shape.key_name)} | _used_keys(each, shape.item, key_path(path, shape.key_name))
    return found


def _headings(markdown: str) -> set[str]:
    return {line.split("`")[1] for line in markdown.splitlines() if line.startswith("#") and "`" in line}


def test_committed_configuration_md_is_the_rules_reference():
    assert COMMITTED.read_text(encoding="utf-8") == reference.reference_markdown(), (
        "CONFIGURATION.md is stale: run python -m build_scripts reference --out CONFIGURATION.md"
    )


def test_the_reference_command_writes_it_and_the_same_bytes_twice(tmp_path):
    for name in ("first.md", "second.md"):
        result = run_cli("reference", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "first.md").read_bytes() == (tmp_path / "second.md").read_bytes() == COMMITTED.read_bytes()
    printed = run_cli("reference")
    assert printed.returncode == 0 and printed.stdout == COMMITTED.read_text(encoding="utf-8")


def test_every_key_the_rules_accept_has_its_heading():
    markdown = reference.reference_markdown()
    headings = _headings(markdown)
    accepted = _keys_of(rules.SITE, "") | _keys_of(files.PACKAGE, "")
    for chart in files.CHARTS.values():
        accepted |= _keys_of(chart, "[]")
    assert {"units[].format", "number_formats.<lang>.qualifier_words", "[].bars[].parts", "spatial.bbox"} <= accepted
    assert sorted(accepted - headings) == []
    for entry in [*reference.entries(rules.SITE), *reference.entries(files.PACKAGE)]:
        assert entry.check.shape.doc, f"{entry.path} has no doc= on its rule"


@pytest.mark.parametrize(
    "folder", [ROOT / "data", *sorted(p / "data" for p in (ROOT / "examples").iterdir() if (p / "data").is_dir())]
)
def test_every_key_a_real_project_uses_is_in_the_reference(folder):
    headings = _headings(reference.reference_markdown())
    used = _used_keys(read_yaml(folder / "site.yml", "site.yml").value, rules.SITE, "")
    used |= _used_keys(read_yaml(folder / "package.yml", "package.yml").value, files.PACKAGE, "")
    if (folder / "overview.yml").exists():
        for chart in read_yaml(folder / "overview.yml", "overview.yml").value or []:
            used |= _used_keys(chart, files.CHARTS[chart["kind"]], "[]")
    assert "units[].id" in used
    assert sorted(used - headings) == []


def test_a_key_planted_in_the_rules_appears(monkeypatch):
    planted = text(max_chars=12, pattern="[a-z]+", hint="lower-case letters", doc="A planted key.", example="abc")
    shape = rules.SITE.shape
    monkeypatch.setattr(rules.SITE, "shape", replace(shape, keys=(*shape.keys, ("planted_key", planted, False))))
    markdown = reference.reference_markdown()
    assert (
        "### `planted_key`\n\nA planted key.\n\n- **Type:** text\n- **Required:** no\n"
        "- **Limits:** at most 12 characters\n- **Pattern:** `[a-z]+` (lower-case letters)\n- **Example:** `abc`\n"
    ) in markdown
    assert markdown.index("`texts.<lang>`") < markdown.index("`planted_key`") < markdown.index("## data/package.yml")


def test_rows_say_what_the_rules_check():
    markdown = reference.reference_markdown()
    assert (
        "### `units[].id`\n\nThe unit's identifier (indicators.csv unit).\n\n- **Type:** text\n- **Required:** yes\n"
        "- **Limits:** at most 40 characters\n- **Pattern:** `[A-Za-z0-9_]+` (letters, digits and '_')\n"
        "- **Example:** `percent`\n"
    ) in markdown
    assert (
        '### `units[].scaled`\n\nLarge values are written with scale words ("1.9 million").\n\n'
        "- **Type:** true/false\n- **Required:** no; default `true`\n- **Example:** `false`\n"
    ) in markdown
    assert "- **Required:** no; default `104857600`" in markdown  # publishing.max_file_bytes: site.py's constant
    assert "- **Limits:** 1 to 12 items\n- **Each item:** at most 20 characters\n- **Example:** `[en, fr]`" in markdown
    assert "- **Limits:** exactly 4 items\n- **Written as:** [west, south, east, north]" in markdown  # spatial.bbox


def test_each_example_and_default_is_one_the_rules_accept_and_reads_back_as_printed():
    checked = 0
    for entry in [*reference.entries(rules.SITE), *reference.entries(files.PACKAGE)] + [
        each for chart in files.CHARTS.values() for each in reference._within(chart, "[]")
    ]:
        shape = entry.check.shape
        for value in (shape.example, shape.default):
            if value is NO_VALUE:
                continue
            ctx = Context(YamlDocument("example.yml", value), LANGUAGES)
            entry.check(value, entry.path, ctx)
            assert ctx.problems == [], f"{entry.path}: {value!r}"
            assert yaml.load(reference.yaml_text(value), Loader=_Loader) == value, entry.path
            checked += 1
        inner = shape.item.shape.kind if shape.item else ""
        holds_keys = shape.kind == "mapping" or inner in ("mapping", "key mapping")
        assert holds_keys or shape.example is not NO_VALUE, f"{entry.path} has no example"
    assert checked > 60
