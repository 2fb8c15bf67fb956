"""Issue 30: every figure true and checkable. A qualifier says what the printed words say (and a position
is never "less than"); a fact the curator inferred is marked as inferred wherever the source is cited;
English pages give each source's title in translation, marked as one; an indicator page says when no
target is recorded, and each result's state against its target by the overview chart's rule."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from build_scripts.config.site import NumberFormat
from build_scripts.data.qualifier_rules import printed_qualifiers
from tests.conftest import DATA, run_cli

RANK = "ecommerce-growth-world-rank"  # printed as "top 10"
INFERRED_SOURCE = "baomoi-vinhphuc-2025-02-session-10"  # publisher and date inferred
NO_TARGET = "online-dossier-share"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _edit_observation(data: Path, indicator_id: str, **changes) -> int:
    """Change the first row of an indicator; its spreadsheet row number."""
    rows = _rows(data / "observations.csv")
    index = next(i for i, row in enumerate(rows) if row["indicator_id"] == indicator_id)
    rows[index].update(changes)
    _write(data / "observations.csv", rows)
    return index + 2


def _page_text(path: Path) -> str:
    """What a reader reads on a page: its HTML without scripts and tags, unescaped."""
    page = re.sub(r"<script\b.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# ------------------------------------------------------------------ 1. qualifiers


def test_a_position_printed_as_top_ten_is_refused_as_less_than(data_copy):
    row = _edit_observation(data_copy, RANK, qualifier="less_than")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert f"observations.csv: row {row}, column qualifier: [qualifier-for-unit]" in out
    assert f"observations.csv: row {row}, column qualifier: [qualifier-matches-as-written]" in out
    assert "'top 10' prints none of its words (dưới); it prints 'top' (top)" in out
    assert "Traceback" not in out


def test_printed_qualifier_word_with_an_empty_qualifier_is_refused(data_copy):
    row = _edit_observation(data_copy, "digital-economy-revenue", qualifier="")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert f"row {row}, column qualifier: [qualifier-matches-as-written] as_written 'khoảng 10 tỷ USD'" in out
    assert "(set qualifier to approx)" in out


def test_top_on_an_amount_is_refused(data_copy):
    row = _edit_observation(data_copy, "digital-economy-revenue", qualifier="top", as_written="top 10 tỷ USD")
    result = run_cli("validate", "--data", data_copy)
    out = result.stdout + result.stderr
    assert f"row {row}, column qualifier: [qualifier-for-unit] 'top' qualifies a position" in out


def test_the_longest_qualifier_word_claims_its_words():
    english = NumberFormat(",", ".", {}, {"less_than": ("less than",), "at_least": ("no less than",)})
    assert printed_qualifiers("no less than 40%", english) == {"at_least": "no less than"}
    assert printed_qualifiers("less than 40%", english) == {"less_than": "less than"}
    assert printed_qualifiers("40% or less than that", english) == {}  # only words before the number


def test_every_figure_of_the_fixture_portal_passes_the_qualifier_rule():
    result = run_cli("validate", "--data", DATA)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rank_reads_as_top_ten_in_both_languages(built_site):
    pages = [f"indicators/{RANK}/index.html", "indicators/index.html", f"sources/{INFERRED_SOURCE}/index.html"]
    for page in pages:
        vi, en = _page_text(built_site / page), _page_text(built_site / "en" / page)
        assert "trong top 10" in vi and "dưới thứ 10" not in vi, page
        assert "#10 or better" in en and "less than #10" not in en, page


# ------------------------------------------------------------------ 2. inferred facts


def test_an_inferred_publisher_and_date_are_marked_on_every_page_that_cites_them(built_site):
    page = f"indicators/{RANK}/index.html"
    en, vi = _page_text(built_site / "en" / page), _page_text(built_site / page)
    assert "Báo Mới (baomoi.com) (Vietnamese news aggregator) [inferred]" in en
    assert "6 Feb 2025 [inferred]" in en
    assert "Báo Mới (baomoi.com) [suy luận]" in vi
    cite = re.search(r"To cite the latest figure:(.*?)via ", en, re.S).group(1)
    assert "[inferred]" in cite and cite.count("[inferred]") == 2  # the publisher and the date
    source_page = _page_text(built_site / "en" / "sources" / INFERRED_SOURCE / "index.html")
    assert "Publisher: Báo Mới (baomoi.com) (Vietnamese news aggregator) [inferred]" in " ".join(source_page.split())


def test_a_printed_publisher_carries_no_mark(built_site):
    page = _page_text(built_site / "en" / "sources" / "thainguyen-gov-2022-08-session-3" / "index.html")
    flat = " ".join(page.split())
    assert "Publisher: thainguyen.gov.vn (Thái Nguyên provincial government portal) Published" in flat


def test_an_inferred_publisher_is_marked_in_the_files(built_site):
    downloads = built_site / "downloads"
    metadata = json.loads((downloads / "indicators" / f"{RANK}.csv-metadata.json").read_text(encoding="utf-8"))
    (cited,) = [s for s in metadata["dc:source"] if s["dc:identifier"] == INFERRED_SOURCE]
    assert cited["schema:citation"].startswith("Báo Mới (baomoi.com) [inferred] (2025-02-06 [inferred]). ")
    assert cited["schema:additionalProperty"]["schema:value"] == ["publisher", "published"]
    sheet = openpyxl.load_workbook(downloads / "indicators" / f"{RANK}.xlsx", read_only=True)["info"]
    info = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert info[f"source {INFERRED_SOURCE}"] == cited["schema:citation"]
    api = json.loads((built_site / "api" / "sources.json").read_text(encoding="utf-8"))
    (entry,) = [s for s in api["sources"] if s["source_id"] == INFERRED_SOURCE]
    assert entry["inferred"] == "publisher published" and entry["citation"] == cited["schema:citation"]
    rows = {row["source_id"]: row for row in _rows(downloads / "sources.csv")}
    assert rows[INFERRED_SOURCE]["inferred"] == "publisher published"


def test_chart_footers_mark_an_inferred_publisher(built_site):
    svg = (built_site / "en" / "charts" / "indicators" / f"{RANK}.svg").read_text(encoding="utf-8")
    assert "[inferred]" in html.unescape(svg)


def test_an_inferred_fact_that_is_not_a_fact_of_a_source_is_refused(data_copy):
    rows = _rows(data_copy / "sources.csv")
    rows[0]["inferred"] = "publisher author"
    _write(data_copy / "sources.csv", rows)
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    assert "sources.csv: row 2, column inferred:" in result.stdout + result.stderr


# ------------------------------------------------------------------ 5. English pages in English


def test_no_source_title_on_an_english_page_goes_without_its_translation(built_site):
    sources = _rows(DATA / "sources.csv")
    assert all(s["translated_title_en"] for s in sources)
    untranslated = []
    for page in sorted((built_site / "en").rglob("*.html")):
        words = " ".join(_page_text(page).split())
        for source in sources:
            title, translation = source["title"], source["translated_title_en"]
            for found in re.finditer(re.escape(title), words):
                if translation not in words[found.start() : found.end() + len(translation) + 300]:
                    untranslated.append(f"{page.relative_to(built_site)}: {title[:30]}")
    assert not untranslated, untranslated[:10]


def test_a_translation_marked_as_one_and_none_in_the_source_language(built_site):
    en = " ".join(_page_text(built_site / "en" / "sources" / INFERRED_SOURCE / "index.html").split())
    assert "Title in translation: Viet Nam takes a great leap in digital transformation" in en
    vi = _page_text(built_site / "sources" / INFERRED_SOURCE / "index.html")
    assert "Viet Nam takes a great leap" not in vi  # the source is in Vietnamese: its title is the title


def test_a_rendering_in_the_sources_own_language_is_refused(data_copy):
    rows = _rows(data_copy / "sources.csv")
    rows[0]["translated_title_vi"] = "Một tiêu đề khác"
    _write(data_copy / "sources.csv", rows)
    result = run_cli("validate", "--data", data_copy)
    assert "sources.csv: row 2, column translated_title_vi: [rendering-in-own-language]" in result.stderr


# ------------------------------------------------------------------ 6. targets


def test_an_indicator_without_a_target_says_so(built_site):
    assert "No target is recorded for this indicator." in _page_text(
        built_site / "en/indicators" / NO_TARGET / "index.html"
    )
    assert "Chưa ghi nhận mục tiêu nào" in _page_text(built_site / "indicators" / NO_TARGET / "index.html")


@pytest.mark.parametrize(
    "indicator_id, state",
    [
        ("vneid-activated-accounts", "target met"),  # more than 55.25 million against 40 million, both 2024
        ("fibre-household-share", "not judged: a part-year result"),  # H1 2022 against the year 2022
    ],
)
def test_an_indicator_with_a_target_states_its_result_against_it(built_site, indicator_id, state):
    words = " ".join(_page_text(built_site / "en/indicators" / indicator_id / "index.html").split())
    line = re.search(r"Targets \(the latest result against the latest target\): (Viet Nam: [^—]+— [^.]+)", words)
    assert line and state in line.group(1), words[:400]


def test_the_page_and_the_overview_chart_judge_a_target_alike(built_site):
    """Each bar of the home page's overview chart (its alt text: 'Name: 95.7% * (Part-year figure, below
    target)') and the indicator's page name the same state for the same result and target."""
    from build_scripts.site.i18n import t

    chart_words = {
        state: t(key, "en")
        for state, key in {
            "met": "chart_target_met",
            "short": "chart_target_short",
            "partial": "chart_target_partial",
        }.items()
    }
    home = html.unescape(Path(built_site / "en" / "index.html").read_text(encoding="utf-8"))
    alt = re.search(r'alt="Horizontal bar chart: Results against their targets\. ([^"]*)"', home).group(1)
    indicators = {row["name_en"]: row["indicator_id"] for row in _rows(DATA / "indicators.csv")}
    judged = 0
    for name, words in re.findall(r"(?:^|; )([^:;]+): [\d.]+% \*? ?\(([^)]+)\)", alt):
        state = next(s for s, w in chart_words.items() if w == words)
        page = " ".join(_page_text(built_site / "en/indicators" / indicators[name] / "index.html").split())
        assert t(f"target_state_{state}", "en") in page, name
        judged += 1
    assert judged == 5


# ------------------------------------------------------------------ 4. other reports of what a source reports

REPORT = {
    "report_id": "example-other-report",
    "source_id": INFERRED_SOURCE,
    "url": "https://example.org/other-report",
    "publisher": "Example news",
    "published": "2025-02-07",
    "language": "vi",
    "found_by": "test fixture",
}


def _add_report(data: Path, as_printed: str, figure=("egdi-rank", "VN", "2024", "actual")) -> None:
    reports = [dict(REPORT, **{f"note_{lang}": "" for lang in ("vi", "en")})]
    _write(data / "reports.csv", reports)
    keys = ("indicator_id", "geo", "period", "kind")
    _write(
        data / "reported_figures.csv",
        [{"report_id": REPORT["report_id"], **dict(zip(keys, figure)), "as_printed": as_printed}],
    )


def test_a_report_printing_another_number_is_refused(data_copy):
    _add_report(data_copy, "72/193")
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    assert (
        "reported_figures.csv: row 2, column as_printed: [reported-figure-value] '72/193' reads as 72" in result.stderr
    )


def test_a_report_of_a_figure_its_source_did_not_print_is_refused(data_copy):
    _add_report(
        data_copy, "71/193", figure=("egdi-rank", "VN", "2022", "actual")
    )  # the source derived 2022, printed 71
    result = run_cli("validate", "--data", data_copy)
    assert "reported_figures.csv: row 2, column indicator_id: [reported-figure-observed]" not in result.stderr
    _add_report(data_copy, "71/193", figure=("egdi-rank", "VN-31", "2024", "actual"))
    result = run_cli("validate", "--data", data_copy)
    assert result.returncode == 1
    assert "reported_figures.csv: row 2, column indicator_id: [reported-figure-observed]" in result.stderr


def test_a_report_is_shown_beside_the_figure_and_on_its_sources_page(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    _add_report(data, "71/193")
    site = _build_from(data, tmp_path)
    page = " ".join(_page_text(site / "en" / "indicators" / "egdi-rank" / "index.html").split())
    assert "Also reported by Example news (7 Feb 2025): “71/193”" in page
    assert "No other report found prints this figure" in page  # the 2022 rank: no other report prints it
    html_text = (site / "en" / "indicators" / "egdi-rank" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/other-report" rel="nofollow noopener">Example news</a>' in html_text
    source = " ".join(_page_text(site / "en" / "sources" / INFERRED_SOURCE / "index.html").split())
    assert "Other reports" in source and "How it was found: test fixture" in source
    assert "1 of this source's 24 figures are printed by at least one other report." in source


def _build_from(data: Path, base: Path) -> Path:
    from build_scripts.pipeline import build_site

    build_site(data, base / "site", work=base / "work")
    return base / "site"


def test_a_portal_without_reports_says_nothing_of_them(built_site):
    page = _page_text(built_site / "en" / "indicators" / "egdi-rank" / "index.html")
    assert "No other report found" not in page and "Also reported by" not in page
