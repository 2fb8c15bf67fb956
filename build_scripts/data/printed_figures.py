"""The numbers printed on the lines of an archived source, found and read in the source's conventions:
which are noise, which look like figures (the listing and the coverage report are in figures.py).

How a line is read, ranked and filtered:
1. Noise is claimed first as whole spans, by NOISE_PATTERNS in order (the first reason to claim a span
   keeps it): `url` (URLs, e-mails, file names), `address` (the rest of an "Địa chỉ:" line),
   `document-number` (13/2023/NĐ-CP, 749/QĐ-TTg, "Quyết định số 27", "Đề án 06"), `date` (05/12/2024,
   2022-08-08, "ngày 25/12", "Chiều 10.7", "Thứ 5,"), `time` (14:30, 14h30, GMT+7), `phone`, `counter`
   ("7,620 lượt xem", "Tổng truy cập: 158649"), `list-number` ("1." opening a line), `name` ("lần thứ
   9"), `period` ("6 tháng đầu năm", "tháng 5", "Q3") and `year` (alone or "năm 2024"); a line of only
   numbers and words like "Trang sau" is `navigation`.
2. Every other number is read in the source's conventions (conventions()), with the scale word and the
   unit or percent sign right after it and the qualifier word right before it ("ước đạt"/"estimated"
   also from up to three words back in the clause). "a/b" gives two figures, "a/b" and b. A number
   glued to letters (5G, w700) or a version (4.0) is `name` noise; a 4-digit 19xx/20xx with no signal
   is `year` noise.
3. A number with a signal (percent, unit, scale, qualifier, decimal, grouped, ratio) is *likely*, one
   without is *plain*, the rest *noise*. Listed: likely, then plain, each in reading order; noise is
   counted by reason and hidden (--all lists it last). A curated number (an observation of the source
   whose as_written, on the cited line, has its first digit there) is never hidden.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path

from ..problems import InputError, Problem

MARKS = {"vi": (".", ","), "en": (",", ".")}  # built-in (group separator, decimal mark)
SCALE_POWERS = {  # built-in scale words: the power of ten each multiplies by
    "vi": {"triệu tỷ": 15, "triệu tỉ": 15, "nghìn tỷ": 12, "nghìn tỉ": 12, "ngàn tỷ": 12, "ngàn tỉ": 12}
    | {"tỷ": 9, "tỉ": 9, "triệu": 6, "nghìn": 3, "ngàn": 3},
    "en": {"quadrillion": 15, "trillion": 12, "billion": 9, "million": 6, "thousand": 3},
}
QUALIFIER_WORDS = {  # built-in qualifier words, matched longest first
    "vi": {"approx": ("khoảng", "gần", "xấp xỉ"), "more_than": ("trên", "hơn", "vượt", "vượt quá")}
    | {"less_than": ("dưới", "chưa đến", "chưa tới"), "estimate": ("ước đạt", "ước tính")}
    | {"at_least": ("ít nhất", "tối thiểu"), "at_most": ("tối đa", "nhiều nhất", "không quá")}
    | {"top": ("top", "trong top", "tốp")},
    "en": {"approx": ("about", "around", "approximately", "nearly", "almost", "roughly", "close to")}
    | {"more_than": ("over", "more than", "above", "exceeding", "in excess of")}
    | {"less_than": ("under", "less than", "below", "fewer than"), "estimate": ("estimated", "an estimated", "est.")}
    | {"at_least": ("at least", "no fewer than", "no less than"), "at_most": ("at most", "no more than", "up to")}
    | {"top": ("top", "in the top", "among the top")},
}
REACH_WORDS = {"estimate": 3}  # words that may stand between the qualifier and its number
UNITS = "|".join(
    ["%", "‰", r"(?:đồng|VNĐ|VND|USD|EUR|Mbps|Gbps|Tbps|Kbps|MB|GB|TB|km2|km²|km|m2|m²|ha|kg|tấn|MW|GW|kWh)(?!\w)"]
    + [r"(?:lần|times|percent|phần trăm)(?!\w)"]
)
CURRENCY_BEFORE = re.compile(r"(?:US\$|\$|€|£)$")
YEAR = r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]?\d)"
PERIOD_WORDS = re.compile(
    r"(?i:\d{1,2} tháng (?:đầu|cuối) năm|\d{1,2} tháng(?= năm (?:19|20)\d\d)|\d{1,2} tháng qua"
    r"|quý (?:IV|I{1,3}|[1-4])(?!\w)|tháng (?:1[0-2]|0?[1-9])(?![\d/.,])|năm (?:19|20)\d{2}(?!\d)"
    r"|(?:first|second) half|H[12]\b|Q[1-4]\b|(?:first|second|third|fourth) quarter|first \d{1,2} months"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)|" + YEAR
)
DOCUMENT_WORDS = (
    "nghị định|nghị quyết|quyết định|chỉ thị|thông tư|công văn|đề án|luật|decree|resolution|decision|directive"
)
NOISE_PATTERNS = {  # reason: pattern; the first reason to claim a span keeps it
    "url": r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w.-]+\.(?i:mp4|jpe?g|png|pdf|docx?|html?)\b\S*",
    "address": r"(?i:địa chỉ|address)\s*:.*$",
    "document-number": r"\b\d+/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-ZĐa-z0-9-]*"
    r"|(?i:(?:" + DOCUMENT_WORDS + r"|circular|project)(?: số| no\.?)? \d+(?:/[\w-]+)*)",
    "date": r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b|(?i:\bthứ [2-7](?=,))"  # "Thứ 5,"
    r"|(?i:\b(?:ngày|sáng|chiều|trưa|tối|đêm|hôm|on) \d{1,2}[/.]\d{1,2}\b|\bngày \d{1,2} tháng \d{1,2}\b)",
    "time": r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\b\d{1,2}h\d{2}\b|(?:GMT|UTC)[+-]\d{1,2}",
    "phone": r"(?<![\w.,])(?:\+84|\(?0\d{1,4}\)?)(?:[ .-]?\d{2,4}){2,3}(?!\d)",
    "counter": r"(?i:(?:lượt xem|lượt truy cập|truy cập|views?|visitors?)\s*:?\s*\d[\d.,]*)"
    r"|(?i:\d[\d.,]*\s*(?:lượt xem|lượt truy cập|views?\b|visits?\b))",
    "list-number": r"^\s*\d{1,2}[.)](?=\s)",
    "name": r"(?i:\b(?:lần|phiên họp|kỳ họp|khóa)(?: thứ)? \d+)",
    "period": PERIOD_WORDS.pattern,
}
NOISE = tuple((reason, re.compile(pattern)) for reason, pattern in NOISE_PATTERNS.items())
NAVIGATION_WORDS = r"\d{1,3}|[«»‹›<>|…]|\.\.\.|trang (?:sau|trước|đầu|cuối|tiếp)|next|previous|prev|first|last|page|of"
NAVIGATION_LINE = re.compile(r"(?i)^(?:\s*(?:" + NAVIGATION_WORDS + r"))+\s*$")
NUMBER = r"(?<![\d.,])\d(?:(?:[\d.,]|{group}(?=\d{{3}}(?!\d)))*\d)?"  # a group mark other than . or , joins 3 digits


@dataclass(frozen=True)
class Conventions:
    """How a language prints numbers: marks, scale words (longest first), qualifier words."""

    language: str
    group: str
    decimal: str
    scale_words: tuple[tuple[str, Decimal], ...]
    qualifier_words: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass
class Figure:
    """One number printed on a line, as the curator sees it."""

    line: int
    start: int  # column of the number's first digit (0-based)
    written: str
    value: Decimal | None = None
    scale: str = ""
    qualifier: str = ""
    periods: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    noise: str = ""
    curated: list[str] = field(default_factory=list)  # indicator ids of the observations citing it
    curated_value_differs: bool = False

    @property
    def tier(self) -> str:
        if self.noise and not self.curated:
            return "noise"
        return "likely" if self.signals else "plain"


def conventions(data_dir: Path, language: str) -> Conventions:
    """A language's number conventions: DIR/site.yml `number_formats` when it gives them (key by key over
    the built-in ones), else the built-in vi and en (MARKS, SCALE_POWERS, QUALIFIER_WORDS)."""
    group, decimal = MARKS.get(language, ("", ""))
    scales = {word: Decimal(10) ** power for word, power in SCALE_POWERS.get(language, {}).items()}
    qualifiers = dict(QUALIFIER_WORDS.get(language, {}))
    file = data_dir / "site.yml"
    given = _site_number_formats(file).get(language)
    if isinstance(given, dict):
        group, decimal = str(given.get("group", group)), str(given.get("decimal", decimal))
        qualifiers = {str(q): tuple(map(str, ws)) for q, ws in (given.get("qualifier_words") or qualifiers).items()}
        try:
            scales = {str(w).casefold(): Decimal(str(f)) for w, f in (given.get("scale_words") or scales).items()}
        except ArithmeticError:
            scales = None
    if not group or not decimal or group == decimal or not isinstance(scales, dict):
        found = f"no distinct group and decimal marks, or a scale word that is not a number, for '{language}'"
        hint = f"give number_formats.{language}.group, .decimal and numeric scale_words in site.yml"
        raise InputError([Problem(str(file), None, None, "unknown-number-format", found, hint)])
    ordered = tuple(sorted(scales.items(), key=lambda item: -len(item[0])))
    return Conventions(language, group, decimal, ordered, tuple(sorted(qualifiers.items())))


def _site_number_formats(file: Path) -> dict:
    """The `number_formats` mapping of site.yml, or {} when the file or the key is absent."""
    from ..config.yamlfile import read_yaml

    value = read_yaml(file, str(file)).value if file.is_file() else {}
    return value["number_formats"] if isinstance(value, dict) and isinstance(value.get("number_formats"), dict) else {}


def find_figures(text: str, conv: Conventions) -> list[Figure]:
    """Every number of the text, line by line (numbered from 1, split at '\n' as provenance does)."""
    figures = []
    for number, line in enumerate(unicodedata.normalize("NFC", text).split("\n"), start=1):
        figures += _figures_on_line(line.rstrip("\r"), number, conv)
    return figures


def _figures_on_line(line: str, number: int, conv: Conventions) -> list[Figure]:
    """The line's noise spans with a digit, one figure each, and its other numbers read one by one."""
    spans, figures = _noise_spans(line), []
    for start, end, reason in spans:
        if digit := _number_pattern(conv).search(line, start, end):
            year = reason == "period" and re.fullmatch(r"(?i:năm )?" + YEAR, line[start:end])
            value = _read_value(digit.group(), conv)
            figures.append(Figure(number, digit.start(), line[start:end], value, noise="year" if year else reason))
    for match in _number_pattern(conv).finditer(line):
        if not _within(match.start(), [span[:2] for span in spans]):
            figures.append(_read_figure(line, number, match, conv))
    inside = [(s, e) for s, e, reason in spans if reason != "period"]  # no period words of dates, URLs, decrees
    periods = [(m.start(), m.group()) for m in PERIOD_WORDS.finditer(line) if not _within(m.start(), inside)]
    for figure in figures:  # the line's period words, nearest first
        figure.periods = tuple(dict.fromkeys(w for _, w in sorted(periods, key=lambda p: abs(p[0] - figure.start))))
    return sorted(figures, key=lambda f: f.start)


