"""A synthetic data set of any size, with the real schema and an archive every figure cites.

    python -m build_scripts synth --indicators 200 --places 35 --periods 12 --out bench/out/M

writes OUT/data/ (the five CSV files in canonical form, package.yml, overview.yml, and the
synthetic portal's site.yml, synth_portal/site.yml, whose languages, units, topics and levels the tables use)
and OUT/archive/ (one UTF-8 text document per source). It passes
`python -m build_scripts validate --data OUT/data --archive OUT/archive`.

Shape: every indicator has one actual figure for every place and every yearly
period (indicators x places x periods rows), and every fourth indicator has a
target for the country, printed in a strategy document. The figures of one
period are split by place over a few sources (about 50 in all), each a text
file with one line per figure, so that each figure's as_written is printed on
its cited line. Values are written in as_written under Vietnamese conventions
('71,79 Mbps', '2.255', '1,9 triệu', '1.234,5 tỷ đồng').

Everything is streamed: rows go to the CSV writer and to the archive files as
they are made, in primary-key order, so the L size (1.28 million rows) needs
no table in memory. The same arguments give the same bytes.

synth_tables.py makes the indicators, places and events, synth_archive.py the sources, their documents
and the figures as printed, synth_yaml.py package.yml and overview.yml; this module puts them together.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

from ..config import load as site_load
from ..config.site import using
from ..data import schema
from ..data.synth_archive import ArchiveDocument, figure, make_source_rows, make_strategy_source
from ..data.synth_tables import has_target, make_event_rows, make_indicator_rows, make_place_rows, write_table
from ..data.synth_yaml import overview_yml_text, package_yml_text

TARGET_SOURCES = 50  # about this many sources for the actual figures, whatever the size
LAST_YEAR = 2024
QUALIFIER_WORDS = {"approx": "khoảng", "more_than": "hơn", "less_than": "dưới", "estimate": "ước đạt"}
ROW_NOTE = "Số liệu tổng hợp, không phải số liệu thật; dùng để đo hiệu năng."
DERIVED_NOTE = "Synthetic: computed from two printed figures (sum of the parts)."


SITE_LIKE = Path(__file__).resolve().parent / "synth_portal"  # the configuration the synthetic tables take


def write_synthetic(out: Path, indicators: int, places: int, periods: int, seed: int = 1) -> tuple[Path, Path]:
    """Write out/data and out/archive; return both folders."""
    with using(site_load.load_site(SITE_LIKE)):  # the tables' columns are the columns of this configuration
        return _write_synthetic(Path(out), indicators, places, periods, seed)


def _write_synthetic(out: Path, indicators: int, places: int, periods: int, seed: int) -> tuple[Path, Path]:
    if indicators < 1 or places < 1 or periods < 1:
        raise ValueError("indicators, places and periods must each be at least 1")
    data, archive = Path(out) / "data", Path(out) / "archive"
    data.mkdir(parents=True, exist_ok=True)
    archive.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)

    first_year = max(1900, LAST_YEAR + 1 - periods)
    years = list(range(first_year, first_year + periods))
    target_year = max(2030, years[-1] + 1)
    indicator_rows = make_indicator_rows(indicators)
    place_rows = make_place_rows(places)
    geos = [p["geo"] for p in place_rows]
    chunks = min(places, max(1, math.ceil(TARGET_SOURCES / periods)))  # sources per period
    sources = make_source_rows(years, chunks, geos, place_rows)
    has_targets = any(has_target(i) for i in range(indicators)) and "VN" in geos
    strategy = make_strategy_source(target_year, years[0]) if has_targets else None

    documents = {s["source_id"]: ArchiveDocument(archive / s["archive_file"], s["lines"]) for s in sources}
    if strategy:
        documents[strategy["source_id"]] = ArchiveDocument(archive / strategy["archive_file"], strategy["lines"])
    names_vi = {p["geo"]: p["name_vi"] for p in place_rows}
    chunk_of = {geo: index * chunks // len(geos) for index, geo in enumerate(geos)}
    source_of = {(y, c): s["source_id"] for s in sources for y, c in [(s["year"], s["chunk"])]}

    with open(data / "observations.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.resource("observations").fields)
        for indicator in indicator_rows:
            index, unit, name_vi = indicator["number"] - 1, indicator["unit"], indicator["name_vi"]
            for geo in geos:
                level, step = rng.random() * 0.4, 0.6 * rng.random() / periods
                for offset, year in enumerate(years):
                    x = min(1.0, level + step * offset + 0.02 * rng.random())
                    value, printed = figure(unit, x, index)
                    qualifier = ""
                    roll = rng.random()
                    if roll < 0.08 and unit not in ("rank", "rank_change"):
                        qualifier = ("approx", "more_than", "estimate", "less_than")[int(roll * 50) % 4]
                        printed = f"{QUALIFIER_WORDS[qualifier]} {printed}"
                    derived = roll > 0.98
                    note = DERIVED_NOTE if derived else (ROW_NOTE if roll > 0.94 else "")
                    source_id = source_of[(year, chunk_of[geo])]
                    line = documents[source_id].add(f"{names_vi[geo]}: {name_vi} năm {year} đạt {printed}.")
                    writer.writerow(
                        (
                            indicator["indicator_id"],
                            geo,
                            year,
                            "actual",
                            value,
                            qualifier,
                            "true" if derived else "false",
                            source_id,
                            line,
                            printed,
                            "",
                            "",
                            note,
                            note,
                        )
                    )
                if geo == "VN" and has_target(index):
                    value, printed = figure(unit, min(1.0, level + 0.7), index)
                    line = documents[strategy["source_id"]].add(
                        f"Mục tiêu đến năm {target_year}: {name_vi} đạt {printed}."
                    )
                    writer.writerow(
                        (
                            indicator["indicator_id"],
                            geo,
                            target_year,
                            "target",
                            value,
                            "",
                            "false",
                            strategy["source_id"],
                            line,
                            printed,
                            "",
                            "",
                            "",
                            "",
                        )
                    )
    hashes = {source_id: document.close() for source_id, document in documents.items()}

    source_rows = sources + ([strategy] if strategy else [])
    for row in source_rows:
        row["archive_sha256"] = hashes[row["source_id"]]
    write_table(data, "indicators", indicator_rows, "indicator_id")
    write_table(data, "places", place_rows, "geo")
    write_table(data, "sources", source_rows, "source_id")
    write_table(data, "events", make_event_rows(sources), "event_id")
    write_table(data, "reports", [], "report_id")  # none found: the tables hold their header
    write_table(data, "reported_figures", [], "report_id")
    (data / "package.yml").write_text(package_yml_text(indicators, places, periods, seed), encoding="utf-8")
    # the tables take this portal's languages, units, topics and levels: its site.yml describes them
    (data / "site.yml").write_bytes((SITE_LIKE / "site.yml").read_bytes())
    (data / "overview.yml").write_text(overview_yml_text(indicator_rows, geos, years), encoding="utf-8")
    written = {row["archive_file"] for row in source_rows}
    for stale in archive.glob("synth-*.txt"):  # left by an earlier, larger run into the same folder
        if stale.name not in written:
            stale.unlink()
    return data, archive
