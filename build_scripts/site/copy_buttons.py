"""Copy buttons: a citation, a link or a snippet copied in one tap.

A row of buttons under what they copy, each naming the element whose text it copies (an id of the
page: no text from the data goes into an attribute). portal.js copies it by the Clipboard API, or by
the copy command where the page may not use that, and says in the row's live region that it was
copied, or, where neither worked, selects the text for the reader to copy. The row is hidden in the
HTML and shown by the script: without JavaScript the text stays on the page to select, and no button
does nothing. Its words are the same on every page, so they stay out of the search index.
"""

from __future__ import annotations

import re

from .i18n import t
from .markdown import attr
from .search import UNSEARCHED


def copy_row(lang: str, buttons: list[tuple[str, str, str]], share: str = "") -> str:
    """The row: buttons is (text key, id of the element to copy, a selector of what in it not to copy,
    such as its label, or '') each; share, the id of a link that a 'Share…' button hands to the
    device's own sharing (the Web Share API, where the browser has it)."""
    parts = [
        f'<button type="button" class="copy-button" data-copy="{attr(target)}"'
        + (f' data-skip="{attr(skip)}"' if skip else "")
        + f">{attr(t(key, lang))}</button>"
        for key, target, skip in buttons
    ]
    if share:
        parts.append(
            f'<button type="button" class="share-button" data-share="{attr(share)}" hidden>'
            f"{attr(t('share_native', lang))}</button>"
        )
    said = "".join(  # what the live region may say, as hidden text: no interface text in an attribute
        f'<span class="copy-said" data-said="{said}" hidden>{attr(t(key, lang))}</span>'
        for said, key in (("copied", "copied"), ("failed", "copy_failed"))
    )
    return (
        f'<p class="copy-row" hidden {UNSEARCHED}>{" ".join(parts)} '
        f'<span class="copy-status" role="status" aria-live="polite"></span>{said}</p>\n\n'
    )


def code_block(code: str, element_id: str, language: str) -> str:
    """A fenced code block in an element of the id a copy button names (not on its <pre>, whose id
    Material's script renames); the fence outlasts any run of backticks in the code."""
    fence = "`" * max(3, _longest_backtick_run(code) + 1)
    return f'<div id="{element_id}" markdown>\n\n{fence}{language}\n{code}\n{fence}\n\n</div>\n\n'


def _longest_backtick_run(value: str) -> int:
    return max((len(run) for run in re.findall(r"`+", value)), default=0)