def _within(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


@lru_cache(maxsize=16)
def _number_pattern(conv: Conventions) -> re.Pattern:
    return re.compile(NUMBER.format(group=re.escape(conv.group)))


def _noise_spans(line: str) -> list[tuple[int, int, str]]:
    """Spans of noise on a line, (start, end, reason), none overlapping: the first pattern wins."""
    if NAVIGATION_LINE.match(line) and (len(re.findall(r"\d+", line)) > 1 or re.search(r"[^\d\s]", line)):
        return [(m.start(), m.end(), "navigation") for m in re.finditer(r"\d+", line)]
    spans: list[tuple[int, int, str]] = []
    for reason, pattern in NOISE:
        for m in pattern.finditer(line):
            if m.end() > m.start() and not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), reason))
    return spans


def _read_figure(line: str, number: int, match: re.Match, conv: Conventions) -> Figure:
    """The figure of one number: its value, scale, qualifier, what makes it likely, or why it is noise."""
    token, start = match.group(), match.start()
    first, end, scale, qualifier, signals = _extent(line, match, conv)
    value = _read_value(("-" if first < start and line[start - 1] in "-\u2212" else "") + token, conv)
    noise = ""
    if value is None:  # not a number in these marks: '10.7' in Vietnamese; '4.0' names a version
        signals, noise = [], "name" if re.fullmatch(r"\d\.0", token) and not signals else ""
    elif conv.decimal in token or conv.group in token:
        signals.append("decimal" if conv.decimal in token else "grouped")
    if _glued(line, first, end):
        noise = "name"
    elif not signals and re.fullmatch(YEAR, token):
        noise = "year"
    if value is not None and scale:
        with localcontext() as context:
            context.prec = 60
            value *= dict(conv.scale_words)[scale.casefold()]
    return Figure(number, start, line[first:end], value, scale, qualifier, (), tuple(signals), noise)


