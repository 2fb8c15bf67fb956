"""Where the time and memory of each stage go: the build's steps one by one, in one process, under cProfile.

    .venv/bin/python bench/profile_stages.py --data bench/out/M/data [--archive bench/out/M/archive]
        [--top 12] [--no-profile] [--mkdocs bench/out/M/work/mkdocs.vi.yml]

Runs load, validate (schema, domain rules, provenance), package, chart specs
(without drawing), one sample chart drawing, and the Markdown of every page in
both languages (without writing them), printing for each step its time, the
process's RSS after it and the functions that took the most time in it.
With --mkdocs CONFIG it profiles a plain `mkdocs build` of that generated
configuration instead (into a scratch folder).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--code" in sys.argv:  # profile another copy of the code, e.g. the benchmark's snapshot bench/out/code
    ROOT = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def step(name: str, profile: bool, top: int):
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    yield
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n## {name}: {seconds:.2f} s, RSS {rss_mb():.0f} MB (peak so far {peak:.0f} MB)", flush=True)
    if profiler:
        stats = pstats.Stats(profiler)
        print("   own time (tottime):")
        _print_stats(stats, "tottime", top)
        print("   the project's functions, cumulative:")
        _print_stats(stats, "cumulative", top, "build_scripts")


def _print_stats(stats: pstats.Stats, order: str, top: int, *restrictions) -> None:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(order).print_stats(*restrictions, top)
    lines = out.getvalue().splitlines()
    start_at = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start_at:] if line.strip()), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--top", type=int, default=12, help="functions to show per step")
    parser.add_argument("--no-profile", action="store_true", help="times and memory only (cProfile slows Python)")
    parser.add_argument("--mkdocs", type=Path, help="profile `mkdocs build -f CONFIG` instead")
    parser.add_argument("--code", type=Path, help="root of the code to profile (default: this repository)")
    args = parser.parse_args()
    profile, top = not args.no_profile, args.top
    if args.mkdocs:
        return profile_mkdocs(args.mkdocs, top)

    from build_scripts.config.load import use
    from build_scripts.data import schema
    from build_scripts.data.domain_rules import check_domain
    from build_scripts.data.load import read_tables
    from build_scripts.data.model import build_portal
    from build_scripts.data.package import canonical_csv, load_metadata
    from build_scripts.data.provenance import check_provenance
    from build_scripts.data.validate import check_schema
    from build_scripts.render import _chart_entry, load_overview
    from build_scripts.site import pages as pages_module
    from build_scripts.site.chart_specs import indicator_chart, overview_chart
    from build_scripts.site.charts import draw_chart
    from build_scripts.site.i18n import languages
    from build_scripts.site.pages import PageContext

    config = use(args.data)  # the columns and rules of this data folder's site.yml, for this process
    print(f"# {args.data}: RSS at start {rss_mb():.0f} MB")
    with step("load: read_tables", profile, top):
        tables, problems = read_tables(args.data, "data")
    print(f"   {len(tables['observations'].frame):,} observation rows")
    with step("validate: check_schema (frictionless)", profile, top):
        problems += check_schema(tables)
    with step("validate: check_domain", profile, top):
        problems += check_domain(tables, config)
    if args.archive:
        with step("validate: check_provenance", profile, top):
            problems += check_provenance(tables, args.archive)
    if problems:
        print(f"{len(problems)} problem(s), first: {problems[0]}")
        return 1
    metadata = {**load_metadata(args.data), "site_url": "https://example.org/"}
    with step("package: canonical_csv", profile, top):
        files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
    with step("package: build_portal", profile, top):
        portal = build_portal(config, tables, metadata, files)
    charts = {lang: {} for lang in languages()}
    specs = []
    with step("charts: specs of every chart (no drawing)", profile, top):
        # as the build makes them (render._chart_entry): both languages, their alt texts, sizes and rankings
        makers = {f"indicators/{i}": partial(indicator_chart, portal, i) for i in portal.by_indicator}
        makers |= {f"overview/{c['id']}": partial(overview_chart, portal, c) for c in load_overview(args.data)}
        for key, make in makers.items():
            entry, made = _chart_entry(lambda lang, make=make: make(lang))
            if entry[0] is None:
                continue
            alts, _, size, kind, rankings = entry
            for lang, alt in alts.items():
                charts[lang][key] = {"alt": alt, "kind": kind, "size": tuple(size), "ranking": rankings[lang]}
            if key.startswith("indicators/"):
                specs.extend(made.values())
    biggest = max(specs, key=lambda s: sum(len(x.get("points", [])) for x in s.get("series", [])))
    draw_chart(biggest)  # import matplotlib and warm the font cache outside the measurement
    with step("charts: draw the largest indicator chart once", profile, top):
        svg = draw_chart(biggest)
    print(
        f"   {len(specs)} indicator charts; largest: {len(biggest.get('series', []))} series, "
        f"SVG {len(svg) / 1024:.0f} KB"
    )
    context = page_context_extras(PageContext, args.data, metadata)
    for lang in languages():
        with step(f"pages: render_pages ({lang})", profile, top):
            pages = make_pages(pages_module, PageContext(portal, lang, charts[lang], **context))
        sizes = sorted(((len(v), k) for k, v in pages.items()), reverse=True)
        print(
            f"   {len(pages)} pages, {sum(s for s, _ in sizes) / 2**20:.1f} MB of Markdown; largest: "
            + ", ".join(f"{k} {s / 1024:.0f} KB" for s, k in sizes[:3])
        )
        del pages
    return 0


def make_pages(pages_module, context) -> dict[str, str]:
    """Every generated page of one language, whichever way this version of pages.py offers them."""
    if hasattr(pages_module, "page_plan"):  # {name: (entity, write)}: pages written on demand
        return {name: write() for name, (_, write) in pages_module.page_plan(context, {}).items()}
    return pages_module.render_pages(context, {})


def page_context_extras(page_context, data: Path, metadata: dict) -> dict:
    """What else PageContext needs in this version of the code (it grows: release history, ...)."""
    import dataclasses

    names = {f.name for f in dataclasses.fields(page_context)}
    extras = {}
    if "history" in names:
        from build_scripts.publish.releases import Freshness, load_releases

        extras["history"] = Freshness.from_releases(load_releases(data), metadata)
    return extras


def profile_mkdocs(config: Path, top: int) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as scratch:
        loaded = load_config(str(config), site_dir=scratch)
        with step(f"mkdocs build -f {config}", True, top):
            build(loaded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
