"""The build, stage by stage: load -> validate -> package -> charts -> pages -> MkDocs -> publish.

Nothing visible is touched until every stage has succeeded: the site is built
in build/staging/ and swapped into place at the end; the root
datapackage.json is replaced in the same step.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .background import BackgroundTask
from .config import load as site_load
from .config import site as site_config
from .config.files import check_overview, check_package
from .config.rules import check_site_references
from .data.load import read_tables
from .data.package import load_metadata, root_descriptor
from .data.provenance import check_provenance
from .data.validate import validate_tables
from .problems import InputError, Problem, in_stage

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
STAGE_TIMES: dict[str, float] = {}


@contextmanager
def stage(name: str, quiet: bool = False):
    """Time a stage and print one line: its name, seconds and the notes the stage added (what it redid)."""
    start = time.perf_counter()
    notes: list[str] = []
    with in_stage(name):
        yield notes
    STAGE_TIMES[name] = time.perf_counter() - start
    if not quiet:
        said = f"  ({'; '.join(notes)})" if notes else ""
        print(f"  {name:<10} {STAGE_TIMES[name]:6.2f} s{said}", flush=True)


def validate_data(data_dir: Path, archive: Path | None = None):
    label = _label(data_dir)
    site_load.use(data_dir, label)  # the tables' columns and rules depend on it: read it first
    with stage("load", quiet=True):
        tables, problems = read_tables(data_dir, label)
    with stage("validate", quiet=True):
        problems += find_problems(tables, data_dir, label, archive)
    if problems:
        raise InputError(problems)
    return tables


def find_problems(tables: dict, data_dir: Path, label: str, archive: Path | None) -> list[Problem]:
    """Every problem of the loaded tables (text, schema, domain rules), of package.yml and overview.yml
    and, with an archive, of provenance."""
    problems = validate_tables(tables) + check_metadata(data_dir, label, tables)
    if archive is not None:
        problems += check_provenance(tables, archive)
    return problems


class BackgroundValidation:
    """The checks of find_problems, run in a forked process while the build packages the tables.

    The build goes on with tables that may be wrong, so it asks confirm() before anything that
    depends on them being right (the charts and pages), and when it fails: a failure that bad data
    explains is reported as that data's problems. Nothing is published before confirm() returns.
    """

    def __init__(self, tables: dict, data_dir: Path, label: str, archive: Path | None):
        self.archive = archive
        self._task = BackgroundTask(find_problems, tables, data_dir, label, archive)
        self._outcome = None  # (problems, seconds), or the exception the checks raised
        self._confirmed = False

    def confirm(self) -> None:
        """Wait for the checks; raise InputError naming every problem they found."""
        if self._outcome is None:
            try:
                self._outcome = self._task.result()
            except Exception as error:  # e.g. no archive folder: the same error whenever it is asked again
                self._outcome = error
        if isinstance(self._outcome, Exception):
            raise self._outcome
        problems, seconds = self._outcome
        if problems:
            raise InputError(problems)
        if self._confirmed:
            return
        self._confirmed = True
        STAGE_TIMES["validate"] = seconds
        checked = (
            f"checked against {self.archive}" if self.archive else "NOT checked: pass --archive DIR (make site does)"
        )
        print(f"  validated  (provenance {checked}; {seconds:.1f} s beside the package)", flush=True)

    def cancel(self) -> None:
        self._task.cancel()


def check_metadata(data_dir: Path, label: str, tables: dict | None = None) -> list[Problem]:
    """package.yml, and overview.yml with its references to the tables' indicators and places."""
    tables = tables or {}

    def ids(name: str, column: str) -> set[str] | None:
        return set(tables[name].frame[column]) if name in tables else None

    return (
        check_package(data_dir, label)
        + check_overview(data_dir, label, ids("indicators", "indicator_id"), ids("places", "geo"))
        + check_site_references(data_dir, label, ids("places", "geo"))
    )


