"""The synthetic data folder's YAML files: package.yml (the package's metadata) and overview.yml (charts
across the synthetic indicators, of each kind the data allows)."""

from __future__ import annotations

from ..data.synth_tables import has_target

RELEASED = "2025-01-01"


def package_yml_text(indicators: int, places: int, periods: int, seed: int) -> str:
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


def overview_yml_text(indicator_rows: list[dict], geos: list[str], years: list[int]) -> str:
    by_unit: dict[str, list[str]] = {}
    for row in indicator_rows:
        by_unit.setdefault(row["unit"], []).append(row["indicator_id"])
    targeted = [r["indicator_id"] for r in indicator_rows if has_target(r["number"] - 1)]
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
