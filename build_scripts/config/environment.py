"""The environment a build reads, checked like the data: SITE_URL (or mkdocs.yml's site_url), which
goes into every page's canonical address, the feed, the sitemaps and robots.txt, and SOURCE_DATE_EPOCH,
which dates the sitemaps and the files in the zip and the workbooks. Each refused in one line naming
the variable or key, before any work."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..problems import Problem, shown
from . import mkdocs_file

LATEST_EPOCH = 2**32 - 1  # 2106-02-07: the latest a gzip header (the sitemaps') can hold
UNSAFE_IN_ADDRESS = re.compile(r"[\s<>\"'`\\{}|^]|[^\x21-\x7e]")  # markup, quotes, spaces, line breaks


def address_problem(value: str) -> str | None:
    """Why value cannot be the site's public address, or None: an absolute http(s) address, nothing else."""
    if UNSAFE_IN_ADDRESS.search(value):
        return f"'{shown(value)}' has a space, line break, quote or markup character"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{shown(value)}' is not an absolute http(s) address"
    if parts.query or parts.fragment:
        return f"'{shown(value)}' has a query or a fragment"
    return None


def environment_problems(project: Path) -> list[Problem]:
    problems = []
    given = os.environ.get("SITE_URL")
    if given:
        where, key, value = "SITE_URL (environment)", None, given
    else:
        where, key = "mkdocs.yml", "site_url"
        try:
            value = mkdocs_file.read(project / "mkdocs.yml").config.get("site_url")
        except Exception:  # an unreadable mkdocs.yml is reported where it is read
            value = None
        value = value if isinstance(value, str) else None
    why = address_problem(value) if value else None
    if why:
        hint = "the public address of the site, e.g. https://owner.github.io/repository/"
        problems.append(Problem(where, None, key, "site-url", why, hint, unit="line"))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and not (re.fullmatch(r"[0-9]{1,10}", epoch) and int(epoch) <= LATEST_EPOCH):
        problems.append(
            Problem(
                "SOURCE_DATE_EPOCH (environment)",
                None,
                None,
                "source-date-epoch",
                f"'{shown(epoch)}' is not a whole number of seconds from 0 to {LATEST_EPOCH:,}",
                "unset it to date the files by the data's release, or give seconds since 1970-01-01 UTC",
            )
        )
    return problems
