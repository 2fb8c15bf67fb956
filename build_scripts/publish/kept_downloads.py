"""The downloads a rebuild keeps: each download file is made only when what it is made from changed,
and otherwise hard-linked from the previous build's (kept.py, in build/cache/downloads/).

Each file is named by a digest of its inputs: the generator's code and texts, the site's
configuration, the package metadata, the small tables and the zip time, which any file may show
(shared), and the bytes of the table or slice it holds. After one changed value, the files of the
other tables and the slices of the other indicators, places and sources are linked, not made again
(at 1.3 million rows, the downloads took minutes).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from ..background import BackgroundTask
from ..cache import CODE, GENERATOR_FILES
from ..kept import Kept
from .blocks import LastFile, Stream

SMALL_TABLES = ("indicators", "places", "sources", "events")


def shared_digest(site: bytes, metadata: dict, files: dict[str, bytes], zip_time: tuple) -> str:
    """site: site.yml as written (SiteConfig.raw), whose words and units every file shows."""
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((CODE / name).read_bytes())
    digest.update(site)
    digest.update(json.dumps([metadata, list(zip_time)], default=str, sort_keys=True).encode("utf-8"))
    for name in sorted(files):
        if name in SMALL_TABLES:
            digest.update(name.encode() + b"\0" + files[name])
    return digest.hexdigest()


def digest_of(*parts: bytes | str | Iterable) -> str:
    """A digest of the parts: bytes, text, or an iterable of bytes-like pieces (a slice's views)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            part = part.encode("utf-8")
        if isinstance(part, (bytes, bytearray, memoryview)):
            digest.update(part)
        else:
            for piece in part:
                digest.update(piece)
        digest.update(b"\0")
    return digest.hexdigest()


class Made(NamedTuple):
    """What a file's make() may return: what it did ('updated 1 rows'), and the index of its blocks
    (blocks.py), kept with it so that the next build copies the blocks that did not change, with how
    many of them were made again (not copied)."""

    said: str = ""
    blocks: list | None = None
    blocks_made: int = 0

    @classmethod
    def of(cls, *streams: Stream, said: str = "") -> Made:
        """What the blocks streams wrote."""
        index = [entry for stream in streams for entry in stream.index]
        return cls(said, index, sum(stream.made for stream in streams))


class KeptDownloads:
    """Download files written into out, or linked from the previous build's where their digest matches."""

    def __init__(self, folder: Path | None, out: Path, shared: str):
        self.out, self.shared = out, shared
        self.kept = Kept(folder) if folder else None
        self.previous: dict[str, str] = {}
        self.digests: dict[str, str] = {}
        self.made = self.linked = 0
        self.seconds: dict[str, float] = {}  # what each file made by file() took
        self.beside: dict[str, tuple[str, BackgroundTask]] = {}  # files made in processes of their own
        self.said: dict[str, str] = {}  # what make() said it did, where it says (the database: 'updated 1 rows')
        self.previous_blocks: dict[str, list] = {}
        self.blocks: dict[str, list] = {}  # the blocks of each file made of them, this build
        self.blocks_made = [0, 0]  # blocks made again, of the blocks of the files made of them this build
        if self.kept is None:
            return
        if self.kept.intact() and self.kept.state.get("shared") == shared:
            self.previous = dict(self.kept.state.get("files", {}))
            self.previous_blocks = dict(self.kept.state.get("blocks", {}))
        else:
            self.kept.reset()
        self.kept.invalidate()  # trusted again only when save() has run

    def fresh(self, rel: str, digest: str) -> bool:
        """Whether rel is kept as it would be made again (then link() it instead)."""
        return self.kept is not None and self.previous.get(rel) == digest and self.kept.has(rel)

    def last(self, rel: str) -> LastFile:
        """The last build's rel and its blocks, whose unchanged blocks a new rel copies (none if not kept)."""
        if self.kept is None or rel not in self.previous_blocks or not self.kept.has(rel):
            return LastFile()
        return LastFile(self.kept.files / rel, self.previous_blocks[rel])

    def link(self, rel: str, digest: str) -> None:
        self.kept.link_into(self.out, rel)
        self.digests[rel] = digest
        if rel in self.previous_blocks:
            self.blocks[rel] = self.previous_blocks[rel]
        self.linked += 1

    def made_file(self, rel: str, digest: str, made: Made | None = None) -> None:
        """rel was just written into out (make() returned made): keep it for the next build."""
        self.digests[rel] = digest
        if isinstance(made, Made) and made.blocks is not None:
            self.blocks[rel] = made.blocks
            self.blocks_made[0] += made.blocks_made
            self.blocks_made[1] += len(made.blocks)
        self.made += 1
        if self.kept is not None:
            self.kept.keep(self.out / rel, rel)

    def file(self, rel: str, digest: str, make: Callable[[Path], Made | None]) -> None:
        """out/rel: linked if kept with this digest, otherwise make(path) writes it."""
        if self.fresh(rel, digest):
            self.link(rel, digest)
            return
        (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        made = make(self.out / rel)
        self.seconds[rel] = time.perf_counter() - start
        self.made_file(rel, digest, made)

    def file_beside(self, rel: str, digest: str, make: Callable[[Path], Made | None]) -> None:
        """As file(), with make(path) run in a forked process of its own while the other files are made;
        finish() waits for it. For the few files that are most of the downloads' time (at L after one
        change, the database and the observations' JSON took 11 and 7 of the 16 s), on a core the rest
        leaves free."""
        if self.fresh(rel, digest):
            self.link(rel, digest)
            return
        (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
        self.beside[rel] = (digest, BackgroundTask(make, self.out / rel))

    def slowest(self, count: int = 3) -> str:
        """'observations.json.gz 9.1 s, …': the files that took longest to make, for the build's note."""
        slow = sorted(self.seconds.items(), key=lambda item: (-item[1], item[0]))[:count]
        return ", ".join(
            f"{rel} {seconds:.1f} s" + (f" ({self.said[rel]})" if self.said.get(rel) else "")
            for rel, seconds in slow
            if seconds >= 0.1
        )

    def finish(self) -> None:
        for rel, (digest, task) in self.beside.items():
            made, self.seconds[rel] = task.result()
            self.said[rel] = made.said if isinstance(made, Made) else ""
            self.made_file(rel, digest, made)
        if self.kept is None:
            return
        for rel in [rel for rel in self.kept.manifest if rel not in self.digests]:
            self.kept.forget(rel)
        self.kept.save({"shared": self.shared, "files": self.digests, "blocks": self.blocks})
