"""Text from the data is literal on every page and never runs: HTML, Markdown, Jinja, script, URLs.

One site is built from a copy of the data where names, titles, descriptions, notes, the publisher,
a place, a session and its chair carry hostile markup (tests/fixtures/*-with-markup-*.csv and
*-with-script-*.csv). The built HTML is read as a browser parses it, then headless Chromium loads
the pages and searches for a hostile title: `window.__pwned` must stay undefined throughout.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, build_variant, run_cli, serve

from build_scripts.site.markdown import safe_url

HOSTILE_FIXTURES = {  # fixture -> the data file it replaces
    "indicators-with-markup-in-name-and-description.csv": "indicators",
    "observations-with-script-in-note.csv": "observations",
    "sources-with-markup-in-text.csv": "sources",
    "places-with-markup-in-name.csv": "places",
    "events-with-markup-in-title.csv": "events",
}
LANG_ROOTS = {"vi": "", "en": "en/"}
INDICATOR, SOURCE, PLACE, EVENT = (
    "fixed-broadband-speed",
    "baobinhdinh-2024-07-session-9",
    "VN-69",
    "committee-session-9",
)
# Attributes whose value is shown as text (or read by assistive technology), never run or followed
TEXT_ATTRIBUTES = {"alt", "title", "content", "aria-label", "id"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster"}


def fixture_row(fixture: str, key: str, value: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO((FIXTURES / fixture).read_text(encoding="utf-8"), newline=""))
    return next(row for row in rows if row[key] == value)


INDICATOR_ROW = fixture_row("indicators-with-markup-in-name-and-description.csv", "indicator_id", INDICATOR)
SOURCE_ROW = fixture_row("sources-with-markup-in-text.csv", "source_id", SOURCE)
PLACE_ROW = fixture_row("places-with-markup-in-name.csv", "geo", PLACE)
EVENT_ROW = fixture_row("events-with-markup-in-title.csv", "event_id", EVENT)
NOTE = next(
    row["note_en"]
    for row in csv.DictReader(
        io.StringIO((FIXTURES / "observations-with-script-in-note.csv").read_text(encoding="utf-8"), newline="")
    )
    if (row["indicator_id"], row["geo"], row["period"]) == (INDICATOR, "VN", "2022-H1")
)


def test_the_fixtures_really_carry_hostile_markup():
    """Guards the guard: if the fixtures lost their payloads, every test below would pass vacuously."""
    for text in (INDICATOR_ROW["name_vi"], SOURCE_ROW["title"], PLACE_ROW["name_vi"], EVENT_ROW["title_vi"], NOTE):
        assert "<script>window.__pwned=" in text
    assert "onerror=" in INDICATOR_ROW["name_vi"] and "onerror=" in SOURCE_ROW["publisher"]
    assert "javascript:" in INDICATOR_ROW["description_vi"] and "javascript:" in PLACE_ROW["reference_vi"]
    assert "</title>" in INDICATOR_ROW["name_en"] and '">' in INDICATOR_ROW["description_en"]
    assert "{{" in INDICATOR_ROW["name_vi"] and "{%" in INDICATOR_ROW["name_en"] and "{{" in NOTE


# --------------------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, built_site) -> Path:
    """The site built from data with hostile text."""
    replacements = {fixture: f"{replaces}.csv" for fixture, replaces in HOSTILE_FIXTURES.items()}
    return build_variant(tmp_path_factory.mktemp("hostile"), built_site, replacements)


# ------------------------------------------------------------------------------ the HTML as parsed


class Page(HTMLParser):
    """A page as a browser's parser sees it: its text, title, description, h1 and anything live."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.description = None
        self.texts: list[str] = []
        self.live: list[str] = []  # markup that would run or navigate
        self._in: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        self._check_tag(tag, attrs)
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.description = dict(attrs).get("content", "")
        if tag == "script":
            self._script_type = (dict(attrs).get("type") or "text/javascript").lower()
        if tag in ("title", "h1"):
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._check_tag(tag, attrs)

    def _check_tag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.live.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value[:60]!r}>")
            flat = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and flat.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.live.append(f"<{tag} {name}={value[:60]!r}>")
            if "__pwned" in value and name not in TEXT_ATTRIBUTES and not value.startswith("#"):
                self.live.append(f"data in <{tag} {name}={value[:60]!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._script_type is not None:
            if "json" in self._script_type:
                json.loads(data)  # structured data stays data: valid JSON, no '<' to close the element
                if "<" in data:
                    self.live.append(f"'<' inside a JSON script: {data[data.index('<') - 30 :][:80]!r}")
            elif "__pwned" in data:
                self.live.append(f"script runs data: {data[:80]!r}")
            return
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        self.texts.append(data)

    @property
    def text(self) -> str:
        return flat(" ".join(self.texts))


def flat(text: str) -> str:
    return " ".join(text.split())


def read_page(site: Path, lang: str, path: str) -> Page:
    page = Page()
    page.feed((site / LANG_ROOTS[lang] / path / "index.html").read_text(encoding="utf-8"))
    page.close()
    return page


def test_no_page_has_live_markup_from_the_data(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 100
    live = []
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        # markup from the data, unescaped ('<' in text is always &lt;; attributes are checked by the parser)
        for needle in (
            "<script>window.__pwned",
            "<img src=x",
            "<svg onload",
            "<iframe",
            "<a href=javascript",
            '<a href="javascript',
            "<b onmouseover",
            "<b onclick",
            "<details open",
            "<style>body",
        ):
            if needle in raw:
                live.append(f"{path.relative_to(hostile_site)}: {needle}")
        page = Page()
        page.feed(raw)
        live += [f"{path.relative_to(hostile_site)}: {item}" for item in page.live]
    assert not live, "\n".join(live[:30])


def test_the_checker_catches_live_markup():
    """The parser above must flag each kind of live markup, or the test before proves nothing."""
    for snippet in [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=2">',
        '<a href="javascript:window.__pwned=3">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        "<svg onload=window.__pwned=4>",
        '<iframe src="https://example.org/"></iframe>',
        '<script type="application/ld+json">{"name": "</script><script>x"}</script>',
    ]:
        page = Page()
        try:
            page.feed(snippet)
        except json.JSONDecodeError:
            continue  # a broken JSON script is caught too
        assert page.live, snippet
    page = Page()
    page.feed("<p>&lt;script&gt;window.__pwned=1&lt;/script&gt;</p><img alt='&lt;b onerror=x&gt;' src='a.svg'>")
    assert not page.live


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_indicator_name_and_description_are_literal_in_title_meta_heading_and_text(hostile_site, lang):
    page = read_page(hostile_site, lang, f"indicators/{INDICATOR}")
    name, description = flat(INDICATOR_ROW[f"name_{lang}"]), flat(INDICATOR_ROW[f"description_{lang}"])
    assert flat(page.h1) == name
    assert flat(page.title).startswith(name + " - ")
    assert flat(page.description) == description
    assert description in page.text
    assert flat(NOTE) in page.text  # the note of the 2022-H1 row, in the table of figures


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_source_title_and_publisher_are_literal(hostile_site, lang):
    title, publisher = flat(SOURCE_ROW["title"]), flat(SOURCE_ROW["publisher"])
    page = read_page(hostile_site, lang, f"sources/{SOURCE}")
    assert flat(page.h1) == title
    translated = SOURCE_ROW.get(f"translated_title_{lang}") if SOURCE_ROW["language"] != lang else ""
    # on a page in another language than the source's, its title is followed by its translation, marked
    assert flat(page.title).startswith(title + (" [translation: " if translated else " - "))
    assert title in flat(page.description) and publisher in flat(page.description)
    assert publisher in page.text
    for listing in ("sources", f"sessions/{EVENT}", "data/sources"):
        text = read_page(hostile_site, lang, listing).text
        assert title in text or publisher in text, listing


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_place_name_and_reference_are_literal(hostile_site, lang):
    name = flat(PLACE_ROW[f"name_{lang}"])
    page = read_page(hostile_site, lang, f"places/{PLACE.lower()}")
    assert flat(page.h1) == name
    assert flat(page.title).startswith(name + " - ")
    assert flat(page.description).startswith(name)
    assert flat(PLACE_ROW[f"reference_{lang}"]) in page.text
    assert name in read_page(hostile_site, lang, "places").text
    preview = read_page(hostile_site, lang, "data/places").text  # the raw CSV values of the page's language
    assert name in preview


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_session_title_and_chair_are_literal(hostile_site, lang):
    title, chair = flat(EVENT_ROW[f"title_{lang}"]), flat(EVENT_ROW["chair"])
    page = read_page(hostile_site, lang, f"sessions/{EVENT}")
    assert flat(page.h1) == title
    assert flat(page.title).startswith(title + " - ")
    assert flat(page.description).startswith(title)
    assert chair in page.text and flat(SOURCE_ROW["title"]) in page.text
    timeline = read_page(hostile_site, lang, "sessions").text
    assert title in timeline and chair in timeline


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_indicator_name_is_literal_on_home_catalogue_and_place_pages(hostile_site, lang):
    name = flat(INDICATOR_ROW[f"name_{lang}"])
    for path in ("", "indicators", "places/vn"):
        assert name in read_page(hostile_site, lang, path).text, path


@pytest.mark.browser
def test_search_index_holds_the_hostile_text_only_as_escaped_text(tab, hostile_url):
    """Pagefind's interface renders a result's excerpt as HTML (its <mark>s) and its title as text: nothing
    in an excerpt may become an element, and the title is the literal text. Read through Pagefind's own
    API, as its interface reads them."""
    for lang in ("vi", "en"):
        tab.goto(hostile_url + LANG_ROOTS[lang])
        live, titles = [], []
        for query, _ in SEARCHES[lang]:
            results = tab.evaluate(
                """async q => { const pf = await import(document.querySelector('meta[name="portal:pagefind"]')
                    .content + "pagefind.js"); const found = await pf.search(q);
                    return Promise.all(found.results.slice(0, 10).map(r => r.data())); }""",
                query,
            )
            hostile = [r for r in results if "__pwned" in r["meta"]["title"] + r["content"]]
            assert hostile, f"{lang} {query}: the hostile text is not indexed at all"
            for result in hostile:
                page = Page()
                page.feed(result["excerpt"])
                live += [f"{lang} {result['url']}: {item}" for item in page.live]
                titles.append(result["meta"]["title"])
        assert not live, "\n".join(live[:20])
        assert flat(SOURCE_ROW["title"]) in [flat(title) for title in titles]  # the literal title, not markup


def test_charts_and_xml_files_hold_no_script(hostile_site):
    """SVG charts are downloadable and open on their own: text from the data must stay text there too."""
    files = sorted(hostile_site.rglob("*.svg")) + sorted(hostile_site.rglob("*.xml"))
    assert any(INDICATOR in str(f) for f in files)
    live = []
    for path in files:
        tree = ElementTree.parse(path)
        for element in tree.iter():
            tag = element.tag.rsplit("}", 1)[-1].lower()
            if tag in ("script", "foreignobject", "iframe"):
                live.append(f"{path.relative_to(hostile_site)}: <{tag}>")
            for name, value in element.attrib.items():
                name = name.rsplit("}", 1)[-1].lower()
                if name.startswith("on") or "javascript:" in "".join(value.split()).lower():
                    live.append(f"{path.relative_to(hostile_site)}: {name}={value[:60]!r}")
    assert not live, "\n".join(live[:20])
    chart = hostile_site / "charts" / "indicators" / f"{INDICATOR}.svg"
    text = flat(" ".join(ElementTree.parse(chart).getroot().itertext()))
    assert "<script>window.__pwned=10</script>" in text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "http:/no-host",
        "file:///etc/passwd",
        "java\tscript:alert(1)",
    ],
)
def test_safe_url_refuses_anything_but_http_and_https(url):
    assert safe_url(url) is None


