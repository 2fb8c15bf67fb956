"""The per-language MkDocs configurations (build/mkdocs.<lang>.yml) are flat and portable: no INHERIT,
no absolute path, every path relative to the configuration's folder. So MkDocs reads them as it read
the inheriting ones, and Zensical (Material's successor, which reads mkdocs.yml but refuses INHERIT:
"docs_dir must be within project root") builds the same pages from them.

Zensical 0.0.73 (the newest installable here: 0.1.x need zensical-ui, which the registry does not
serve) prints no warning on the fixture portal: "Build started", "No issues found", "Build finished
in 2.5s" for each language; so it is run with --strict, which fails on any warning."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import mergedeep
import pytest
import yaml
from conftest import ROOT, run_cli

from build_scripts.engine import OVERRIDES, merged, project_config

AFTER_MKDOCS = {"downloads", "api", "pagefind"}  # what the build adds to the site once MkDocs has run


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture portal built into its own folder: (site, work folder holding mkdocs.<lang>.yml)."""
    base = tmp_path_factory.mktemp("zensical")
    result = run_cli("build", "--out", base / "site", "--work", base / "work")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "site", base / "work"


def configs(work: Path) -> dict[str, Path]:
    found = {path.name.split(".")[1]: path for path in sorted(work.glob("mkdocs.*.yml"))}
    assert found, f"no mkdocs.<lang>.yml in {work}"
    return found


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def test_configurations_are_flat_and_relative(built):
    site, work = built
    for lang, path in configs(work).items():
        text = path.read_text(encoding="utf-8")
        config = yaml.safe_load(text)
        assert "INHERIT" not in config and "INHERIT" not in text
        assert "!ENV" not in text and config["site_url"].startswith("http")
        absolute = [value for value in leaves(config) if isinstance(value, str) and os.path.isabs(value)]
        assert absolute == [], f"{path.name}: absolute paths {absolute}"
        assert str(work) not in text  # (the generator's overrides are reached by ../, through ROOT's own name)
        # the keys of mkdocs.yml that no language sets are there as they are
        project = project_config(ROOT / "mkdocs.yml")
        assert config["markdown_extensions"] == project["markdown_extensions"]
        assert config["theme"]["palette"] == project["theme"]["palette"]
        assert config["theme"]["language"] == lang


def test_mkdocs_reads_the_paths_from_the_configuration_folder(built):
    """MkDocs resolves docs_dir, site_dir and theme.custom_dir against the configuration's folder
    (mkdocs/config/config_options.py: FilesystemObject and Theme), whatever the working folder: the
    build ran it from the repository, this reads it from elsewhere. (Every test that builds the site
    also builds it with MkDocs from these configurations.)"""
    from mkdocs.config import load_config

    site, work = built
    here = Path.cwd()
    try:
        os.chdir(work.parent)
        for lang, path in configs(work).items():
            config = load_config(config_file=str(path))
            assert config["docs_dir"] == str(work / "docs" / lang)
            assert config["site_dir"] == str(work / "staging" / f"site-{lang}")
            assert os.path.realpath(OVERRIDES) in [os.path.realpath(folder) for folder in config["theme"].dirs]
    finally:
        os.chdir(here)


def test_merge_is_mkdocs_inherit_merge():
    """merged() is what MkDocs does with an INHERIT (mergedeep.merge, REPLACE): mappings merged key by
    key, lists and scalars replaced, the parent's key order kept."""
    parent = project_config(ROOT / "mkdocs.yml")
    child = {
        "site_name": "x",
        "theme": {"language": "en", "custom_dir": "../overrides", "features": ["navigation.top"]},
        "extra": {"alternate": [], "footer": {"a": 1}},
        "markdown_extensions": ["tables"],
        "nav": [{"Home": "index.md"}],
    }
    expected = mergedeep.merge(copy.deepcopy(parent), child)
    result = merged(parent, child)
    assert result == expected and list(result) == list(expected)
    assert list(result["theme"]) == list(expected["theme"])
    assert parent == project_config(ROOT / "mkdocs.yml"), "merged() changed its base"


def test_env_tag_resolves_as_read_site_url(tmp_path, monkeypatch):
    (tmp_path / "base.yml").write_text('site_url: !ENV [SITE_URL, "https://example.org/a/"]\ntheme: {name: material}\n')
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\ntheme: {language: en}\n")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert project_config(tmp_path / "mkdocs.yml") == {
        "site_url": "https://example.org/a/",
        "theme": {"name": "material", "language": "en"},
    }
    monkeypatch.setenv("SITE_URL", "https://other.example/")
    assert project_config(tmp_path / "mkdocs.yml")["site_url"] == "https://other.example/"


def test_zensical_builds_every_page_mkdocs_built(built):
    site, work = built
    zensical = Path(sys.executable).parent / "zensical"
    assert zensical.is_file(), "Zensical is not installed: pip install -r requirements.txt"
    for lang, path in configs(work).items():
        # the same configuration, publishing elsewhere in the work folder (Zensical refuses a site_dir or a
        # docs_dir outside the configuration's folder; it also leaves its .cache/ there)
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config["site_dir"] = f"zensical-site-{lang}"
        output = work / config["site_dir"]
        copied = work / f"zensical.{lang}.yml"
        copied.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = subprocess.run(
            [str(zensical), "build", "--strict", "-f", str(copied)], capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout + result.stderr
        mkdocs_site = site / lang if config["extra"]["root_prefix"] else site  # the default language at the root
        others = {other for other in configs(work) if other != lang}
        pages = {
            page.relative_to(mkdocs_site)
            for page in mkdocs_site.rglob("index.html")
            if page.relative_to(mkdocs_site).parts[0] not in AFTER_MKDOCS | others
        }
        assert len(pages) > 20
        missing = sorted(str(page) for page in pages if not (output / page).is_file())
        assert missing == [], f"Zensical ({lang}) did not build {missing[:10]}"
