"""Reproducible builds: the same data and SOURCE_DATE_EPOCH give the same bytes, file for file.

Build A is the session build (in this process, its own work folder, a random hash seed). Build B
is a clean build from the command line with its own work and out folders, another hash seed,
another time zone and locale. Build C reuses B's work folder, so its charts come from the cache.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, run_cli

from build_scripts.data.package import load_metadata
from build_scripts.pipeline import release_epoch


def tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))


@pytest.fixture(scope="module")
def epoch() -> str:
    """The SOURCE_DATE_EPOCH the session build used: the caller's, else the data's release date."""
    return os.environ.get("SOURCE_DATE_EPOCH") or str(release_epoch(load_metadata(DATA)))


@pytest.fixture(scope="module")
def builds(built_site, tmp_path_factory, epoch) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("reproducible")
    env = {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"}
    for name in ("b", "c"):  # c: same work folder as b, so every chart comes from the cache
        result = run_cli("build", "--out", base / name / "site", "--work", base / "b" / "work", env=env)
        assert result.returncode == 0, result.stderr
    return {"a": built_site, "b": base / "b" / "site", "c": base / "c" / "site"}


def test_two_clean_builds_give_the_same_paths(builds):
    a, b = tree(builds["a"]), tree(builds["b"])
    assert len(a) > 300
    assert set(a) == set(b), f"only in one build: {sorted(set(a) ^ set(b))[:10]}"


def test_two_clean_builds_give_byte_identical_files(builds):
    diff = differences(tree(builds["a"]), tree(builds["b"]))
    assert not diff, f"{len(diff)} files differ between two clean builds, e.g. {diff[:10]}{explain(builds, 'a', diff)}"


def test_a_rebuild_from_the_chart_cache_is_byte_identical_to_a_clean_build(builds):
    diff = differences(tree(builds["b"]), tree(builds["c"]))
    assert not diff, f"{len(diff)} files differ between a clean and a cached build, e.g. {diff[:10]}"


def test_zip_entries_carry_the_source_date_epoch(builds, epoch):
    """The dates inside the data-package zip come from SOURCE_DATE_EPOCH, not from the clock."""
    import time

    expected = max(time.gmtime(int(epoch))[:6], (1980, 1, 1, 0, 0, 0))
    archives = sorted((builds["b"] / "downloads").glob("*.zip"))
    assert archives
    with zipfile.ZipFile(archives[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {expected}


def explain(builds, other: str, diff: list[str]) -> str:
    """For a differing zip-based file (XLSX, zip), which entries differ: usually a timestamp."""
    packed = [p for p in diff if p.endswith((".xlsx", ".zip"))]
    return f"; in {packed[0]}: {xlsx_difference(builds, packed[0], other)}" if packed else ""


def xlsx_difference(builds, path: str, other: str = "a") -> str:
    """Which entries of the workbook differ (for the failure message)."""
    entries = {}
    for name in (other, "b"):
        with zipfile.ZipFile(io.BytesIO((builds[name] / path).read_bytes())) as archive:
            entries[name] = {info.filename: archive.read(info) for info in archive.infolist()}
    return ", ".join(k for k in entries[other] if entries[other][k] != entries["b"].get(k))


def test_sitemaps_carry_the_source_date_epoch(builds, epoch):
    """MkDocs dates every page of its sitemap from SOURCE_DATE_EPOCH. Its processes start before the
    build sets it (engine.MkDocsProcesses) and take the build's environment when told to build."""
    day = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    for name in ("a", "b"):
        for sitemap in (builds[name] / "sitemap.xml", builds[name] / "en" / "sitemap.xml"):
            dates = re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap.read_text(encoding="utf-8"))
            assert len(dates) > 100 and set(dates) == {day}, (sitemap, sorted(set(dates)))


def test_xlsx_files_carry_the_source_date_epoch(builds, epoch):
    """Workbooks record when they were made and changed: both dates must be SOURCE_DATE_EPOCH, not the clock."""
    import datetime

    stamp = max(
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC), datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    workbooks = sorted((builds["b"] / "downloads").glob("*.xlsx"))
    assert workbooks
    for workbook in workbooks:
        with zipfile.ZipFile(workbook) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
        dates = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
        assert dict(dates) == {"created": stamp, "modified": stamp}, (workbook.name, dates)


def test_one_changed_figure_redraws_and_rewrites_only_what_shows_it_and_equals_a_clean_build(tmp_path, epoch):
    """Incremental rebuild: the cache must neither miss the change nor leave anything stale."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    env = {"SOURCE_DATE_EPOCH": epoch}
    first = run_cli("build", "--data", data, "--out", tmp_path / "before", "--work", tmp_path / "work", env=env)
    assert first.returncode == 0, first.stderr
    observations = data / "observations.csv"
    changed = (
        observations.read_text(encoding="utf-8")
        .replace(
            "fixed-broadband-speed-growth,VN,2022-H1,actual,32.7,",
            "fixed-broadband-speed-growth,VN,2022-H1,actual,32.8,",
        )
        .replace('11,"32,7%",Bộ', '11,"32,8%",Bộ')
    )
    assert changed != observations.read_text(encoding="utf-8")
    observations.write_text(changed, encoding="utf-8")

    again = run_cli("build", "--data", data, "--out", tmp_path / "after", "--work", tmp_path / "work", env=env)
    assert again.returncode == 0, again.stderr
    drawn = re.search(r"drawing .*\((\d+) of (\d+) drawn\)", again.stdout)
    written = re.search(r"pages .*\((\d+) of (\d+) written\)", again.stdout)
    # the indicator's chart, drawn once for both languages
    assert int(drawn[1]) == 1 and int(drawn[2]) > 50, again.stdout
    # per language: the indicator, its place, source and session, and the summaries that list them
    assert 0 < int(written[1]) <= 2 * 20 and int(written[2]) > 200, again.stdout

    clean = run_cli("build", "--data", data, "--out", tmp_path / "clean", "--work", tmp_path / "fresh", env=env)
    assert clean.returncode == 0, clean.stderr
    diff = differences(tree(tmp_path / "after"), tree(tmp_path / "clean"))
    assert not diff, f"{len(diff)} files differ between the incremental and a clean build, e.g. {diff[:10]}"