def test_safe_url_escapes_what_it_accepts():
    assert safe_url('https://example.org/?q="><script>') == "https://example.org/?q=&quot;&gt;&lt;script&gt;"


def test_a_javascript_url_stops_the_build_and_writes_nothing(data_copy, tmp_path):
    shutil.copy(FIXTURES / "sources-javascript-url.csv", data_copy / "sources.csv")
    out = tmp_path / "site"
    result = run_cli("build", "--data", data_copy, "--out", out, "--work", tmp_path / "work")
    assert result.returncode == 1
    assert "column url: [constraint:pattern] 'javascript:alert(1)' is not allowed" in result.stderr
    assert not out.exists()


# ---------------------------------------------------------------------------------- in a browser

BROWSER_PAGES = [
    f"indicators/{INDICATOR}/",
    f"sources/{SOURCE}/",
    f"places/{PLACE.lower()}/",
    "places/vn/",
    f"sessions/{EVENT}/",
    "data/sources/",
    "",
]

LIVE_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name);
      const url = ['href', 'src', 'action', 'formaction'].includes(a.name);
      const inert = el.closest('.pagefind-ui') && a.value === 'javascript:void(0);';  // Pagefind's own search form
      if (url && !inert && /^\\s*javascript:/i.test(a.value)) found.push(el.tagName + ' ' + a.name);
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned') && !/json/.test(el.type)) found.push('script');
    if (el.tagName === 'IFRAME') found.push('iframe');
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    server, url = serve(hostile_site)
    yield url
    server.shutdown()


