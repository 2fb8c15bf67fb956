"""A synthetic data set of any size, with the real schema and an archive every figure cites.

    python -m build_scripts synth --indicators 200 --places 35 --periods 12 --out bench/out/M

writes OUT/data/ (the five CSV files in canonical form, package.yml, overview.yml, and the
repository's site.yml, whose languages, units, topics and place levels the tables use)
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
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
import unicodedata
from pathlib import Path

from ..config import load as site_load
from ..data import schema

TARGET_SOURCES = 50  # about this many sources for the actual figures, whatever the size
LAST_YEAR = 2024
RELEASED = "2025-01-01"

# (slug stem, unit, pillar, name vi, name en); indicator i uses TOPICS[i % len(TOPICS)]
TOPICS = (
    (
        "online-dossier-share",
        "percent",
        "digital-government",
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "Share of fully online dossiers",
    ),
    ("fixed-broadband-speed", "Mbps", "digital-infrastructure", "Tốc độ băng rộng cố định", "Fixed broadband speed"),
    (
        "vneid-accounts",
        "count",
        "project-06",
        "Số tài khoản định danh điện tử được kích hoạt",
        "Activated electronic identity accounts",
    ),
    ("digital-economy-revenue", "VND", "digital-economy", "Doanh thu kinh tế số", "Digital economy revenue"),
    (
        "cashless-payment-share",
        "percent",
        "digital-society",
        "Tỷ lệ thanh toán không dùng tiền mặt",
        "Share of cashless payments",
    ),
    (
        "digital-economy-growth",
        "percent_change",
        "digital-economy",
        "Tốc độ tăng trưởng kinh tế số",
        "Digital economy growth",
    ),
    ("egov-rank", "rank", "digital-government", "Xếp hạng Chính phủ điện tử", "E-government rank"),
    (
        "ict-export-value",
        "USD",
        "digital-economy",
        "Giá trị xuất khẩu sản phẩm công nghệ số",
        "Export value of digital technology products",
    ),
    (
        "community-digital-teams",
        "count",
        "digital-society",
        "Số Tổ công nghệ số cộng đồng",
        "Community digital technology teams",
    ),
    (
        "international-bandwidth",
        "Tbps",
        "digital-infrastructure",
        "Dung lượng băng thông quốc tế",
        "International bandwidth",
    ),
    ("rank-change", "rank_change", "digital-government", "Số bậc tăng hạng", "Places gained in the ranking"),
    (
        "speed-ratio-world",
        "times",
        "digital-infrastructure",
        "Tốc độ so với trung bình thế giới",
        "Speed relative to the world average",
    ),
)
SYLLABLES = (
    "An",
    "Bình",
    "Cao",
    "Đông",
    "Hà",
    "Hải",
    "Hòa",
    "Kiên",
    "Lâm",
    "Long",
    "Nam",
    "Ninh",
    "Phú",
    "Quảng",
    "Sơn",
    "Tân",
    "Thanh",
    "Thái",
    "Trà",
    "Vĩnh",
    "Yên",
)
QUALIFIER_WORDS = {"approx": "khoảng", "more_than": "hơn", "less_than": "dưới", "estimate": "ước đạt"}
ROW_NOTE = "Số liệu tổng hợp, không phải số liệu thật; dùng để đo hiệu năng."
DERIVED_NOTE = "Synthetic: computed from two printed figures (sum of the parts)."


SITE_LIKE = Path(__file__).resolve().parents[2] / "data"  # the portal whose shape the synthetic data takes


def write_synthetic(out: Path, indicators: int, places: int, periods: int, seed: int = 1) -> tuple[Path, Path]:
    """Write out/data and out/archive; return both folders."""
    site_load.use(SITE_LIKE)  # the tables' columns are the columns of this configuration
    if indicators < 1 or places < 1 or periods < 1:
        raise ValueError("indicators, places and periods must each be at least 1")
    data, archive = Path(out) / "data", Path(out) / "archive"
    data.mkdir(parents=True, exist_ok=True)
    archive.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)

    first_year = max(1900, LAST_YEAR + 1 - periods)
    years = list(range(first_year, first_year + periods))
    target_year = max(2030, years[-1] + 1)
    indicator_rows = _indicators(indicators)
    place_rows = _places(places)
    geos = [p["geo"] for p in place_rows]
    chunks = min(places, max(1, math.ceil(TARGET_SOURCES / periods)))  # sources per period
    sources = _sources(years, chunks, geos, place_rows)
    has_targets = any(_has_target(i) for i in range(indicators)) and "VN" in geos
    strategy = _strategy_source(target_year, years[0]) if has_targets else None

    documents = {s["source_id"]: _Document(archive / s["archive_file"], s["lines"]) for s in sources}
    if strategy:
        documents[strategy["source_id"]] = _Document(archive / strategy["archive_file"], strategy["lines"])
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
                if geo == "VN" and _has_target(index):
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
    _write_table(data, "indicators", indicator_rows, "indicator_id")
    _write_table(data, "places", place_rows, "geo")
    _write_table(data, "sources", source_rows, "source_id")
    _write_table(data, "events", _events(sources), "event_id")
    (data / "package.yml").write_text(_package_yml(indicators, places, periods, seed), encoding="utf-8")
    # the tables take this portal's languages, units, topics and levels: its site.yml describes them
    (data / "site.yml").write_bytes((SITE_LIKE / "site.yml").read_bytes())
    (data / "overview.yml").write_text(_overview_yml(indicator_rows, geos, years), encoding="utf-8")
    written = {row["archive_file"] for row in source_rows}
    for stale in archive.glob("synth-*.txt"):  # left by an earlier, larger run into the same folder
        if stale.name not in written:
            stale.unlink()
    return data, archive


# ------------------------------------------------------------------- figures


def figure(unit: str, x: float, index: int) -> tuple[str, str]:
    """(value as a plain number, the figure as printed in Vietnamese) for a level x in [0, 1]."""
    if unit == "percent":
        n = min(9999, 100 + int(x * 9850))
        plain, vi = _number(n, 2)
        return plain, f"{vi}%"
    if unit == "percent_change":
        plain, vi = _number(5 + int(x * 400), 1)
        return plain, f"{vi}%"
    if unit == "Mbps":
        plain, vi = _number(500 + int(x * 25000), 2)
        return plain, f"{vi} Mbps"
    if unit == "Tbps":
        plain, vi = _number(10 + int(x * 900), 1)
        return plain, f"{vi} Tbps"
    if unit == "count":
        if index % 2:  # millions, printed with the scale word
            tenths = 10 + int(x * 900)
            return str(tenths * 100_000), f"{_number(tenths, 1)[1]} triệu"
        plain, vi = _number(100 + int(x * 50_000), 0)
        return plain, vi
    if unit == "rank":
        return str(200 - int(x * 195)), f"thứ {200 - int(x * 195)}"
    if unit == "rank_change":
        return str(1 + int(x * 30)), f"tăng {1 + int(x * 30)} bậc"
    if unit == "VND":
        tenths = 10 + int(x * 20_000)  # tenths of a tỷ (10^8)
        if tenths >= 10_000:  # from 1.000 tỷ on, in nghìn tỷ to two decimals
            tenths -= tenths % 100
            return str(tenths * 10**8), f"{_number(tenths // 100, 2)[1]} nghìn tỷ đồng"
        return str(tenths * 10**8), f"{_number(tenths, 1)[1]} tỷ đồng"
    if unit == "USD":
        tenths = 10 + int(x * 5_000)  # tenths of a triệu (10^5)
        return str(tenths * 10**5), f"{_number(tenths, 1)[1]} triệu USD"
    if unit == "times":
        plain, vi = _number(11 + int(x * 40), 1)
        return plain, f"{vi} lần"
    raise ValueError(f"no synthetic figures for unit {unit}")


def _number(n: int, decimals: int) -> tuple[str, str]:
    """n / 10**decimals as a plain number ('2255.5') and in Vietnamese ('2.255,5')."""
    whole, fraction = divmod(n, 10**decimals) if decimals else (n, 0)
    digits = f"{fraction:0{decimals}d}".rstrip("0") if decimals else ""
    plain = f"{whole}.{digits}" if digits else str(whole)
    vi = f"{whole:,}".replace(",", ".") + (f",{digits}" if digits else "")
    return plain, vi


def _has_target(index: int) -> bool:
    return index % 4 == 0


# -------------------------------------------------------------------- tables


def _indicators(count: int) -> list[dict]:
    rows = []
    for i in range(count):
        stem, unit, pillar, name_vi, name_en = TOPICS[i % len(TOPICS)]
        number = i + 1
        rows.append(
            {
                "indicator_id": f"{stem}-{number:04d}",
                "name_vi": f"{name_vi} (chỉ số tổng hợp {number})",
                "name_en": f"{name_en} (synthetic indicator {number})",
                "description_vi": f"{name_vi}, theo địa bàn và năm; số liệu tổng hợp để đo hiệu năng, "
                "không phải số liệu thật.",
                "description_en": f"{name_en}, by place and year; synthetic figures for benchmarks, not real data.",
                "unit": unit,
                "pillar": pillar,
                "higher_is_better": "false" if unit == "rank" else "true",
                "is_headline": "true" if i < 4 else "false",
                "number": number,
            }
        )
    return sorted(rows, key=lambda r: r["indicator_id"])


def _places(count: int) -> list[dict]:
    rows = [
        {
            "geo": "VN",
            "name_vi": "Việt Nam",
            "name_en": "Viet Nam",
            "level": "country",
            "gso_code": "",
            "valid_from": "",
            "valid_to": "",
            "successor": "",
            "reference_vi": "ISO 3166-1",
            "reference_en": "ISO 3166-1",
        }
    ]
    if count > 1:
        rows.append(
            {
                "geo": "WORLD",
                "name_vi": "Thế giới (mức trung bình)",
                "name_en": "World (average)",
                "level": "world",
                "gso_code": "",
                "valid_from": "",
                "valid_to": "",
                "successor": "",
                "reference_vi": "Mức trung bình thế giới (synthetic)",
                "reference_en": "World averages (synthetic)",
            }
        )
    provinces = count - len(rows)
    for k in range(provinces):
        if k < 99:
            geo = f"VN-{k + 1:02d}"
        elif k < 198:
            geo = f"VN-2025-{k - 98:02d}"
        else:
            geo = f"VN-P{k + 1:05d}"
        name_vi = f"{SYLLABLES[k % len(SYLLABLES)]} {SYLLABLES[(k // len(SYLLABLES) + 3 * k + 5) % len(SYLLABLES)]}"
        if k >= len(SYLLABLES) ** 2 // 2:
            name_vi += f" {k + 1}"
        rows.append(
            {
                "geo": geo,
                "name_vi": name_vi,
                "name_en": _ascii(name_vi),
                "level": "province",
                "gso_code": f"{(k + 1) % 100:02d}",
                "valid_from": "",
                "valid_to": "",
                "successor": "",
                "reference_vi": "Địa bàn tổng hợp (synthetic)",
                "reference_en": "Synthetic place (synthetic)",
            }
        )
    if provinces >= 4:  # the first province merged into the last one in 2025, as in the real data
        first, last = rows[2], rows[-1]
        first.update(valid_to="2025-06-30", successor=last["geo"])
        last.update(valid_from="2025-07-01")
    return sorted(rows, key=lambda r: r["geo"])


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sources(years: list[int], chunks: int, geos: list[str], place_rows: list[dict]) -> list[dict]:
    by_geo = {p["geo"]: p for p in place_rows}
    rows = []
    for year in years:
        for chunk in range(chunks):
            first_geo = geos[next(i for i in range(len(geos)) if i * chunks // len(geos) == chunk)]
            source_id = f"synthetic-report-{year}-{chunk + 1:02d}"
            title = f"Chuyển đổi số năm {year}: kết quả tại các địa phương (phần {chunk + 1})"
            event_id = f"synthetic-session-{year}" if chunk == 0 else ""
            intro = (
                f"Hội nghị tổng kết chuyển đổi số năm {year} (phiên họp tổng hợp) công bố các số liệu sau."
                if chunk == 0
                else f"Số liệu chuyển đổi số năm {year} của các địa phương, phần {chunk + 1}."
            )
            rows.append(
                {
                    "source_id": source_id,
                    "title": title,
                    "publisher": "Báo Tổng hợp (dữ liệu thử)",
                    "published": f"{year + 1}-01-{min(28, 10 + chunk):02d}",
                    "place": "" if chunk == 0 else by_geo[first_geo]["name_vi"],
                    "url": "",
                    "language": "vi",
                    "archive_file": f"synth-{year}-{chunk + 1:02d}.txt",
                    "archive_sha256": "",
                    "event_id": event_id,
                    "note_vi": "Tài liệu tổng hợp do build_scripts/synth.py viết cho benchmark.",
                    "note_en": "Synthetic document written by build_scripts/synth.py for benchmarks.",
                    "year": year,
                    "chunk": chunk,
                    "lines": [title, intro],
                }
            )
    return rows


def _strategy_source(target_year: int, first_year: int) -> dict:
    title = f"Chiến lược chuyển đổi số tổng hợp đến năm {target_year}"
    return {
        "source_id": f"synthetic-strategy-{target_year}",
        "title": title,
        "publisher": "Báo Tổng hợp (dữ liệu thử)",
        "published": f"{first_year}-06-01",
        "place": "",
        "url": "",
        "language": "vi",
        "archive_file": f"synth-strategy-{target_year}.txt",
        "archive_sha256": "",
        "event_id": "",
        "note_vi": "Tài liệu tổng hợp chứa các mục tiêu, do build_scripts/synth.py viết.",
        "note_en": "Synthetic document with the targets, written by build_scripts/synth.py.",
        "lines": [title, "Các mục tiêu chủ yếu:"],
    }


def _events(sources: list[dict]) -> list[dict]:
    rows = []
    for number, source in enumerate((s for s in sources if s["event_id"]), start=1):
        year = source["year"]
        rows.append(
            {
                "event_id": source["event_id"],
                "date": f"{year}-12-15",
                "kind": "committee-session",
                "session_number": str(number),
                "title_vi": f"Phiên họp tổng hợp năm {year} về chuyển đổi số",
                "title_en": f"Synthetic {year} session on digital transformation",
                "chair": "Chủ tịch Ủy ban (tổng hợp)",
                "source_id": source["source_id"],
                "line": "2",
            }
        )
    return rows


def _write_table(data: Path, name: str, rows: list[dict], key: str) -> None:
    fields = schema.resource(name).fields
    with open(data / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for row in sorted(rows, key=lambda r: r[key]):
            writer.writerow([unicodedata.normalize("NFC", str(row[f])) for f in fields])


class _Document:
    """An archive file written line by line; add() returns the 1-based line of the text."""

    def __init__(self, path: Path, head: list[str]):
        self.handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.digest = hashlib.sha256()
        self.count = 0
        for text in head:
            self.add(text)

    def add(self, text: str) -> int:
        raw = (text + "\n").encode("utf-8")
        self.handle.write(raw)
        self.digest.update(raw)
        self.count += 1
        return self.count

    def close(self) -> str:
        self.handle.close()
        return self.digest.hexdigest()


# ------------------------------------------------------------ package, charts


def _package_yml(indicators: int, places: int, periods: int, seed: int) -> str:
    size = f"{indicators} × {places} × {periods}"
    return f"""# Metadata of a synthetic data package written by build_scripts/synth.py (seed {seed}).
