"""A build with nothing to do: every input is as the last successful build found it, and the site is as
that build left it. Then the build makes no page, chart or file again: it says so and stops.

The inputs are every file of the data folder (and of the archive, when provenance is checked), the
project's mkdocs.yml and docs/, the generator (its code, texts, assets and theme overrides), the
installed packages, and the variables a build reads (SITE_URL, SOURCE_DATE_EPOCH, PYTHONHASHSEED).
The site is known by every file's path, size and modification time: a file edited, added or removed
since makes the build run (and put the site right).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .kept import installed

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = (ROOT / "build_scripts", ROOT / "overrides")
ENVIRONMENT = ("SITE_URL", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED")
STATE = "last-build.json"


def _files(folder: Path):
    """Every file's path under folder, in sorted order, as text (not a Path each: 15,000 at L)."""
    for base, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            yield os.path.join(base, name)


def inputs_digest(folders: list[Path], files: list[Path], run_mkdocs: bool) -> str:
    """A digest of the bytes of every file in folders and of files, the installed packages, the
    variables a build reads and the Python that runs it."""
    digest = hashlib.sha256()
    for folder in [*GENERATOR, *folders]:
        for path in _files(folder) if folder.is_dir() else []:
            digest.update(os.fsencode(path) + b"\0")
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
    for path in files:
        digest.update(os.fsencode(path) + b"\0" + (path.read_bytes() if path.is_file() else b"(none)"))
    facts = [installed(), [os.environ.get(name) for name in ENVIRONMENT], sys.version, run_mkdocs]
    digest.update(json.dumps(facts, default=str).encode("utf-8"))
    return digest.hexdigest()


def outputs_digest(out: Path, files: list[Path]) -> str | None:
    """A digest of every published file's path, size and modification time (None: no site)."""
    if not out.is_dir():
        return None
    digest = hashlib.sha256()
    for path in [*_files(out), *files]:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            digest.update(os.fsencode(path) + b"\0(none)")
            continue
        digest.update(os.fsencode(path) + f"\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def nothing_to_do(work: Path, inputs: str, out: Path, outputs: list[Path]) -> bool:
    try:
        last = json.loads((work / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return last.get("inputs") == inputs and last.get("outputs") == outputs_digest(out, outputs)


def remember(work: Path, inputs: str, out: Path, outputs: list[Path]) -> None:
    """After a successful build: what it was made from, and the site as it left it."""
    state = {"inputs": inputs, "outputs": outputs_digest(out, outputs)}
    tmp = work / f".{STATE}.tmp"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, work / STATE)


def forget(work: Path) -> None:
    """Before a build changes anything: a build killed halfway leaves no claim that the site is current."""
    try:
        (work / STATE).unlink()
    except FileNotFoundError:
        pass
