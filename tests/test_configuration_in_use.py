"""The configuration a build works with: passed to the stages (Portal.config and arguments), and in use
for the words and columns only inside the block of the build, a validation or a test (`using`)."""

from __future__ import annotations

import ast

import pytest
from conftest import EXAMPLES, ROOT

from build_scripts.config.load import load_site
from build_scripts.config.site import current, using
from build_scripts.data import schema
from build_scripts.pipeline import build_site, validate_data
from build_scripts.site.i18n import languages, t

# The leaves that read the configuration in use where they are, not from an argument: the words of a
# language (357 calls in 97 functions of 26 modules) and the tables' columns (32 calls in 27 functions)
LEAVES = {"site/i18n.py", "data/schema.py"}
WORLD = EXAMPLES / "gapminder" / "data"


def _reading(name: str) -> set[str]:
    """The modules of build_scripts that call a function of this name."""
    found = set()
    for path in (ROOT / "build_scripts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
                found.add(path.relative_to(ROOT / "build_scripts").as_posix())
    return found


def test_only_the_leaves_read_the_configuration_in_use():
    assert _reading("current") <= LEAVES | {"config/site.py"}, "a stage reads current(): pass it the config"
    assert _reading("activate") <= {"config/load.py"}, "the build sets no configuration outside a block"


def test_a_block_puts_its_configuration_in_use_and_the_one_before_back_even_when_it_fails():
    before, world = current(), load_site(WORLD)
    assert world.languages != before.languages
    with using(world):
        assert current() is world and languages() == world.languages
        with using(before):
            assert current() is before
        assert current() is world
    assert current() is before
    with pytest.raises(ZeroDivisionError), using(world):
        1 / 0  # noqa: B018
    assert current() is before


def test_building_and_validating_another_portal_leaves_the_configuration_in_use_as_it_was(tmp_path):
    """Before, a build put its portal's configuration in use for good, and tests reset it by hand."""
    before = current()
    config, tables = validate_data(WORLD)
    assert config.languages == load_site(WORLD).languages and current() is before
    build_site(WORLD, tmp_path / "site", work=tmp_path / "work", run_mkdocs=False)
    assert current() is before
    assert set(tables["observations"].frame.columns) == set(schema.resource("observations", config).fields)


def test_a_portal_carries_its_own_configuration_to_the_stages():
    from build_scripts.data.load import load_tables
    from build_scripts.data.model import build_portal
    from build_scripts.data.package import canonical_csv, load_metadata
    from build_scripts.site.page_indicators import topic_page

    world = load_site(WORLD)
    with using(world):
        tables = load_tables(WORLD)
        files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
        portal = build_portal(world, tables, load_metadata(WORLD), files)
        topic = next(iter(world.topics))
        assert topic_page(portal.config, topic) == f"indicators/{world.topic_page_prefix}{topic}.md"
        assert t("indicators", world.languages[0]) == world.texts[world.languages[0]]["indicators"]
    assert portal.config is world and current() is not world
