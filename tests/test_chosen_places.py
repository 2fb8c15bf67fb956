"""Nothing chosen by accident: which place's figure leads the home page and an indicator page, and the
period a summary gives each place.

The portal is the Vietnamese fixture with 30 more provinces and a key indicator that only they report,
over three quarters (one province in the last only): the featured places (Viet Nam, the world) have no
figure of it. Its key figure must then be the best of the chart's ranking, saying whose it is, not the
last row; its page's latest figures must lead with the ranking's best and worst, not the first codes;
its summary must give each province the span of its quarters.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, serve

INDICATOR = "regional-only-share"  # the key indicator no featured place reports
PLACES = 30
QUARTERS = ["2023-Q1", "2023-Q2", "2023-Q3"]
ONE_QUARTER = "XX-R030"  # the province with a figure for the last quarter only: the last row by code
SOURCE = "baomoi-vinhphuc-2025-02-session-10"
TEXTS = {
    lang: yaml.safe_load((ROOT / f"build_scripts/site/texts/{lang}.yml").read_text("utf-8"))
    for lang in ("vi", "en", "es")
}


def region(n: int) -> str:
    return f"XX-R{n:03d}"


def value(n: int, quarter: int) -> float:
    """41 to 70 in the last quarter, each province its own (7n mod 31 runs over 1..30): neither the
    first codes nor the last are at either end; a little lower in the quarters before."""
    return 40 + (7 * n) % 31 - (len(QUARTERS) - 1 - quarter) / 2


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def regional_portal(folder: Path) -> Path:
    """The data folder described in the module's docstring."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    fields, rows = _rows(data / "places.csv")
    rows += [
        {
            **dict.fromkeys(fields, ""),
            "geo": region(n),
            "name_vi": f"Vùng Thử {n:03d}",
            "name_en": f"Test Region {n:03d}",
            "level": "province",
            "reference_vi": "Địa bàn sinh ra cho kiểm thử",
            "reference_en": "Place generated for tests",
        }
        for n in range(1, PLACES + 1)
    ]
    _write(data / "places.csv", fields, rows)
    fields, rows = _rows(data / "indicators.csv")
    rows.append(
        {
            **dict.fromkeys(fields, ""),
            "indicator_id": INDICATOR,
            "name_vi": "Tỷ lệ chỉ các vùng báo cáo",
            "name_en": "Share only regions report",
            "description_vi": "Chỉ số thử nghiệm mà chỉ các vùng có số liệu.",
            "description_en": "A test indicator that only regions have figures for.",
            "unit": "percent",
            "pillar": rows[0]["pillar"],
            "higher_is_better": "true",
            "is_headline": "true",
        }
    )
    _write(data / "indicators.csv", fields, rows)
    fields, rows = _rows(data / "observations.csv")
    for n in range(1, PLACES + 1):
        for index, period in enumerate(QUARTERS):
            if region(n) == ONE_QUARTER and index < len(QUARTERS) - 1:
                continue
            number = f"{value(n, index):g}"
            rows.append(
                {
                    **dict.fromkeys(fields, ""),
                    **{"indicator_id": INDICATOR, "geo": region(n), "period": period, "kind": "actual"},
                    **{"value": number, "is_derived": "false", "source_id": SOURCE, "line": "1"},
                    "as_written": number.replace(".", ","),
                }
            )
    _write(data / "observations.csv", fields, rows)
    return data


@pytest.fixture(scope="module")
def regional_site(tmp_path_factory) -> Path:
    """The portal of the module's docstring, built once (with MkDocs: the browser reads it)."""
    from build_scripts.pipeline import build_site

    folder = tmp_path_factory.mktemp("regional-only")
    build_site(regional_portal(folder), folder / "site", work=folder / "work")
    return folder / "site"


def ranked() -> list[str]:
    """The provinces best first at the last quarter, as the data has them."""
    last = len(QUARTERS) - 1
    return sorted((region(n) for n in range(1, PLACES + 1)), key=lambda g: -value(int(g[-3:]), last))


def name(geo: str, lang: str) -> str:
    return f"{'Vùng Thử' if lang == 'vi' else 'Test Region'} {geo[-3:]}"


def page(site: Path, lang: str, path: str) -> str:
    return (site / ("" if lang == "vi" else f"{lang}/") / path / "index.html").read_text("utf-8")


