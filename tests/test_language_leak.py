"""One language per page: no text the data gives per language reaches a page of the other language."""

from __future__ import annotations

import csv
import html
import re

import pytest
from conftest import DATA

from build_scripts.data import schema
from build_scripts.site.i18n import languages


def per_language_texts(lang: str) -> set[str]:
    """Every text of a per-language column in `lang` that differs from the same row's other languages."""
    texts = set()
    for resource in schema.resources():
        stems = {c.removesuffix(f"_{lang}") for c in resource.fields if c.endswith(f"_{lang}")}
        with open(DATA / f"{resource.name}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for stem in stems:
                    value = row[f"{stem}_{lang}"]
                    others = {row.get(f"{stem}_{other}") for other in languages() if other != lang}
                    if len(value) >= 12 and value not in others:
                        texts.add(value)
    return texts


def page_texts(site, lang: str) -> dict[str, str]:
    root = site if lang == languages()[0] else site / lang
    pages = {}
    for path in root.rglob("index.html"):
        if lang == languages()[0] and any(path.is_relative_to(site / other) for other in languages()[1:]):
            continue
        article = re.search(r"<article.*?</article>", path.read_text(encoding="utf-8"), flags=re.S)
        if article:  # what a reader sees: not the machine-read JSON-LD (a Dataset's alternateName is in each language)
            shown = re.sub(r"<script\b.*?</script>", " ", article.group(0), flags=re.S)
            words = html.unescape(re.sub(r"<[^>]+>", " ", shown))
            pages[str(path.relative_to(site))] = re.sub(r"\s+", " ", words)
    return pages


@pytest.mark.parametrize("lang", languages())
def test_no_page_shows_the_other_languages_notes_references_or_attributions(built_site, lang):
    pages = page_texts(built_site, lang)
    assert len(pages) > 50
    foreign = set().union(*(per_language_texts(other) for other in languages() if other != lang))
    assert len(foreign) > 20  # the guard has something to find: notes, references, attributions
    leaks = [(page, text) for page, words in pages.items() for text in foreign if re.sub(r"\s+", " ", text) in words]
    assert not leaks, leaks[:5]
    own = per_language_texts(lang)
    shown = {text for text in own if any(re.sub(r"\s+", " ", text) in words for words in pages.values())}
    assert len(shown) > len(own) / 2  # and the page's own language is what it shows