def _glued(line: str, first: int, end: int) -> bool:
    """A number glued to a word names something: 5G, w700, VN-31, file_2024."""
    after, before, hyphenated = line[end : end + 1], line[first - 1 : first] if first else "", line[first - 2 : first]
    return after.isalpha() or before.isalpha() or "_" in (after, before) or hyphenated[:1].isalpha() and before == "-"


def _extent(line: str, match: re.Match, conv: Conventions) -> tuple[int, int, str, str, list[str]]:
    """Where the figure as written starts and ends around its number (minus sign, qualifier and currency
    before; denominator, scale word and unit after), its scale word, qualifier and signals."""
    first, end, signals = match.start(), match.end(), []
    if first and line[first - 1] in "-\u2212" and (first < 2 or not line[first - 2].isalnum()):
        first -= 1  # a minus sign of its own, not the hyphen of "VN-31"
    if ratio := re.match(r"/(?:\d[\d.,]*\d|\d)(?![\w/])", line[end:]):
        end, signals = end + ratio.end(), ["ratio"]
    elif line[first - 1 : first] == "/" and line[first - 2 : first - 1].isdigit():
        signals = ["ratio"]
    if scale := _match_scale(line, end, conv):
        end, signals = scale.end(), signals + ["scale"]
    if unit := re.match(r"\s*(?:" + UNITS + ")", line[end:]):
        end += unit.end()
        signals.append("percent" if unit.group().strip() in ("%", "percent", "phần trăm") else "unit")
    if currency := CURRENCY_BEFORE.search(line[:first]):
        first, signals = currency.start(), signals + ["unit"]
    qualifier, qualifier_start = _qualifier_before(line[:first], conv)
    if qualifier:
        first, signals = first if qualifier_start is None else qualifier_start, signals + ["qualifier"]
    return first, end, scale.group(1) if scale else "", qualifier, signals


