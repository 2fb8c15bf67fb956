"""Names that become files and addresses, compared as file systems and addresses see them.

An identifier (indicator_id, geo, source_id, event_id, a chart's id, the package's name) names a page,
a chart, API documents and download files, and a hand-written page its own page. A case-insensitive
file system (macOS, Windows) and an address typed by hand do not tell 'EX-N' from 'Ex-n', nor a
composed 'é' from a decomposed one, nor the ligature 'ﬁ' from 'fi': two names that fold to the same
text would share one page and one file, the later silently replacing the first. So names are compared
folded (NFKC, case-folded), and the reserved names are refused after that folding: the site's own
pages and folders, and the device names Windows cannot create a file of (CON, AUX, NUL, ... with any
extension). A name that could leave its folder ('/', '..') or break an address is refused outright.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..data.schema import INDEX_PAGE
from ..problems import Problem, shown

WINDOWS_DEVICES = frozenset(
    ("con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10)))
)
UNSAFE_IN_NAME = re.compile(r'[/\\:*?"<>|#%]|^[. ]|[. ]$')  # leaves its folder, or breaks a path or an address
# What the generator itself publishes at the root of a language's site (what=for the message). A page of
# docs/<lang>/ of one of these names would take the place of the generator's own, or fail the build.
SITE_NAMES = {
    "api": "static API and its page",
    "assets": "assets folder",
    "catalog.jsonld": "DCAT catalogue",
    "charts": "charts folder",
    "data": "data pages",
    "downloads": "downloads folder",
    "feed.xml": "Atom feed",
    "indicators": "indicator pages",
    "pagefind": "search index",
    "places": "place pages",
    "robots.txt": "robots.txt",
    "search": "search page",
    "sitemap.xml": "sitemap",
    "sitemap.xml.gz": "sitemap",
    "sources": "source pages",
}


def folded(name: str) -> str:
    """The name as a case-insensitive, normalising file system and a hand-typed address see it."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def windows_device(name: str) -> str | None:
    """The Windows device name the name is (CON, also as 'con.csv' or 'Con '), or None."""
    stem = folded(name).split(".", 1)[0].rstrip(" ")
    return stem.upper() if stem in WINDOWS_DEVICES else None


def identifier_problem(identifier: str, topic_page_prefix: str) -> tuple[str, str, str] | None:
    """Why an identifier cannot name a page and files, as (rule, found, hint); None when it can
    (topic_page_prefix: how the topics' pages are named, site.yml)."""
    unsafe = UNSAFE_IN_NAME.search(identifier)
    if unsafe:
        return (
            "unsafe-id",
            f"'{shown(identifier)}' has '{unsafe.group()}' where a file or address name cannot",
            "choose an identifier without / \\ : * ? \" < > | # %, not starting or ending with '.' or a space",
        )
    name = folded(identifier)
    if name == INDEX_PAGE or name.startswith(topic_page_prefix):
        seen = "" if name == identifier else f", as file systems and addresses see it ('{shown(name)}'),"
        return (
            "reserved-id",
            f"'{shown(identifier)}' is{seen} the name of one of the site's own pages",
            f"choose another identifier: '{INDEX_PAGE}' and names starting '{topic_page_prefix}' are taken",
        )
    device = windows_device(identifier)
    if device:
        return (
            "reserved-id",
            f"'{shown(identifier)}' is the Windows device name {device}: no file can be named so on Windows",
            "choose another identifier: con, prn, aux, nul, com1-com9 and lpt1-lpt9 are refused, with any extension",
        )
    return None


def first_of_each_folded(names: list[str]) -> dict[int, int]:
    """{position of a name: position of the earlier name it folds to the same text as}: the names that
    would share a page and files with an earlier one."""
    earlier: dict[str, int] = {}
    same = {}
    for position, name in enumerate(names):
        key = folded(name)
        if key in earlier and names[earlier[key]] != name:
            same[position] = earlier[key]
        earlier.setdefault(key, position)
    return same


def handwritten_page_problems(project: Path, languages: tuple[str, ...], events_path: str | None) -> list[Problem]:
    """Every hand-written page of docs/<lang>/ whose address a generated page or folder takes: MkDocs
    would fail on it ('Directory not empty') or the generator's page would replace it without a word.
    index.md is the exception: the home page takes it in as its introduction. Hidden pages ('.draft.md')
    are not published, and not checked."""
    taken = {folded(name): f"{name}/ ({what})" for name, what in SITE_NAMES.items()}
    taken.update({folded(lang): f"{lang}/ (the site in {lang})" for lang in languages})
    if events_path:
        taken[folded(events_path)] = f"{events_path}/ (the event pages)"
    taken[INDEX_PAGE] = f"{INDEX_PAGE}.md (the home page)"
    problems = []
    for lang in languages:
        folder = project / "docs" / lang
        for page in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if page.name == f"{INDEX_PAGE}.md" or page.name.startswith("."):
                continue
            file, name = f"docs/{lang}/{page.name}", folded(page.stem)
            if name in taken:
                problems.append(
                    Problem(
                        file,
                        None,
                        None,
                        "page-name-taken",
                        f"the page's address is that of the generated {taken[name]}",
                        "rename the page; the generator's own: "
                        + ", ".join(sorted(SITE_NAMES) + ([events_path] if events_path else []))
                        + " and the languages' codes",
                    )
                )
            elif windows_device(page.stem):
                problems.append(
                    Problem(
                        file,
                        None,
                        None,
                        "page-name-reserved",
                        f"'{shown(page.stem)}' is the Windows device name {windows_device(page.stem)}: no folder "
                        "can be named so on Windows",
                        "rename the page: con, prn, aux, nul, com1-com9 and lpt1-lpt9 are refused, with any extension",
                    )
                )
    return problems
