"""The synthetic tables: indicators, places and events, and the CSV writer of a table in canonical form.

Indicators take their name stem, unit and topic from TOPICS in turn; places are the country, the world
and provinces named from SYLLABLES; every fourth indicator has a target (has_target); the yearly
session the first source of a period reports on is an event.
synth.py writes observations.csv itself, streamed, and the sources with their documents
(synth_archive.py).
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from ..data import schema

# (slug stem, unit, topic, name vi, name en); indicator i uses TOPICS[i % len(TOPICS)]
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


def has_target(index: int) -> bool:
    return index % 4 == 0


def make_indicator_rows(count: int) -> list[dict]:
    rows = []
    for i in range(count):
        stem, unit, topic, name_vi, name_en = TOPICS[i % len(TOPICS)]
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
                "topic": topic,
                "higher_is_better": "false" if unit == "rank" else "true",
                "is_headline": "true" if i < 4 else "false",
                "number": number,
            }
        )
    return sorted(rows, key=lambda r: r["indicator_id"])


def make_place_rows(count: int) -> list[dict]:
    rows = [
        {
            "geo": "VN",
            "name_vi": "Việt Nam",
            "name_en": "Viet Nam",
            "level": "country",
            "statistics_code": "",
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
                "statistics_code": "",
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
                "statistics_code": f"{(k + 1) % 100:02d}",
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


def make_event_rows(sources: list[dict]) -> list[dict]:
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


def write_table(data: Path, name: str, rows: list[dict], key: str) -> None:
    fields = schema.resource(name).fields
    with open(data / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for row in sorted(rows, key=lambda r: r[key]):
            # a column the row leaves out is empty
            writer.writerow([unicodedata.normalize("NFC", str(row.get(f, ""))) for f in fields])
