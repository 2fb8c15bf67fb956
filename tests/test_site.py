"""The built portal, read as HTML: pages in both languages, links, downloads, formats, no third parties."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from conftest import DATA, ROOT
from sitecheck import html_pages, parse, resolve

from build_scripts.data import schema
from build_scripts.data.load import load_tables

LANG_ROOTS = {"vi": "", "en": "en/"}


@pytest.fixture(scope="module")
def tables():
    return load_tables(DATA)


def page(site, lang, path):
    return site / LANG_ROOTS[lang] / path / "index.html"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_entity_has_a_page_in_both_languages(built_site, tables, lang):
    expected = (
        [f"indicators/{i}" for i in tables["indicators"].frame["indicator_id"]]
        + [f"places/{g.lower()}" for g in tables["places"].frame["geo"]]
        + [f"sources/{s}" for s in tables["sources"].frame["source_id"]]
        + [f"sessions/{e}" for e in tables["events"].frame["event_id"]]
        + [f"data/{r.name}" for r in schema.resources()]
        + ["", "indicators", "places", "sources", "sessions", "data", "methodology", "about", "contributing"]
    )
    missing = [p for p in expected if not page(built_site, lang, p).exists()]
    assert not missing
    assert parse(page(built_site, lang, "")).html_lang == lang


def test_every_page_has_lang_title_and_description(built_site):
    for path in html_pages(built_site):
        parsed = parse(path)
        expected_lang = "en" if path.relative_to(built_site).parts[0] == "en" else "vi"
        assert parsed.html_lang == expected_lang, path
        assert parsed.title.strip(), path
        assert parsed.meta.get("description", "").strip(), path


def test_every_internal_link_anchor_and_image_resolves(built_site):
    broken = []
    for path in html_pages(built_site):
        parsed = parse(path)
        for tag, url, _ in parsed.links:
            resolved = resolve(built_site, path, url)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)}: {tag} {url}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{path.relative_to(built_site)}: missing anchor {url}")
    assert not broken, "\n".join(broken[:20])


def test_no_page_loads_anything_from_another_host(built_site):
    """Scripts, styles, images and fonts all come from the site itself."""
    offenders = []
    for path in html_pages(built_site):
        for tag, url, attributes in parse(path).links:
            loads = tag in ("script", "img", "iframe", "source") or (
                tag == "link" and attributes.get("rel") in ("stylesheet", "preload", "icon", "preconnect")
            )
            if loads and re.match(r"^(https?:)?//", url):
                offenders.append(f"{path.relative_to(built_site)}: {tag} {url}")
    assert not offenders, offenders[:10]
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


def test_every_image_has_alt_text(built_site):
    for path in html_pages(built_site):
        for image in parse(path).images:
            assert image.get("alt", "").strip(), (path, image)


def test_indicator_page_shows_the_figures_in_the_language_of_the_page(built_site):
    vi = page(built_site, "vi", "indicators/fixed-broadband-speed").read_text(encoding="utf-8")
    en = page(built_site, "en", "indicators/fixed-broadband-speed").read_text(encoding="utf-8")
    assert "71,79 Mbps" in vi and "71.79 Mbps" in en
    assert "25/12/2022" in vi and "25 Dec 2022" in en
    assert "Các số liệu" in vi and "Observations" in en
    assert "dòng 11" in vi and "line 11" in en
    assert "6 tháng đầu năm 2022" in vi and "H1 2022" in en
    ict_vi = page(built_site, "vi", "indicators/ict-revenue").read_text(encoding="utf-8")
    ict_en = page(built_site, "en", "indicators/ict-revenue").read_text(encoding="utf-8")
    assert "ước đạt 1,9 triệu tỷ đồng" in ict_vi and "1.9 quadrillion VND (estimate)" in ict_en
    teams = page(built_site, "vi", "indicators/community-digital-teams").read_text(encoding="utf-8")
    assert "2.255" in teams
    assert "2,255" in page(built_site, "en", "indicators/community-digital-teams").read_text(encoding="utf-8")


def test_indicator_page_has_chart_table_and_downloads(built_site):
    html = page(built_site, "en", "indicators/fixed-broadband-speed").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="../../charts/indicators/fixed-broadband-speed.svg"', html)
    assert "downloads/indicators/fixed-broadband-speed.csv" in html
    assert re.search(
        r'<button type="button" class="chart-png" hidden data-svg="[./]*en/charts/indicators/'
        r'fixed-broadband-speed.svg" data-file="fixed-broadband-speed-en.png">Chart \(PNG\)</button>',
        html,
    )
    # the PNG button's PNG is drawn by the reader's browser; the build draws only the link preview's
    preview = built_site / "en" / "charts" / "indicators" / "fixed-broadband-speed.png"
    assert preview.read_bytes().startswith(b"\x89PNG")
    assert 'property="og:image" content="https://' in html and "en/charts/indicators/fixed-broadband-speed.png" in html
    assert html.count("thainguyen.gov.vn") >= 1 and '<table class="figures">' in html
    alt = re.search(r'<img src="[^"]*fixed-broadband-speed.svg" alt="([^"]+)"', html).group(1)
    assert "71.79" in alt and "79.95" in alt and "World" in alt


def test_single_figure_is_a_card_not_a_chart(built_site):
    html = page(built_site, "vi", "indicators/ict-revenue").read_text(encoding="utf-8")
    assert 'class="latest"' in html and "ước đạt 1,9 triệu tỷ đồng" in html  # the figure opens the page
    assert '<figure class="chart">' not in html
    assert "charts/indicators/ict-revenue.svg" in html  # still downloadable


def test_place_page_states_the_2025_successor(built_site):
    html = page(built_site, "en", "places/vn-31").read_text(encoding="utf-8")
    assert "Since 1 Jul 2025 part of" in html and "Gia Lai" in html
    html = page(built_site, "vi", "places/vn-2025-52").read_text(encoding="utf-8")
    assert "Hình thành từ" in html and "Bình Định" in html


def test_qualifiers_are_shown_in_words(built_site):
    html = page(built_site, "en", "indicators/vneid-activated-accounts").read_text(encoding="utf-8")
    assert "more than 55.25 million" in html
    html = page(built_site, "vi", "indicators/vneid-activated-accounts").read_text(encoding="utf-8")
    assert "trên 55,25 triệu" in html


def test_navigation_is_pruned(built_site):
    """An indicator page links to a handful of sections, not to every page of the site."""
    html = page(built_site, "vi", "indicators/egdi-rank").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S).group(0)
    assert nav.count("<a ") < 20
    assert "indicators/online-dossier-share" not in nav


def test_language_switcher_points_to_the_same_page(built_site):
    vi = page(built_site, "vi", "sources/thainguyen-gov-2022-08-session-3").read_text(encoding="utf-8")
    assert 'href="../../en/sources/thainguyen-gov-2022-08-session-3/" hreflang="en"' in vi
    en = page(built_site, "en", "sources/thainguyen-gov-2022-08-session-3").read_text(encoding="utf-8")
    assert 'href="../../../sources/thainguyen-gov-2022-08-session-3/" hreflang="vi"' in en


def without_derived(content: bytes, resource) -> bytes:
    """A published CSV without the columns the published files add (schema.DERIVED), written as
    csv.writer writes (the package's quoting)."""
    records = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    keep = [i for i, column in enumerate(records[0]) if column in resource.fields]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in records])
    return out.getvalue().encode("utf-8")


