"""The build, stage by stage: load -> validate -> package -> charts -> pages -> MkDocs -> publish.

Nothing visible is touched until every stage has succeeded: the site is built
in build/staging/ and swapped into place at the end; the root
datapackage.json is replaced in the same step.
"""

from __future__ import annotations

import datetime
import errno
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .load import read_tables
from .package import load_metadata, root_descriptor
from .problems import InputError, Problem
from .provenance import check_provenance
from .validate import validate_tables

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
STAGE_TIMES: dict[str, float] = {}


@contextmanager
def stage(name: str, quiet: bool = False):
    start = time.perf_counter()
    yield
    STAGE_TIMES[name] = time.perf_counter() - start
    if not quiet:
        print(f"  {name:<10} {STAGE_TIMES[name]:6.2f} s", flush=True)


def validate_data(data_dir: Path, archive: Path | None = None):
    label = _label(data_dir)
    with stage("load", quiet=True):
        tables, problems = read_tables(data_dir, label)
    with stage("validate", quiet=True):
        problems += validate_tables(tables)
        if archive is not None:
            problems += check_provenance(tables, archive)
    if problems:
        raise InputError(problems)
    return tables


def build_site(
    data_dir: Path, out: Path, archive: Path | None = None, run_mkdocs: bool = True, work: Path = BUILD
) -> None:
    from .render import render_all  # imported late: validate needs no matplotlib

    STAGE_TIMES.clear()
    print(f"Building {out} from {data_dir}")
    check_writable(out)
    tables = validate_data(data_dir, archive)
    metadata = load_metadata(data_dir)
    # Dates written by MkDocs (sitemap) and into zip files come from the data's release date
    # unless the caller fixes SOURCE_DATE_EPOCH: the same inputs give the same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(release_epoch(metadata)))
    staging = work / "staging"
    _remove(staging)
    staging.mkdir(parents=True)
    try:
        render_all(tables, metadata, data_dir, staging, work, run_mkdocs=run_mkdocs, stage=stage)
        with stage("publish"):
            descriptor = root_descriptor(metadata, data_dir) if data_dir.resolve() == (ROOT / "data") else None
            publish(staging / "site", out)
            if descriptor is not None:
                write_atomically(ROOT / "datapackage.json", descriptor)
    finally:
        _remove(staging)
    print(f"Built {out}")


def check_writable(out: Path) -> None:
    """Fail before any work when the site cannot be replaced."""
    parent = out.parent if out.parent.exists() else next(p for p in out.parents if p.exists())
    for folder in {parent, *([out] if out.exists() else [])}:
        if not os.access(folder, os.W_OK):
            raise PermissionError(errno.EACCES, "permission denied (the folder is not writable)", str(folder))


def release_epoch(metadata: dict) -> int:
    released = datetime.date.fromisoformat(str(metadata["released"]))
    return int(datetime.datetime(released.year, released.month, released.day, tzinfo=datetime.UTC).timestamp())


def publish(new_site: Path, out: Path) -> None:
    """Swap the finished site into place; the old one stays whole until the swap."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(new_site).st_dev != os.stat(out.parent).st_dev:  # another file system: copy next to it first
        near = out.parent / f".{out.name}.new"
        _remove(near)
        shutil.copytree(new_site, near)
        new_site = near
    old = out.parent / f".{out.name}.old"
    _remove(old)
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(new_site, out)
    except OSError:
        if old.exists():
            os.rename(old, out)  # put the previous site back exactly as it was
        raise
    _remove(old)


def write_atomically(path: Path, content: bytes) -> None:
    tmp = path.parent / f".{path.name}.tmp"
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _label(data_dir: Path) -> str:
    try:
        return str(data_dir.resolve().relative_to(ROOT))
    except ValueError:
        return str(data_dir)


def release_data(data_dir: Path, archive: Path | None = None) -> str:
    """Snapshot the validated data as its version; regenerate CHANGELOG.md and CITATION.cff."""
    from .package import canonical_csv
    from .releases import citation_cff, load_releases, render_changelog, write_release
    from .render import read_site_url
    from .schema import RESOURCES

    tables = validate_data(data_dir, archive)
    metadata = load_metadata(data_dir)
    version, released = str(metadata["version"]), str(metadata["released"])
    files = {r.name: canonical_csv(tables[r.name]) for r in RESOURCES}
    existing = {r.version: r for r in load_releases(data_dir)}
    if version in existing and existing[version].files != files:
        raise InputError(
            [
                Problem(
                    f"{_label(data_dir)}/package.yml",
                    None,
                    "version",
                    "version-bump",
                    f"version {version} was already released with other data",
                    "raise version (and released) in package.yml, then run release again",
                )
            ]
        )
    if version not in existing:
        write_release(data_dir, version, released, files)
    releases = load_releases(data_dir)
    if data_dir.resolve() == (ROOT / "data").resolve():
        write_atomically(ROOT / "CHANGELOG.md", render_changelog(releases, metadata["title"]["en"]).encode("utf-8"))
        write_atomically(ROOT / "CITATION.cff", citation_cff(metadata, read_site_url()).encode("utf-8"))
    state = "already released" if version in existing else "released"
    return f"{version} {state}: data/releases/{version}/, CHANGELOG.md and CITATION.cff are up to date"
