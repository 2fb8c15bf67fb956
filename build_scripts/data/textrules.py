"""Text that cannot break a format: the rules every text cell and every configuration text meets.

Refused, with the file, row and column (or key): control characters other than tab and line feed
(they make SVG and XML invalid and reach HTML raw), the bidirectional embedding, override and isolate
controls (they make text display other than it reads), the non-characters U+FFFE and U+FFFF (not
allowed in XML); a tab or line break in a field of one line (names, titles, identifiers); and a text
longer than Excel's limit of 32,767 characters a cell. Nothing is removed silently: what is published
is what the maintainer wrote.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT_CHARS = 32_767  # Excel's limit for a cell: a longer text cannot be opened as written
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
LINE_BREAK = re.compile("[\t\n\u2028\u2029]")


def text_problem(text: str, multiline: bool) -> tuple[str, str, str] | None:
    """The first rule the text breaks, as (rule, what was found, what to do); None when it breaks none."""
    if len(text) > MAX_TEXT_CHARS:
        return (
            "text-too-long",
            f"{len(text):,} characters, more than the {MAX_TEXT_CHARS:,} a spreadsheet cell holds",
            "shorten the text; a long explanation belongs in the documentation",
        )
    found = FORBIDDEN.search(text)
    if found:
        char = found.group()
        name = unicodedata.name(char, "a control character")
        return (
            "control-character",
            f"U+{ord(char):04X} ({name}) at character {found.start() + 1}",
            "remove it: control and bidirectional-override characters are not allowed in text",
        )
    if not multiline:
        found = LINE_BREAK.search(text)
        if found:
            what = "a tab" if found.group() == "\t" else "a line break"
            return "line-break", f"{what} at character {found.start() + 1}", "this field holds one line of text"
    return None
