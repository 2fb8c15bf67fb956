"""Write Markdown safely: text from the data is always literal on the page.

Every string that comes from a CSV goes through text() before it reaches a
page: HTML is escaped, Markdown punctuation is backslash-escaped, so names,
notes and titles can never become markup, links or script.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from urllib.parse import urlsplit

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!])")  # Python-Markdown's escapable set
_WHITESPACE = re.compile(r"\s+")


def text(value) -> str:
    """Literal text for a Markdown paragraph or table cell."""
    return _text(str(value))


@lru_cache(maxsize=1 << 16)  # names, periods and figures recur on many pages
def _text(value: str) -> str:
    flat = _WHITESPACE.sub(" ", value).strip()
    escaped = html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", flat), quote=False)
    return escaped.replace("|", "&#124;")  # a table cell never splits on data


def attr(value) -> str:
    """Literal text for an HTML attribute value (alt text, titles)."""
    return html.escape(_WHITESPACE.sub(" ", str(value)).strip(), quote=True)


def safe_url(url: str) -> str | None:
    """An http(s) URL fit for an href, or None (javascript:, data: and the like are refused)."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return html.escape(url.strip(), quote=True)
    return None


def link(label: str, target: str) -> str:
    """A Markdown link to a page of the site; the label is data, the target is ours."""
    return f"[{text(label)}]({target})"


def table(headers: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    """A Markdown table; cells must already be Markdown (use text() for data)."""
    align = align or ["left"] * len(headers)
    rule = {"left": ":--", "right": "--:", "center": ":-:"}
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def front_matter(title: str, description: str, **extra: str) -> str:
    """YAML front matter with the page title, meta description and any extra keys.

    MkDocs templates print these without escaping, so they are HTML-escaped
    here and quoted as JSON strings, which YAML reads as they are.
    """
    values = {"title": title, "description": description, **extra}
    lines = [f"{key}: {json.dumps(attr(value), ensure_ascii=False)}" for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"
