"""The synthetic archive: the sources, each an archived text document, and the figures they print.

Every period's figures are printed in a few reports (their source rows and first lines here), and the
targets in one strategy document; ArchiveDocument writes a document line by line and hashes it.
figure() gives a plain value and the same figure as printed under Vietnamese conventions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


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


def make_source_rows(years: list[int], chunks: int, geos: list[str], place_rows: list[dict]) -> list[dict]:
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


def make_strategy_source(target_year: int, first_year: int) -> dict:
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


class ArchiveDocument:
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
