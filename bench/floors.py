"""The floor a plain tool sets under two build stages, measured in one process on the same inputs.

    .venv/bin/python bench/floors.py --data bench/out/M/data [--json FILE] [--charts N]

drawing: every chart's files drawn as the build draws them (chart_variants.draw_variants: in each
language the wide and the narrow SVG, and the PNG of the wide one), with two clocks inside: matplotlib's
own Figure.savefig, which renders and writes a finished figure, and resvg's rendering of the PNG. Their
sum is the floor: what the tools need to save the same figures. The rest is ours: making the figure,
placing and fitting the labels, the text and point layers of each language.

downloads: the build's writers (exports.write_downloads, nothing kept) against the plain writers on the
same published tables: pyarrow's CSV writer and its Parquet writer, and sqlite3's executemany into a
table per resource, each on the whole table and nothing else. The Arrow tables are made before either
clock starts. The build's writers fork (the database, the largest files), so both sides are counted in
CPU seconds of this process and its children.

Both sides of each ratio are measured in this one run, on this machine as it is now: the ratio is what
to quote, not the seconds. bench/benchmark.py runs this at each size after the clean build.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_seconds() -> float:
    """User and system seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Clock:
    """The CPU seconds spent inside the functions it wraps (not nested in one another)."""

    def __init__(self):
        self.seconds = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - start

        return timed


@contextmanager
def patched(owner, name: str, clock: Clock):
    original = getattr(owner, name)
    setattr(owner, name, clock.wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def chart_specs(portal, data: Path) -> list[dict]:
    """Every chart's specs in every language, as the build makes them (render._chart_entry)."""
    from build_scripts.render import _chart_entry, load_overview
    from build_scripts.site.chart_specs import indicator_chart, overview_chart

    makers = [partial(indicator_chart, portal, i) for i in portal.by_indicator]
    makers += [partial(overview_chart, portal, c) for c in load_overview(data)]
    made = [_chart_entry(lambda lang, make=make: make(lang))[1] for make in makers]
    return [specs for specs in made if specs is not None]


def drawing_floor(all_specs: list[dict]) -> dict:
    import matplotlib.figure
    import resvg_py

    from build_scripts.site.chart_variants import draw_variants

    draw_variants(all_specs[0])  # matplotlib imported and its fonts cached before the clocks start
    saving, rendering = Clock(), Clock()
    with patched(matplotlib.figure.Figure, "savefig", saving), patched(resvg_py, "svg_to_bytes", rendering):
        start = time.process_time()
        files = sum(len(draw_variants(specs)) for specs in all_specs)
        ours = time.process_time() - start
    floor = saving.seconds + rendering.seconds
    return {
        "charts": len(all_specs),
        "files": files,
        "build_s": round(ours, 2),
        "savefig_s": round(saving.seconds, 2),
        "png_s": round(rendering.seconds, 2),
        "floor_s": round(floor, 2),
        "ratio": round(ours / floor, 2) if floor else None,
    }


def arrow_tables(published: dict) -> dict:
    """Each published table as one Arrow table, typed as the downloads type it (database.arrow_columns)."""
    import pyarrow as pa

    from build_scripts.data import schema
    from build_scripts.publish.database import arrow_columns

    tables = {}
    for name, table in published.items():
        arrow_schema, values = arrow_columns(schema.resource(name), table.coded, table.typed)
        columns = [v.take(pa.array(codes)) for v, (codes, _) in zip(values, table.coded.values())]
        tables[name] = pa.Table.from_arrays(columns, schema=arrow_schema)
    return tables


def plain_writers(tables: dict, folder: Path) -> dict[str, float]:
    """CPU seconds of each plain writer over every table."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    seconds = {}
    start = cpu_seconds()
    for name, table in tables.items():
        pacsv.write_csv(table, folder / f"{name}.csv")
    seconds["csv"] = cpu_seconds() - start
    start = cpu_seconds()
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    seconds["parquet"] = cpu_seconds() - start
    start = cpu_seconds()
    connection = sqlite3.connect(folder / "plain.sqlite")
    for name, table in tables.items():
        columns = ", ".join(f'"{c}"' for c in table.column_names)
        connection.execute(f'CREATE TABLE "{name}" ({columns})')
        rows = zip(*(column.to_pylist() for column in table.columns))
        marks = ", ".join("?" for _ in table.column_names)
        connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    connection.commit()
    connection.close()
    seconds["sqlite"] = cpu_seconds() - start
    return seconds


def downloads_floor(config, metadata: dict, published: dict) -> dict:
    from build_scripts.publish.exports import write_downloads

    tables = arrow_tables(published)
    with tempfile.TemporaryDirectory() as scratch:
        plain = plain_writers(tables, Path(scratch))
    with tempfile.TemporaryDirectory() as scratch:
        start, wall = cpu_seconds(), time.perf_counter()
        counts = write_downloads(config, Path(scratch) / "downloads", metadata, published, None)
        ours, wall = cpu_seconds() - start, time.perf_counter() - wall
        written = sum(1 for path in (Path(scratch) / "downloads").rglob("*") if path.is_file())
        size = sum(path.stat().st_size for path in (Path(scratch) / "downloads").rglob("*") if path.is_file())
    floor = sum(plain.values())
    return {
        "files": written,
        "bytes": size,
        "counts": {k: v for k, v in counts.items() if isinstance(v, int)},
        "build_cpu_s": round(ours, 2),
        "build_wall_s": round(wall, 2),
        "plain_cpu_s": {k: round(v, 2) for k, v in plain.items()},
        "floor_cpu_s": round(floor, 2),
        "ratio": round(ours / floor, 2) if floor else None,
    }


def measure(data: Path, charts: int | None = None) -> dict:
    from build_scripts.config.load import load_site
    from build_scripts.config.site import using
    from build_scripts.data import schema
    from build_scripts.data.load import read_tables
    from build_scripts.data.model import build_portal
    from build_scripts.data.package import load_metadata, publish

    config = load_site(data)
    with using(config):
        tables, problems = read_tables(data, "data")
        if problems:
            raise SystemExit(f"{data}: {problems[0]}")
        metadata = {**load_metadata(data), "site_url": "https://example.org/"}
        published = {r.name: publish(tables[r.name]) for r in schema.resources()}
        portal = build_portal(config, tables, metadata, {n: p.content for n, p in published.items()})
        downloads = downloads_floor(config, metadata, published)
        specs = chart_specs(portal, data)
        drawing = drawing_floor(specs[:charts] if charts else specs)
    return {"data": str(data), "drawing": drawing, "downloads": downloads}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder (site.yml and the CSV files)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON too")
    parser.add_argument("--charts", type=int, help="draw only the first N charts (a sample, for a quick look)")
    args = parser.parse_args(argv)
    results = measure(args.data, args.charts)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