def build_site(
    data_dir: Path, out: Path, archive: Path | None = None, run_mkdocs: bool = True, work: Path = BUILD
) -> None:
    """Validate, render into work/staging, then swap the site (and the root datapackage.json) into place.

    Until the swap nothing outside the work folder changes: a failure, a full disk or a kill at any
    stage leaves the previous site byte for byte as it was, with nothing written beside it.
    """
    out, work = Path(out), Path(work)
    STAGE_TIMES.clear()
    print(f"Building {out} from {data_dir}")
    recover_interrupted_publish(out)
    check_writable(out)
    label = _label(data_dir)
    with stage("load"):
        site_load.use(data_dir, label)  # the tables' columns and rules depend on it: read it first
        tables, problems = read_tables(data_dir, label)
    if problems:  # files that cannot be read: report them with the problems of the rest, and stop
        raise InputError(problems + find_problems(tables, data_dir, label, archive))
    validation = BackgroundValidation(tables, data_dir, label, archive)
    try:
        metadata = load_metadata(data_dir)
        _build_validated(tables, metadata, data_dir, out, work, run_mkdocs, validation)
    except Exception:
        validation.confirm()  # bad data explains the failure: say what is wrong with it instead
        raise
    finally:
        validation.cancel()
    print(f"Built {out}")


def _build_validated(tables, metadata, data_dir: Path, out: Path, work: Path, run_mkdocs: bool, validation) -> None:
    """Render into the staging folder while the checks run, and publish only once they have passed."""
    from .render import render_all  # imported late: validate needs no matplotlib

    staging = work / "staging"
    with build_lock(work), source_date_epoch(metadata):
        wait_for_stale_writers(work)
        try:
            _remove(staging)
            staging.mkdir(parents=True)
            render_all(tables, metadata, data_dir, staging, work, run_mkdocs, stage, validation.confirm)
            validation.confirm()
            with stage("publish"):
                publish(staging / "site", out, then=_root_descriptor_writer(metadata, data_dir))
        except OSError as error:
            error.filename = error.filename or str(work)  # write() errors name no file
            raise
        finally:
            _remove(staging, quietly=True)
            if _is_repository_data(data_dir):
                _remove(ROOT / ".datapackage.json.tmp", quietly=True)  # prepared but not swapped in


def check_writable(out: Path) -> None:
    """Fail before any work when the site cannot be replaced (root ignores permissions: try it)."""
    existing = next(p for p in (out, *out.parents) if p.exists() or p.is_symlink())
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{existing} is a file, not a folder", str(out))
    folder = existing if existing != out else out.parent
    for path in {folder, *([out] if out.exists() else [])}:
        if not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, "permission denied (the folder is not writable)", str(path))
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{out.name}.probe-", dir=folder)
    except OSError as error:
        error.filename = str(folder)
        raise
    os.close(handle)
    with contextlib.suppress(FileNotFoundError):  # another build's clean-up may have removed it already
        os.unlink(probe)


def release_epoch(metadata: dict) -> int:
    released = datetime.date.fromisoformat(str(metadata["released"]))
    return int(datetime.datetime(released.year, released.month, released.day, tzinfo=datetime.UTC).timestamp())


