"""What a person sees, in headless Chromium: charts, language switch, search, accessibility, network."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def image_loaded(tab, selector: str) -> bool:
    return tab.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def switch_language(tab, language_name: str) -> None:
    before = tab.url
    # Everything the page fetches after it loads (Material's script once fetched the sitemaps and
    # then sent a switch on any host but site_url to the other language's home page) is in.
    tab.wait_for_load_state("networkidle")
    tab.click(".md-header__option .md-select button")
    tab.click(f".md-select__link:has-text('{language_name}')")
    tab.wait_for_url(lambda url: url != before)  # the other page, not the load state of this one
    tab.wait_for_load_state("load")


def test_home_page_shows_chart_and_switches_to_english_on_the_same_page(tab, site_url):
    tab.goto(site_url)
    assert tab.locator("h1").first.inner_text() == "Dữ liệu mở Chuyển đổi số Việt Nam"
    chart = tab.locator("figure.chart img").first
    assert chart.get_attribute("loading") == "lazy"  # below the first screen: loaded when scrolled to
    chart.scroll_into_view_if_needed()
    tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    assert image_loaded(tab, "figure.chart img")
    switch_language(tab, "English")
    assert urlsplit(tab.url).path == "/en/"
    assert tab.locator("h1").first.inner_text() == "Vietnam Digital Transformation Open Data"


def test_indicator_page_shows_chart_and_language_switch_keeps_the_page(tab, site_url):
    tab.goto(site_url + "indicators/online-dossier-share/")
    assert image_loaded(tab, "figure.chart img")
    alt = tab.get_attribute("figure.chart img", "alt")
    assert "45%" in alt and "2024" in alt
    switch_language(tab, "English")
    assert urlsplit(tab.url).path == "/en/indicators/online-dossier-share/"
    assert tab.locator("h1").inner_text() == "Fully online dossier share"
    switch_language(tab, "Tiếng Việt")
    assert urlsplit(tab.url).path == "/indicators/online-dossier-share/"


@pytest.mark.parametrize("lang", ["", "en/"])
def test_chart_png_button_saves_a_png_drawn_from_the_svg_at_twice_its_size(tab, site_url, lang):
    tab.goto(site_url + lang + "indicators/fixed-broadband-speed/")
    button = tab.locator("button.chart-png")
    assert button.is_visible()  # hidden in the HTML, shown by the script that makes the PNG
    svg_size = tab.eval_on_selector(  # the wide drawing's size, whichever drawing the phone shows
        "button.chart-png",
        "b => new Promise(done => { const i = new Image(); i.onload = () => done([i.naturalWidth, i.naturalHeight]); "
        "i.src = b.dataset.svg; })",
    )
    with tab.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == f"fixed-broadband-speed-{lang.strip('/') or 'vi'}.png"
    png = Path(download.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (2 * svg_size[0], 2 * svg_size[1])
    assert len(png) > 20_000  # a drawn chart, not a blank canvas


@pytest.mark.parametrize(
    "lang, query, expected",
    [
        ("", "hồ sơ trực tuyến", "/indicators/online-dossier-share/"),
        ("", "ho so truc tuyen", "/indicators/online-dossier-share/"),  # typed without diacritics
        ("", "VNeID", "/indicators/vneid-activated-accounts/"),
        ("", "băng rộng", "broadband"),
        ("", "bang rong", "broadband"),
        ("", "binh dinh", "/places/vn-31/"),  # đ is a letter of its own, folded to d by the site
        ("", "Bình Định", "/places/vn-31/"),
        ("en/", "broadband", "broadband"),
        ("en/", "binh dinh", "/en/places/vn-31/"),
    ],
)
def test_search_finds_pages_with_or_without_diacritics_first(tab, site_url, lang, query, expected):
    tab.goto(site_url + lang)
    tab.wait_for_load_state("networkidle")
    tab.click(".portal-search-button")  # the header's button leads to the search page
    tab.wait_for_selector("#site-search input")
    tab.fill("#site-search input", query)
    first = tab.locator(".pagefind-ui__result-link").first
    first.wait_for(timeout=10_000)
    assert expected in first.get_attribute("href"), (query, first.get_attribute("href"))


def test_search_results_do_not_open_with_a_pages_hidden_folded_words(tab, site_url):
    """A page's words with đ, folded for the index (search.py's folded_terms), are hidden on the page,
    and a reader saw results open with them ('De doi.'): the search page takes them out."""
    tab.goto(site_url + "search/")
    tab.wait_for_selector("#site-search input")
    tab.fill("#site-search input", "chuyen doi so")
    tab.locator(".pagefind-ui__result-excerpt").first.wait_for(timeout=10_000)
    tab.wait_for_load_state("networkidle")
    excerpts = tab.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert len(excerpts) >= 3
    hidden = re.compile(r"\b(doi|De)\b")  # written without their marks: only the hidden words are
    assert not [text for text in excerpts if hidden.search(text)], excerpts
    assert "folded" not in tab.locator("#site-search").inner_text().lower()  # nor as a result's tag


@pytest.mark.parametrize("query", ["chuyen doi so", "chuyển đổi số"])
def test_search_results_mark_a_matched_word_with_d_as_they_mark_the_others(tab, site_url, query):
    """Pagefind matched 'đổi' by its folded twin, hidden on the page, and left it unmarked in the
    excerpt beside a marked 'chuyển' and 'số'."""
    tab.goto(site_url + "search/")
    tab.wait_for_selector("#site-search input")
    tab.fill("#site-search input", query)
    tab.locator(".pagefind-ui__result-excerpt").first.wait_for(timeout=10_000)
    tab.wait_for_load_state("networkidle")
    marked = tab.eval_on_selector_all(".pagefind-ui__result-excerpt mark", "marks => marks.map(m => m.textContent)")
    words = {word.lower() for word in marked}
    assert "đổi" in words and "số" in words, marked


def test_search_marks_leave_an_excerpts_entities_whole(tab, site_url):
    """A query word that is also an entity's name ('lt' of '&lt;') was marked inside it, and the data
    page's excerpt showed a literal '&lt;-'."""
    tab.goto(site_url + "search/")
    tab.wait_for_selector("#site-search input")
    tab.fill("#site-search input", "readr lt")
    tab.locator(".pagefind-ui__result-excerpt").first.wait_for(timeout=10_000)
    tab.wait_for_load_state("networkidle")
    excerpts = tab.eval_on_selector_all(".pagefind-ui__result-excerpt", "es => es.map(e => e.textContent)")
    assert excerpts and not [text for text in excerpts if "&lt;" in text or "&gt;" in text or "&amp;" in text]


