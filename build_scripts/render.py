"""Stages 3-6: package files, charts, pages, MkDocs, catalogue and downloads.

On two cores the stages overlap where their inputs allow it: one background
process writes the downloads and then the catalogue (API, DCAT, feed) from the
package, beside everything else; each chart is drawn in a process pool as soon
as its specs are made, while the pages are written (they need only its size);
MkDocs builds both languages at once. Everything is written under the work
folder (build/): generated docs in build/docs/<lang>/, cached chart drawings
and fingerprints in build/cache/, and the new site in build/staging/site/,
which the pipeline swaps into place at the end.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .background import BackgroundTask
from .cache import FingerprintCache, shared_fingerprint
from .config.files import load_overview
from .config.site import SiteConfig
from .data import schema
from .data.load import Table
from .data.model import Portal, build_portal
from .data.package import publish
from .engine import MkDocsProcesses, language_prefix, read_site_url, rendered_note, search_index, write_config
from .problems import in_stage
from .publish.catalog import add_hreflang_to_sitemaps, atom_feed, dcat_catalog, dump, robots_txt, write_api
from .publish.exports import write_downloads
from .publish.releases import Freshness, load_releases
from .site.chart_specs import indicator_chart, overview_chart
from .site.charts import ChartDrawing, DrawingWorker, Specs, figure_size, spec_hash
from .site.i18n import languages
from .site.pages import PageContext, page_plan

ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).resolve().parent / "site" / "assets"  # the generator's style and script, in every site


@dataclass
class Build:
    """What the stages after the package share."""

    portal: Portal
    metadata: dict
    history: Freshness
    data_dir: Path
    work: Path
    site_url: str
    stage: Callable  # pipeline.stage: times a stage and prints its line


def render_all(
    config: SiteConfig,
    tables: dict[str, Table],
    metadata: dict,
    data_dir: Path,
    staging: Path,
    work: Path,
    mkdocs: MkDocsProcesses | None,
    stage,
    validated: Callable[[], None] = lambda: None,
    drawing_worker: DrawingWorker | None = None,
) -> None:
    """validated() waits for the checks of the tables, run beside the package stage, and raises
    InputError when they found problems: nothing after the package stage starts before it returns.
    mkdocs: the MkDocs processes, waiting for the pages (None: the site is the generated pages only)."""
    site_url = read_site_url(config.project)
    metadata = {**metadata, "site_url": site_url}
    with stage("package"):
        published = {r.name: publish(tables[r.name]) for r in schema.resources()}
        files = {name: table.content for name, table in published.items()}
        portal = build_portal(config, tables, metadata, files)
        tables.clear()  # handed over: the portal holds its own copy, and the build no longer needs these
        releases = load_releases(data_dir)
        history = Freshness.from_releases(releases, metadata)
    validated()
    build = Build(portal, metadata, history, data_dir, work, site_url, stage)
    # The downloads and the catalogue need only the package: they are written beside the charts, pages
    # and MkDocs, the static API while the downloads are made and the DCAT catalogue after them (the
    # downloads and the whole catalogue in one process took more memory than the build is allowed at
    # 1.3 million rows; with the API beside the downloads, the L build's peak stayed at 1,650 MB PSS).
    portal.fingerprints  # noqa: B018 - computed before the fork: the pages and the API (row_hashes) share them
    beside = BackgroundTask(write_beside, staging, published, portal, releases, metadata, site_url, work)
    try:
        drawing = ChartDrawing(work / "cache" / "charts", worker=drawing_worker)  # drawn once its spec is made
        try:
            _charts_and_pages(build, drawing)
        finally:
            drawing.cancel()
        if mkdocs is not None:
            with stage("mkdocs") as notes:
                reports = mkdocs.build(staging)
                notes.append(rendered_note(reports))
            with stage("search") as notes:
                notes.append(search_index(staging / "site", work, reports))
        else:
            (staging / "site").mkdir(parents=True, exist_ok=True)
        with stage("catalog") as notes:
            written = beside.result()[0]
            site = staging / "site"
            _move_into(staging / "catalog", site)
            add_hreflang_to_sitemaps(
                site, site_url, {lang: language_prefix(lang) for lang in config.languages}, config.default_language
            )
            made, kept = written["api"]
            notes.append(f"{written['catalog']:.1f} s beside the rest; API documents {made} made again, {kept} kept")
        with stage("downloads") as notes:
            os.rename(staging / "downloads", site / "downloads")
            counted = dict(written["counts"])
            slowest = counted.pop("slowest", "")
            made, of = counted.pop("blocks made again", 0), counted.pop("blocks", 0)
            counts = ", ".join(f"{n} {kind}" for kind, n in counted.items())
            counts += f"; {made} of {of} blocks of the large files made again" if of else ""
            slowest = f"; slowest {slowest}" if slowest else ""
            notes.append(f"{counts}; {written['downloads']:.1f} s beside the rest{slowest}")
    finally:
        beside.cancel()


def write_beside(staging: Path, published: dict, portal, releases, metadata: dict, site_url: str, work: Path) -> dict:
    """The downloads (from the package files) into staging/downloads, and the catalogue into
    staging/catalog: its static API while the downloads are made, then the DCAT catalogue of the files
    they wrote; how many files of each kind and the seconds each took. Downloads whose inputs did not
    change since the last build are linked from work/cache/downloads (kept_downloads.py)."""
    start = time.perf_counter()
    # The downloads in a process of their own: the memory they took is the system's again before the
    # catalogue is made (in one process, the two together passed the build's 2 GB at L).
    downloads = BackgroundTask(
        write_downloads, portal.config, staging / "downloads", metadata, published, work / "cache" / "downloads"
    )
    try:
        with in_stage("catalog"):  # the API needs no download: written while they are made
            api_start = time.perf_counter()
            api = write_api(staging / "catalog" / "api", portal, site_url, work / "cache" / "api")
            api_seconds = time.perf_counter() - api_start
        with in_stage("downloads"):
            counts = downloads.result()[0]
    finally:
        downloads.cancel()
    middle = time.perf_counter()
    with in_stage("catalog"):
        write_catalog(staging / "catalog", portal, releases, metadata, site_url, staging / "downloads")
    seconds = api_seconds + time.perf_counter() - middle
    return {"counts": counts, "downloads": middle - start, "catalog": seconds, "api": api}


def _move_into(source: Path, target: Path) -> None:
    """Move source's files into target, merging folders that both have (api/: MkDocs wrote its page there)."""
    for entry in sorted(source.iterdir()):
        if entry.is_dir() and (target / entry.name).is_dir():
            _move_into(entry, target / entry.name)
        else:
            os.rename(entry, target / entry.name)


