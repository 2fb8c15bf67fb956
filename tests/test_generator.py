"""The generator, as another public body uses it: `new` writes a project that builds as it is, and
site.yml (languages, topics, units, places, number formats) is checked like the data.

Nothing here reads data/: the projects are written by the scaffold into temporary folders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

VIETNAM_WORDS = re.compile(r"việt|vietnam|viet nam|tỉnh|ủy ban|province|vndx|/VNM|Đề án", re.IGNORECASE)


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("starter") / "portal"
    result = run_cli("new", folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def starter_site(starter) -> Path:
    result = run_cli("build", "--project", starter, "--archive", starter / "archive")
    assert result.returncode == 0, result.stdout + result.stderr
    return starter / "site"


def _copy(starter: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "portal"
    shutil.copytree(starter, target, ignore=shutil.ignore_patterns("site", "build"))
    return target


def _edit_site(project: Path, change) -> None:
    path = project / "data" / "site.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_starter_project_validates_with_its_archive(starter):
    result = run_cli("validate", "--project", starter, "--archive", starter / "archive")
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout and "NOT checked" not in result.stdout


def test_the_starter_project_builds_every_page_in_one_language(starter_site):
    for page in (
        "index.html",
        "indicators/household-internet-share/index.html",
        "places/ex-n/index.html",
        "sources/example-survey-2024/index.html",
        "data/index.html",
    ):
        assert (starter_site / page).is_file(), page
    home = (starter_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home
    assert not (starter_site / "en").exists(), "one language: no language folder"
    assert 'class="md-select' not in home, "one language: no language switcher"
    assert not (starter_site / "sessions").exists() and not (starter_site / "events").exists(), "no events"
    assert "81.5%" in (starter_site / "indicators/household-internet-share/index.html").read_text(encoding="utf-8")
    catalogue = (starter_site / "indicators" / "index.html").read_text(encoding="utf-8")
    assert "All indicators of this topic (1)" in catalogue  # one of one: no '1 indicators'
    assert not re.search(r"\b1 (indicators|places|rows)\b", catalogue + home)
    article = home[home.index("<article") : home.index("</article>")]
    for section in article.split("<h2")[1:]:  # no heading without a body (no overview.yml: no Overview)
        heading, _, body = section.partition("</h2>")
        assert re.sub(r"<[^>]+>|\s", "", body), f"an empty section: {heading}"


def test_the_starter_site_says_nothing_of_vietnam(starter_site):
    found = {}
    for path in starter_site.rglob("*"):
        if path.suffix in (".html", ".json", ".jsonld", ".csv", ".svg", ".xml", ".txt") and path.is_file():
            hits = VIETNAM_WORDS.findall(path.read_text(encoding="utf-8", errors="replace"))
            if hits:
                found[str(path.relative_to(starter_site))] = sorted(set(hits))
    assert not found, found


def test_a_language_without_texts_gets_english_copies_to_translate_and_builds(tmp_path):
    folder = tmp_path / "de-portal"
    assert run_cli("new", folder, "--languages", "de,en").returncode == 0
    config = yaml.safe_load((folder / "data" / "site.yml").read_text(encoding="utf-8"))
    assert config["languages"] == ["de", "en"] and "de" in config["texts"] and "en" not in config["texts"]
    assert config["texts"]["de"]["og_locale"] == "de_DE"  # not the English copy's en_GB
    result = run_cli("build", "--project", folder, "--archive", folder / "archive", "--no-mkdocs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "build" / "docs" / "de" / "index.md").is_file()
    assert (folder / "build" / "docs" / "en" / "index.md").is_file()


def test_a_language_code_with_a_region_validates(tmp_path):
    """'pt_BR' holds a '_': a column 'name_pt_BR' is the field 'name' in pt_BR (its last '_' split it)."""
    folder = tmp_path / "pt-portal"
    assert run_cli("new", folder, "--languages", "en,pt_BR").returncode == 0
    result = run_cli("validate", "--project", folder)
    assert result.returncode == 0 and "is valid" in result.stdout, result.stdout + result.stderr


def test_new_refuses_a_folder_that_is_not_empty_and_an_unknown_language(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    result = run_cli("new", tmp_path / "full")
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"
    result = run_cli("new", tmp_path / "other", "--languages", "en,zz-nope")
    assert result.returncode == 2 and "Babel" in result.stderr
    assert not (tmp_path / "other").exists()


# -------------------------------------------------- the starter as a repository that publishes itself

STARTER_WORKFLOW = Path(".github/workflows/publish.yml")


def _runs_on(event: str, condition: str | None) -> bool:
    """Whether a job or step with this `if:` runs on event (the two conditions the workflow uses)."""
    if condition is None:
        return True
    on_pull_request = {"github.event_name == 'pull_request'": True, "github.event_name != 'pull_request'": False}
    assert condition in on_pull_request, f"a condition this test cannot read: {condition}"
    return on_pull_request[condition] == (event == "pull_request")


def _steps_on(event: str, workflow: dict) -> dict[str, list[dict]]:
    return {
        name: [step for step in job["steps"] if _runs_on(event, step.get("if"))]
        for name, job in workflow["jobs"].items()
        if _runs_on(event, job.get("if"))
    }


def _pins(path: Path) -> dict[str, str]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    return dict(use.split("@") for use in uses)


def test_new_writes_a_repository_whose_workflow_passes_actionlint(starter):
    for name in ("README.md", "requirements.txt", ".gitignore", STARTER_WORKFLOW, "tests/test_project.py"):
        assert (starter / name).is_file(), name
    ignored = (starter / ".gitignore").read_text(encoding="utf-8").split()
    assert {"build/", "site/", ".venv/", "__pycache__/", "*.pyc"} <= set(ignored)
    actionlint = Path(sys.executable).parent / "actionlint"
    result = subprocess.run([str(actionlint), str(starter / STARTER_WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_starter_workflow_validates_pull_requests_and_publishes_main_with_the_last_build(starter):
    workflow = yaml.safe_load((starter / STARTER_WORKFLOW).read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"pull_request", "push", "workflow_dispatch"}  # YAML 1.1 reads `on` as true
    assert workflow[True]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"} and workflow["concurrency"]["group"]
    pull_request, main = _steps_on("pull_request", workflow), _steps_on("push", workflow)
    assert list(pull_request) == ["build"] and list(main) == ["build", "deploy"]
    runs = {
        event: [s["run"] for s in steps["build"] if "run" in s]
        for event, steps in (("pr", pull_request), ("main", main))
    }
    assert runs == {
        "pr": ["pip install -r requirements.txt", "odportal validate", "python -m pytest"],
        "main": ["pip install -r requirements.txt", "odportal validate", "odportal build"],
    }
    assert not [s for s in pull_request["build"] if "pages" in s.get("uses", "") or "cache@" in s.get("uses", "")]
    steps = {step.get("name", step.get("uses", "").split("@")[0]): step for step in main["build"]}
    python = steps["actions/setup-python"]["with"]
    assert python == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}
    names = list(steps)
    kept = steps["Restore the last build"]  # a push remakes what changed since the last build, not all
    assert kept["uses"].startswith("actions/cache@") and names.index("Restore the last build") < names.index("Build")
    assert set(kept["with"]["path"].split()) == {"build", "site"}
    key = kept["with"]["key"]
    assert "runner.os" in key and "hashFiles('requirements.txt')" in key and key.endswith("${{ github.sha }}")
    assert key.startswith(kept["with"]["restore-keys"]) and "github.sha" not in kept["with"]["restore-keys"]
    assert steps["Configure Pages"]["id"] == "pages"
    assert steps["Build"]["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert steps["Upload the site"]["uses"].startswith("actions/upload-pages-artifact@")
    assert steps["Upload the site"]["with"] == {"path": "site"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_the_starter_workflow_pins_each_action_by_the_commit_this_generator_uses(starter):
    pins = _pins(starter / STARTER_WORKFLOW)
    ours = _pins(ROOT / ".github" / "workflows" / "pages.yml")
    assert pins == ours and all(re.fullmatch(r"[0-9a-f]{40}", commit) for commit in pins.values())


def test_the_starter_readme_gives_the_commands_its_workflow_runs(starter):
    readme = (starter / "README.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load((starter / STARTER_WORKFLOW).read_text(encoding="utf-8"))
    runs = {step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step}
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ")]
    setup = "python -m venv .venv && .venv/bin/pip install -r requirements.txt"
    assert commands == [f"{setup} && .venv/bin/odportal build", f"{setup} && .venv/bin/python -m pytest"]
    given = {part.removeprefix(".venv/bin/") for command in commands for part in command.split(" && ")}
    assert given - runs == {"python -m venv .venv"} and runs - given == {"odportal validate"}
    assert "`.venv/bin/odportal validate`" in readme and "`.venv/bin/odportal serve`" in readme
    assert '"GitHub Actions"' in readme and "Python 3.11" in readme
    assert not VIETNAM_WORDS.search(readme) and "make " not in readme


def test_the_starter_pins_this_generator_and_the_test_runner_it_is_tested_with(starter):
    from build_scripts import __version__

    def pins(path: Path) -> dict[str, str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return dict(line.split("==") for line in lines if "==" in line and not line.startswith("#"))

    assert pins(starter / "requirements.txt") == {
        "odportal": __version__,
        "pytest": pins(ROOT / "requirements.txt")["pytest"],
    }


def test_the_starters_own_tests_pass_in_two_languages(tmp_path):
    """The tests a reuser keeps, run as the workflow runs them, with `odportal` as the console command
    starts it (tests/test_installed.py runs them again with the installed wheel)."""
    folder = tmp_path / "portal"
    assert run_cli("new", folder, "--languages", "en,fr").returncode == 0
    command = tmp_path / "bin" / "odportal"
    command.parent.mkdir()
    command.write_text(f"#!{sys.executable}\nimport sys\nfrom build_scripts.__main__ import main\nsys.exit(main())\n")
    command.chmod(0o755)
    path = os.pathsep.join([str(command.parent), os.environ["PATH"]])
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "3 passed" in result.stdout, result.stdout + result.stderr
    assert not (folder / "site").exists() and not (folder / "build").exists(), "the tests build elsewhere"


def _languages_twice(config):
    config["languages"] = ["en", "en"]


def _language_without_texts(config):
    config["languages"] = ["en", "sw"]
    for item in config["place_levels"] + config["topics"] + config["units"]:
        for key in ("name", "plural"):
            if key in item:
                item[key]["sw"] = item[key]["en"]


def _topic_twice(config):
    config["topics"].append(dict(config["topics"][0]))


def _unit_format_without_value(config):
    config["units"][0]["format"] = "percent"


def _pattern_broken(config):
    config["place_code_pattern"] = "^EX(-[A-Z]+$"


def _unknown_text(config):
    config["texts"] = {"en": {"no_such_text": "x"}}


def _date_format_broken(config):
    config["texts"] = {"en": {"date_format": "qqqqqqq"}}  # Babel refuses it: the build would stop at a date


def _language_iri_not_an_address(config):
    config["texts"] = {"en": {"language_iri": "ENG"}}


def _name_missing_a_language(config):
    config["languages"] = ["en", "fr"]


def _events_in_the_downloads_folder(config):
    config["events"] = {"kinds": [{"id": "meeting", "name": {"en": "Meeting"}}], "path": "downloads"}


def _nested_repeat_in_place_pattern(config):
    config["place_code_pattern"] = "^([A-Z]+)+(-[A-Z]+)?$"  # exponential: 24 characters took 5 s


def _overlapping_branches_in_place_pattern(config):
    config["place_code_pattern"] = "^(EX|E|X|-[A-Z])+$"  # 'EX' is one branch or two, at every repetition


def _nested_repeat_in_statistics_pattern(config):
    config["statistics_code_pattern"] = "^([0-9]+)*$"


def _host_limit_not_a_whole_number(config):
    config["publishing"] = {"max_file_bytes": "100 MB"}


@pytest.mark.parametrize(
    "change, key, rule",
    [
        (_languages_twice, "languages[1]", "config-duplicate-id"),
        (_language_without_texts, "languages[1]", "config-texts-missing"),
        (_topic_twice, "topics[1].id", "config-duplicate-id"),
        (_unit_format_without_value, "units[0].format", "config-unit-format"),
        (_pattern_broken, "place_code_pattern", "config-pattern"),
        (_unknown_text, "texts.en.no_such_text", "config-unknown-key"),
        (_date_format_broken, "texts.en.date_format", "config-text-code"),
        (_language_iri_not_an_address, "texts.en.language_iri", "config-text-code"),
        (_name_missing_a_language, "place_levels[0].name.fr", "config-required"),
        (_events_in_the_downloads_folder, "events.path", "config-reserved-name"),
        (_nested_repeat_in_place_pattern, "place_code_pattern", "config-pattern-backtracks"),
        (_overlapping_branches_in_place_pattern, "place_code_pattern", "config-pattern-backtracks"),
        (_nested_repeat_in_statistics_pattern, "statistics_code_pattern", "config-pattern-backtracks"),
        (_host_limit_not_a_whole_number, "publishing.max_file_bytes", "config-type"),
    ],
)
def test_site_yml_problems_name_the_line_key_and_rule(starter, tmp_path, change, key, rule):
    project = _copy(starter, tmp_path)
    _edit_site(project, change)
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    assert re.search(rf"data/site\.yml: line \d+, key {re.escape(key)}: \[{rule}\]", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_a_featured_place_must_be_a_place(starter, tmp_path):
    project = _copy(starter, tmp_path)
    _edit_site(project, lambda config: config.update(featured_places=["EX-W"]))
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    assert re.search(r"site\.yml: line \d+, key featured_places\[0\]: \[unknown-reference\]", result.stderr)


def test_a_topic_or_unit_not_in_site_yml_is_refused_with_its_row(starter, tmp_path):
    project = _copy(starter, tmp_path)
    path = project / "data" / "indicators.csv"
    path.write_text(path.read_text().replace(",percent,access,", ",years,health,"), encoding="utf-8")
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    assert "indicators.csv: row 2, column unit" in result.stderr
    assert "indicators.csv: row 2, column topic" in result.stderr
    _edit_site(
        project,
        lambda config: (
            config["topics"].append({"id": "health", "name": {"en": "Health"}}),
            config["units"].append({"id": "years", "name": {"en": "years"}}),
        ),
    )
    assert run_cli("validate", "--project", project).returncode == 0


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z0-9]+(-[A-Z0-9]+)*$",  # the default: '-' ends each run
        r"^(VN|WORLD|VN-[0-9]{2}|VN-2025-[0-9]{2}|[A-Z]{2}(-[A-Z0-9]{1,6})*)$",  # the Vietnamese portal's
        r"^(EX|-N|-S)+$",  # branches that part after the '-' they share
        r"^[A-Z]+[A-Z0-9-]*$",  # repeats one after another, not one inside another: at worst polynomial
    ],
)
def test_a_pattern_whose_next_character_decides_is_accepted(starter, tmp_path, pattern):
    project = _copy(starter, tmp_path)
    _edit_site(project, lambda config: config.update(place_code_pattern=pattern))
    result = run_cli("validate", "--project", project)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ names that cannot collide


def _add_place(project: Path, geo: str, pattern: str) -> None:
    _edit_site(project, lambda config: config.update(place_code_pattern=pattern))
    places = project / "data" / "places.csv"
    places.write_text(places.read_text(encoding="utf-8") + f"{geo},Another region,region,,,,,\n", encoding="utf-8")


@pytest.mark.parametrize(
    "geo, first, row",
    [("Ex-n", "EX-N", 3), ("ＥＸ-S", "EX-S", 4)],  # other case; full-width letters (NFKC)
    ids=["case", "full-width"],
)
def test_place_codes_one_file_system_sees_as_one_are_refused_naming_both_rows(starter, tmp_path, geo, first, row):
    project = _copy(starter, tmp_path)
    _add_place(project, geo, r"^\w+(-\w+)?$")
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if "[name-collision]" in line)
    assert f"places.csv: row 5, column geo: [name-collision] '{geo}' and '{first}' (row {row})" in line, line


@pytest.mark.parametrize(
    "geo, shown", [("INDEX", "'index'"), ("Topic-X", "'topic-x'"), ("CON", "CON"), ("Lpt1", "LPT1")]
)
def test_a_place_code_reserved_once_folded_is_refused(starter, tmp_path, geo, shown):
    project = _copy(starter, tmp_path)
    _add_place(project, geo, r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    assert re.search(rf"places\.csv: row 5, column geo: \[reserved-id\] '{geo}' .*{re.escape(shown)}", result.stderr), (
        result.stderr
    )


def test_a_place_code_that_would_leave_its_folder_is_refused(starter, tmp_path):
    project = _copy(starter, tmp_path)
    _add_place(project, "EX/../../../escaped", "^EX.*$")  # its page was written three folders up
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1
    assert "places.csv: row 5, column geo: [unsafe-id] 'EX/../../../escaped' has '/'" in result.stderr


def test_a_handwritten_page_whose_address_the_site_takes_is_refused_before_any_work(starter, tmp_path):
    project = _copy(starter, tmp_path)
    (project / "docs" / "en" / "downloads.md").write_text("# Downloads\n", encoding="utf-8")  # 'Directory not empty'
    (project / "docs" / "en" / "Indicators.md").write_text("# Mine\n", encoding="utf-8")  # was dropped
    expected = [
        "docs/en/Indicators.md: [page-name-taken] the page's address is that of the generated indicators/",
        "docs/en/downloads.md: [page-name-taken] the page's address is that of the generated downloads/",
    ]
    out, work = tmp_path / "out", tmp_path / "work"
    for command in (["validate"], ["build", "--out", out, "--work", work, "--no-mkdocs"]):
        result = run_cli(*command, "--project", project)
        assert result.returncode == 1
        assert all(line in result.stderr for line in expected), result.stderr
    assert not out.exists() and not (work / "docs").exists()


def test_a_file_over_the_hosts_limit_is_refused_and_the_previous_site_stays(starter, starter_site, tmp_path):
    import shutil

    project = tmp_path / "portal"
    shutil.copytree(starter, project, symlinks=True)  # with the site it built: the previous site
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    largest = max(before, key=lambda p: len(before[p]))
    limit = len(before[largest]) - 1
    _edit_site(project, lambda config: config.update(publishing={"max_file_bytes": limit}))
    result = run_cli("build", "--project", project, "--archive", project / "archive")
    assert result.returncode == 1, result.stdout + result.stderr
    line = f"{project / 'site' / largest}: [file-too-large] {len(before[largest]):,} bytes, more than the {limit:,}"
    assert line in result.stderr and "publishing.max_file_bytes in site.yml" in result.stderr, result.stderr
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def _add_count_figure(project: Path, as_written: str, value: str) -> None:
    """A second indicator whose figure cites line 6 of the starter's source."""
    indicators = project / "data" / "indicators.csv"
    indicators.write_text(
        indicators.read_text() + "surveyed-households,Households surveyed,Households in the survey.,count,access,"
        "true,false\n",
        encoding="utf-8",
    )
    observations = project / "data" / "observations.csv"
    observations.write_text(
        observations.read_text()
        + f"surveyed-households,EX,2024,actual,{value},approx,false,example-survey-2024,6,{as_written},,\n",
        encoding="utf-8",
    )


