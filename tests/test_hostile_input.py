"""Hostile input: the strict reader, configuration checked like data, texts that cannot break a format,
downloads whose formulas never run, and a build that writes nothing outside its folders.

The CSV fixtures of this kind are in test_data_package.BROKEN (validate) and reach the build through
test_robustness; the configuration fixtures are here. tests/fuzz.py finds new cases.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, FIXTURES, build_variant, run_cli
from fuzz import tree
from test_escaping import Page

from build_scripts.config.yamlfile import MAX_NODES, read_yaml
from build_scripts.data import strict
from build_scripts.problems import InputError
from build_scripts.publish.table_files import spreadsheet_safe

# ------------------------------------------------------------------ the strict reader


@pytest.mark.parametrize("text", ["0", "71.79", "-3", "2255", "1e3", "2.5E-2", "1000000000000000000"])
def test_the_strict_reader_reads_plain_numbers(text):
    assert strict.read_number(text) == float(text)


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "nan",
        "inf",
        "-Infinity",
        "1_000",
        "１２",
        "١٢",
        "𝟏𝟐",
        "+5",
        " 5",
        "5 ",
        "1,5",
        "1.",
        ".5",
        "0x10",
        "1e45",
    ],
)
def test_the_strict_reader_refuses_what_float_takes(text):
    with pytest.raises(strict.CellFormatError):
        strict.read_number(text)


@pytest.mark.parametrize("text", ["١٢", "12.0", "+1", "1_0", "99999999999", ""])
def test_the_strict_reader_refuses_integers_int_takes(text):
    with pytest.raises(strict.CellFormatError):
        strict.read_integer(text)


@pytest.mark.parametrize("text", ["2022-8-8", "2022-02-30", "9999-12-31", "1899-12-31", "٢٠٢٢-01-01", "20220808"])
def test_the_strict_reader_refuses_dates_that_are_not_written_yyyy_mm_dd_and_real(text):
    with pytest.raises(strict.CellFormatError):
        strict.read_date(text)


@pytest.mark.parametrize("text", ["٢٠٢٢", "２０２２", "2022-H3", "2022-Q5", "1899", "2100", "2022-02-30"])
def test_the_strict_reader_refuses_periods_outside_the_documented_forms(text):
    with pytest.raises(strict.CellFormatError):
        strict.read_cell(text, "period")


def test_the_build_reads_numbers_with_the_reader_validate_uses():
    """build_portal reads values by strict.numbers: a value validate refused cannot be read another way."""
    import numpy as np

    values = strict.numbers(np.array([0, 1, 2, 1]), np.array(["71.79", "", "-3"], dtype=object))
    assert values[0] == 71.79 and math.isnan(values[1]) and values[2] == -3
    with pytest.raises(strict.CellFormatError):
        strict.numbers(np.array([0]), np.array(["NaN"], dtype=object))


# ------------------------------------------------------------------ YAML read as data


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        read_yaml(write(tmp_path, text), "config.yml")
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    bomb = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "x"] * 10) + "]\n" for i in range(8))
    assert len(bomb) < 700  # ten million values once expanded
    line = refused(tmp_path, bomb)
    assert "[yaml-too-large]" in line and f"{MAX_NODES:,}" in line


@pytest.mark.parametrize(
    "text, rule",
    [
        ("version: !!binary MS4wLjA=\n", "[yaml-tag]"),
        ("a: !!python/object:os.system ls\n", "[yaml-tag]"),
        ("a: !!set {x, y}\n", "[yaml-tag]"),
        ("base: &b {x: 1}\na:\n  <<: *b\n", "[yaml-tag]"),
        ("a: &a [*a]\n", "[yaml-alias]"),
        ("a: 1\na: 2\n", "[yaml-duplicate-key]"),
        ("a: .nan\n", "[yaml-number]"),
        ("a: [unclosed\n", "[yaml]"),
    ],
)
def test_yaml_that_is_not_plain_data_is_refused_with_its_line(tmp_path, text, rule):
    line = refused(tmp_path, text)
    assert rule in line and "config.yml: line " in line, line


def test_a_date_in_yaml_stays_text_for_the_strict_reader(tmp_path):
    assert read_yaml(write(tmp_path, "released: 2026-11-22\n"), "x").value == {"released": "2026-11-22"}


CONFIG_BROKEN = [
    # fixture, the file it replaces, what the one error line says
    ("package-name-path-traversal.yml", "package.yml", ["line 3, key name", "[config-pattern]", "../"]),
    ("package-version-binary-tag.yml", "package.yml", ["line 4", "[yaml-tag]", "binary"]),
    ("package-released-year-9999.yml", "package.yml", ["line 5, key released", "[config-date]", "1900-2099"]),
    ("package-keywords-alias-bomb.yml", "package.yml", ["[yaml-too-large]"]),
    ("package-license-url-without-host.yml", "package.yml", ["key license.path", "[config-pattern]", "https:///"]),
    ("overview-mapping-not-list.yml", "overview.yml", ["line 1", "[config-type]", "a list of charts"]),
    ("overview-unknown-place.yml", "overview.yml", ["key [2].geos[1]", "[unknown-reference]", "XX-NOWHERE"]),
    ("overview-kind-pie.yml", "overview.yml", ["key [2].kind", "[config-kind]", "'pie'"]),
    ("overview-title-without-en.yml", "overview.yml", ["key [2].title.en", "[config-required]"]),
    ("overview-indicators-empty.yml", "overview.yml", ["key [2].indicators", "[config-required]", "at least 1"]),
    ("overview-chart-id-path-traversal.yml", "overview.yml", ["key [2].id", "[config-pattern]"]),
    # a Windows device name, which no file can have there: the package's zip and database, a chart's drawing
    ("package-name-windows-device.yml", "package.yml", ["line 3, key name", "[config-reserved-name]", "CON"]),
    ("overview-chart-id-windows-device.yml", "overview.yml", ["key [2].id", "[config-reserved-name]", "AUX"]),
]


@pytest.mark.parametrize("fixture, replaces, expected", CONFIG_BROKEN, ids=[c[0] for c in CONFIG_BROKEN])
def test_broken_configuration_fails_validate_with_one_precise_line(fixture, replaces, expected, data_copy):
    shutil.copy(FIXTURES / fixture, data_copy / replaces)
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(data_copy))]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{data_copy}/{replaces}: "), lines[0]
    for part in expected:
        assert part in lines[0], (part, lines[0])
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ nothing leaves its folders


@pytest.mark.parametrize("fixture, replaces", [(c[0], c[1]) for c in CONFIG_BROKEN if "path-traversal" in c[0]])
def test_a_hostile_package_name_or_chart_id_writes_nothing_outside_out_and_work(tmp_path, fixture, replaces):
    """The traversal climbs six folders: from the downloads or chart folder it would land inside tmp_path."""
    sandbox = tmp_path / "a" / "b" / "sandbox"
    data, out, work = sandbox / "data", sandbox / "out", sandbox / "work"
    shutil.copytree(DATA, data)
    shutil.copy(FIXTURES / fixture, data / replaces)
    assert "../../../../../../escaped" in (data / replaces).read_text(encoding="utf-8")
    before = tree(tmp_path, (out, work))
    result = run_cli("build", "--data", data, "--out", out, "--work", work)
    assert result.returncode == 1, result.stderr
    assert tree(tmp_path, (out, work)) == before
    assert not list(tmp_path.rglob("escaped*"))


# ------------------------------------------------------------------ hostile configuration, built

TITLE = "<script>window.__pwned=1</script> Dữ liệu & mở"


@pytest.fixture(scope="module")
def hostile_config_site(tmp_path_factory, built_site) -> Path:
    """The site built with markup in package.yml's title and description and a formula in a note."""
    replacements = {"package-title-with-markup.yml": "package.yml", "observations-note-formula.csv": "observations.csv"}
    return build_variant(tmp_path_factory.mktemp("hostile-config"), built_site, replacements)


