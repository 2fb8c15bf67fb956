"""The data foundation: the real package is valid, fresh, complete, and each broken input fails precisely."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import DATA, FIXTURES, ROOT, run_cli

from build_scripts.config.load import load_site
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.package import canonical_csv
from build_scripts.site.i18n import languages


def test_validate_without_archive_says_provenance_was_not_checked():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "provenance NOT checked" in result.stdout


def test_missing_archive_directory_is_a_clear_error(tmp_path):
    result = run_cli("validate", "--archive", tmp_path / "no-such-archive")
    assert result.returncode == 1
    assert "[archive-missing] the archive directory does not exist" in result.stderr


@pytest.mark.parametrize("command", ["validate", "build"])
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "--archive" in result.stdout and "--data" in result.stdout


def test_top_level_help_lists_the_commands():
    result = run_cli("--help")
    assert "validate" in result.stdout and "build" in result.stdout


def test_descriptor_has_exactly_the_resources_and_fields_of_the_schema():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [r.name for r in schema.resources()]
    for described, resource in zip(descriptor["resources"], schema.resources()):
        assert [f["name"] for f in described["schema"]["fields"]] == list(resource.fields)
        assert described["schema"]["primaryKey"] == list(resource.primary_key)
        assert described["hash"].startswith("sha256:") and described["bytes"] > 0
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["title"] and descriptor["title_vi"] and descriptor["version"]


def test_every_defined_field_is_used_by_a_resource():
    used = {r.renames.get(c, c) for r in schema.resources() for c in r.published_fields}
    stems = {c.rpartition("_")[0] if c.rpartition("_")[2] in languages() else c for c in used}
    assert stems == set(schema.FIELD_SPECS), f"defined but unused: {set(schema.FIELD_SPECS) - stems}"


BROKEN = [
    # fixture, file it replaces, what the one error line must say
    ("observations-value-wrong-type.csv", "observations", ["row 38", "column value", "[type]", "'71,79'"]),
    ("observations-missing-value.csv", "observations", ["row 38", "column value", "[required]"]),
    ("observations-duplicate-key.csv", "observations", ["row 39", "[duplicate-key]", "fixed-broadband-speed"]),
    (
        "observations-unknown-indicator.csv",
        "observations",
        ["row 38", "column indicator_id", "[unknown-reference]", "fixed-broadband-sped"],
    ),
    ("observations-unknown-place.csv", "observations", ["row 38", "column geo", "[unknown-reference]", "VN-99"]),
    (  # the site's own pattern, and where it is set
        "places-code-against-pattern.csv",
        "places",
        ["row 3", "column geo", "[constraint:pattern]", "'vn-14'", "matching ^(VN|", "place_code_pattern in site.yml"],
    ),
    (
        "indicators-unit-not-configured.csv",
        "indicators",
        ["row 2", "column unit", "[constraint:enum]", "'people'", "one of percent, ", "(units in site.yml)"],
    ),
    (
        "observations-unknown-source.csv",
        "observations",
        ["row 38", "column source_id", "[unknown-reference]", "no-such-source"],
    ),
    (
        "observations-period-unknown-format.csv",
        "observations",
        ["row 38", "column period", "[constraint:pattern]", "2022-H3", "YYYY-H1"],
    ),
    ("observations-period-not-a-date.csv", "observations", ["row 38", "column period", "[period]", "2022-02-30"]),
    ("observations-share-over-100.csv", "observations", ["row 71", "column value", "[share-range]", "145"]),
    (
        "observations-value-disagrees-with-as-written.csv",
        "observations",
        ["row 38", "column value", "[value-matches-as-written]", "71.97", "71.79"],
    ),
    (
        "observations-as-written-not-on-cited-line.csv",
        "observations",
        ["row 38", "column as_written", "[as-written-on-line]", "line 9", "it is on line 11"],
    ),
    ("sources-wrong-archive-hash.csv", "sources", ["row 2", "column archive_sha256", "[archive-hash]"]),
    ("sources-javascript-url.csv", "sources", ["row 2", "column url", "[constraint:pattern]", "javascript:"]),
    ("observations-missing-column.csv", "observations", ["row 1", "column note_en", "[missing-column]"]),
    ("observations-extra-column.csv", "observations", ["row 1", "column comment", "[extra-column]"]),
    ("observations-empty.csv", "observations", ["[empty-file]"]),
    ("observations-header-only.csv", "observations", ["[no-rows]"]),
    ("observations-too-many-fields.csv", "observations", ["row 38", "[extra-cell]", "15 fields"]),
    ("observations-semicolon-separated.csv", "observations", ["row 1", "[delimiter]", "semicolon"]),
    ("observations-windows-1258.csv", "observations", ["[encoding]", "Windows-1258"]),
    ("observations-utf16-spreadsheet.csv", "observations", ["[encoding]", "UTF-16"]),
    # hostile input that Python's own readers took (tests/fuzz.py finds more of its kind)
    ("observations-value-nan.csv", "observations", ["row 38", "column value", "[type]", "'NaN' is not a number"]),
    ("observations-value-with-underscore.csv", "observations", ["row 38", "column value", "[type]", "'71_79'"]),
    ("observations-value-full-width-digits.csv", "observations", ["row 38", "column value", "[type]", "ASCII"]),
    ("observations-value-arabic-indic-digits.csv", "observations", ["row 38", "column value", "[type]", "ASCII"]),
    ("observations-derived-value-too-large.csv", "observations", ["row 38", "column value", "[type]", "too large"]),
    ("observations-line-arabic-indic-digits.csv", "observations", ["row 38", "column line", "[type]", "integer"]),
    (
        "observations-period-arabic-indic-digits.csv",
        "observations",
        ["row 38", "column period", "[constraint:pattern]"],
    ),
    (
        "observations-note-with-control-character.csv",
        "observations",
        ["row 38", "column note_en", "[control-character]", "U+001B"],
    ),
    (
        "observations-note-with-bidi-override.csv",
        "observations",
        ["row 38", "column note_en", "[control-character]", "U+202E"],
    ),
    (
        "observations-note-over-spreadsheet-cell-limit.csv",
        "observations",
        ["row 38", "column note_en", "[text-too-long]"],
    ),
    (
        "observations-note-over-csv-field-size-limit.csv",
        "observations",
        ["row 38", "column note_en", "[text-too-long]"],
    ),
    ("events-session-number-arabic-indic-digits.csv", "events", ["row 2", "column session_number", "[type]"]),
    ("sources-published-without-zero-padding.csv", "sources", ["row 2", "column published", "[type]", "YYYY-MM-DD"]),
    ("sources-published-year-9999.csv", "sources", ["row 2", "column published", "[type]", "1900-2099"]),
    ("indicators-name-with-line-break.csv", "indicators", ["row 2", "column name_en", "[line-break]"]),
    ("indicators-id-index.csv", "indicators", ["row 69", "column indicator_id", "[reserved-id]", "'index'"]),
    ("sources-id-reserved-pillar-prefix.csv", "sources", ["row 7", "column source_id", "[reserved-id]"]),
    ("indicators-id-windows-device.csv", "indicators", ["row 69", "column indicator_id", "[reserved-id]", "CON"]),
    # a value longer than its field is refused for its length alone: its pattern never has to match it
    (
        "places-code-too-long-never-matched-against-pattern.csv",
        "places",
        ["row 17", "column geo", "[constraint:maxLength]", "70 characters"],
    ),
    ("places-statistics-code-too-long.csv", "places", ["row 17", "column gso_code", "[constraint:maxLength]"]),
]


PROVENANCE_RULES = ("[as-written-on-line]", "[archive-hash]")


@pytest.mark.parametrize("fixture, replaces, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_input_fails_with_one_precise_line(fixture, replaces, expected, data_copy, request):
    shutil.copy(FIXTURES / fixture, data_copy / f"{replaces}.csv")
    provenance = any(rule in expected for rule in PROVENANCE_RULES)
    options = ["--archive", request.getfixturevalue("archive")] if provenance else []
    result = run_cli("validate", "--data", data_copy, *options)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(data_copy))]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{data_copy}/{replaces}.csv"), lines[0]
    for part in expected:
        assert part in lines[0], (part, lines[0])


@pytest.mark.parametrize(
    "fixture",
    [
        "observations-bom-crlf.csv",
        "observations-nfd.csv",
        "observations-stray-spaces.csv",
        "observations-trailing-rows-of-commas.csv",
    ],
)
def test_what_spreadsheets_write_is_accepted_and_normalised(fixture, data_copy):
    shutil.copy(FIXTURES / fixture, data_copy / "observations.csv")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 0, result.stderr
    normalised = canonical_csv(load_tables(data_copy)["observations"])
    assert normalised == (DATA / "observations.csv").read_bytes()


def test_all_problems_are_reported_in_one_run(data_copy, archive):
    shutil.copy(FIXTURES / "observations-value-wrong-type.csv", data_copy / "observations.csv")
    shutil.copy(FIXTURES / "sources-wrong-archive-hash.csv", data_copy / "sources.csv")
    (data_copy / "events.csv").write_text("event_id,date\n", encoding="utf-8")
    result = run_cli("validate", "--data", data_copy, "--archive", archive)
    assert result.returncode == 1
    assert "observations.csv: row 38, column value: [type]" in result.stderr
    assert "events.csv: row 1, column kind: [missing-column]" in result.stderr


def test_problems_of_one_rule_are_shown_twenty_at_most_with_a_count_of_the_rest(data_copy):
    observations = data_copy / "observations.csv"
    shutil.copy(FIXTURES / "observations-value-wrong-type.csv", observations)  # and one [type] on row 38
    last_row = observations.read_text(encoding="utf-8").splitlines()[-1]
    with observations.open("a", encoding="utf-8") as file:
        file.write(f"{last_row}\n" * 30)  # a row pasted 30 times: one mistake, 30 duplicate keys
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert sum(": [duplicate-key]" in line for line in lines) == 20
    assert any("row 38, column value: [type]" in line for line in lines), result.stderr
    assert lines[-2:] == [
        "… and 10 more of the same rule ([duplicate-key])",
        "31 problem(s) found; nothing was written.",
    ]


@pytest.mark.parametrize("fixture, replaces, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_bulk_check_of_long_tables_reports_what_frictionless_reports(fixture, replaces, expected, data_copy):
    """Long tables are checked column-wise with pandas; on every broken fixture both checks agree."""
    from build_scripts.data.load import read_tables
    from build_scripts.data.validate import validate_tables

    shutil.copy(FIXTURES / fixture, data_copy / f"{replaces}.csv")
    tables, load_problems = read_tables(data_copy)
    by_frictionless = sorted(map(str, validate_tables(tables, load_site(DATA), bulk_rows=10**9)))
    in_bulk = sorted(map(str, validate_tables(tables, load_site(DATA), bulk_rows=0)))
    assert in_bulk == by_frictionless
    assert by_frictionless or load_problems or any(rule in expected for rule in PROVENANCE_RULES)


def test_column_reader_agrees_with_the_exact_reader():
    import math

    import pandas as pd

    from build_scripts.config.site import current
    from build_scripts.data.numbers import NumberFormatError, read_figure, read_figures

    samples = list(load_tables(DATA)["observations"].frame["as_written"]) + [
        "1.23",
        "1,2,3",
        "abc",
        "",
        "-5%",
        "VN-31",
        "2020-2025",
        "1,9 Triệu Tỷ đồng",
        "12.345,6 nghìn",
        "7 tỉ",
    ]
    column = read_figures(pd.Series(samples), current().number_format("vi"))
    for text, fast in zip(samples, column):
        try:
            exact = float(read_figure(text, current().number_format("vi")))
        except NumberFormatError:
            assert math.isnan(fast), text
        else:
            assert fast == pytest.approx(exact, rel=1e-12), text


def test_frictionless_is_skipped_only_for_the_small_tables_it_last_passed(data_copy, tmp_path, monkeypatch):
    """A build keeps the digest of what Frictionless last passed; the same input is not checked again,
    and any other input is (a broken table is reported, and the kept digest stays the passing one)."""
    import sys

    from build_scripts.data.load import read_tables
    from build_scripts.data.validate import BULK_ROWS, check_with_frictionless

    def small_tables():
        tables, problems = read_tables(data_copy)
        assert not problems
        return {name: table for name, table in tables.items() if len(table.frame) <= BULK_ROWS}

    passed = tmp_path / "cache" / "frictionless-passed"
    assert check_with_frictionless(small_tables(), passed) == []
    digest = passed.read_text(encoding="utf-8")

    good = (data_copy / "sources.csv").read_bytes()
    first_row = good.split(b"\n")[1]
    (data_copy / "sources.csv").write_bytes(good + first_row + b"\n")  # a source listed twice
    found = check_with_frictionless(small_tables(), passed)
    assert [p.rule for p in found] == ["duplicate-key"], found
    assert passed.read_text(encoding="utf-8") == digest

    (data_copy / "sources.csv").write_bytes(good)
    monkeypatch.setitem(sys.modules, "frictionless", None)  # importing it now fails: it must not be run
    assert check_with_frictionless(small_tables(), passed) == []
    with pytest.raises(ImportError):
        check_with_frictionless(small_tables(), tmp_path / "another-work-folder" / "frictionless-passed")