def _match_scale(line: str, end: int, conv: Conventions) -> re.Match | None:
    """The scale word right after position `end` (spaces allowed between), longest first."""
    words = "|".join(re.escape(w) for w, _ in conv.scale_words)
    return re.compile(r"\s*(" + words + r")(?!\w)", re.IGNORECASE).match(line, end) if words else None


def _qualifier_before(before: str, conv: Conventions) -> tuple[str, int | None]:
    """The qualifier whose word ends just before the number, with its start; or one that reaches the
    number from further back in the clause, with None (its words are not part of the figure as written)."""
    for qualifier, words in conv.qualifier_words:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        if alternatives and (near := re.search(rf"(?<!\w)(?:{alternatives})\s+$", before, re.IGNORECASE)):
            return qualifier, near.start()
    for qualifier, words in conv.qualifier_words:
        alternatives, reach = "|".join(re.escape(w) for w in words), REACH_WORDS.get(qualifier, 0)
        far = rf"(?<!\w)(?:{alternatives})(?:\s+[^\s,;:.()\[\]]+){{1,{reach}}}\s+$"
        if alternatives and reach and re.search(far, before, re.IGNORECASE):
            return qualifier, None
    return "", None


def _read_value(token: str, conv: Conventions) -> Decimal | None:
    """The number in the language's marks, or None when it is not well formed there."""
    group, decimal = re.escape(conv.group), re.escape(conv.decimal)
    if not re.fullmatch(rf"-?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{decimal}\d+)?", token):
        return None
    return Decimal(token.replace(conv.group, "").replace(conv.decimal, "."))
