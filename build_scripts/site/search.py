"""Stage 7: the search index, made by Pagefind from the published HTML (after MkDocs, never inside it).

Pagefind splits the index into small chunks, so a phone downloads only the few that a query needs,
however large the site grows; it keeps one index per page language (the <html lang> of each page).
It matches words without their combining marks ('băng rộng' and 'bang rong'), but 'đ' is a letter of
its own, not a 'd' with a mark: each generated page therefore carries the words of its title and
description folded (fold()), which only Pagefind reads, and the search box folds what a reader types.

The index holds what a reader looks for: names, descriptions, headings and prose. The figures (tables,
the latest figures, rankings, charts) and a source's archive file and hash are marked UNSEARCHED and
left out: they would make the index grow with
the data, and a figure changed would change it. So the index depends only on each page's
indexed_part(), and a rebuild whose changes are all in figures reuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from ..site.markdown import attr

LETTERS_WITHOUT_MARKS = str.maketrans({"đ": "d", "Đ": "D"})  # letters NFD does not split into base + mark
ROOT_SELECTOR = "article"  # the element of a page Pagefind reads; nothing outside it
UNSEARCHED = 'data-pagefind-ignore="all"'  # an element Pagefind leaves out, with everything in it
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_ROOT_START = re.compile(rf"<{ROOT_SELECTOR}[\s>]")
_WORD_PUNCTUATION = re.compile(r"[^\w]")  # a word's commas and brackets: no part of what is searched
_UNSEARCHED_START = re.compile(rf"<([a-zA-Z][a-zA-Z0-9]*)\s[^>]*{re.escape(UNSEARCHED)}[^>]*>")


def fold(text: str) -> str:
    """'Đề án 06, Bình Định' -> 'De an 06, Binh Dinh': no marks, and đ written d."""
    decomposed = unicodedata.normalize("NFD", text.translate(LETTERS_WITHOUT_MARKS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_terms(*texts: str) -> str:
    """A hidden block of the words of these texts that folding changes past what Pagefind does itself
    (words with đ), for the index only; '' when there are none. Pagefind takes an indexed attribute's
    words into a result's excerpt too, so they are also the result's 'folded' metadata, which the
    search page (portal.js) takes out of the excerpt: a reader saw results open with 'De doi.'."""
    words = {_WORD_PUNCTUATION.sub("", fold(word)) for text in texts for word in text.split() if "đ" in word.lower()}
    words.discard("")
    if not words:
        return ""
    terms = attr(" ".join(sorted(words)))
    attributes = (
        f'hidden data-pagefind-weight="5" data-pagefind-index-attrs="title" title="{terms}" '
        f'data-pagefind-meta="folded:{terms}"'
    )
    return f'<span class="search-terms" {attributes}></span>\n\n'


def indexed_part(html: str) -> str:
    """What Pagefind reads of a page: its ROOT_SELECTOR element without the UNSEARCHED ones. The whole
    page where that cannot be told for sure (no root, or tags that do not balance), so that a change
    Pagefind would see always changes this."""
    root = _ROOT_START.search(html)
    end = _element_end(html, root.start(), ROOT_SELECTOR) if root else None
    if end is None:
        return html
    article, kept, at = html[root.start() : end], [], 0
    for start in _UNSEARCHED_START.finditer(article):
        if start.start() < at:  # inside one already left out
            continue
        stop = _element_end(article, start.start(), start[1])
        if stop is None:
            return html
        kept.append(article[at : start.start()])
        at = stop
    kept.append(article[at:])
    return "".join(kept)


def _element_end(html: str, start: int, tag: str) -> int | None:
    """Where the element whose start tag is at start ends (after its end tag), counting the same tags
    nested in it; None when it does not end."""
    depth = 0
    for match in re.compile(rf"<(/?){tag}[\s>]").finditer(html, start):
        depth += -1 if match[1] else 1
        if depth == 0:
            close = html.find(">", match.start())
            return None if close < 0 else close + 1
    return None


def search_digest(html: bytes) -> str:
    """The digest of what Pagefind reads of a page: its <html> tag (the page's language) and indexed_part()."""
    page = html.decode("utf-8", "surrogateescape")
    language = _HTML_TAG.search(page)
    part = (language[0] if language else "") + indexed_part(page)
    return hashlib.sha256(part.encode("utf-8", "surrogateescape")).hexdigest()


def index_site(site: Path, kept_folder: Path | None = None, pages: dict[str, str] | None = None) -> str:
    """Write site/pagefind/: the index of every page's article, in each page's language.

    pages: every HTML file of the site and its search_digest(). When they are those the index kept in
    kept_folder was made from (and Pagefind and this code are the same), that index is linked into
    the site instead: 'reused'; else Pagefind indexes every page: 'reindexed'."""
    from ..kept import Kept

    kept = Kept(kept_folder) if kept_folder is not None else None
    fingerprint = _fingerprint(pages) if pages is not None else None
    if kept is not None and fingerprint is not None and kept.state.get("fingerprint") == fingerprint and kept.intact():
        for rel in sorted(kept.manifest):
            kept.link_into(site / "pagefind", rel)
        return "reused"
    if kept is not None:
        kept.invalidate()
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", ROOT_SELECTOR, "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed:\n{result.stdout}{result.stderr}")
    # Pagefind lists the languages in the order of a hash map, which differs between runs; the rest of its
    # output is the same bytes from the same pages. The entry file is written again in sorted order.
    entry = site / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, separators=(",", ":")), "utf-8")
    if kept is not None and fingerprint is not None:
        kept.reset()
        for path in sorted((site / "pagefind").rglob("*")):
            if path.is_file():
                kept.keep(path, path.relative_to(site / "pagefind").as_posix())
        kept.save({"fingerprint": fingerprint})
    return "reindexed"


def _fingerprint(pages: dict[str, str]) -> str:
    """What the index is made from: the pages, Pagefind's version (its dist-info folders: their names
    are its name and version; parsing every package's metadata to find it took 0.1 s), this code."""
    from ..kept import installed

    versions = [os.path.basename(path) for path, _ in installed() if "pagefind" in os.path.basename(path).lower()]
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    payload = json.dumps([sorted(pages.items()), versions, code], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
