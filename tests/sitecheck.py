"""Read a built site the way a link checker does: pages, their links, anchors and images."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attributes)
        self.ids: set[str] = set()
        self.images: list[dict] = []
        self.html_lang: str | None = None
        self.title = ""
        self._in_title = False
        self.meta: dict[str, str] = {}
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes.get("content", "")
        if tag == "img":
            self.images.append(attributes)
        if tag == "script":
            self.scripts.append(attributes)
        for key in ("href", "src"):
            if attributes.get(key) is not None:
                self.links.append((tag, attributes[key], attributes))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file a relative URL points at (and its fragment); None for external or special URLs."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//") or url.startswith("#") and not parts.path:
        return None if parts.scheme or url.startswith("//") else (page, parts.fragment)
    target = (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")