def test_as_written_is_read_in_the_conventions_of_the_source_language(starter, tmp_path):
    project = _copy(starter, tmp_path)
    _add_count_figure(project, "1.2 million", "1200000")
    result = run_cli("validate", "--project", project, "--archive", project / "archive")
    assert result.returncode == 0, result.stderr  # English: '.' is the decimal mark, 'million' a scale word
    sources = project / "data" / "sources.csv"
    sources.write_text(sources.read_text().replace(",en,example-report.txt", ",vi,example-report.txt"))
    _edit_site(
        project,
        lambda config: config["number_formats"].update(
            vi={"group": ".", "decimal": ",", "scale_words": {"triệu": 1e6}}
        ),
    )
    result = run_cli("validate", "--project", project)
    assert result.returncode == 1  # in Vietnamese '1.2' is not a number (a '.' groups three digits)
    assert re.search(r"observations\.csv: row 6, column as_written: \[as-written-number\]", result.stderr), (
        result.stderr
    )


# ------------------------------------------------------------------ a foreign many-place fixture

WORLD = Path(__file__).resolve().parent / "fixtures" / "datasets" / "world"


@pytest.fixture(scope="module")
def world_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    result = run_cli("build", "--data", WORLD, "--out", out / "site", "--work", out / "work")
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


