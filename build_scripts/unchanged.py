"""What the last build was made from and what it published: a build with nothing to do stops at once,
and a published site changed since it was built is never trusted.

The inputs are every file of the data folder (and of the archive, when provenance is checked), the
project's docs/, its mkdocs.yml with every file it INHERITs and the variables its `!ENV` tags read (as
the configuration they resolve to), the generator (its code, texts, assets and theme overrides), the
installed packages, and the variables a build reads (SITE_URL, SOURCE_DATE_EPOCH, PYTHONHASHSEED).

The site is known by where it was published and every published file's content (a SHA-256 each), not
its size and time: a file edited in place with its size and time kept is seen. The record
(work/last-build.json) is kept while a build runs, with its claim that the inputs are current withdrawn
first, so that a build killed halfway still knows what the site it left in place holds. A published
file whose content differs from the record may be one of the caches' files (they are hard links), so
then nothing kept is trusted (distrust_caches).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import state
from .config import mkdocs_file
from .kept import installed

GENERATOR = (Path(__file__).resolve().parent,)  # the package: its code, texts, assets and theme overrides
ENVIRONMENT = ("SITE_URL", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED")
STATE = "last-build.json"
VERSION = 2  # of the record's shape: a record of another version is read as no record
KEPT_BY_THE_BUILD = ("cache", "docs")  # the work folder's caches: what a rebuild reuses


def _files(folder: Path):
    """Every file's path under folder, in sorted order, as text (not a Path each: 15,000 at L)."""
    for base, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            yield os.path.join(base, name)


def inputs_digest(folders: list[Path], config_file: Path, run_mkdocs: bool) -> str:
    """A digest of the bytes of every file in folders, of the project's mkdocs.yml and what it inherits
    and reads, the installed packages, the variables a build reads and the Python that runs it."""
    digest = hashlib.sha256()
    for folder in [*GENERATOR, *folders]:
        for path in _files(folder) if folder.is_dir() else []:
            digest.update(os.fsencode(path) + b"\0")
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
    digest.update(_configuration(config_file).encode("utf-8"))
    facts = [installed(), [os.environ.get(name) for name in ENVIRONMENT], sys.version, run_mkdocs]
    digest.update(json.dumps(facts, default=str).encode("utf-8"))
    return digest.hexdigest()


def _configuration(config_file: Path) -> str:
    """mkdocs.yml as the build will read it: every file read (itself, each INHERIT), the variables its
    !ENV tags name with their values, and the configuration they resolve to; or why it cannot be read."""
    if not config_file.is_file():
        return "(no mkdocs.yml)"
    try:
        read = mkdocs_file.read(config_file)
    except Exception as error:  # the build itself says what is wrong with it
        return f"(unreadable: {error!r}) " + config_file.read_bytes().hex()
    files = [(os.fspath(path), path.read_bytes().hex()) for path in read.files]
    variables = {name: os.environ.get(name) for name in read.variables}
    return json.dumps([files, variables, read.config], default=str, sort_keys=True)


def _file_digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def published_digests(out: Path, files: list[Path]) -> dict[str, str] | None:
    """Every published file's path and SHA-256 (out's files relative to out; files as given); None when
    there is no site. Hashed two at a time: hashlib lets go of the interpreter while it reads."""
    if not out.is_dir():
        return None
    paths = [*_files(out), *(os.fspath(p) for p in files if p.is_file())]
    with ThreadPoolExecutor(max_workers=2) as pool:
        digests = list(pool.map(_file_digest, paths, chunksize=64))
    inside = os.path.join(out, "")
    return {(p[len(inside) :] if p.startswith(inside) else p): d for p, d in zip(paths, digests, strict=True)}


def _record(work: Path) -> dict:
    record = state.read_json(work / STATE, f"{work / STATE}")
    return record if record and record.get("version") == VERSION else {}


def nothing_to_do(work: Path, inputs: str, out: Path, outputs: list[Path]) -> bool:
    record = _record(work)
    if not record.get("inputs") or record["inputs"] != inputs or record.get("out") != os.fspath(out.resolve()):
        return False
    return record.get("published") == published_digests(out, outputs)


def distrust_caches(work: Path, out: Path, outputs: list[Path]) -> str | None:
    """Before a build that reuses what is kept: when a file of the site the last build published
    (wherever it was published) no longer holds what it held, or no record says what it held, the
    caches are removed, since their files may be that file (a hard link); why, or None when they are
    kept. A file removed from that site, or added to it, leaves the caches as they were."""
    kept = [work / name for name in KEPT_BY_THE_BUILD if (work / name).exists()]
    if not kept:
        return None
    record = _record(work)
    if not record:
        why = "no record of what the last build made"
    else:
        before, last_out = record.get("published") or {}, Path(record.get("out") or out)
        now = published_digests(last_out, [Path(p) for p in before if os.path.isabs(p)]) or {}
        changed = sorted(p for p in before if p in now and now[p] != before[p])
        if not changed:
            return None
        why = f"the published site was changed since the last build ({len(changed)} file(s), such as {changed[0]})"
    for folder in kept:
        shutil.rmtree(folder, ignore_errors=True)
    return why


def withdraw(work: Path) -> None:
    """Before a build changes anything: the record no longer claims its inputs are current (a build
    killed halfway must not be taken for a finished one), but still says what the site holds."""
    record = _record(work)
    if record.get("inputs"):
        state.write_json(work / STATE, {**record, "inputs": None})


def remember(work: Path, inputs: str, out: Path, outputs: list[Path]) -> None:
    """After a successful build: what it was made from, and the site as it left it."""
    published = published_digests(out, outputs)
    record = {"version": VERSION, "inputs": inputs, "out": os.fspath(out.resolve()), "published": published}
    state.write_json(work / STATE, record)