def write_catalog(folder: Path, portal, releases, metadata: dict, site_url: str, downloads: Path) -> None:
    """The DCAT catalogue (of the files written into downloads), the Atom feed and robots.txt, into
    folder (write_beside has written the static API into folder/api while the downloads were made)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.jsonld").write_bytes(dump(dcat_catalog(portal, site_url, downloads)))
    (folder / "feed.xml").write_bytes(atom_feed(releases, metadata, site_url, portal.config.descriptor_language))
    (folder / "robots.txt").write_bytes(robots_txt(site_url, [language_prefix(lang) for lang in languages()]))


def _charts_and_pages(build: Build, drawing: ChartDrawing) -> None:
    portal, work, stage = build.portal, build.work, build.stage
    with stage("charts") as notes:
        overview = load_overview(build.data_dir)  # checked by validate (config.py)
        shared = shared_fingerprint(portal, build.history, overview)
        cache = FingerprintCache(work / "cache" / "generated.json", shared)
        charts = {lang: {} for lang in languages()}
        chart_folders = {lang: work / "docs" / lang / "charts" for lang in languages()}

        def add(key: str, fingerprint, make) -> None:
            """One chart in every language: its alt texts, specs' hash, size and kind read from the cache,
            or made with its specs when its data changed or its drawing is gone; drawn once; its size
            stated on every page that shows it."""
            entry, specs = cache.value(f"chart/{key}", fingerprint), None
            if entry is None or (entry[0] is not None and not drawing.is_drawn(entry[1], languages())):
                entry, specs = _chart_entry(make)
                cache.remember(f"chart/{key}", fingerprint, entry)
            if entry[0] is None:
                return
            alts, spec_key, size, kind, rankings = entry
            drawing.add({lang: chart_folders[lang] / key for lang in alts}, specs, spec_key)
            for lang, alt in alts.items():
                charts[lang][key] = {"alt": alt, "kind": kind, "size": tuple(size), "ranking": rankings[lang]}

        for indicator_id in portal.by_indicator:
            add(
                f"indicators/{indicator_id}",
                portal.fingerprints[("indicator", indicator_id)],
                lambda lang, i=indicator_id: indicator_chart(portal, i, lang),
            )
        for config in overview:
            fingerprint = [
                config,
                [portal.fingerprints.get(("indicator", i), 0) for i in _indicators_in(config, portal)],
            ]
            add(f"overview/{config['id']}", fingerprint, lambda lang, c=config: overview_chart(portal, c, lang))
        notes.append(f"{len(drawing.pending)} of {drawing.charts()} to draw")
    _write_pages(build, cache, charts, drawing.jobs)
    with stage("drawing") as notes:
        drawn = drawing.finish()
        notes.append(f"{drawn['drawn']} of {drawn['charts']} drawn")


def _chart_entry(make) -> tuple[list, Specs | None]:
    """[alt texts, hash of the specs, size, kind] of a chart in every language, and its specs; [None]
    when make (a language -> (spec, alt) or None) has no chart to draw. The entry is cached with the
    chart's fingerprint, so that an unchanged chart is neither specified nor hashed again; the specs
    are needed only to draw it."""
    made = {lang: make(lang) for lang in languages()}
    if any(m is None or m[0] is None for m in made.values()):
        return [None], None
    specs = {lang: spec for lang, (spec, _) in made.items()}
    alts = {lang: alt for lang, (_, alt) in made.items()}
    rankings = {lang: spec.get("ranking") for lang, spec in specs.items()}  # listed on the page under the chart
    kind = next(iter(specs.values()))["kind"]
    return [alts, spec_hash(specs), list(figure_size(specs)), kind, rankings], specs


def _indicators_in(config, portal) -> list[str]:
    """The indicators an overview chart's configuration names, wherever it names them."""
    if isinstance(config, str):
        return [config] if config in portal.indicators else []
    values = config.values() if isinstance(config, dict) else config if isinstance(config, list) else []
    return sorted({i for value in values for i in _indicators_in(value, portal)})


