"""The build, stage by stage: load -> validate -> package -> charts -> pages -> MkDocs -> publish.

Nothing visible is touched until every stage has succeeded: the site is built
in build/staging/ and swapped into place at the end; the root
datapackage.json is replaced in the same step.

The modules that read and check the tables (pandas, 0.5 s to import) are imported by the functions
that use them: a build first finds out whether anything changed, and then starts MkDocs' processes,
which import MkDocs while this one imports the rest.
"""

from __future__ import annotations

import datetime
import os
import time
from contextlib import contextmanager
from pathlib import Path

from . import unchanged
from .background import BackgroundTask
from .config import load as site_load
from .config.files import check_overview, check_package
from .config.rules import check_site_references
from .config.site import SiteConfig, using
from .engine import MkDocsProcesses
from .problems import InputError, Problem, in_stage
from .publish.host_limit import refuse_files_over_limit
from .swap import (
    _remove,
    build_lock,
    check_writable,
    discard,
    publish,
    recover_interrupted_publish,
    wait_for_stale_writers,
    write_atomically,
)

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
STAGE_TIMES: dict[str, float] = {}
FRICTIONLESS_PASSED = "frictionless-passed"  # in work/cache: the digest of what Frictionless last passed


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


def validate_data(data_dir: Path, archive: Path | None = None) -> tuple[SiteConfig, dict]:
    """The data folder's configuration and its tables, each checked; InputError naming every problem."""
    from .data.load import read_tables

    check_inputs_inside(data_dir, site_load.project_of(data_dir), archive)  # before anything reads them
    label = _label(data_dir)
    config = site_load.load_site(data_dir, label)  # the tables' columns and rules depend on it: read it first
    with using(config):
        with stage("load", quiet=True):
            tables, problems = read_tables(data_dir, label)
        with stage("validate", quiet=True):
            problems += find_problems(tables, config, data_dir, label, archive)
    if problems:
        raise InputError(problems)
    return config, tables


def find_problems(
    tables: dict, config: SiteConfig, data_dir: Path, label: str, archive: Path | None, passed: Path | None = None
) -> list[Problem]:
    """Every problem of the loaded tables (text, schema, domain rules), of package.yml and overview.yml
    and, with an archive, of provenance. passed: the file where a build keeps what Frictionless last
    passed (validate.check_with_frictionless)."""
    from .data.provenance import check_provenance
    from .data.validate import validate_tables

    problems = validate_tables(tables, config, passed=passed) + check_metadata(data_dir, label, config, tables)
    if archive is not None:
        problems += check_provenance(tables, archive)
    return problems


class BackgroundValidation:
    """The checks of find_problems, run in a forked process while the build packages the tables.

    The build goes on with tables that may be wrong, so it asks confirm() before anything that
    depends on them being right (the charts and pages, and the downloads, whose file names come from
    the data: a name the checks refuse must never reach the disk), and when it fails: a failure that
    bad data explains is reported as that data's problems. Nothing is published before confirm() returns.
    """

    def __init__(
        self, tables: dict, config: SiteConfig, data_dir: Path, label: str, archive: Path | None, passed: Path | None
    ):
        self.archive = archive
        self._task = BackgroundTask(find_problems, tables, config, data_dir, label, archive, passed)
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


