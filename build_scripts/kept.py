"""Outputs kept from the previous build, in the work folder, for a rebuild to reuse.

A kept folder (build/cache/html/<lang>/, build/cache/pagefind/) holds the files an earlier build
wrote, hard-linked to them, with a manifest of each one's size and modification time, and a state
(what they were made from). A rebuild links into its staging site the files whose inputs did not
change, instead of making them again. A file is never changed in place here: a new one is written
beside the old and renamed over it, so a link in a published site keeps its bytes. If anything else
changed a kept file (a published site edited in place shares its inode), its size or time no longer
match the manifest and nothing kept is trusted: the caller then makes everything again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import state as durable

MANIFEST = "kept.json"


def stat_of(path: Path) -> list[int]:
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns]


class Kept:
    """The files kept in folder/files and the state they were made from (folder/kept.json)."""

    def __init__(self, folder: Path):
        self.folder, self.files = Path(folder), Path(folder) / "files"
        stored = durable.read_json(self.folder / MANIFEST) or {}
        self._made: set[str] = set()  # folders link_into made or found
        self.state: dict = stored.get("state") if isinstance(stored.get("state"), dict) else {}
        self.manifest: dict[str, list[int]] = stored.get("manifest") if isinstance(stored.get("manifest"), dict) else {}

    def intact(self) -> bool:
        """Every kept file is there, as it was written (size and modification time)."""
        if not self.state:
            return False
        try:
            return all(stat_of(self.files / rel) == list(value) for rel, value in self.manifest.items())
        except OSError:
            return False

    def has(self, rel: str) -> bool:
        return rel in self.manifest

    def link_into(self, target: Path, rel: str, copy: bool = False) -> None:
        """The kept file rel as target/rel: a hard link, or a copy (where links cannot be made, or
        when target/rel is to be changed in place). Paths as text: a rebuild links thousands."""
        destination = os.path.join(target, rel)
        folder = os.path.dirname(destination)
        if folder not in self._made:  # one mkdir a folder, not one a file (4,000 files at L)
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        source = os.path.join(self.files, rel)
        if copy:
            shutil.copyfile(source, destination)
            return
        try:
            os.link(source, destination)
        except OSError:
            shutil.copyfile(source, destination)

    def reset(self) -> None:
        """Forget everything kept (before a build that makes every file again)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.state, self.manifest = {}, {}

    def keep(self, source: Path, rel: str, copy: bool = False) -> None:
        """Keep source (just written into a staging site) as rel: a hard link (or a copy, for a file
        that will be changed in place) renamed over the old one."""
        kept = self.files / rel
        kept.parent.mkdir(parents=True, exist_ok=True)
        link_over(source, kept, copy)
        self.manifest[rel] = stat_of(kept)

    def forget(self, rel: str) -> None:
        self.manifest.pop(rel, None)
        try:
            (self.files / rel).unlink()
        except FileNotFoundError:
            pass

    def save(self, state: dict) -> None:
        """Write the manifest and state last: a build killed before this leaves the previous manifest,
        whose times no longer match the files replaced meanwhile, so nothing is trusted."""
        self.state = state
        durable.write_json(self.folder / MANIFEST, {"state": state, "manifest": self.manifest})

    def invalidate(self) -> None:
        """Distrust what is kept from now on (before files are replaced; save() trusts them again)."""
        try:
            (self.folder / MANIFEST).unlink()
        except FileNotFoundError:
            pass


def installed() -> list:
    """Every installed distribution's name and version (its dist-info folder) and when it was
    installed (a reinstall changes it); read from the folder names, not parsed."""
    from importlib.metadata import distributions

    found = set()
    for dist in distributions():
        path = getattr(dist, "_path", None)
        if path is not None and os.path.exists(path):
            found.add((str(path), os.stat(path).st_mtime_ns))
    return sorted(found)


def link_over(source, target, copy: bool = False) -> None:
    """target made the file source is, in one rename: a hard link (a copy where links cannot be made,
    or when asked for) staged beside target, then renamed over it."""
    folder, name = os.path.split(os.fspath(target))
    staged = os.path.join(folder, f".{name}.new")
    if os.path.lexists(staged):
        os.unlink(staged)
    try:
        if copy:
            raise OSError("a copy asked for")
        os.link(source, staged)
    except OSError:
        shutil.copyfile(source, staged)
    os.replace(staged, target)