def _write_pages(build: Build, cache: FingerprintCache, charts: dict, jobs: dict) -> None:
    portal, history, work = build.portal, build.history, build.work
    with build.stage("pages") as notes:
        written = total = 0
        fingerprints = portal.fingerprints
        for lang in languages():
            docs = work / "docs" / lang
            pages_folder = portal.config.project / "docs" / lang
            handwritten = {p.name: p.read_text(encoding="utf-8") for p in pages_folder.glob("*.md")}
            plan = page_plan(PageContext(portal, lang, charts[lang], history), handwritten)
            pages = {}
            total += len(plan)
            for name, (shows, write) in plan.items():
                fingerprint = [
                    charts[lang].get(key)
                    if kind == "chart"
                    else key
                    if kind == "text"
                    else fingerprints.get((kind, key), 0)
                    for kind, key in shows
                ]
                kept = cache.value(f"{lang}/page/{name}", fingerprint)
                if kept is None or kept != _content_digest(docs / name):  # gone, or not as written (a power loss)
                    pages[name] = write()
                    written += 1
                    cache.remember(f"{lang}/page/{name}", fingerprint, _content_digest(pages[name].encode("utf-8")))
            for name, content in handwritten.items():
                if name not in plan:  # a handwritten page that a generated one (the home page) does not take in
                    pages[name] = content
            inside = os.path.join(docs, "")
            charts_here = [p for p in jobs if os.fspath(p).startswith(inside)]  # text: 2,000 charts at L
            expected = {os.path.join(docs, name) for name in list(plan) + list(handwritten)} | {
                os.fspath(p.with_suffix(".svg")) for p in charts_here
            }
            sync_folder(docs, {docs / n: c.encode("utf-8") for n, c in pages.items()}, expected)
            sync_assets(docs / "assets", [ASSETS, portal.config.project / "docs" / "assets"])  # a site's own, if any
            write_config(portal.config, work, lang, build.site_url, build.metadata, history)
        cache.save()
        notes.append(f"{written} of {total} written")


def _content_digest(page: Path | bytes) -> str | None:
    """A page's bytes as a short digest (of a file's, None when it cannot be read)."""
    if isinstance(page, Path):
        try:
            page = page.read_bytes()
        except OSError:
            return None
    return hashlib.sha256(page).hexdigest()[:20]


def sync_folder(folder: Path, files: dict[Path, bytes], expected: set[str], prune_assets: bool = False) -> None:
    """Write changed files only and delete what is no longer generated (keeps mtimes of the rest), but
    nothing in a folder named assets unless prune_assets (sync_assets keeps those). expected: the paths,
    as text, of every other file that stays."""
    expected = expected | {os.fspath(path) for path in files}
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
    for base, folders, names in os.walk(folder):  # text paths: a Path per file took 0.2 s a language at L
        folders[:] = [name for name in folders if prune_assets or name != "assets"]
        for name in names:
            path = os.path.join(base, name)
            if name != "assets" and path not in expected and os.path.isfile(path):
                os.unlink(path)


def sync_assets(target: Path, sources: list[Path]) -> None:
    """target holds exactly the files of sources (a later source's file over an earlier one's of the
    same name): changed ones written, the rest kept as they are, and any other file removed, so that an
    asset deleted from the project is no longer published."""
    wanted: dict[str, Path] = {}
    for source in sources:
        for base, folders, names in os.walk(source):
            folders.sort()
            for name in names:
                path = Path(base, name)
                wanted[path.relative_to(source).as_posix()] = path
    sync_folder(target, {target / rel: path.read_bytes() for rel, path in wanted.items()}, set(), prune_assets=True)
    for base, folders, _ in sorted(os.walk(target, topdown=False)):  # folders left empty
        for name in folders:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(base, name))
