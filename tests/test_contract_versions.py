"""The contract between a project and the generator: versioned, neutral, with a tested way up.

The fixture project-made-by-odportal-1.0.0/ is what `odportal new` of release 1.0.0 wrote (en, fr), as
it wrote it. This generator reads it, says what to change, line by line; done either way the hints
offer (the contract's names, or the project's own kept through site.yml), the project validates and
builds, with the names it chose in its files and addresses.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_scripts import __version__
from build_scripts.config.migrations import CHANGES, RenamedColumn, RenamedText, major

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MADE_BY_1_0_0 = FIXTURES / "project-made-by-odportal-1.0.0"
PROBLEM = re.compile(
    r"^(?P<file>\S+): (?:row|line) (?P<line>\d+)(?:, (?:column|key) (?P<where>\S+))?: \[(?P<rule>[a-z-]+)\]"
)


def odportal(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", *map(str, args)], cwd=cwd, capture_output=True, text=True
    )


def problems(output: str) -> set[tuple[str, str, str]]:
    """(file, rule, column or key) of each problem printed."""
    found = set()
    for line in output.splitlines():
        match = PROBLEM.match(line)
        if match:
            found.add((Path(match["file"]).name, match["rule"], match["where"] or ""))
    return found


@pytest.fixture
def old_project(tmp_path: Path) -> Path:
    project = tmp_path / "portal"
    shutil.copytree(MADE_BY_1_0_0, project)
    return project


def rename_column(path: Path, old: str, new: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0] = [new if c == old else c for c in rows[0]]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def edit_site(project: Path, edit) -> None:
    path = project / "data" / "site.yml"
    site = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(site)
    path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rename_texts(site: dict) -> None:
    for change in CHANGES:
        if isinstance(change, RenamedText):
            for words in site.get("texts", {}).values():
                if change.old in words:
                    words[change.new] = words.pop(change.old)


def built_fields(project: Path, site: Path) -> dict[str, list[str]]:
    """Build the project into site; resource -> its fields, as the published descriptor names them."""
    result = odportal("build", "--project", project, "--out", site, "--work", site.parent / "work", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    descriptor = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}


def test_the_fixture_is_what_release_1_0_0_wrote():
    site = yaml.safe_load((MADE_BY_1_0_0 / "data" / "site.yml").read_text(encoding="utf-8"))
    assert "generator_version" not in site  # 1.0.0 wrote none: the key came with 2.0.0
    assert major(__version__) == 2


def test_validate_says_each_change_a_project_made_for_1_0_0_must_make(old_project):
    result = odportal("validate", "--project", old_project, cwd=old_project)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    found = problems(result.stdout + result.stderr)
    expected = {
        ("places.csv", "contract-renamed-column", "gso_code"),
        ("indicators.csv", "contract-renamed-column", "pillar"),
        ("site.yml", "contract-moved-pages", ""),
        ("site.yml", "contract-older", "generator_version"),
    }
    # French is no catalogue of the generator's: 1.0.0 wrote every interface text into site.yml
    expected |= {
        ("site.yml", "contract-renamed-text", f"texts.fr.{c.old}") for c in CHANGES if isinstance(c, RenamedText)
    }
    assert found == expected, result.stdout + result.stderr
    assert "set generator_version: 2.0.0" in result.stdout + result.stderr
    assert "nothing was written" in result.stdout + result.stderr


def test_done_with_the_contracts_names_the_project_validates_and_builds_with_them(old_project, tmp_path):
    for change in CHANGES:
        if isinstance(change, RenamedColumn):
            rename_column(old_project / "data" / f"{change.resource}.csv", change.old, change.new)

    def to_2_0_0(site):
        rename_texts(site)
        site["topic_page_prefix"] = "topic-"
        site["generator_version"] = __version__

    edit_site(old_project, to_2_0_0)
    fields = built_fields(old_project, tmp_path / "site")
    assert "statistics_code" in fields["places"] and "gso_code" not in fields["places"]
    assert "topic" in fields["indicators"] and "pillar" not in fields["indicators"]
    assert (tmp_path / "site" / "indicators" / "topic-access" / "index.html").is_file()
    assert not (tmp_path / "site" / "indicators" / "pillar-access").exists()


def test_keeping_its_own_names_the_project_publishes_them_and_keeps_its_addresses(old_project, tmp_path):
    def keep_names(site):
        rename_texts(site)
        site["columns"] = {"places": {"statistics_code": "gso_code"}, "indicators": {"topic": "pillar"}}
        site["topic_page_prefix"] = "pillar-"
        site["generator_version"] = __version__

    edit_site(old_project, keep_names)
    site = tmp_path / "site"
    fields = built_fields(old_project, site)
    assert "gso_code" in fields["places"] and "statistics_code" not in fields["places"]
    assert "pillar" in fields["indicators"] and "topic" not in fields["indicators"]
    header = (site / "downloads" / "indicators.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "pillar" in header and "topic" not in header
    api = json.loads((site / "api" / "indicators.json").read_text(encoding="utf-8"))
    first = api["indicators"][0]
    assert first["pillar"] == "access" and "topic" not in first
    assert (site / "indicators" / "pillar-access" / "index.html").is_file()
    # an identifier may not take the topic pages' prefix the project chose
    rows = (old_project / "data" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    (old_project / "data" / "indicators.csv").write_text(
        "\n".join([rows[0], rows[1].replace("household-internet-share", "pillar-internet", 1)]) + "\n", encoding="utf-8"
    )
    refused = odportal("validate", "--project", old_project, cwd=old_project)
    assert ("indicators.csv", "reserved-id", "indicator_id") in problems(refused.stdout + refused.stderr)


def test_a_project_made_for_a_newer_major_version_is_told_which_generator_to_install(old_project):
    edit_site(old_project, lambda site: site.update(generator_version=f"{major(__version__) + 1}.0.0"))
    result = odportal("validate", "--project", old_project, cwd=old_project)
    assert problems(result.stdout + result.stderr) == {("site.yml", "contract-newer", "generator_version")}
    assert f"pip install 'odportal>={major(__version__) + 1}.0.0" in result.stdout + result.stderr


def test_a_kept_column_name_may_not_be_another_fields(old_project):
    def collide(site):
        rename_texts(site)
        site.update(generator_version=__version__, topic_page_prefix="topic-")
        site["columns"] = {"places": {"statistics_code": "level"}, "indicators": {"topic": "pillar"}}

    edit_site(old_project, collide)
    result = odportal("validate", "--project", old_project, cwd=old_project)
    assert ("site.yml", "config-column-taken", "columns.places.statistics_code") in problems(
        result.stdout + result.stderr
    )


WORLD = FIXTURES / "datasets" / "world"  # population: neither higher nor lower is better


def test_an_indicator_where_neither_direction_is_better_says_none(built_example):
    site = built_example("gapminder")
    population = (site / "indicators" / "population" / "index.html").read_text(encoding="utf-8")
    life = (site / "indicators" / "life-expectancy" / "index.html").read_text(encoding="utf-8")
    assert "Higher is better" in life and "Higher is better" not in population
    api = {i["indicator_id"]: i for i in json.loads((site / "api" / "indicators.json").read_text())["indicators"]}
    assert api["population"]["higher_is_better"] is None and api["life-expectancy"]["higher_is_better"] is True
    descriptor = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    field = next(f for f in indicators["schema"]["fields"] if f["name"] == "higher_is_better")
    assert "required" not in field.get("constraints", {})


def test_a_target_needs_a_direction(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(WORLD, data)
    with (data / "observations.csv").open("a", encoding="utf-8", newline="") as f:
        f.write("population,AFG,2030,target,50000000,,false,plotly-gapminder,2,50000000,,\n")
    result = odportal("validate", "--data", data, cwd=tmp_path)
    assert ("observations.csv", "target-without-direction", "kind") in problems(result.stdout + result.stderr)