# Not real data: for benchmarks and tests only.
name: synthetic-portal
version: 0.0.1
released: {RELEASED}
title:
  vi: Dữ liệu tổng hợp Chuyển đổi số (thử nghiệm)
  en: Synthetic Digital Transformation Data (test)
description:
  vi: >-
    Bộ số liệu tổng hợp ({size} chỉ số × địa bàn × năm) với cấu trúc thật của
    cổng dữ liệu, dùng để đo hiệu năng; không phải số liệu thật.
  en: >-
    A synthetic data set ({size} indicators × places × years) with the portal's
    real schema, for benchmarks; not real data.
keywords: [synthetic, benchmark, chuyển đổi số]
license:
  name: CC-BY-4.0
  title: Creative Commons Attribution 4.0 International
  path: https://creativecommons.org/licenses/by/4.0/
creator: Vietnam Digital Transformation Open Data contributors
contributors:
  - title: Vietnam Digital Transformation Open Data contributors
    role: author
"""


def _overview_yml(indicator_rows: list[dict], geos: list[str], years: list[int]) -> str:
    by_unit: dict[str, list[str]] = {}
    for row in indicator_rows:
        by_unit.setdefault(row["unit"], []).append(row["indicator_id"])
    targeted = [r["indicator_id"] for r in indicator_rows if _has_target(r["number"] - 1)]
    charts = []
    if targeted and "VN" in geos:
        charts.append(
            "- id: results-against-targets\n  kind: progress\n  geo: VN\n"
            "  title:\n    vi: Kết quả so với mục tiêu\n    en: Results against their targets\n"
            "  note:\n    vi: Kết quả mới nhất chia cho mục tiêu, tính theo %.\n"
            "    en: Latest result divided by its target, in percent.\n"
            f"  indicators: [{', '.join(targeted[:5])}]\n"
        )
    counts = by_unit.get("count", [])
    if len(counts) >= 2 and "VN" in geos:
        charts.append(
            "- id: counts-stacked\n  kind: stacked\n  geo: VN\n"
            "  title:\n    vi: Hai chỉ số đếm cộng dồn\n    en: Two counts stacked\n"
            f"  part_labels:\n    - {{vi: Phần 1, en: Part 1}}\n    - {{vi: Phần 2, en: Part 2}}\n"
            f"  bars:\n    - label: {{vi: Năm {years[-1]}, en: Year {years[-1]}}}\n"
            f'      period: "{years[-1]}"\n      parts: [{counts[0]}, {counts[1]}]\n'
        )
    speeds = by_unit.get("Mbps", [])
    compared = [g for g in ("VN", "WORLD") if g in geos]
    if speeds and compared:
        charts.append(
            "- id: speed-against-world\n  kind: grouped\n"
            "  title:\n    vi: Tốc độ so với trung bình thế giới\n    en: Speed against the world average\n"
            f'  period: "{years[-1]}"\n  geos: [{", ".join(compared)}]\n  indicators: [{", ".join(speeds[:3])}]\n'
        )
    header = "# Charts across synthetic indicators (see data/overview.yml for the kinds).\n"
    return header + ("".join(charts) if charts else "[]\n")