def test_downloads_are_the_package_resources_byte_for_byte(built_site):
    downloads = built_site / "downloads"
    descriptor = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    for resource in schema.resources():
        published = (downloads / f"{resource.name}.csv").read_bytes()
        # the data folder's file, with the derived columns (period_start, period_end) beside their source
        assert without_derived(published, resource) == (DATA / f"{resource.name}.csv").read_bytes()
        described = next(r for r in descriptor["resources"] if r["name"] == resource.name)
        assert described["bytes"] == len(published) and described["path"] == f"{resource.name}.csv"
        excel = (downloads / f"{resource.name}.excel.csv").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and excel[3:].replace(b"\r\n", b"\n") == published
        frame = pd.read_csv(io.BytesIO(published), dtype=str, keep_default_na=False)
        from_xlsx = pd.read_excel(downloads / f"{resource.name}.xlsx", dtype=str, keep_default_na=False)
        assert list(from_xlsx.columns) == list(frame.columns) and len(from_xlsx) == len(frame)
        records = json.loads((downloads / f"{resource.name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(frame)
        assert not records or list(records[0]) == list(frame.columns)  # a table may hold none (reports)
    with zipfile.ZipFile(downloads / "vietnam-digital-transformation.zip") as archive:
        assert archive.read("observations.csv") == (downloads / "observations.csv").read_bytes()
        assert json.loads(archive.read("datapackage.json"))["name"] == "vietnam-digital-transformation"


def test_typed_json_and_xlsx_keep_numbers_as_numbers(built_site):
    records = json.loads((built_site / "downloads" / "observations.json").read_text(encoding="utf-8"))
    ict = next(r for r in records if r["indicator_id"] == "ict-revenue")
    assert ict["value"] == 1_900_000_000_000_000 and ict["line"] == 5 and ict["is_derived"] is False
    frame = pd.read_excel(built_site / "downloads" / "observations.xlsx")
    assert frame.loc[frame["indicator_id"] == "fixed-broadband-speed", "value"].max() == pytest.approx(79.95)


def test_indicator_csvs_partition_the_observations(built_site):
    folder = built_site / "downloads" / "indicators"
    rows = []
    for path in sorted(folder.glob("*.csv")):
        records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert {r[0] for r in records[1:]} == {path.stem}
        rows += records[1:]
    whole = built_site / "downloads" / "observations.csv"
    published = list(csv.reader(io.StringIO(whole.read_text(encoding="utf-8"))))[1:]
    assert sorted(rows) == sorted(published)


def test_data_page_has_schema_preview_downloads_and_code(built_site):
    html = page(built_site, "en", "data/observations").read_text(encoding="utf-8")
    for expected in ["as_written", "primary key", "observations.excel.csv", "observations.xlsx", "observations.json"]:
        assert expected in html
    vi = page(built_site, "vi", "data/observations").read_text(encoding="utf-8")
    assert "Khóa chính" in vi and "bắt buộc; pattern" in vi and "Primary key" not in vi and "required;" not in vi
    overview = page(built_site, "en", "data").read_text(encoding="utf-8")
    assert "pd.read_csv" in overview and "from frictionless import Package" in overview
    assert "vietnam-digital-transformation.zip" in overview


def test_home_page_shows_headline_figures_latest_session_and_package(built_site):
    html = page(built_site, "vi", "").read_text(encoding="utf-8")
    assert "trên 55,25 triệu" in html and "thứ 71" in html and "45%" in html
    assert "sessions/committee-session-10/" in html
    assert "downloads/vietnam-digital-transformation.zip" in html
    assert "79,95 Mbps" in html  # Viet Nam's own figure, not the world average


def test_each_indicator_has_a_workbook_with_exactly_its_csv_rows(built_site):
    folder = built_site / "downloads" / "indicators"
    workbooks = sorted(folder.glob("*.xlsx"))
    assert {p.stem for p in workbooks} == {p.stem for p in folder.glob("*.csv")} and len(workbooks) > 50
    for path in workbooks:
        from_csv = pd.read_csv(path.with_suffix(".csv"), dtype=str, keep_default_na=False)
        from_xlsx = pd.read_excel(path, dtype=str, keep_default_na=False)
        assert list(from_xlsx.columns) == list(from_csv.columns)
        assert from_xlsx["period"].tolist() == from_csv["period"].tolist()  # periods stay text: "2024-H1", "2022"
        assert from_xlsx["as_written"].tolist() == from_csv["as_written"].tolist()
        numbers = pd.read_excel(path)["value"].tolist()
        assert numbers == pytest.approx([float(v) for v in from_csv["value"]])
    html = page(built_site, "vi", "indicators/fixed-broadband-speed").read_text(encoding="utf-8")
    assert "downloads/indicators/fixed-broadband-speed.xlsx" in html


@pytest.mark.parametrize("lang, words", [("vi", "Không rõ đơn vị đăng"), ("en", "Publisher not stated")])
def test_a_source_that_names_no_publisher_is_cited_as_such_not_by_its_id(built_site, tables, lang, words):
    unnamed = tables["sources"].frame.query("publisher == ''")["source_id"].tolist()
    assert unnamed  # the fixture keeps one: a national report whose publisher is not printed
    cited = set()
    for path in html_pages(built_site / LANG_ROOTS[lang] if lang != "vi" else built_site):
        html = path.read_text(encoding="utf-8")
        for source_id in unnamed:
            assert f">{source_id}</a>" not in html, path  # an id is no name a reader can cite
            if f'{source_id}/">{words}</a>' in html:
                cited.add(path)
    assert cited


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_places_own_summary_does_not_repeat_the_place_in_every_row(built_site, lang):
    """Past FULL_TABLE_MAX_ROWS a page lists each indicator's latest figure; on the place's own page a
    column of its name only pushed the figures off a phone's screen."""
    html = page(built_site, lang, "places/vn").read_text(encoding="utf-8")
    name = {"vi": "Việt Nam", "en": "Viet Nam"}[lang]
    latest = {"vi": "Mới nhất", "en": "Latest"}[lang]
    assert f"<th>{latest}</th>" in html or f'<th style="text-align: left;">{latest}</th>' in html
    assert f"<td>{name}</td>" not in html and f'<td style="text-align: left;">{name}</td>' not in html
    catalogue = page(built_site, lang, "places").read_text(encoding="utf-8")
    assert ">geo<" not in catalogue and {"vi": "Mã địa bàn", "en": "Place code"}[lang] in catalogue


@pytest.mark.parametrize("lang, title", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_the_not_found_page_speaks_the_sites_language_and_leads_home_and_to_search(built_site, lang, title):
    """GitHub Pages serves the root 404.html at any depth: its links start from the site's root path."""
    from urllib.parse import urljoin, urlsplit

    from build_scripts.render import read_site_url

    html = (built_site / LANG_ROOTS[lang] / "404.html").read_text(encoding="utf-8")
    assert f"<h1>{title}</h1>" in html and "404 - Not found" not in html
    # and in the other language, with its way home: GitHub Pages serves the root's at /en/ addresses too
    other, other_title = {"vi": ("en", "Page not found"), "en": ("vi", "Không tìm thấy trang")}[lang]
    assert re.search(rf'<div class="not-found-elsewhere" lang="{other}">\s*<h2>{other_title}</h2>', html)
    targets = re.findall(r'<li><a href="([^"]+)">', html[html.index(f"<h1>{title}</h1>") :])
    root = urlsplit(read_site_url(ROOT)).path
    assert len(targets) == 2 and all(target.startswith(root) for target in targets), targets
    for target in targets:
        assert (built_site / target[len(root) :] / "index.html").is_file(), target
    # every link of the page, as a browser resolves it from a missing address two folders down (the
    # language switch, the footer's zip, the feed once resolved into /en/en/ and /en/downloads/)
    missing = f"http://host{root}{LANG_ROOTS[lang]}no/such/page"
    hrefs = re.findall(r'href="([^"#]+)"', html)
    prefixes = re.findall(r'content="([^"#]*/[^"#]*)"', html)  # the folders portal.js reads from (search)
    local = 0
    for link in hrefs + prefixes:
        path = urlsplit(urljoin(missing, link)).path
        if re.match(r"[a-z]+:", link) or not path.startswith(root):
            continue
        local += 1
        file = built_site / path[len(root) :]
        found = file.is_dir() if link in prefixes else file.is_file() or (file / "index.html").is_file()
        assert found, (link, path)
    assert local > 10


@pytest.mark.parametrize("lang, chart, card", [("vi", "Biểu đồ", "Thẻ số liệu"), ("en", "Chart", "Figure card")])
def test_an_indicator_without_a_chart_offers_its_figure_card_by_that_name(built_site, tables, lang, chart, card):
    """A single figure is drawn as a card (the link preview), not a chart: its downloads said 'Chart'."""
    seen = {"chart": 0, "card": 0}
    for indicator_id in tables["observations"].frame["indicator_id"].unique():
        html = page(built_site, lang, f"indicators/{indicator_id}").read_text(encoding="utf-8")
        kind = "chart" if '<figure class="chart">' in html else "card"
        words = {"chart": chart, "card": card}
        assert f">{words[kind]} (SVG)</a>" in html and f">{words[kind]} (PNG)</button>" in html, indicator_id
        other = "card" if kind == "chart" else "chart"
        assert f">{words[other]} (SVG)</a>" not in html, indicator_id
        seen[kind] += 1
    assert seen["chart"] and seen["card"], seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_places_that_share_a_name_are_told_apart_by_their_dates_in_the_list(built_site, tables, lang):
    """A province before the 2025 reorganisation and the one after often share a name: the list says
    under each name when that place existed (on a phone the columns that differ are off the screen)."""
    places = tables["places"].frame
    shared = places[places.duplicated(f"name_{lang}", keep=False)]
    assert len(shared) >= 2
    html = page(built_site, lang, "places").read_text(encoding="utf-8")
    cells = {}
    for geo, name in zip(shared["geo"], shared[f"name_{lang}"]):
        cell = rf'<a href="{geo.lower()}/">{re.escape(name)}</a><br><span class="valid">([^<]+)</span>'
        found = re.search(cell, html)
        assert found, (geo, name)
        cells.setdefault(name, []).append(found[1])
    assert all(len(set(dates)) == len(dates) for dates in cells.values()), cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_places_that_share_a_name_are_titled_and_linked_with_their_dates(built_site, tables, lang):
    """The old Thái Nguyên's page said it was later part of 'Thái Nguyên', which read as itself, and
    both pages had the same title: a place whose name another place has is titled, and linked from the
    places' pages and list, with its dates."""
    places = tables["places"].frame.set_index("geo")
    names = places[f"name_{lang}"]
    shared = {geo for geo in places.index if (names == names[geo]).sum() > 1}
    assert len(shared) >= 2
    titles = set()
    for geo in shared:
        html = page(built_site, lang, f"places/{geo.lower()}").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>([^<]+)</h1>", html)[1]
        assert heading.startswith(f"{names[geo]} (") and "2025" in heading, heading
        titles.add(heading)
    assert len(titles) == len(shared)
    linked = 0
    for geo in places.index:
        html = page(built_site, lang, f"places/{geo.lower()}").read_text(encoding="utf-8")
        for target, words in re.findall(r'<a href="\.\./([a-z0-9-]+)/">([^<]+)</a>', html):
            if target.upper() in shared:
                assert words.startswith(f"{names[target.upper()]} (") and "2025" in words, (geo, target, words)
                linked += 1
    assert linked >= len(shared)  # each is linked from its successor or predecessor at least


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_place_and_source_with_figures_links_its_own_csv(built_site, tables, lang):
    """A page of a place or a source links the CSV of its rows, however few it lists (the small ones
    once listed their rows and linked no file, though every slice is published)."""
    pages = [("places", geo.lower()) for geo in tables["observations"].frame["geo"].unique()]
    pages += [("sources", source_id) for source_id in tables["observations"].frame["source_id"].unique()]
    assert len(pages) > 4
    for folder, key in pages:
        html = page(built_site, lang, f"{folder}/{key}").read_text(encoding="utf-8")
        found = re.search(rf'<a href="((?:\.\./)+downloads/{folder}/{re.escape(key)}\.csv(?:\.gz)?)" download>', html)
        assert found, (folder, key)
        assert (page(built_site, lang, f"{folder}/{key}").parent / found[1]).resolve().is_file(), found[1]


def test_a_sources_place_is_named_in_the_pages_language(built_site, tables):
    """A source's place is text in Vietnamese; the English page gave 'Bình Định' beside 'Binh Dinh'."""
    places = tables["places"].frame
    checked = 0
    for source_id, written in zip(tables["sources"].frame["source_id"], tables["sources"].frame["place"]):
        english = set(places.loc[places["name_vi"] == written, "name_en"])
        if len(english) != 1:
            continue
        html = page(built_site, "en", f"sources/{source_id}").read_text(encoding="utf-8")
        assert f"<strong>Place:</strong> {english.pop()}</li>" in html, source_id
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("lang, name", [("vi", "Tiếng Việt"), ("en", "Vietnamese")])
def test_a_sources_language_is_named_in_the_pages_language(built_site, tables, lang, name):
    source_id = tables["sources"].frame.query("language == 'vi'")["source_id"].iloc[0]
    html = page(built_site, lang, f"sources/{source_id}").read_text(encoding="utf-8")
    label = {"vi": "Ngôn ngữ", "en": "Language"}[lang]
    assert f"<strong>{label}:</strong> {name}</li>" in html