@pytest.fixture(scope="module")
def sub_path_url(built_site, tmp_path_factory):
    """The site as GitHub Pages serves a project's site: under /<repository>/, not at the root."""
    from conftest import serve

    root = tmp_path_factory.mktemp("pages")
    (root / "vn-dx-open-data").symlink_to(built_site, target_is_directory=True)
    server, url = serve(root)
    yield url + "vn-dx-open-data/"
    server.shutdown()


@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
def test_search_finds_pages_when_the_site_is_served_under_a_sub_path(tab, sub_path_url, lang):
    """The search page of each language loads the one index of the site, wherever the site lives."""
    tab.goto(sub_path_url + lang + "search/")
    tab.wait_for_selector("#site-search input")
    tab.fill("#site-search input", "VNeID")
    first = tab.locator(".pagefind-ui__result-link").first
    first.wait_for(timeout=10_000)
    path = urlsplit(first.get_attribute("href")).path
    assert path == f"/vn-dx-open-data/{lang}indicators/vneid-activated-accounts/", path
    outside = [url for url in tab.requests if "pagefind" in url and "/vn-dx-open-data/pagefind/" not in url]
    assert not outside and not tab.console_errors, (outside, tab.console_errors)


PAGES = ["", "indicators/fixed-broadband-speed/", "places/vn-69/", "data/observations/"]


@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
@pytest.mark.parametrize("path", PAGES, ids=["home", "indicator", "place", "data"])
def test_no_accessibility_violations(tab, site_url, lang, path):
    tab.goto(site_url + lang + path)
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}  # WCAG 2.2's too
    results = Axe().run(tab, options=options)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("lang", ["", "en/"], ids=["vi", "en"])
@pytest.mark.parametrize(
    "path",
    PAGES + ["sources/thainguyen-gov-2022-08-session-3/", "sessions/", "sessions/committee-session-9/", "methodology/"],
)
def test_pages_request_only_the_site_itself_and_log_no_errors(tab, site_url, lang, path):
    tab.goto(site_url + lang + path)
    tab.wait_for_load_state("networkidle")
    own = urlsplit(site_url).netloc
    foreign = [url for url in tab.requests if urlsplit(url).netloc not in (own, "") and not url.startswith("data:")]
    assert not foreign
    assert not tab.console_errors
