"""What the search index holds (build_scripts/site/search.py): names, descriptions, headings and prose,
not the figures, so that it stays small and a changed figure leaves it as it was."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from build_scripts.site.page_embed import EMBED_FOLDER
from build_scripts.site.search import UNSEARCHED, indexed_part, search_digest

PAGE = (
    '<!doctype html><html lang="en"><head><title>T</title><meta name="description" content="42%"></head>'
    '<body><nav>menu</nav><article class="md-content__inner"><h1>Internet users</h1><p>Share of people.</p>'
    f'<div class="figure-list" {UNSEARCHED}><div><table><tr><td>42%</td></tr></table></div></div>'
    f'<p>After the table.</p><picture {UNSEARCHED}><img alt="42% in 2024"></picture></article>'
    "<footer>foot</footer></body></html>"
)


def test_the_indexed_part_is_the_article_without_its_unsearched_elements():
    part = indexed_part(PAGE)
    assert part.startswith("<article") and part.endswith("</article>")
    assert "Share of people." in part and "After the table." in part  # text after a nested one is kept
    assert "42%" not in part and "menu" not in part and "foot" not in part


def test_a_changed_figure_keeps_the_digest_and_a_changed_word_does_not():
    assert search_digest(PAGE.replace("42%", "43%").encode()) == search_digest(PAGE.encode())
    assert search_digest(PAGE.replace("Share of", "Part of").encode()) != search_digest(PAGE.encode())
    assert search_digest(PAGE.replace('lang="en"', 'lang="vi"').encode()) != search_digest(PAGE.encode())


@pytest.mark.parametrize(
    "broken",
    [PAGE.replace("</article>", ""), PAGE.replace("</table></div></div>", "</table></div>")],
    ids=["article not closed", "unsearched element not closed"],
)
def test_a_page_whose_tags_do_not_balance_is_read_whole(broken):
    """Where what Pagefind reads cannot be told for sure, every byte of the page counts."""
    assert indexed_part(broken) == broken


def _fragments(site):
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        yield json.loads(raw[raw.index(b"{") :])


def test_the_built_index_holds_names_and_descriptions_but_no_figures(built_site):
    """Every page of the fixture: its title and the prose are found; its figures (the latest figures,
    the tables, the chart's alt text) are not in what Pagefind keeps of it."""
    fragments = {f["url"]: f for f in _fragments(built_site)}
    page = next(u for u in fragments if u.endswith("/en/indicators/fixed-broadband-speed/"))
    html = (built_site / "en" / "indicators" / "fixed-broadband-speed" / "index.html").read_text("utf-8")
    fragment = fragments[page]
    assert fragment["meta"]["title"] in html and fragment["meta"]["title"] in fragment["content"]
    assert "image_alt" not in fragment["meta"]  # the chart, whose description tells its figures, is left out
    figures = html.split('<span class="figure">')[1:]
    assert figures, "the page shows its latest figures"
    for figure in figures:
        assert figure.split("<", 1)[0] not in fragment["content"]
    embeds = {p for p in built_site.rglob("*.html") if EMBED_FOLDER in p.relative_to(built_site).parts}
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html" and p not in embeds]
    assert embeds and len(fragments) == len(pages)  # every page is found, but the pages of a missing address
    assert not [url for url in fragments if "404" in url or f"/{EMBED_FOLDER}/" in url]  # and the charts' embeds


def test_no_excerpt_is_made_of_words_every_page_has_or_of_a_lists_cells(built_site):
    """The freshness line, the same words on every page, made a page's excerpt when it had little prose
    of its own; the lists of places and sources were indexed cell by cell ('Country. 83. World…')."""
    fragments = list(_fragments(built_site))
    assert fragments
    for label in ("thay đổi lần cuối", "last changed"):
        assert not [f["url"] for f in fragments if label in f["content"]], label
    lists = [f for f in fragments if re.fullmatch(r"/(en/)?(places|sources)/", f["url"])]
    assert len(lists) == 4
    for fragment in lists:
        cells = r"\bVN-\d+\b|\b\d{2}/\d{2}/\d{4}\b|\b\d{1,2} [A-Z][a-z]{2} \d{4}\b"  # place codes, dates
        assert not re.search(cells, fragment["content"]), fragment["content"][:200]