def test_a_world_of_142_places_in_one_language_builds(world_site):
    assert len(list((world_site / "places").glob("*/index.html"))) == 142
    assert not (world_site / "en").exists() and not (world_site / "sessions").exists()
    page = (world_site / "indicators" / "life-expectancy" / "index.html").read_text(encoding="utf-8")
    latest = page[page.index("Latest figure") :]
    # the featured places lead the latest figures, in site.yml's order, before any other place
    assert latest.index("China") < latest.index("India") < latest.index("United States") < latest.index("Afghanistan")


def test_a_world_chart_draws_the_featured_places_and_a_band_within_budget(world_site):
    svg = world_site / "charts" / "indicators" / "life-expectancy.svg"
    assert svg.stat().st_size <= 60_000
    text = svg.read_text(encoding="utf-8")
    assert "139 countries" in text  # the other places as a band, named by their level's plural
    assert text.count("Afghanistan") == 0  # no line, no legend entry for a place in the band


def test_a_sources_place_given_as_a_place_code_is_shown_by_its_name(starter, tmp_path):
    project = _copy(starter, tmp_path)
    sources = project / "data" / "sources.csv"
    sources.write_text(sources.read_text().replace(",2025-01-15,,,en,", ",2025-01-15,EX-N,,en,"), encoding="utf-8")
    result = run_cli("build", "--project", project, "--archive", project / "archive", "--no-mkdocs")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "build" / "docs" / "en" / "sources" / "example-survey-2024.md").read_text(encoding="utf-8")
    assert "North region" in page and "EX-N" not in page
