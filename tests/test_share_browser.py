"""Citing and sharing in one tap, in headless Chromium on a phone (360x740) and a desktop (1280x800):
copy buttons put a citation on the clipboard and say so; the package's citation is what CITATION.cff
says; an indicator's share link and embed snippet; the embed page inside another site's <iframe>
shows the chart and its sources and asks nothing of any host but its own."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd
import pytest
import yaml
from conftest import DATA, ROOT, serve
from sitecheck import parse

from build_scripts.config.load import load_site
from build_scripts.data.package import load_metadata
from build_scripts.publish.releases import citation_cff
from build_scripts.render import read_site_url
from build_scripts.site.i18n import t

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
LANGS = {"vi": "", "en": "en/"}
INDICATOR = "online-dossier-share"  # a line chart citing two sources, one with inferred facts


@pytest.fixture
def sized_tab(browser, request, site_url):
    """A page of the given size that may use the clipboard (granted as a site asks a reader for it, by
    CDP's Browser.grantPermissions), recording its requests and errors."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    origin = site_url.rstrip("/")
    session = context.new_cdp_session(page)
    context_id = session.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    permissions = ["clipboardReadWrite", "clipboardSanitizedWrite"]
    session.send(
        "Browser.grantPermissions", {"origin": origin, "browserContextId": context_id, "permissions": permissions}
    )
    page.requests, page.console_errors = [], []
    page.on("request", lambda request: page.requests.append(request))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def clipboard(tab) -> str:
    return tab.evaluate("navigator.clipboard.readText()")


def click_copy(tab, target: str) -> str:
    """Clicks the button that copies the element of id target; what the row's live region then says."""
    button = tab.locator(f'button.copy-button[data-copy="{target}"]')
    assert button.is_visible()
    button.click()
    status = button.locator("xpath=../span[@role='status']")
    status.filter(has_text=re.compile(".")).wait_for(timeout=5_000)
    return status.inner_text()


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", list(LANGS))
def test_copy_buttons_put_each_citation_on_the_clipboard_and_say_copied(sized_tab, site_url, lang):
    tab = sized_tab
    tab.goto(f"{site_url}{LANGS[lang]}indicators/{INDICATOR}/")
    shown = tab.locator("#cite-text").inner_text()
    assert shown.startswith(load_metadata(DATA)["creator"]) and shown.endswith(f"indicators/{INDICATOR}/")
    assert click_copy(tab, "cite-text") == t("copied", lang)
    assert clipboard(tab) == shown
    click_copy(tab, "cite-bibtex")
    bibtex = clipboard(tab)
    assert (
        bibtex.startswith("@misc{")
        and bibtex.endswith("}")
        and bibtex == tab.locator("#cite-bibtex").inner_text().strip()
    )
    click_copy(tab, "cite-figure")  # the figure's citation, without its label
    label = t("cite_figure", lang)
    figure = tab.locator("#cite-figure").inner_text()
    assert figure.startswith(f"{label}:") and clipboard(tab) == figure.removeprefix(f"{label}:").strip()
    assert not tab.console_errors


@pytest.mark.parametrize("sized_tab", ["phone"], indirect=True)
def test_where_the_clipboard_api_refuses_the_copy_command_copies(sized_tab, site_url):
    tab = sized_tab
    tab.add_init_script(
        "window.readClipboard = navigator.clipboard.readText.bind(navigator.clipboard);"
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
    )
    tab.goto(f"{site_url}en/indicators/{INDICATOR}/")
    assert click_copy(tab, "cite-text") == "Copied"
    assert tab.evaluate("window.readClipboard()") == tab.locator("#cite-text").inner_text()


@pytest.mark.parametrize("sized_tab", ["phone"], indirect=True)
def test_where_nothing_can_copy_the_text_is_selected_and_the_reader_told(sized_tab, site_url):
    tab = sized_tab
    tab.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));document.execCommand = () => false;"
    )
    tab.goto(f"{site_url}en/indicators/{INDICATOR}/")
    assert click_copy(tab, "cite-bibtex") == t("copy_failed", "en")
    assert tab.evaluate("getSelection().toString().trim()") == tab.locator("#cite-bibtex").inner_text().strip()