def home_card(site: Path, lang: str) -> str:
    """The text of the home page's key-figure card of INDICATOR."""
    home = (site / ("" if lang == "vi" else f"{lang}/") / "index.html").read_text("utf-8")
    cards = re.findall(r"<li>(.*?)</li>", home.split('class="grid cards"', 1)[1], re.S)
    card = next(c for c in cards if f"indicators/{INDICATOR}/" in c)
    return html.unescape(re.sub(r"<[^>]+>", "", card))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_key_figure_no_featured_place_has_is_the_best_of_the_ranking_and_says_whose(regional_site, lang):
    best, last_row = ranked()[0], region(PLACES)
    card = home_card(regional_site, lang)
    words = TEXTS[lang]
    assert name(best, lang) in card and name(last_row, lang) not in card, card
    country = "Việt Nam" if lang == "vi" else "Viet Nam"
    assert words["lead_missing"].format(featured=country) in card, card
    places = "tỉnh" if lang == "vi" else "provinces"
    assert words["lead_of_ranked"].format(place=name(best, lang), count=PLACES, places=places) in card, card
    # the catalogue's latest figure is the same one
    catalogue = html.unescape(page(regional_site, lang, "indicators"))
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", catalogue, re.S) if f"{INDICATOR}/" in r)
    assert name(best, lang) in row and name(last_row, lang) not in row, row


def test_a_key_figure_of_a_featured_place_says_nothing_more(regional_site):
    home = (regional_site / "en" / "index.html").read_text("utf-8")
    assert home.count(TEXTS["en"]["lead_missing"].format(featured="Viet Nam")) == 1  # the regional card's only


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_indicator_pages_latest_figures_lead_with_the_best_and_the_worst(regional_site, lang):
    text = page(regional_site, lang, f"indicators/{INDICATOR}")
    latest = text.split('<ul class="latest-figures">', 1)[1].split("</ul>", 1)[0]
    where = [html.unescape(w) for w in re.findall(r'<span class="where">([^<]*)</span>', latest)]
    order = ranked()
    expected = [order[0], order[1], order[2], order[-2], order[-1]]  # three best, two worst, worst last
    assert [w.split(" · ")[0] for w in where] == [name(g, lang) for g in expected], where
    ranks = [1, 2, 3, PLACES - 1, PLACES]
    places = "tỉnh" if lang == "vi" else "provinces"
    for shown, rank in zip(where, ranks):
        assert shown.endswith(TEXTS[lang]["latest_rank"].format(rank=rank, count=PLACES, places=places)), shown
    more = TEXTS[lang]["more_places"].format(n=PLACES - len(expected))
    assert html.unescape(text).count(more) == 1


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_summary_gives_each_place_the_span_of_its_periods(regional_site, lang):
    text = page(regional_site, lang, f"indicators/{INDICATOR}")
    rows = {}  # the summary's rows (the page's only table), by place
    for row in re.findall(r"<tr>(.*?)</tr>", text, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            rows[cells[0]] = cells
    quarter = TEXTS[lang]["period_text_quarter"]
    first, last = (quarter.format(quarter=q[-1], year=q[:4]) for q in (QUARTERS[0], QUARTERS[-1]))
    assert rows[name(region(1), lang)][2] == TEXTS[lang]["period_span"].format(first=first, last=last)
    assert rows[name(ONE_QUARTER, lang)][2] == last  # one period, once


def test_every_language_words_the_lead_alike():
    keys = ("latest_rank", "lead_missing", "lead_of_place", "lead_of_ranked", "period_span")
    fields = {key: set(re.findall(r"{(\w+)}", TEXTS["en"][key])) for key in keys}
    for words in TEXTS.values():
        assert {key: set(re.findall(r"{(\w+)}", words[key])) for key in keys} == fields


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(360, 740), (1280, 800)])
def test_a_reader_sees_whose_key_figure_it_is_on_a_phone_and_a_desktop(regional_site, browser, width, height):
    server, url = serve(regional_site)
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.goto(f"{url}en/")
        card = tab.locator(f".grid.cards li:has(a[href*='indicators/{INDICATOR}/'])")
        note = card.locator("p", has_text=TEXTS["en"]["lead_missing"].format(featured="Viet Nam"))
        note.scroll_into_view_if_needed()
        assert note.is_visible()
        box, card_box = note.bounding_box(), card.bounding_box()
        assert card_box["x"] <= box["x"] and box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 0.5
        assert tab.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the page
        tab.goto(f"{url}en/indicators/{INDICATOR}/")
        first = tab.locator(".latest-figures li .where").first
        assert first.is_visible() and first.inner_text().startswith(name(ranked()[0], "en"))
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
        server.shutdown()
