"""Words and number, date and period formats of each site language (Vietnamese first).

Numbers and dates are formatted by Babel with the locale's own symbols.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from .periods import period_kind, read_period

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}

TEXT: dict[str, dict[str, str]] = {
    "home": {"vi": "Trang chủ", "en": "Home"},
    "indicators": {"vi": "Chỉ số", "en": "Indicators"},
    "indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "places": {"vi": "Địa bàn", "en": "Places"},
    "place": {"vi": "Địa bàn", "en": "Place"},
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "sessions": {"vi": "Phiên họp", "en": "Sessions"},
    "data": {"vi": "Dữ liệu", "en": "Data"},
    "api": {"vi": "API", "en": "API"},
    "methodology": {"vi": "Phương pháp", "en": "Methodology"},
    "about": {"vi": "Giới thiệu và giấy phép", "en": "About and licence"},
    "contributing": {"vi": "Bổ sung dữ liệu", "en": "Adding data"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "kind": {"vi": "Loại", "en": "Type"},
    "actual": {"vi": "Thực hiện", "en": "Actual"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "definition": {"vi": "Định nghĩa", "en": "Definition"},
    "as_written": {"vi": "Nguyên văn", "en": "As printed"},
    "line": {"vi": "Dòng", "en": "Line"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "qualifier": {"vi": "Mức độ", "en": "Qualifier"},
    "derived": {"vi": "tính toán", "en": "derived"},
    "publisher": {"vi": "Đơn vị đăng", "en": "Publisher"},
    "published": {"vi": "Ngày đăng", "en": "Published"},
    "title": {"vi": "Tiêu đề", "en": "Title"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "archive_file": {"vi": "Tệp lưu trữ", "en": "Archived file"},
    "unknown": {"vi": "không rõ", "en": "unknown"},
    "date_unknown": {"vi": "không rõ ngày", "en": "date unknown"},
    "chart": {"vi": "Biểu đồ", "en": "Chart"},
    "observations": {"vi": "Các số liệu", "en": "Observations"},
    "downloads": {"vi": "Tải xuống", "en": "Downloads"},
    "figures": {"vi": "Số liệu", "en": "Figures"},
    "date": {"vi": "Ngày", "en": "Date"},
    "chair": {"vi": "Chủ trì", "en": "Chaired by"},
    "session_number": {"vi": "Phiên số", "en": "Session no."},
    "level": {"vi": "Cấp", "en": "Level"},
    "successor": {"vi": "Từ 01/7/2025 thuộc", "en": "Since 1 Jul 2025 part of"},
    "predecessors": {"vi": "Hình thành từ", "en": "Formed from"},
    "valid": {"vi": "Hiệu lực", "en": "Valid"},
    "reference": {"vi": "Căn cứ", "en": "Reference"},
    "gso_code": {"vi": "Mã thống kê", "en": "Statistics-office code"},
    "field": {"vi": "Trường", "en": "Field"},
    "type": {"vi": "Kiểu", "en": "Type"},
    "description": {"vi": "Mô tả", "en": "Description"},
    "constraints": {"vi": "Ràng buộc", "en": "Constraints"},
    "preview": {"vi": "Xem trước", "en": "Preview"},
    "schema": {"vi": "Lược đồ", "en": "Schema"},
    "rows": {"vi": "dòng", "en": "rows"},
    "latest": {"vi": "Mới nhất", "en": "Latest"},
    "headline": {"vi": "Số liệu chính", "en": "Key figures"},
    "latest_session": {"vi": "Phiên họp gần nhất", "en": "Latest session"},
    "whole_package": {"vi": "Toàn bộ gói dữ liệu", "en": "The whole data package"},
    "overview": {"vi": "Tổng quan", "en": "Overview"},
    "none": {"vi": "Chưa có số liệu nào được ghi nhận.", "en": "No figures are recorded here."},
    "reported_in": {"vi": "Nguồn đưa tin", "en": "Reported in"},
    "figures_reported": {"vi": "Số liệu được công bố", "en": "Figures reported"},
    "world_average": {"vi": "Trung bình thế giới", "en": "World average"},
    "load_with": {"vi": "Đọc bằng mã", "en": "Load it in code"},
    "all_rows_csv": {"vi": "Tất cả các dòng (CSV)", "en": "All rows (CSV)"},
    "summary": {"vi": "Tóm tắt", "en": "Summary"},
    "count_of_figures": {"vi": "Số con số", "en": "Number of figures"},
    "skip_table": {
        "vi": "Bảng đầy đủ có {n} dòng; tải tệp CSV để xem tất cả.",
        "en": "The full table has {n} rows; download the CSV to see them all.",
    },
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "higher_is_better": {"vi": "Giá trị cao hơn là tốt hơn", "en": "Higher is better"},
    "source_line": {"vi": "dòng {line}", "en": "line {line}"},
    "excel_csv": {"vi": "CSV cho Excel (UTF-8 có BOM)", "en": "CSV for Excel (UTF-8 with BOM)"},
    "excel": {"vi": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "json": {"vi": "JSON", "en": "JSON"},
    "csv": {"vi": "CSV", "en": "CSV"},
    "zip": {"vi": "Gói dữ liệu (zip)", "en": "Data package (zip)"},
    "chart_svg": {"vi": "Biểu đồ (SVG)", "en": "Chart (SVG)"},
    "chart_png": {"vi": "Biểu đồ (PNG)", "en": "Chart (PNG)"},
    "rows_csv": {"vi": "Các dòng của chỉ số này (CSV)", "en": "This indicator's rows (CSV)"},
    "rows_xlsx": {"vi": "Các dòng của chỉ số này (Excel)", "en": "This indicator's rows (Excel)"},
    "rows_metadata": {"vi": "Mô tả tệp CSV (CSVW)", "en": "What the CSV holds (CSVW)"},
    "all_in_pillar": {"vi": "Tất cả {n} chỉ số của trụ cột này", "en": "All {n} indicators of this pillar"},
    "summary_of": {
        "vi": "Bảng trên cho thấy con số mới nhất của {shown} chỉ số; tổng cộng {total} con số có trong tệp CSV.",
        "en": "The table shows the latest figure of {shown} indicators; all {total} figures are in the CSV file.",
    },
    "licence": {"vi": "Giấy phép", "en": "Licence"},
    "primary_key": {"vi": "khóa chính", "en": "primary key"},
    "required": {"vi": "bắt buộc", "en": "required"},
    "base_address": {"vi": "Địa chỉ gốc", "en": "Base address"},
    "feed_title": {"vi": "Các phiên bản dữ liệu (Atom)", "en": "Data releases (Atom)"},
    "data_changed": {"vi": "Dữ liệu của trang này thay đổi lần cuối:", "en": "Data on this page last changed:"},
    "version": {"vi": "phiên bản", "en": "version"},
    "newest_source": {"vi": "Nguồn mới nhất", "en": "Newest source"},
    "how_to_cite": {"vi": "Cách trích dẫn", "en": "How to cite"},
    "dataset": {"vi": "bộ dữ liệu", "en": "dataset"},
    "scroll_hint": {
        "vi": "Bảng rộng: vuốt sang ngang để xem hết các cột.",
        "en": "Wide table: swipe sideways to see every column.",
    },
    "table_word": {"vi": "Bảng", "en": "Table"},
    "original_address": {"vi": "Địa chỉ gốc", "en": "Original address"},
    "address_unknown": {
        "vi": "không rõ: chưa tìm được bài gốc trên mạng; con số dẫn theo bản lưu trữ dưới đây.",
        "en": "unknown: the original article has not been found online; figures cite the archived copy below.",
    },
    "no_figures_for_place": {
        "vi": "Chưa nguồn nào trong bộ dữ liệu in số liệu riêng cho {name}.",
        "en": "No source in this dataset prints a figure for {name} itself.",
    },
    "see_related_places": {
        "vi": "Số liệu của các địa bàn liên quan (số con số):",
        "en": "Figures of the related places (number of figures):",
    },
    "period_half": {"vi": "6 tháng", "en": "half-year"},
    "period_quarter": {"vi": "quý", "en": "quarter"},
    "period_month": {"vi": "tháng", "en": "month"},
    "period_day": {"vi": "ngày", "en": "day"},
    "estimate_short": {"vi": "ước", "en": "est."},
    "derived_legend": {"vi": "tính từ số liệu đã in", "en": "derived from printed figures"},
    "og_locale": {"vi": "vi_VN", "en": "en_GB"},
    "data_version_label": {"vi": "Dữ liệu phiên bản", "en": "Data version"},
    "data_and_api": {"vi": "Dữ liệu và cách dùng", "en": "Data and how to use it"},
    "chart_hint": {
        "vi": "Chạm, rê chuột hoặc dùng phím mũi tên để xem từng điểm.",
        "en": "Tap, hover or use the arrow keys to read each point.",
    },
    "search": {"vi": "Tìm kiếm", "en": "Search"},
    "search_description": {
        "vi": "Tìm chỉ số, địa bàn, nguồn và phiên họp; gõ có dấu hay không dấu đều được.",
        "en": "Find indicators, places, sources and sessions; Vietnamese names work with or without diacritics.",
    },
    "search_needs_script": {
        "vi": "Ô tìm kiếm cần JavaScript. Danh mục chỉ số, địa bàn và nguồn có ở thanh điều hướng.",
        "en": "The search box needs JavaScript. The indicator, place and source lists are in the navigation.",
    },
    "unlike_periods": {
        "vi": "* Kết quả của một phần năm (ví dụ 6 tháng) so với mục tiêu cả năm.",
        "en": "* A part-year result (for example a first half) against a full-year target.",
    },
    "latest_figure": {"vi": "Con số mới nhất", "en": "Latest figure"},
    "latest_target": {"vi": "Mục tiêu mới nhất", "en": "Latest target"},
    "more_places": {"vi": "và {n} địa bàn khác trong bảng dưới đây.", "en": "and {n} more places in the table below."},
    "attributed_to": {"vi": "Theo", "en": "According to"},
}

QUALIFIER_WORDS = {
    "approx": {"vi": "khoảng", "en": "approx."},
    "more_than": {"vi": "trên", "en": "more than"},
    "less_than": {"vi": "dưới", "en": "less than"},
    "estimate": {"vi": "ước đạt", "en": "estimate"},
}

PILLAR_NAMES = {
    "digital-government": {"vi": "Chính quyền số", "en": "Digital government"},
    "digital-economy": {"vi": "Kinh tế số", "en": "Digital economy"},
    "digital-society": {"vi": "Xã hội số", "en": "Digital society"},
    "digital-infrastructure": {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
    "project-06": {"vi": "Đề án 06", "en": "Project 06"},
}

UNIT_NAMES = {
    "percent": {"vi": "%", "en": "%"},
    "percent_change": {"vi": "% tăng", "en": "% growth"},
    "Mbps": {"vi": "Mbps", "en": "Mbps"},
    "Tbps": {"vi": "Tbps", "en": "Tbps"},
    "count": {"vi": "số lượng", "en": "count"},
    "rank": {"vi": "thứ hạng", "en": "rank"},
    "rank_change": {"vi": "bậc", "en": "places"},
    "VND": {"vi": "đồng", "en": "VND"},
    "USD": {"vi": "USD", "en": "USD"},
    "times": {"vi": "lần", "en": "times"},
}
LEVEL_NAMES = {
    "world": {"vi": "Thế giới", "en": "World"},
    "country": {"vi": "Quốc gia", "en": "Country"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
}
SCALES = {  # (threshold, vi word, en word)
    "vi": [(Decimal(10) ** 15, "triệu tỷ"), (Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu")],
    "en": [
        (Decimal(10) ** 15, "quadrillion"),
        (Decimal(10) ** 12, "trillion"),
        (Decimal(10) ** 9, "billion"),
        (Decimal(10) ** 6, "million"),
    ],
}


def t(key: str, lang: str, **values) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def number(value, lang: str, digits: int = 2) -> str:
    """71.79 -> '71,79' (vi) or '71.79' (en); 2255 -> '2.255' or '2,255'."""
    return _number(str(value), lang, digits)


@lru_cache(maxsize=65536)  # the same figures recur on many pages
def _number(value: str, lang: str, digits: int) -> str:
    """Babel's format_decimal(value, "#,##0.##", locale=lang), with the locale's symbols read from Babel
    once: formatting each figure through Babel's pattern machinery was a tenth of the pages' time at
    scale. Rounds half to even, as Babel does; tests compare the two on many values."""
    group, point, minus = _symbols(lang)
    amount = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}".replace(",", group) + (point + fraction if fraction else "")
    return (minus if amount.is_signed() else "") + text


@cache
def _symbols(lang: str) -> tuple[str, str, str]:
    return get_group_symbol(lang), get_decimal_symbol(lang), get_minus_sign_symbol(lang)


@lru_cache(maxsize=65536)  # the same figures recur on an indicator's, a place's and a source's pages
def value_text(value: float, unit: str, lang: str) -> str:
    """A value with its unit as a reader expects it: '1,9 triệu tỷ đồng', '71.79 Mbps', '42%'."""
    amount = Decimal(str(value))
    if unit == "percent":
        return f"{number(amount, lang)}%"
    if unit == "percent_change":
        return f"{'+' if amount > 0 else ''}{number(amount, lang)}%"
    if unit == "rank":
        return f"thứ {number(amount, lang)}" if lang == "vi" else f"#{number(amount, lang)}"
    if unit == "rank_change":
        sign = "+" if amount > 0 else ""
        return f"{sign}{number(amount, lang)} {UNIT_NAMES[unit][lang]}"
    scaled, word = amount, ""
    for threshold, scale_word in SCALES[lang]:
        if abs(amount) >= threshold:
            scaled, word = amount / threshold, scale_word
            break
    text = number(scaled, lang) + (f" {word}" if word else "")
    if unit == "count":
        return text
    return f"{text} {UNIT_NAMES[unit][lang]}"


def date_text(day: date, lang: str) -> str:
    return _babel_date(day, "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy", locale=lang)


@lru_cache(maxsize=65536)  # a few hundred periods recur on thousands of pages
def period_text(code: str, lang: str) -> str:
    period = read_period(code)
    kind = period_kind(code)
    year = period.year
    if kind == "year":
        return str(year)
    if kind == "half":
        first = period.start.month == 1
        if lang == "vi":
            return f"6 tháng {'đầu' if first else 'cuối'} năm {year}"
        return f"H{1 if first else 2} {year}"
    if kind == "quarter":
        quarter = (period.start.month - 1) // 3 + 1
        return f"Quý {quarter}/{year}" if lang == "vi" else f"Q{quarter} {year}"
    if kind == "month":
        if lang == "vi":
            return f"Tháng {period.start.month}/{year}"
        return _babel_date(period.start, "MMM yyyy", locale="en")
    return date_text(period.start, lang)


def qualified(value_str: str, qualifier: str, lang: str) -> str:
    if not qualifier:
        return value_str
    word = QUALIFIER_WORDS[qualifier][lang]
    return f"{word} {value_str}" if qualifier != "estimate" or lang == "vi" else f"{value_str} ({word})"


def name(row: dict, lang: str, stem: str = "name") -> str:
    return row[f"{stem}_{lang}"]