class Labels(Page):
    """Page, plus every aria-label and the description meta as a browser reads them."""

    def __init__(self):
        super().__init__()
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        self.labels += [value for name, value in attrs if name == "aria-label" and value]


def test_configuration_text_is_escaped_wherever_the_theme_prints_it(hostile_config_site):
    assert TITLE in (FIXTURES / "package-title-with-markup.yml").read_text(encoding="utf-8")
    pages = sorted(hostile_config_site.rglob("*.html"))
    live = []
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        if "<script>window.__pwned" in raw:
            live.append(str(path.relative_to(hostile_config_site)))
        page = Page()
        page.feed(raw)
        live += [f"{path.relative_to(hostile_config_site)}: {item}" for item in page.live]
    assert not live, live[:10]
    home = Labels()
    home.feed((hostile_config_site / "index.html").read_text(encoding="utf-8"))
    assert TITLE in home.labels  # the logo's label reads as written: escaped once, not twice
    assert home.title.endswith(TITLE) or TITLE in home.title
    assert home.description.startswith('"><script>window.__pwned=2</script>')  # inside the attribute, as text


def test_chart_drawings_are_well_formed_xml(hostile_config_site):
    drawings = sorted(hostile_config_site.rglob("*.svg"))
    assert len(drawings) > 50
    for drawing in drawings:
        ElementTree.parse(drawing)


FORMULA = '=HYPERLINK("http://evil.example/","y")'


def formulas(workbook: Path) -> list[str]:
    sheet = openpyxl.load_workbook(workbook).active
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is not installed: `make test` installs Debian's libreoffice-calc-nogui")
    return found


def opened_by_libreoffice(csv_file: Path, folder: Path) -> Path:
    """The CSV as LibreOffice Calc opens it (UTF-8, comma-separated), saved as XLSX for openpyxl to read."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / (csv_file.name.replace(".", "-") + ".csv")
    shutil.copy(csv_file, copy)
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "xlsx",
         "--infilter=CSV:44,34,76,1", "--outdir", str(folder), str(copy)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return copy.with_suffix(".xlsx")


def test_no_formula_from_a_download_runs_in_a_spreadsheet(hostile_config_site, tmp_path):
    downloads = hostile_config_site / "downloads"
    plain = (downloads / "observations.csv").read_text(encoding="utf-8")
    assert FORMULA.replace('"', '""') in plain  # the plain CSV stays byte-faithful to the package
    described = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    observations = next(r for r in described["resources"] if r["name"] == "observations")
    assert observations["hash"] == "sha256:" + hashlib.sha256((downloads / "observations.csv").read_bytes()).hexdigest()
    excel = (downloads / "observations.excel.csv").read_text(encoding="utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in excel
    # the check can fail: LibreOffice runs the formula of the plain CSV ...
    assert formulas(opened_by_libreoffice(downloads / "observations.csv", tmp_path / "plain"))
    # ... and none of the Excel CSV's, nor of the workbooks'
    assert formulas(opened_by_libreoffice(downloads / "observations.excel.csv", tmp_path / "excel")) == []
    for workbook in [downloads / "observations.xlsx", *sorted((downloads / "indicators").glob("*.xlsx"))]:
        assert formulas(workbook) == [], workbook


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(1)", "\tx", "\rx"])
def test_a_text_that_would_start_a_formula_starts_with_an_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("1 = 1") == "1 = 1"
