"""The static host's limit on one file, checked on the staging site just before it is published.

GitHub (Pages and the repository behind it) refuses a file over 100 MiB: a portal that outgrew it would
fail to deploy, or deploy without the file, after a build that said nothing. bulk.py already compresses
the tables, slices and database past 25 MB; a file still over the limit (one indicator of a million daily
rows, a drawing of them) is refused here, naming it, its size and the key of site.yml that sets the
limit, and nothing is published: the previous site stays as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..problems import InputError, Problem

SETTING = "publishing.max_file_bytes"


def refuse_files_over_limit(site: Path, out: Path, limit: int) -> None:
    """InputError naming every file of the staging site over the host's limit, by where it would be
    published (out/...); limit: site.yml's (SiteConfig.max_file_bytes)."""
    problems = [
        Problem(
            str(Path(out) / rel),
            None,
            None,
            "file-too-large",
            f"{size:,} bytes, more than the {limit:,} the host takes in one file ({SETTING} in site.yml)",
            f"make it smaller (an indicator of very many rows split into several), or raise {SETTING} for a host "
            "that takes larger files",
        )
        for rel, size in files_over(Path(site), limit)
    ]
    if problems:
        raise InputError(problems)


def files_over(folder: Path, limit: int) -> list[tuple[str, int]]:
    """(path under folder, size) of every file larger than limit bytes; links are not followed."""
    found, pending = [], [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                if size > limit:
                    found.append((Path(entry.path).relative_to(folder).as_posix(), size))
    return sorted(found)
