"""The curation assistant: every number printed in a source, read in its language, ranked, noise hidden, and
marked when an observation already cites it (`figures` and `validate --coverage`)."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, run_cli

from build_scripts.data.figures import ranked, read_rows, source_figures
from build_scripts.data.printed_figures import conventions, find_figures
from build_scripts.problems import InputError

HERE = FIXTURES / "figures"
FIXTURE_DATA = HERE / "data-three-sources-some-curated"
VI_SCALES = HERE / "source-vietnamese-scales-and-qualifiers.txt"
EN_FIGURES = HERE / "source-english-figures.txt"
NOISE = HERE / "source-with-decree-numbers-and-phone.txt"


def figures_of(path: Path, data: Path = FIXTURE_DATA):
    _, figures, _ = source_figures(path, data, read_rows(data, "sources"), read_rows(data, "observations"))
    return figures


def by_written(figures) -> dict:
    return {f.written: f for f in figures}


@pytest.fixture
def no_site(tmp_path) -> Path:
    """A data folder without site.yml: the built-in conventions."""
    return tmp_path


# ------------------------------------------------------------------ values, scales and qualifiers


def test_a_vietnamese_comma_is_the_decimal_mark_and_an_english_point_is():
    vi = find_figures("Tốc độ đạt 71,79 Mbps và 2.255 tổ.", conventions(Path("/nonexistent"), "vi"))
    en = find_figures("The index is 779.4453145 and 2,255 teams.", conventions(Path("/nonexistent"), "en"))
    assert [f.value for f in vi] == [Decimal("71.79"), Decimal("2255")]
    assert [f.value for f in en] == [Decimal("779.4453145"), Decimal("2255")]
    assert by_written(vi)["71,79 Mbps"].signals == ("unit", "decimal")


def test_the_same_digits_read_differently_in_each_language(no_site):
    text = "1.250 and 1,25"
    assert [f.value for f in find_figures(text, conventions(no_site, "vi"))] == [Decimal(1250), Decimal("1.25")]
    assert [f.value for f in find_figures(text, conventions(no_site, "en"))] == [Decimal("1.250"), None]


def test_scale_words_multiply_and_stay_in_the_figure_as_written():
    figures = by_written(figures_of(VI_SCALES))
    revenue = figures["ước đạt 2,35 nghìn tỷ đồng"]
    assert (revenue.value, revenue.scale, revenue.qualifier) == (Decimal("2350000000000"), "nghìn tỷ", "estimate")
    assert figures["hơn 3,4 triệu"].value == Decimal(3_400_000)
    english = by_written(figures_of(EN_FIGURES))
    assert english["more than 3.4 million"].value == Decimal(3_400_000)
    assert english["an estimated $2.5 billion"].value == Decimal(2_500_000_000)


@pytest.mark.parametrize(
    ("path", "written", "qualifier"),
    [
        (VI_SCALES, "khoảng 1.250", "approx"),
        (VI_SCALES, "gần 98%", "approx"),
        (VI_SCALES, "hơn 3,4 triệu", "more_than"),
        (VI_SCALES, "vượt 40%", "more_than"),
        (VI_SCALES, "dưới 7", "less_than"),
        (VI_SCALES, "ước đạt 2,35 nghìn tỷ đồng", "estimate"),
        (VI_SCALES, "12,5%", ""),
        (EN_FIGURES, "About 1,250", "approx"),
        (EN_FIGURES, "around 98%", "approx"),
        (EN_FIGURES, "more than 3.4 million", "more_than"),
        (EN_FIGURES, "Under 7", "less_than"),
        (EN_FIGURES, "an estimated $2.5 billion", "estimate"),
        (EN_FIGURES, "3.2%", ""),
    ],
)
def test_qualifier_guessed_from_the_words_just_before(path, written, qualifier):
    assert by_written(figures_of(path))[written].qualifier == qualifier


def test_an_estimate_reaches_across_a_few_words_of_its_clause_but_not_past_punctuation(no_site):
    vi = conventions(no_site, "vi")
    reached, stopped = find_figures("ước đạt tăng trưởng 22,4% (tăng 26% so với cùng kỳ)", vi)
    assert (reached.written, reached.qualifier) == ("22,4%", "estimate")
    assert stopped.qualifier == ""


def test_trên_after_the_number_is_no_qualifier(no_site):
    (figure,) = find_figures("thông suốt 100% trên địa bàn", conventions(no_site, "vi"))
    assert (figure.written, figure.qualifier) == ("100%", "")


def test_period_words_nearest_first():
    figures = by_written(figures_of(VI_SCALES))
    assert figures["45 %"].periods == ("quý III", "2024", "6 tháng đầu năm")
    assert by_written(figures_of(EN_FIGURES))["779.4453145"].periods[:2] == ("first half", "2024")


# ------------------------------------------------------------------ noise


def test_noise_is_hidden_by_default_with_its_reason():
    figures = figures_of(NOISE)
    noise = {f.written: f.noise for f in figures if f.tier == "noise"}
    assert noise == {
        "05/12/2024": "date",
        "14:30": "time",
        "Nghị định 13/2023/NĐ-CP": "document-number",
        "Quyết định số 749/QĐ-TTg": "document-number",
        "Chỉ thị số 06/CT-TTg": "document-number",
        "1.": "list-number",
        "https://example.gov.vn/bai-viet/2024/12/05": "url",
        "0912.345.678": "phone",
        "(0208) 3854 412": "phone",
        "lienhe2024@example.gov.vn": "url",
        "1": "navigation",
        "2": "navigation",
        "3": "navigation",
        "Lượt xem: 1.234": "counter",
    }
    assert [f.written for f in ranked(figures)] == ["85%", "Năm 2024", "120"]


def test_years_and_names_are_noise_but_figures_beside_them_are_not(no_site):
    figures = find_figures("Năm 2024, mạng 5G phủ 12 xã; so với 2023 tăng 3,5%.", conventions(no_site, "vi"))
    assert [(f.written, f.tier, f.noise) for f in figures] == [
        ("Năm 2024", "noise", "year"),
        ("5", "noise", "name"),
        ("12", "plain", ""),
        ("2023", "noise", "year"),
        ("3,5%", "likely", ""),
    ]


def test_a_curated_figure_is_never_hidden_even_when_it_looks_like_noise():
    year = by_written(figures_of(NOISE))["Năm 2024"]
    assert year.curated == ["year-of-report"] and year.tier == "plain" and year.noise == "year"


def test_likely_figures_come_before_plain_numbers():
    tiers = [f.tier for f in ranked(figures_of(VI_SCALES))]
    assert tiers == sorted(tiers, key=["likely", "plain"].index) and set(tiers) == {"likely", "plain"}
    assert "noise" in [f.tier for f in ranked(figures_of(VI_SCALES), show_all=True)]


# ------------------------------------------------------------------ curated marks


def test_curated_marks_on_the_fixture_and_a_value_that_differs():
    figures = by_written(figures_of(VI_SCALES))
    assert figures["27/30"].curated == ["districts-connected"]
    assert figures["30"].curated == ["districts-total"]  # '30 huyện': the denominator of 27/30
    assert figures["45 %"].curated_value_differs  # the observation records 44 (derived) where 45 is printed
    assert not figures["71,79 Mbps"].curated_value_differs
    assert not figures["12,5%"].curated


def test_every_real_observation_marks_one_printed_figure(archive):
    sources, observations = read_rows(DATA, "sources"), read_rows(DATA, "observations")
    marked = 0
    for source in sources:
        _, figures, _ = source_figures(archive / source["archive_file"], DATA, sources, observations)
        marked += sum(len(f.curated) for f in figures)
    assert marked == len(observations)


def test_real_curated_marks_by_line_and_place(archive):
    sources, observations = read_rows(DATA, "sources"), read_rows(DATA, "observations")
    _, figures, _ = source_figures(archive / "000_456074f096a5fb45.txt", DATA, sources, observations)
    line5 = [f for f in figures if f.line == 5 and f.tier != "noise"]
    assert [(f.written, bool(f.curated)) for f in line5 if f.written in ("63/63", "15/63", "63")] == [
        ("63/63", True),
        ("63", True),  # '63 địa phương' as printed in 63/63 địa phương
        ("15/63", True),
        ("63", False),  # the 63 of 15/63 is not cited
    ]
    _, figures, _ = source_figures(archive / "001_3b92cbf78e0ddd00.txt", DATA, sources, observations)
    seven = [f for f in figures if f.written == "7%"]  # '7%' also ends '11,27%' on the same line
    assert len(seven) == 1 and seven[0].curated


# ------------------------------------------------------------------ conventions


def test_conventions_fall_back_to_the_built_in_ones_without_site_yml(no_site):
    vi = conventions(no_site, "vi")
    assert (vi.group, vi.decimal) == (".", ",")
    assert dict(vi.scale_words)["triệu tỷ"] == Decimal(10) ** 15
    assert vi.scale_words[0][0] in ("triệu tỷ", "triệu tỉ", "nghìn tỷ", "nghìn tỉ", "ngàn tỷ", "ngàn tỉ")


def test_conventions_read_site_yml_number_formats(tmp_path):
    (tmp_path / "site.yml").write_text(
        "number_formats:\n  vi:\n    group: ' '\n    decimal: ','\n    scale_words: {vạn: 10000}\n"
        "    qualifier_words: {approx: [chừng]}\n",
        encoding="utf-8",
    )
    vi = conventions(tmp_path, "vi")
    (figure,) = find_figures("chừng 1 234,5 vạn", vi)
    assert (figure.written, figure.value, figure.qualifier) == ("chừng 1 234,5 vạn", Decimal(12_345_000), "approx")


def test_a_scale_word_that_is_not_a_number_is_a_clear_error(tmp_path):
    (tmp_path / "site.yml").write_text("number_formats:\n  vi: {scale_words: {vạn: lots}}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"site.yml: \[unknown-number-format\]"):
        conventions(tmp_path, "vi")


def test_a_language_without_conventions_is_a_clear_error(no_site):
    with pytest.raises(InputError, match="unknown-number-format"):
        conventions(no_site, "fr")


# ------------------------------------------------------------------ command line


def test_figures_command_lists_likely_figures_and_counts_the_hidden_noise():
    result = run_cli("figures", NOISE, "--data", FIXTURE_DATA)
    assert result.returncode == 0, result.stderr
    head, header, *rows = result.stdout.splitlines()
    assert "source test-vi-noise (vi)" in head and "14 noise hidden" in head and "phone 2" in head
    assert header.split() == ["line", "as_written", "value", "scale", "qualifier", "periods", "tier", "why", "curated"]
    assert rows[0].split()[:3] == ["2", "85%", "85"] and len(rows) == 3
    assert "0912" not in result.stdout


def test_figures_all_shows_the_noise_with_its_reason():
    result = run_cli("figures", NOISE, "--data", FIXTURE_DATA, "--all")
    assert result.returncode == 0, result.stderr
    assert any(line.split()[-1] == "phone" and "0912.345.678" in line for line in result.stdout.splitlines())


def test_figures_csv_has_every_figure_and_the_indicators_that_cite_it():
    result = run_cli("figures", VI_SCALES, "--data", FIXTURE_DATA, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    revenue = next(row for row in rows if row["as_written"] == "ước đạt 2,35 nghìn tỷ đồng")
    assert (revenue["value"], revenue["indicators"], revenue["curated"]) == ("2350000000000", "digital-revenue", "✓")


def test_figures_of_a_file_no_source_lists_is_an_error(tmp_path):
    stray = tmp_path / "not-listed.txt"
    shutil.copy(NOISE, stray)
    result = run_cli("figures", stray, "--data", FIXTURE_DATA)
    assert result.returncode == 1
    assert "[unknown-source] no source has archive_file 'not-listed.txt'" in result.stderr


def test_figures_of_a_missing_file_says_it_cannot_be_read(tmp_path):
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    rows = (tmp_path / "data" / "sources.csv").read_text(encoding="utf-8").replace("source-english-figures", "gone")
    (tmp_path / "data" / "sources.csv").write_text(rows, encoding="utf-8")
    result = run_cli("figures", tmp_path / "gone.txt", "--data", tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read") and "gone.txt" in result.stderr


def test_coverage_without_archive_is_an_error():
    result = run_cli("validate", "--coverage")
    assert result.returncode == 2
    assert "--coverage needs --archive DIR" in result.stderr


def test_figures_command_has_help():
    result = run_cli("figures", "--help")
    assert result.returncode == 0 and "--all" in result.stdout and "--data" in result.stdout


def test_coverage_reports_each_source_and_its_uncurated_figures(archive):
    result = run_cli("validate", "--archive", archive, "--coverage")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Coverage:")
    sources = read_rows(DATA, "sources")
    for source in sources:
        assert any(line.startswith(f"{source['source_id']} ({source['archive_file']}): ") for line in lines)
    assert "    line 5: 63  (…" in result.stdout  # the uncited 63 of 15/63 in the Bình Định report