def test_without_javascript_the_citations_are_text_and_no_button_shows(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(f"{site_url}indicators/{INDICATOR}/")
    assert tab.locator("#cite-text").is_visible() and tab.locator("#cite-bibtex").is_visible()
    assert tab.locator("#share-link").is_visible() and tab.locator("#embed-code").is_visible()
    assert tab.locator("button.copy-button").count() >= 5
    assert not [b for b in tab.locator("button.copy-button, button.share-button").all() if b.is_visible()]
    context.close()


def package_citation(lang: str) -> tuple[str, list[str]]:
    """The package's citation in a language, from what CITATION.cff says (as `release` writes it for
    the portal built), and the BibTeX lines it must have."""
    cff = yaml.safe_load(citation_cff(load_metadata(DATA), read_site_url(ROOT), load_site(DATA).descriptor_language))
    authors = "; ".join(author["name"] for author in cff["authors"])
    year, version = str(cff["date-released"])[:4], str(cff["version"])
    text = f"{authors} ({year}). {cff['title']} [{t('dataset', lang)}], {t('version', lang)} {version}. {cff['url']}"
    bibtex = [
        f"author = {{{{{authors}}}}},",
        f"title = {{{cff['title']}}},",
        f"year = {{{year}}},",
        f"version = {{{version}}},",
        f"howpublished = {{\\url{{{cff['url']}}}}},",
        f"note = {{Dataset, licence {cff['license']}}}",
    ]
    return text, bibtex


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", list(LANGS))
@pytest.mark.parametrize("path", ["about/", "data/"])
def test_the_package_citation_on_the_about_and_data_pages_is_what_citation_cff_says(sized_tab, site_url, lang, path):
    tab = sized_tab
    text, bibtex = package_citation(lang)
    tab.goto(site_url + LANGS[lang] + path)
    assert tab.locator("h2", has_text=t("cite_package", lang)).is_visible()
    assert tab.locator("#package-cite-text").inner_text() == text
    click_copy(tab, "package-cite-text")
    assert clipboard(tab) == text
    click_copy(tab, "package-cite-bibtex")
    copied = [line.strip() for line in clipboard(tab).splitlines()]
    assert copied[0].startswith("@misc{") and copied[1:-1] == bibtex and copied[-1] == "}"


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", list(LANGS))
def test_an_indicator_page_gives_its_link_to_copy_or_share_and_its_embed_snippet(sized_tab, site_url, lang):
    tab = sized_tab
    tab.add_init_script("navigator.share = data => { window.shared = data; return Promise.resolve(); };")
    tab.goto(f"{site_url}{LANGS[lang]}indicators/{INDICATOR}/")
    address = f"{read_site_url(ROOT)}{LANGS[lang]}indicators/{INDICATOR}/"
    assert tab.locator("#share-link").get_attribute("href") == address
    click_copy(tab, "share-link")
    assert clipboard(tab) == address
    tab.locator("button.share-button").click()  # shown where the browser can share
    assert tab.evaluate("window.shared.url") == address and tab.evaluate("window.shared.title") == tab.title()
    click_copy(tab, "embed-code")
    snippet = clipboard(tab)
    embed = f"{read_site_url(ROOT)}{LANGS[lang]}embed/{INDICATOR}/"
    assert re.fullmatch(
        rf'<iframe src="{re.escape(embed)}" title="[^"<]+" width="\d+" height="\d+" [^<>]*></iframe>', snippet
    )
    assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth"), "the page scrolls sideways"


def test_the_share_button_shows_only_where_the_browser_can_share(tab, site_url):
    tab.goto(f"{site_url}indicators/{INDICATOR}/")
    assert tab.evaluate("!navigator.share")  # desktop Linux Chromium has no Web Share
    assert tab.locator("button.copy-button").first.is_visible() and not tab.locator("button.share-button").is_visible()


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """Another site, on another origin (a second server, another port), whose page frames an embed page."""
    folder = tmp_path_factory.mktemp("other-site")
    server, url = serve(folder)
    yield folder, url
    server.shutdown()


@pytest.mark.parametrize("sized_tab", list(SIZES), indirect=True)
@pytest.mark.parametrize("lang", list(LANGS))
def test_the_embed_page_framed_by_another_site_shows_the_chart_and_its_sources_from_its_own_host_only(
    sized_tab, site_url, other_site, lang
):
    tab = sized_tab
    folder, other_url = other_site
    tab.goto(f"{site_url}{LANGS[lang]}indicators/{INDICATOR}/")
    snippet = tab.locator("#embed-code").inner_text()  # as a reader copies it, pointed at the local site
    snippet = snippet.replace(read_site_url(ROOT), site_url)
    (folder / f"{lang}.html").write_text(
        '<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>A newsroom</title>'
        f"<h1>A story</h1>{snippet}",
        "utf-8",
    )
    tab.requests.clear()
    tab.goto(f"{other_url}{lang}.html")
    assert urlsplit(other_url).netloc != urlsplit(site_url).netloc
    frame = tab.frame_locator("iframe")
    image = frame.locator("figure img")
    image.wait_for()
    frame.locator("img").evaluate("i => i.decode()")
    assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    assert image.evaluate("i => i.getBoundingClientRect().right <= innerWidth + 0.5")  # inside the frame
    caption = frame.locator("figcaption").inner_text()
    sources = frame.locator("p.sources a").all_inner_texts()
    assert len(sources) == 2 and all(name in caption for name in sources)
    assert t("inferred_fact", lang, fact="").strip() in caption  # the inferred publisher, marked
    back = frame.locator("a.back")
    assert back.get_attribute("target") == "_blank"
    assert back.evaluate("a => a.href") == f"{site_url}{LANGS[lang]}indicators/{INDICATOR}/"
    framed = [r for r in tab.requests if r.frame.parent_frame is not None]  # the embed page's own
    assert framed and all(urlsplit(r.url).netloc == urlsplit(site_url).netloc for r in framed), framed
    assert all(r.response().status == 200 for r in framed), [(r.url, r.response().status) for r in framed]
    assert not tab.console_errors


def test_no_embed_page_names_another_host(built_site):
    """Nothing to load from a third party, and no address but the site's own, relative: the link back too."""
    pages = sorted(built_site.glob("**/embed/*/index.html"))
    indicators = set(pd.read_csv(DATA / "observations.csv", usecols=["indicator_id"])["indicator_id"])
    assert {path.parent.name for path in pages} == indicators and len(pages) == len(LANGS) * len(indicators)
    for path in pages:
        links = [url for _, url, _ in parse(path).links]
        assert links and not [url for url in links if re.match(r"^([a-z]+:)?//", url, re.I)], (path, links)
        raw = path.read_text(encoding="utf-8")
        assert "<script" not in raw and "@import" not in raw and "url(" not in raw, path
        assert 'name="robots" content="noindex"' in raw and len(raw.encode("utf-8")) < 8_000, path
