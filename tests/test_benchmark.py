"""The benchmark's own machinery: what it measures must be what it says it measures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from bench.benchmark import build_command
from build_scripts.data.synth import write_synthetic
from build_scripts.site.chart_style import VARIANTS

ROOT = Path(__file__).resolve().parents[1]
STUB_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"/>'


def test_a_stubbed_build_draws_no_chart_but_publishes_every_chart_file(tmp_path):
    """--stub-charts (and the fallback when a size's drawing times out) must skip matplotlib, or the
    stages it reports beside the drawing are a full build's."""
    data, _ = write_synthetic(tmp_path / "synthetic", indicators=3, places=2, periods=3)
    site = tmp_path / "site"
    command = build_command(data, site, tmp_path / "work", ROOT, stub=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    charts = sorted((site / "charts").rglob("*.svg"))
    assert charts, "the stubbed build published no chart"
    assert {path.read_bytes() for path in charts} == {STUB_SVG}
    wide = [path for path in charts if not path.name.endswith(".narrow.svg")]
    for variant in VARIANTS:
        for path in wide:
            assert path.with_name(path.name[: -len(".svg")] + "." + variant).is_file()


def test_the_code_under_measurement_is_compiled_as_a_first_build_leaves_it(tmp_path):
    from bench.benchmark import snapshot

    code = snapshot(tmp_path / "code", "head")
    modules = sorted((code / "build_scripts").rglob("*.py"))
    compiled = {p.name.split(".")[0] for p in (code / "build_scripts").rglob("__pycache__/*.pyc")}
    assert modules and {p.stem for p in modules} <= compiled


def test_profile_stages_runs_on_a_data_folder():
    """bench/profile_stages.py profiles every stage of a real data folder (it failed with a TypeError)."""
    result = subprocess.run(
        [sys.executable, "bench/profile_stages.py", "--data", str(DATA), "--top", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "indicator charts; largest:" in result.stdout and "pages, " in result.stdout


def test_the_floors_time_the_tools_inside_the_same_work(tmp_path):
    """bench/floors.py: the tools' time is found inside the drawing (a floor of 0 would mean the clocks
    wrapped nothing), is part of it, and the plain writers wrote every table."""
    out = tmp_path / "floors.json"
    result = subprocess.run(
        [sys.executable, "bench/floors.py", "--data", str(DATA), "--json", str(out), "--charts", "6"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    found = json.loads(out.read_text(encoding="utf-8"))
    drawing, downloads = found["drawing"], found["downloads"]
    assert drawing["charts"] == 6 and drawing["files"] == 6 * 2 * len(VARIANTS)  # two languages
    assert 0 < drawing["savefig_s"] and 0 < drawing["png_s"] and drawing["floor_s"] <= drawing["build_s"]
    assert drawing["ratio"] == pytest.approx(drawing["build_s"] / drawing["floor_s"], rel=0.15)  # seconds rounded
    assert set(downloads["plain_cpu_s"]) == {"csv", "parquet", "sqlite"} and downloads["files"] > 100


@pytest.mark.parametrize("change", ["middle", "last", "name", "row"])
def test_each_change_the_benchmark_makes_is_valid_data(tmp_path, change):
    """A change the benchmark builds must pass validation, or it would time a failed build."""
    from bench.benchmark import add_row, change_one_value, rename_indicator
    from build_scripts.pipeline import validate_data

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    made = {
        "middle": lambda: change_one_value(data, "middle"),
        "last": lambda: change_one_value(data, "last"),
        "name": lambda: rename_indicator(data),
        "row": lambda: add_row(data),
    }[change]()
    changed = [name for name, content in before.items() if (data / name).read_bytes() != content]
    assert len(changed) == 1 and made["from"] != made["to"], made
    validate_data(data)
