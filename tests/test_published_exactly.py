"""What is published is exactly what a clean build of the project makes (issue 29: points 1-4 and 7):
nothing from outside the project is read into the site; every edit of an input (a hand-written page,
an asset, a file mkdocs.yml INHERITs, a variable its !ENV reads) reaches the site and nothing else does,
whatever was tampered with in the published site; a damaged work folder is never fatal.

Each case is tried on a starter project (`new`) and its rebuild compared with a clean build of the
same inputs in folders of their own (rebuild_fuzz.py, whose random sequences test_rebuild_property.py
runs)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rebuild_fuzz import VARIABLE, cli, difference, make_project, same_size_edit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


def build(project: Path, env: dict | None = None, out: Path | None = None, work: Path | None = None):
    out, work = out or project / "site", work or project / "build"
    return cli("build", "--project", project, "--out", out, "--work", work, env=env or {})


def built(project: Path, env: dict | None = None) -> str:
    result = build(project, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def assert_as_clean(project: Path, env: dict | None = None) -> None:
    clean = project.parent / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    result = build(project, env, clean / "site", clean / "work")
    assert result.returncode == 0, result.stdout + result.stderr
    wrong = difference(project / "site", clean / "site")
    assert wrong is None, wrong


# ---------------------------------------------------------------- 1. nothing from outside the project


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.md").write_text("# Secret\n\nTOKEN-OF-THE-RUNNER\n", encoding="utf-8")
    (folder / "inside.md").write_text("# Inside a linked folder\n", encoding="utf-8")
    return folder


LINKS = {
    "a page": ("docs/en/about.md", "secret.md"),
    "an asset": ("docs/assets/leak.txt", "secret.md"),
    "a folder of assets": ("docs/assets/leakdir", "."),
    "a folder of pages": ("docs/en/more", "."),
    "a data file": ("data/sources.csv", "secret.md"),
    "the build's environment": ("docs/assets/environ.txt", "/proc/self/environ"),
}


@pytest.mark.parametrize("case", LINKS, ids=list(LINKS))
def test_a_link_out_of_the_project_is_refused_by_validate_and_build_naming_it(project, elsewhere, case):
    where, target = LINKS[case]
    link = project / where
    if link.exists():
        link.unlink()
    link.symlink_to(target if target.startswith("/") else elsewhere / target)
    for command in (["validate", "--project", project], ["build", "--project", project]):
        result = cli(*command, env={})
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"{where}: [path-outside-project]" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (project / "site").exists(), "nothing is published"


def test_an_inherit_out_of_the_project_is_refused(project, elsewhere):
    (elsewhere / "base.yml").write_text("repo_name: from elsewhere\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("INHERIT: base.yml", "INHERIT: ../elsewhere/base.yml"))
    result = cli("build", "--project", project, env={})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mkdocs.yml, key INHERIT: [path-outside-project]" in result.stderr, result.stderr


def test_a_named_pipe_is_refused_without_waiting_for_it(project):
    os.mkfifo(project / "docs" / "assets" / "pipe.txt")
    result = subprocess.run(
        [sys.executable, "-m", "build_scripts", "build", "--project", project],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/assets/pipe.txt: [path-outside-project] not a regular file" in result.stderr


def test_a_link_that_stays_inside_the_project_builds(project):
    (project / "docs" / "en" / "about.md").unlink()
    (project / "docs" / "en" / "about.md").symlink_to("../fr/about.md")
    built(project)
    assert (project / "site" / "about" / "index.html").is_file()


# ---------------------------------------------------------------- 2. every input, and nothing else


def test_an_edit_of_the_hand_written_home_page_reaches_the_site(project):
    built(project)
    page = project / "docs" / "en" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by hand.\n", encoding="utf-8")
    built(project)
    assert "A sentence added by hand." in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert_as_clean(project)


def test_an_asset_deleted_from_the_project_is_no_longer_published(project):
    built(project)
    assert (project / "site" / "assets" / "note-0.txt").is_file()
    (project / "docs" / "assets" / "note-0.txt").unlink()
    built(project)
    assert not (project / "site" / "assets" / "note-0.txt").exists()
    assert not (project / "site" / "fr" / "assets" / "note-0.txt").exists()
    assert_as_clean(project)


def test_an_edit_of_the_file_mkdocs_yml_inherits_reaches_the_site(project):
    built(project)
    (project / "base.yml").write_text("repo_name: Repository of the edited base\n", encoding="utf-8")
    said = built(project)
    assert "nothing changed" not in said
    assert "Repository of the edited base" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert_as_clean(project)


def test_a_changed_variable_that_mkdocs_yml_reads_reaches_the_site(project):
    built(project)
    env = {VARIABLE: "https://example.org/another-repository"}
    said = built(project, env)
    assert "nothing changed" not in said
    assert "https://example.org/another-repository" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert_as_clean(project, env)


@pytest.mark.parametrize("published", ["index.html", "downloads/observations.csv", "fr/places/ex/index.html"])
def test_a_published_file_edited_in_place_with_its_size_and_time_kept_is_put_right(project, published):
    built(project)
    target = project / "site" / published
    before = target.read_bytes()
    same_size_edit(target, random.Random(1))
    assert target.read_bytes() != before and target.stat().st_size == len(before)
    said = built(project)
    assert "the published site was changed since the last build" in said, said
    assert target.read_bytes() == before
    assert_as_clean(project)
    assert "nothing changed since the last build" in built(project)


def test_a_file_added_to_the_published_site_is_removed(project):
    built(project)
    (project / "site" / "stray.html").write_text("<p>not built</p>", encoding="utf-8")
    built(project)
    assert not (project / "site" / "stray.html").exists()


# ---------------------------------------------------------------- 3. a damaged work folder


STATE_FILES = {  # each with a damage a power loss or a full disk can leave
    "cache/generated.json": "empty",
    "last-build.json": "truncated",
    "cache/html/en/kept.json": "empty",
    "cache/downloads/kept.json": "truncated",
    "cache/database/state.json": "empty",
    "cache/frictionless-passed": "truncated",
}
DAMAGE = {"empty": lambda content: b"", "truncated": lambda content: content[: len(content) // 2]}


def change_value(project: Path) -> None:
    """The first figure, printed and read one tenth higher: every kind of output is made again."""
    path = project / "data" / "observations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            ",81.5,,false,example-survey-2024,3,81.5%,", ",81.6,,false,example-survey-2024,3,81.6%,"
        )
    )


@pytest.mark.parametrize("state_file", STATE_FILES)
def test_a_damaged_state_file_is_discarded_with_a_notice_and_the_site_built_whole(project, state_file):
    built(project)
    change_value(project)
    path = project / "build" / state_file
    path.write_bytes(DAMAGE[STATE_FILES[state_file]](path.read_bytes()))
    said = built(project)
    notices = [line for line in said.splitlines() if "notice:" in line]
    if state_file.endswith(".json"):  # a digest that does not match (frictionless-passed) is simply not trusted
        assert notices and state_file.split("/")[-1] in notices[0], said
    assert "81.6" in (project / "site" / "downloads" / "observations.csv").read_text(encoding="utf-8")
    assert_as_clean(project)


def test_a_truncated_chart_drawing_in_the_cache_is_drawn_again(project):
    built(project)
    drawing = sorted((project / "build" / "cache" / "charts").glob("*.en.svg"))[0]
    content = drawing.read_bytes()
    os.unlink(drawing)  # its own inode: the published copy keeps its bytes, as after a power loss
    drawing.write_bytes(content[: len(content) // 2])
    page = project / "docs" / "en" / "about.md"  # a change elsewhere, so that the build runs
    page.write_text(page.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    built(project)
    assert_as_clean(project)


# ---------------------------------------------------------------- 7. small wrongs


@pytest.mark.parametrize("languages", ["en", "en,fr,es"])
def test_robots_txt_names_exactly_the_sitemaps_the_site_has(tmp_path, languages):
    project = tmp_path / "portal"
    assert cli("new", project, "--languages", languages, env={}).returncode == 0
    site = project / "site"
    built(project)
    named = {
        line.split(": ", 1)[1].removeprefix("https://example.org/")
        for line in (site / "robots.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("Sitemap: ")
    }
    present = {p.relative_to(site).as_posix() for p in site.rglob("sitemap.xml")}
    assert named == present and len(present) == len(languages.split(","))


# ---------------------------------------------------------------- 4. configuration and environment

TAG = "<img src=x onerror=__pwned=1><script>__pwned=2</script>"
# tags, a title's end, Markdown links and attributes, an entity: each must read as written, none run
MARKUP = TAG + " </title><b onclick=__pwned=3>b</b> [a](javascript:__pwned=4) ![i](javascript:__pwned=5)"
MARKUP += ' {: onclick="__pwned=6" } &lt;'
OUT_OF_ATTRIBUTE = '" onmouseover="__pwned=1" data-x="\'< 5 & more'  # no tag: breaks out of an attribute or nothing


def texts_with(project: Path, suffix: str) -> list[str]:
    """Every interface text of the starter's language that is words (not a code, a list or a pattern
    with fields) given in site.yml with suffix after it, its braces doubled where the text has fields
    (so that every text reads as its own text and suffix); the keys given."""
    import yaml

    from build_scripts.config.rules import CODED_TEXTS

    english = yaml.safe_load((ROOT / "build_scripts" / "site" / "texts" / "en.yml").read_text(encoding="utf-8"))
    keys = [k for k, v in english.items() if isinstance(v, str) and k not in CODED_TEXTS]
    path = project / "data" / "site.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    doubled = suffix.replace("{", "{{").replace("}", "}}")
    given = {key: english[key] + (doubled if "{" in english[key] else suffix) for key in keys}
    config.setdefault("texts", {})["en"] = given
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return keys


def live_markup(site: Path) -> list[str]:
    """What would run or navigate on any page of site (test_escaping.Page); a text in a table cell's
    data-label, where the cell names its column for phones, is text."""
    from test_escaping import Page

    live = []
    for path in sorted(site.rglob("*.html")):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        live += [f"{path.relative_to(site)}: {item}" for item in page.live if "data-label=" not in item]
    return live


def site_with_every_text_ending(tmp_path: Path, suffix: str) -> Path:
    """A starter project built with suffix after every interface text that is words; its site, once no
    page was found to hold live markup."""
    project = tmp_path / "portal"
    assert cli("new", project, env={}).returncode == 0
    assert len(texts_with(project, suffix)) > 100
    built(project)
    live = live_markup(project / "site")
    assert not live, f"{len(live)} live, such as {live[:8]}"
    return project


def test_markup_in_every_interface_text_reads_as_written_on_every_page(tmp_path):
    from test_escaping import Page

    project = site_with_every_text_ending(tmp_path, MARKUP)
    english = yaml_file(ROOT / "build_scripts" / "site" / "texts" / "en.yml")
    pages = {}
    for name in ("about", "data", "search"):  # a hand-written page titled by the navigation, generated pages
        pages[name] = Page()
        pages[name].feed((project / "site" / name / "index.html").read_text(encoding="utf-8"))
    assert pages["about"].title.startswith(english["about"] + MARKUP + " - ")
    assert english["package_standard_value"] + MARKUP in pages["data"].text
    assert english["licence"] + MARKUP + ":" in pages["search"].text  # the footer's, from the theme


def yaml_file(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", ["All of {n", "All ({count})", "All ({n:>5})", "All ({n.__class__})", "All ({})"])
def test_a_text_with_a_field_the_generator_does_not_fill_in_is_refused_naming_its_key(project, text):
    import yaml

    path = project / "data" / "site.yml"
    config = yaml_file(path)
    config.setdefault("texts", {})["en"] = {"all_in_topic": text, "search": "Search {: all }"}  # the latter: no fields
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("validate", "--project", project, env={})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    refused = [line for line in result.stderr.splitlines() if "[config-text-fields]" in line]
    assert len(refused) == 1 and "data/site.yml: line" in refused[0], result.stderr
    assert "key texts.en.all_in_topic: [config-text-fields]" in refused[0] and "{n}" in refused[0]


def test_quotes_and_signs_in_every_interface_text_stay_text_in_every_page(tmp_path):
    site_with_every_text_ending(tmp_path, OUT_OF_ATTRIBUTE)


ENVIRONMENT = {
    "a site address with markup": ({"SITE_URL": 'https://example.org/x"><script>__pwned=1</script>'}, "SITE_URL"),
    "a site address without a scheme": ({"SITE_URL": "example.org/portal/"}, "SITE_URL"),
    "a date that is not a number": ({"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH"),
    "a date before 1970": ({"SOURCE_DATE_EPOCH": "-1"}, "SOURCE_DATE_EPOCH"),
    "a date past a gzip header's": ({"SOURCE_DATE_EPOCH": "4294967296"}, "SOURCE_DATE_EPOCH"),
    "a date in exponent notation": ({"SOURCE_DATE_EPOCH": "1e9"}, "SOURCE_DATE_EPOCH"),
    "a date of many digits": ({"SOURCE_DATE_EPOCH": "9" * 400}, "SOURCE_DATE_EPOCH"),
}


@pytest.mark.parametrize("case", ENVIRONMENT, ids=list(ENVIRONMENT))
def test_an_environment_the_build_cannot_use_is_refused_in_one_line_naming_the_variable(project, case):
    env, variable = ENVIRONMENT[case]
    for command in ("validate", "build"):
        result = cli(command, "--project", project, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith(f"{variable} (environment): ["), result.stderr
        assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_site_url_in_mkdocs_yml_without_a_scheme_is_refused_naming_the_key(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('"https://example.org/"', '"example.org"'))
    result = cli("validate", "--project", project, env={})
    assert result.returncode == 1 and "mkdocs.yml, key site_url: [site-url]" in result.stderr, result.stderr
