"""A rebuild renders only what changed (build_scripts/mkdocs_run.py, the search index reused or made
again) and is byte for byte a clean build of the same data: after a changed value in the first, a
middle and the last row of the observations, a changed name, a new row, and no change at all; and a
change that every page shows (theme, overrides, configuration, a nav page's front matter, the kept HTML
edited in place) renders every page again."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, run_cli

STAGE = re.compile(r"^\s+(\w+)\s+[\d.]+ s(?:\s+\((.*)\))?$", re.M)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(built: Path, clean: Path) -> None:
    a, b = files_of(built), files_of(clean)
    assert sorted(a) == sorted(b), (
        f"only in the rebuild: {sorted(set(a) - set(b))[:5]}; only clean: {sorted(set(b) - set(a))[:5]}"
    )
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"{len(different)} file(s) differ from a clean build, such as {different[:5]}"


def build(data: Path, folder: Path, **env) -> dict[str, str]:
    """Build data into folder/site with the work folder folder/work; the stages' notes."""
    result = run_cli("build", "--data", data, "--out", folder / "site", "--work", folder / "work", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return {name: notes or "" for name, notes in STAGE.findall(result.stdout)}


def rendered(notes: dict[str, str]) -> tuple[int, int]:
    done, of = re.match(r"(\d+) of (\d+) pages rendered", notes["mkdocs"]).groups()
    return int(done), int(of)


def _observations(data: Path) -> list[dict]:
    with open(data / "observations.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_observations(data: Path, rows: list[dict]) -> None:
    with open(data / "observations.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _whole_number_rows(rows: list[dict]) -> list[dict]:
    """The rows whose printed number is their value, a whole number above 1: one less reads as printed."""
    return [
        r
        for r in rows
        if r["is_derived"] == "false"
        and re.fullmatch(r"\d+", r["value"])
        and int(r["value"]) > 1
        and re.search(rf"(?<![\d.,]){r['value']}(?![\d.,])", r["as_written"])  # printed as it is, no scale word
    ]


def change_one_value(data: Path, where: str = "first") -> None:
    """An observation's printed number and value, one less (as the benchmark changes one): in the first
    such row of the table, the middle one or the last."""
    rows = _observations(data)
    candidates = _whole_number_rows(rows)
    row = candidates[{"first": 0, "middle": len(candidates) // 2, "last": -1}[where]]
    row["as_written"] = row["as_written"].replace(row["value"], str(int(row["value"]) - 1), 1)
    row["value"] = str(int(row["value"]) - 1)
    _write_observations(data, rows)


def add_one_row(data: Path) -> None:
    """A new observation: the last row's figure, for a year no row of its indicator, place and kind has."""
    rows = _observations(data)
    last = _whole_number_rows(rows)[-1]
    taken = {
        r["period"]
        for r in rows
        if (r["indicator_id"], r["geo"], r["kind"]) == (last["indicator_id"], last["geo"], last["kind"])
    }
    year = next(str(y) for y in range(2019, 1990, -1) if str(y) not in taken)
    rows.append({**last, "period": year})
    _write_observations(data, rows)


def rename_one_indicator(data: Path) -> None:
    path = data / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["name_en"] += " (renamed)"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """One site built clean, then rebuilt in the same folders after each change in turn; beside each
    rebuild, a clean build of the same data in folders of its own."""
    base = tmp_path_factory.mktemp("incremental")
    data = base / "data"
    shutil.copytree(DATA, data)
    steps = {"clean": build(data, base / "incremental")}
    shutil.copytree(base / "incremental" / "site", base / "first")
    steps["no change"] = build(data, base / "incremental")
    shutil.copytree(base / "incremental" / "site", base / "after no change")
    steps_after = {"no change": (steps["no change"], base / "after no change", base / "first")}
    changes = (
        ("one value", change_one_value),
        ("one name", rename_one_indicator),
        ("a middle row's value", lambda data: change_one_value(data, "middle")),
        ("the last row's value", lambda data: change_one_value(data, "last")),
        ("a new row", add_one_row),
    )
    for name, change in changes:
        change(data)
        notes = build(data, base / "incremental")
        shutil.copytree(base / "incremental" / "site", base / f"after {name}")
        build(data, base / f"clean {name}")
        steps_after[name] = (notes, base / f"after {name}", base / f"clean {name}" / "site")
    return steps["clean"], steps_after, base


def test_a_clean_build_renders_every_page(rebuilt):
    clean = rebuilt[0]
    done, of = rendered(clean)
    assert done == of > 100 and "reindexed" in clean["search"]


@pytest.mark.parametrize(
    "step", ["no change", "one value", "one name", "a middle row's value", "the last row's value", "a new row"]
)
def test_a_rebuild_is_byte_identical_to_a_clean_build(rebuilt, step):
    notes, built, clean = rebuilt[1][step]
    assert_same_tree(built, clean)


def test_a_rebuild_without_change_runs_no_stage(rebuilt):
    """Every input as the last build found it and the site as it left it: nothing is made again
    (unchanged.py); the site is still byte-identical to a clean build (above)."""
    notes = rebuilt[1]["no change"][0]
    assert notes == {}, notes


def test_a_site_edited_since_the_last_build_is_built_again_and_put_right(rebuilt, tmp_path):
    """The no-op check looks at the site too: a published file changed by hand makes the build run, and
    the rebuilt site renders only what the kept files can no longer give, then equals a clean build
    (the fixture's first, of the same data)."""
    first = build(DATA, tmp_path / "a")
    assert first  # a clean build runs every stage
    assert build(DATA, tmp_path / "a") == {}
    page = tmp_path / "a" / "site" / "en" / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    notes = build(DATA, tmp_path / "a")
    assert "mkdocs" in notes and "search" in notes, notes
    assert_same_tree(tmp_path / "a" / "site", rebuilt[2] / "first")


@pytest.mark.parametrize("step", ["one value", "one name"])
def test_a_rebuild_after_one_change_renders_a_few_pages(rebuilt, step):
    notes = rebuilt[1][step][0]
    done, of = rendered(notes)
    assert 0 < done < of / 4, notes["mkdocs"]
    # figures are not in the search index (site/search.py): a changed figure leaves it as it was, a
    # changed name does not; either way the site equals a clean build (above)
    assert notes["search"] == {"one value": "reused", "one name": "reindexed"}[step]
    # an indicator's API document is made again when its rows changed, or anything the API shows of
    # every indicator (a name is in the listing's shared inputs): all of them
    made, kept = map(int, re.search(r"API documents (\d+) made again, (\d+) kept", notes["catalog"]).groups())
    assert (made, kept) == {"one value": (1, made + kept - 1), "one name": (made + kept, 0)}[step], notes["catalog"]


# ------------------------------------------------- the MkDocs runner on its own: what every page shows


@pytest.fixture
def project(rebuilt, tmp_path):
    """The English pages of the clean build, their configuration made standalone (docs and overrides
    copied beside it), and a runner that builds them with the kept HTML and compares the result with
    plain MkDocs."""
    from build_scripts.engine import ROOT

    work = rebuilt[2] / "incremental" / "work"
    shutil.copytree(work / "docs" / "en", tmp_path / "docs")
    shutil.copytree(ROOT / "build_scripts" / "site" / "overrides", tmp_path / "overrides")
    config = yaml.safe_load((work / "mkdocs.en.yml").read_text(encoding="utf-8"))
    config.update(docs_dir="docs", site_dir="site")
    config["theme"]["custom_dir"] = "overrides"
    path = tmp_path / "mkdocs.yml"

    def write(**changes):
        path.write_text(yaml.safe_dump({**config, **changes}, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def run():
        from mkdocs.commands.build import build as plain_build
        from mkdocs.config import load_config

        from build_scripts.mkdocs_run import run as run_incremental

        report = run_incremental(path, tmp_path / "kept")
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        plain_build(load_config(str(path), strict=True, site_dir=str(tmp_path / "plain")))
        assert_same_tree(tmp_path / "site", tmp_path / "plain")
        return report

    write()
    return tmp_path, write, run


def test_the_runner_renders_only_a_changed_page(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder, write, run = project
    assert run()["full"] == "nothing kept"
    assert run()["rendered"] == 0
    page = next((folder / "docs" / "indicators").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    report = run()
    assert (report["rendered"], report["full"]) == (1, None)


@pytest.mark.parametrize("change", ["override", "config", "nav front matter", "kept HTML edited"])
def test_what_every_page_shows_renders_every_page(project, monkeypatch, change):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder, write, run = project
    run()
    if change == "override":
        main = folder / "overrides" / "main.html"
        main.write_text(main.read_text(encoding="utf-8") + "\n<!-- changed -->\n", encoding="utf-8")
    elif change == "config":
        write(site_name="Another name")
    elif change == "nav front matter":
        about = folder / "docs" / "about.md"
        about.write_text("---\nsubtitle: New\n---\n" + about.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        kept = next((folder / "kept" / "files" / "indicators").rglob("index.html"))
        with open(kept, "ab") as handle:  # as an edit of the published site would: the same inode
            handle.write(b"<!-- edited -->")
    report = run()
    assert report["rendered"] == report["pages"] and report["full"], report["full"]