def watch_dialogs(tab) -> list[str]:
    dialogs = []

    def record(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", record)
    return dialogs


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chromium_runs_none_of_the_hostile_text(tab, hostile_url, lang):
    dialogs = watch_dialogs(tab)
    for path in BROWSER_PAGES:
        tab.goto(hostile_url + LANG_ROOTS[lang] + path)
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("typeof window.__pwned") == "undefined", path
        assert tab.evaluate(LIVE_DOM) == [], path
    assert not dialogs
    # the hostile text is there, as text
    tab.goto(hostile_url + LANG_ROOTS[lang] + f"indicators/{INDICATOR}/")
    assert flat(tab.locator("h1").inner_text()) == flat(INDICATOR_ROW[f"name_{lang}"])
    assert flat(tab.title()).startswith(flat(INDICATOR_ROW[f"name_{lang}"]))


SEARCHES = {  # a word of each hostile title, and the title the result must show literally
    "vi": [
        ("onmouseover", SOURCE_ROW["title"]),
        ("Tốc độ băng rộng bấm", INDICATOR_ROW["name_vi"]),  # its words, and one of the link it hides
        ("Phiên họp thứ 9", EVENT_ROW["title_vi"]),
    ],
    "en": [
        ("onmouseover", SOURCE_ROW["title"]),
        ("Fixed broadband", INDICATOR_ROW["name_en"]),
        ("9th session", EVENT_ROW["title_en"]),
    ],
}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_searching_for_hostile_titles_runs_none_of_them(tab, hostile_url, lang):
    dialogs = watch_dialogs(tab)
    tab.goto(hostile_url + LANG_ROOTS[lang] + "search/")
    tab.wait_for_selector("#site-search input")
    for query, shown in SEARCHES[lang]:
        tab.fill("#site-search input", query)
        # the results of this query, not those of the one before: Pagefind names the query it answers
        tab.locator(".pagefind-ui__message", has_text=query).wait_for(timeout=15000)
        hit = tab.locator(".pagefind-ui__result", has_text="__pwned").first
        hit.wait_for(timeout=15000)
        tab.wait_for_function(  # every listed result drawn, not a placeholder of dots
            "() => [...document.querySelectorAll('.pagefind-ui__result')].every(r => !/^[.\\s]*$/.test(r.innerText))"
        )
        tab.wait_for_timeout(300)  # an injected <img onerror> would have fired by now
        texts = [flat(t) for t in tab.locator(".pagefind-ui__result").all_inner_texts()]
        assert any(flat(shown) in t for t in texts), (query, texts[:3])  # the title, shown literally
        assert tab.evaluate("typeof window.__pwned") == "undefined", query
        assert tab.evaluate(LIVE_DOM) == [], query
    assert not dialogs