@contextmanager
def source_date_epoch(metadata: dict):
    """SOURCE_DATE_EPOCH for the build: the caller's, else the data's release date; restored afterwards.

    Dates written by MkDocs (sitemap) and into zip and XLSX files come from it: the same inputs give
    the same bytes. It is unset again after the build, so a later build of other data in the same
    process does not inherit this data's date.
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(release_epoch(metadata))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


@contextmanager
def build_lock(work: Path):
    """One build at a time per work folder: a second one fails at once instead of mixing the two."""
    work.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    with open(work / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BlockingIOError(
                errno.EWOULDBLOCK, "another build is running with the same work folder", str(work)
            ) from None
        yield


def wait_for_stale_writers(work: Path, timeout: float = 120.0) -> None:
    """Wait for MkDocs processes that a killed build left behind and that still write into work/staging.

    MkDocs runs in child processes; when the build itself is killed (SIGKILL) they run on and would
    write into the staging folder of the next build. Linux only (reads /proc); elsewhere a no-op.
    """
    deadline = time.monotonic() + timeout
    announced = False
    while stale := _mkdocs_processes_of(work):
        if time.monotonic() > deadline:
            pids = ", ".join(map(str, stale))
            raise BlockingIOError(errno.EBUSY, f"MkDocs of an earlier build (pid {pids}) is still running", str(work))
        if not announced:
            print(f"  waiting for MkDocs of an interrupted build (pid {', '.join(map(str, stale))})", flush=True)
            announced = True
        time.sleep(0.05)


def _mkdocs_processes_of(work: Path) -> list[int]:
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    prefixes = tuple({os.path.join(str(work), "mkdocs."), os.path.join(str(work.resolve()), "mkdocs.")})
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mkdocs" in args and any(os.fsdecode(a).startswith(prefixes) and a.endswith(b".yml") for a in args):
            found.append(int(entry.name))
    return sorted(found)


def recover_interrupted_publish(out: Path) -> None:
    """Undo what a build killed during its publish step left beside the site.

    Where the file system cannot swap two folders in one step, the previous site is moved aside
    to .<out>.old for a moment; if the build died right then, put it back.
    """
    old, near = out.parent / f".{out.name}.old", out.parent / f".{out.name}.new"
    if old.is_dir() and not out.exists():
        os.rename(old, out)
    probes = out.parent.glob(f".{out.name}.probe-*") if out.parent.is_dir() else []
    for leftover in (old, near, *probes):  # and the empty file of a writability check (see check_writable)
        _remove(leftover, quietly=True)


def publish(new_site: Path, out: Path, then=None) -> None:
    """Swap the finished site into place in one step; the old one stays whole until the swap.

    `then` runs right after the swap (it replaces the root datapackage.json); if it fails, the
    swap is undone, so the site and the descriptor change together or not at all.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    near = out.parent / f".{out.name}.new"
    old = out.parent / f".{out.name}.old"
    try:
        if os.stat(new_site).st_dev != os.stat(out.parent).st_dev:  # another file system: copy next to it first
            _remove(near)
            shutil.copytree(new_site, near)
            new_site = near
        if out.exists() and _exchange(new_site, out):
            previous = new_site  # the previous site now lives where the new one was

            def undo():
                _exchange(new_site, out)

        else:  # no atomic exchange here: two renames, the old site put back on failure
            _remove(old)
            if out.exists():
                os.rename(out, old)
            try:
                os.rename(new_site, out)
            except OSError:
                if old.exists():
                    os.rename(old, out)  # put the previous site back exactly as it was
                raise
            previous = old

            def undo():
                os.rename(out, new_site)
                if old.exists():
                    os.rename(old, out)

        try:
            if then is not None:
                then()
        except BaseException:
            undo()
            raise
        _remove(previous, quietly=True)
    finally:
        _remove(near, quietly=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def _root_descriptor_writer(metadata: dict, data_dir: Path):
    """Prepare the root datapackage.json now (a full disk fails here, before the swap); replace it later."""
    if not _is_repository_data(data_dir):
        return None
    path = ROOT / "datapackage.json"
    tmp = path.parent / f".{path.name}.tmp"
    tmp.write_bytes(root_descriptor(metadata, data_dir))

    def replace():
        os.replace(tmp, path)

    return replace


def _is_repository_data(data_dir: Path) -> bool:
    return Path(data_dir).resolve() == (ROOT / "data").resolve()


def write_atomically(path: Path, content: bytes) -> None:
    tmp = path.parent / f".{path.name}.tmp"
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    finally:
        _remove(tmp, quietly=True)


def _remove(path: Path, quietly: bool = False) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError:
        if not quietly:
            raise


def _label(data_dir: Path) -> str:
    try:
        return str(data_dir.resolve().relative_to(ROOT))
    except ValueError:
        return str(data_dir)


def release_data(data_dir: Path, archive: Path | None = None) -> str:
    """Snapshot the validated data as its version; regenerate CHANGELOG.md and CITATION.cff."""
    from .data import schema
    from .data.package import canonical_csv
    from .publish.releases import citation_cff, load_releases, render_changelog, write_release
    from .render import read_site_url

    tables = validate_data(data_dir, archive)
    metadata = load_metadata(data_dir)
    version, released = str(metadata["version"]), str(metadata["released"])
    files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
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
        write_atomically(
            ROOT / "CHANGELOG.md",
            render_changelog(releases, metadata["title"][site_config.current().descriptor_language]).encode("utf-8"),
        )
        write_atomically(ROOT / "CITATION.cff", citation_cff(metadata, read_site_url()).encode("utf-8"))
    state = "already released" if version in existing else "released"
    return f"{version} {state}: data/releases/{version}/, CHANGELOG.md and CITATION.cff are up to date"