def check_metadata(data_dir: Path, label: str, config: SiteConfig, tables: dict | None = None) -> list[Problem]:
    """package.yml, and overview.yml with its references to the tables' indicators and places."""
    tables = tables or {}

    def ids(name: str, column: str) -> set[str] | None:
        return set(tables[name].frame[column]) if name in tables else None

    return (
        check_package(data_dir, label, config.languages)
        + check_overview(data_dir, label, config.languages, ids("indicators", "indicator_id"), ids("places", "geo"))
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
    project = site_load.project_of(data_dir)
    check_inputs_inside(data_dir, project, archive)  # before anything reads them
    recover_interrupted_publish(out)
    check_writable(out)
    label = _label(data_dir)
    inputs = unchanged.inputs_digest(
        [data_dir, project / "docs", *([archive] if archive else [])], project / "mkdocs.yml", run_mkdocs
    )
    outputs = [ROOT / "datapackage.json"] if _is_repository_data(data_dir) else []
    if unchanged.nothing_to_do(work, inputs, out, outputs):
        print("  nothing changed since the last build, and the site is as it left it")
        print(f"Built {out}")
        return
    with build_lock(work):
        distrusted = unchanged.distrust_caches(work, out, outputs)
        if distrusted:
            print(f"  notice: {distrusted}: nothing kept is reused", flush=True)
        unchanged.withdraw(work)
        _build(data_dir, label, out, work, archive, run_mkdocs, inputs, outputs)
    print(f"Built {out}")


def check_inputs_inside(data_dir: Path, project: Path, archive: Path | None) -> None:
    """InputError naming every input path that resolves outside the project (inside.py), every file
    mkdocs.yml INHERITs from outside it, and a SITE_URL or SOURCE_DATE_EPOCH the build cannot use."""
    from . import inside
    from .config.mkdocs_file import InheritOutside, read

    config = project / "mkdocs.yml"
    problems = inside.project_problems(data_dir, project, archive, [config])
    if not problems and config.is_file():
        try:
            for path in read(config).files[1:]:
                problems += inside.file_problems(path, project, project)
        except InheritOutside as error:
            problems.append(
                Problem(
                    os.path.relpath(error.path, project),
                    None,
                    "INHERIT",
                    inside.RULE,
                    f"names {error.target}, outside {project}",
                    "nothing from outside the project is read: copy the file into the project",
                    unit="line",
                )
            )
        except Exception:  # an unreadable mkdocs.yml is reported by the build that reads it
            pass
    from .config.environment import environment_problems

    problems += environment_problems(project)
    if problems:
        raise InputError(problems)


def _build(data_dir, label, out, work, archive, run_mkdocs, inputs, outputs) -> None:
    config = site_load.load_site(data_dir, label)  # the languages, and the tables' columns and rules: read it first
    with using(config):
        _build_with(config, data_dir, label, out, work, archive, run_mkdocs, inputs, outputs)


def _build_with(config: SiteConfig, data_dir, label, out, work, archive, run_mkdocs, inputs, outputs) -> None:
    mkdocs = MkDocsProcesses(work) if run_mkdocs else None  # importing MkDocs while this process reads the data
    drawing_worker = None
    try:
        from .data.load import read_tables
        from .data.package import load_metadata
        from .site.charts import DrawingWorker

        with stage("load"):
            drawing_worker = DrawingWorker()  # imports matplotlib while the tables are read
            tables, problems = read_tables(data_dir, label)
        if problems:  # files that cannot be read: report them with the problems of the rest, and stop
            raise InputError(problems + find_problems(tables, config, data_dir, label, archive))
        validation = BackgroundValidation(
            tables, config, data_dir, label, archive, work / "cache" / FRICTIONLESS_PASSED
        )
        try:
            metadata = load_metadata(data_dir)
            _build_validated(config, tables, metadata, data_dir, out, work, mkdocs, validation, drawing_worker)
            unchanged.remember(work, inputs, out, outputs)
        except Exception:
            validation.confirm()  # bad data explains the failure: say what is wrong with it instead
            raise
        finally:
            validation.cancel()
    finally:
        if drawing_worker is not None:
            drawing_worker.stop()
        if mkdocs is not None:
            mkdocs.stop()


def _build_validated(
    config: SiteConfig,
    tables,
    metadata,
    data_dir: Path,
    out: Path,
    work: Path,
    mkdocs: MkDocsProcesses | None,
    validation,
    drawing_worker,
) -> None:
    """Render into the staging folder while the checks run, and publish only once they have passed."""
    from .render import render_all  # imported late: validate needs no matplotlib

    staging = work / "staging"
    with source_date_epoch(metadata):  # the caller holds build_lock(work)
        wait_for_stale_writers(work)
        try:
            _remove(staging)
            staging.mkdir(parents=True)
            render_all(
                config, tables, metadata, data_dir, staging, work, mkdocs, stage, validation.confirm, drawing_worker
            )
            validation.confirm()
            refuse_files_over_limit(
                staging / "site", out, config.max_file_bytes
            )  # the host's limit for one file: nothing published
            with stage("publish"):
                publish(staging / "site", out, then=_root_descriptor_writer(config, metadata, data_dir))
        except OSError as error:
            error.filename = error.filename or str(work)  # write() errors name no file
            raise
        finally:
            discard(staging, work)  # the previous site, after the swap: deleted without waiting for it
            if _is_repository_data(data_dir):
                _remove(ROOT / ".datapackage.json.tmp", quietly=True)  # prepared but not swapped in


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


def _root_descriptor_writer(config: SiteConfig, metadata: dict, data_dir: Path):
    """Prepare the root datapackage.json now (a full disk fails here, before the swap); replace it later."""
    if not _is_repository_data(data_dir):
        return None
    from .data.package import root_descriptor

    path = ROOT / "datapackage.json"
    tmp = path.parent / f".{path.name}.tmp"
    tmp.write_bytes(root_descriptor(config, metadata, data_dir))

    def replace():
        os.replace(tmp, path)

    return replace


def _is_repository_data(data_dir: Path) -> bool:
    return Path(data_dir).resolve() == (ROOT / "data").resolve()


def _label(data_dir: Path) -> str:
    try:
        return str(data_dir.resolve().relative_to(ROOT))
    except ValueError:
        return str(data_dir)


def release_data(data_dir: Path, archive: Path | None = None, notes: str | None = None) -> str:
    """Snapshot the validated data as its version, with the maintainer's notes on why it changed (given
    again: they replace the release's own); regenerate CHANGELOG.md and CITATION.cff."""
    config, tables = validate_data(data_dir, archive)
    with using(config):
        return _release(config, tables, data_dir, notes)


def _release(config: SiteConfig, tables: dict, data_dir: Path, notes: str | None) -> str:
    from .data import schema
    from .data.package import canonical_csv, load_metadata
    from .publish.releases import citation_cff, load_releases, render_changelog, write_release
    from .render import read_site_url

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
    if version not in existing or (notes is not None and notes != existing[version].notes):
        kept = existing[version].notes if version in existing else ""
        write_release(data_dir, version, released, files, kept if notes is None else notes)
    releases = load_releases(data_dir)
    if data_dir.resolve() == (ROOT / "data").resolve():
        write_atomically(
            ROOT / "CHANGELOG.md",
            render_changelog(releases, metadata["title"][config.descriptor_language]).encode("utf-8"),
        )
        write_atomically(
            ROOT / "CITATION.cff",
            citation_cff(metadata, read_site_url(config.project), config.descriptor_language).encode("utf-8"),
        )
    state = "already released" if version in existing else "released"
    return f"{version} {state}: data/releases/{version}/, CHANGELOG.md and CITATION.cff are up to date"
