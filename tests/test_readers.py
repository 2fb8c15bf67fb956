"""Property-based tests of the two readers every figure goes through: numbers and periods.

The number reader turns printed figures ("71,79 Mbps", "1,9 triệu tỷ đồng", "2,255") into exact
Decimals; the period reader turns codes (2024, 2024-H1, 2024-Q3, 2024-05, 2024-05-17) into first
and last days. Each must read back what the site (and Babel) writes, and refuse anything else
with its own error, never returning a wrong value.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest
from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from build_scripts.config.site import current  # noqa: E402
from build_scripts.data.numbers import (
    NumberFormatError,
    format_number,
    read_figure,
    read_figures,
    read_number,
)
from build_scripts.data.periods import (
    EXPECTED,
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    PeriodFormatError,
    period_kind,
    read_period,
)
from build_scripts.data.schema import PERIOD
from build_scripts.problems import shown
from build_scripts.site import i18n

# The conventions of the fixture portal's source languages (site.yml number_formats)
MARKS = {lang: (current().number_format(lang).group, current().number_format(lang).decimal) for lang in ("vi", "en")}
SCALE_WORDS = {w: f for lang in ("vi", "en") for w, f in current().number_format(lang).scale_words.items()}

settings.register_profile("readers", deadline=None, max_examples=300)
settings.load_profile("readers")

LANGS = st.sampled_from(["vi", "en"])
VI_SCALES = [w for w in SCALE_WORDS if not w.isascii()]
EN_SCALES = [w for w in SCALE_WORDS if w.isascii()]

# exact decimals: an integer of up to 20 digits shifted by 0..12 places, and Hypothesis' own decimals
DECIMALS = st.one_of(
    st.builds(lambda n, places: Decimal(n).scaleb(-places), st.integers(-(10**20), 10**20), st.integers(0, 12)),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**18), max_value=10**18),
)


def plain(value: Decimal) -> Decimal:
    """Zero has no sign worth keeping: -0 and 0 are the same figure."""
    return value + 0


# ------------------------------------------------------------------------------------ round trips


@given(DECIMALS, LANGS)
@example(Decimal("2255"), "vi")
@example(Decimal("71.79"), "vi")
@example(Decimal("-0.5"), "en")
@example(Decimal("1E+30"), "vi")
@example(Decimal("1E-30"), "en")
@example(Decimal("-0"), "vi")
@example(Decimal("45.380645201759129190497562566"), "vi")  # 29 digits: once rounded to 28
@example(Decimal("71.790"), "vi")
def test_format_number_then_read_number_gives_the_same_decimal(value, lang):
    text = format_number(value, current().number_format(lang))
    assert read_number(text, current().number_format(lang)) == value
    group, decimal = MARKS[lang]
    whole = text.lstrip("-").split(decimal)[0]
    assert all(len(part) == 3 for part in whole.split(group)[1:])  # groups of three, as printed


@given(DECIMALS.filter(lambda d: len(d.as_tuple().digits) <= 28), LANGS)
def test_babel_formatting_reads_back_exactly(value, lang):
    """What Babel writes for the locale (every decimal kept) reads back as the same number.

    Babel computes in the default decimal context, so it keeps 28 significant digits: figures have fewer.
    """
    text = format_decimal(value, locale=lang, decimal_quantization=False)
    assert read_number(text, current().number_format(lang)) == value, text


@given(DECIMALS, LANGS)
def test_babel_default_formatting_reads_back_as_the_rounded_number(value, lang):
    """Babel's default pattern keeps three decimals, rounding half to even: that is what reads back."""
    text = format_decimal(value, locale=lang)
    expected = value.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    assert read_number(text, current().number_format(lang)) == plain(expected), text


@given(DECIMALS, st.sampled_from(list(SCALE_WORDS)), st.sampled_from(["", " đồng", " người", "%", ".", " USD"]))
def test_a_number_with_a_scale_word_reads_as_number_times_scale(value, word, tail):
    lang = "en" if word.isascii() else "vi"
    text = f"{format_number(value, current().number_format(lang))} {word}{tail}"
    with localcontext() as exact:
        exact.prec = 100  # the expected product, without rounding to 28 digits
        expected = value * SCALE_WORDS[word]
    assert read_figure(text, current().number_format(lang)) == expected, text
    assert read_figure(f"đạt {text}", current().number_format(lang)) == expected  # words before the number


@given(st.decimals(min_value=0, max_value=10**18, places=2, allow_nan=False, allow_infinity=False), LANGS)
def test_every_figure_the_site_prints_reads_back(value, lang):
    """i18n.value_text writes '1,9 triệu tỷ' or '1.9 quadrillion': the reader must know every word it uses."""
    text = i18n.value_text(value, "count", lang)
    threshold = next((t for t, _ in i18n.scales(lang) if value >= t), Decimal(1))
    shown = (value / threshold).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    assert read_figure(text, current().number_format(lang)) == shown * threshold, text


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("71,79 Mbps", "vi", Decimal("71.79")),
        ("2.255", "vi", Decimal(2255)),
        ("1,9 triệu tỷ đồng", "vi", Decimal("1.9E15")),
        ("1,9 triệu tỉ đồng", "vi", Decimal("1.9E15")),
        ("40 triệu", "vi", Decimal("4E7")),
        ("3,5 nghìn tỷ", "vi", Decimal("3.5E12")),
        ("12 ngàn", "vi", Decimal(12000)),
        ("2 Tỷ", "vi", Decimal("2E9")),
        ("1.9 quadrillion VND", "en", Decimal("1.9E15")),
        ("2,255 procedures", "en", Decimal(2255)),
        ("4.5 Million", "en", Decimal("4.5E6")),
        ("-5%", "vi", Decimal(-5)),
        ("\u22121,5 triệu", "vi", Decimal("-1.5E6")),
        ("2020-2025", "vi", Decimal(2020)),
        ("VN-31: 45%", "vi", Decimal(31)),
        ("45%.", "vi", Decimal(45)),
        ("9/12", "vi", Decimal(9)),
        ("20Tbps", "vi", Decimal(20)),
        ("tri\u0301ê\u0323u", "vi", None),  # NFD text without a number
    ],
)
def test_read_figure_on_what_sources_print(text, lang, expected):
    if expected is None:
        with pytest.raises(NumberFormatError):
            read_figure(text, current().number_format(lang))
    else:
        assert read_figure(text, current().number_format(lang)) == expected


def test_nfd_scale_words_are_read_like_nfc():
    import unicodedata

    assert read_figure(unicodedata.normalize("NFD", "1,9 triệu tỷ đồng"), current().number_format("vi")) == Decimal(
        "1.9E15"
    )


# --------------------------------------------------------------------------------- malformed text


MALFORMED = {
    "vi": [
        "1.23",
        "1,2,3",
        "12.34.5",
        "",
        "abc",
        "1.2345",
        "1,234.5",
        "1.23,4",
        " 12",
        "12 ",
        "--1",
        "1..2",
        ",5",
        "5,",
        ".5",
        "5.",
        "+5",
        "1.234.56",
        "12.345,",
        "1,2.345",
        "0x10",
        "1e5",
        "١٢",
        "NaN",
        "Infinity",
    ],
    "en": [
        "1,23",
        "1.2.3",
        "12,34,5",
        "",
        "abc",
        "1,2345",
        "1.234,5",
        "1,23.4",
        " 12",
        "--1",
        "1,,2",
        ".5,",
        "5.",
        "+5",
        "1,234,56",
        "1e5",
        "NaN",
        "inf",
    ],
}


@pytest.mark.parametrize("lang, text", [(lang, text) for lang, texts in MALFORMED.items() for text in texts])
def test_malformed_numbers_raise_number_format_error(lang, text):
    with pytest.raises(NumberFormatError, match=re.escape(f"'{text}' is not a number in the source's format")):
        read_number(text, current().number_format(lang))


@pytest.mark.parametrize("text", ["", "abc", "không có số", "1.23 triệu", "12.34.5 tỷ", "1,2,3%", "-"])
def test_malformed_figures_raise_number_format_error(text):
    with pytest.raises(NumberFormatError):
        read_figure(text, current().number_format("vi"))


def reference_reading(text: str, lang: str) -> Decimal | None:
    """An independent reading by splitting, not by regular expression: None when malformed."""
    group, decimal = MARKS[lang]
    body = text[1:] if text.startswith("-") else text
    whole, has_decimal, fraction = body.partition(decimal)
    groups = whole.split(group)
    digits = set("0123456789")
    if not all(part and set(part) <= digits for part in groups):
        return None
    if has_decimal and not (fraction and set(fraction) <= digits):
        return None
    if len(groups) > 1 and not (len(groups[0]) <= 3 and all(len(part) == 3 for part in groups[1:])):
        return None
    return Decimal(("-" if text.startswith("-") else "") + "".join(groups) + ("." + fraction if has_decimal else ""))


NUMBERISH = st.text(alphabet="0123456789.,-", max_size=14) | st.builds(
    lambda parts, seps: "".join(p + s for p, s in zip(parts, seps)),
    st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.sampled_from([".", ",", ""]), min_size=5, max_size=5),
)


@given(NUMBERISH, LANGS)
@example("1.23", "vi")
@example("1,2,3", "vi")
@example("12.34.5", "vi")
@example("1.234", "vi")
@example("1.234", "en")
def test_read_number_gives_the_right_number_or_refuses(text, lang):
    """Never a wrong number: either exactly what the text says, or NumberFormatError."""
    expected = reference_reading(text, lang)
    if expected is None:
        with pytest.raises(NumberFormatError):
            read_number(text, current().number_format(lang))
    else:
        assert read_number(text, current().number_format(lang)) == expected


@given(st.text(max_size=30), LANGS)
def test_read_figure_on_any_text_returns_a_number_or_raises_number_format_error(text, lang):
    try:
        value = read_figure(text, current().number_format(lang))
    except NumberFormatError:
        return
    assert isinstance(value, Decimal) and value.is_finite()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("-Infinity")])
def test_format_number_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(NumberFormatError, match="not a finite number"):
        format_number(value, current().number_format("vi"))


# ------------------------------------------------------------------------------------------ periods

YEARS = st.integers(FIRST_YEAR, LAST_YEAR)  # the years a period may name


@st.composite
def period_codes(draw) -> str:
    year = draw(YEARS)
    kind = draw(st.sampled_from(["year", "half", "quarter", "month", "day"]))
    if kind == "year":
        return f"{year:04d}"
    if kind == "half":
        return f"{year:04d}-H{draw(st.integers(1, 2))}"
    if kind == "quarter":
        return f"{year:04d}-Q{draw(st.integers(1, 4))}"
    month = draw(st.integers(1, 12))
    if kind == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{draw(st.integers(1, calendar.monthrange(year, month)[1])):02d}"


def code_of(period: Period, kind: str) -> str:
    """The code written back from the first and last day alone."""
    start = period.start
    return {
        "year": f"{start.year:04d}",
        "half": f"{start.year:04d}-H{1 if start.month == 1 else 2}",
        "quarter": f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}",
        "month": f"{start.year:04d}-{start.month:02d}",
        "day": start.isoformat(),
    }[kind]


@given(period_codes())
@example("2024-02-29")
@example("2000-02-29")
@example("1900-01-01")
@example("2099-12-31")
@example("2024-H2")
def test_every_valid_period_code_round_trips(code):
    period = read_period(code)
    kind = period_kind(code)
    assert period.code == code
    assert code_of(period, kind) == code  # code -> Period -> code
    assert period.start <= period.midpoint <= period.end
    assert re.match(PERIOD, code), "the schema's pattern must accept every readable code"


@given(period_codes())
def test_a_period_covers_exactly_its_days(code):
    period, kind = read_period(code), period_kind(code)
    start, end = period.start, period.end
    assert start.year == end.year == int(code[:4])
    days = (end - start).days + 1
    months = {"year": 12, "half": 6, "quarter": 3, "month": 1}.get(kind)
    expected_days = sum(calendar.monthrange(start.year, start.month + i)[1] for i in range(months)) if months else 1
    assert days == expected_days
    assert start.day == 1 or kind == "day"
    assert end.day == calendar.monthrange(end.year, end.month)[1] or kind == "day"  # the last day of a month


@given(period_codes(), period_codes())
def test_periods_sort_by_their_first_then_last_day(a, b):
    pa, pb = read_period(a), read_period(b)
    if (pa.start, pa.end) < (pb.start, pb.end):
        assert pa < pb


MALFORMED_PERIODS = [
    "2024-H3",
    "2024-13",
    "2023-02-30",
    "24",
    "2024-Q5",
    "2024-1",
    "2024-H0",
    "2024-Q0",
    "2024-00",
    "2024-02-00",
    "2023-02-29",
    "1900-02-29",
    "1899",
    "0000",
    "2024-",
    "2024-h1",
    "2024 ",
    " 2024",
    "2024\n",
    "2024-5-1",
    "2024/05",
    "20245",
    "2024-W12",
    "",
    "Q1 2024",
]


@pytest.mark.parametrize("code", MALFORMED_PERIODS)
def test_malformed_period_codes_raise_with_the_expected_formats(code):
    with pytest.raises(PeriodFormatError) as error:
        read_period(code)
    assert EXPECTED in str(error.value), str(error.value)
    assert shown(code) in str(error.value)  # the code as messages show it: one line, control characters escaped


def real_period(text: str) -> bool:
    """An independent judgement of a code: one of the forms, a real date, from 1900 to 2099."""
    forms = [r"(\d{4})", r"(\d{4})-H([12])", r"(\d{4})-Q([1-4])", r"(\d{4})-(\d{2})", r"(\d{4})-(\d{2})-(\d{2})"]
    for number, form in enumerate(forms):
        match = re.fullmatch(form, text, re.ASCII)
        if match:
            year = int(match[1])
            if not 1900 <= year <= 2099:
                return False
            if number == 3:
                return 1 <= int(match[2]) <= 12
            if number == 4:
                try:
                    date(year, int(match[2]), int(match[3]))
                except ValueError:
                    return False
            return True
    return False


@given(st.text(alphabet="0123456789-HQ", max_size=11) | period_codes().map(lambda c: c[:-1] + "9"))
@example("2024-02-30")
def test_any_text_is_a_period_or_a_period_format_error(text):
    if real_period(text):
        assert read_period(text).code == text
    else:
        with pytest.raises(PeriodFormatError, match=re.escape(EXPECTED)):
            read_period(text)


# ------------------------------------------------------------------ the column reader agrees with it


def figure_texts():
    """Figures as sources print them: words, a sign, a number, a scale word, a unit; sometimes in NFD."""
    import unicodedata

    lang_texts = st.builds(
        lambda value, word, before, after, lang: (
            f"{before}{format_number(value, current().number_format(lang))}{word}{after}",
            lang,
        ),
        DECIMALS,
        st.sampled_from([""] + [f" {w}" for w in SCALE_WORDS] + [f" {w.upper()}" for w in SCALE_WORDS]),
        st.sampled_from(["", "đạt ", "khoảng ", "-", "VN-", "2024: ", "(", "x"]),
        st.sampled_from(["", "%", " đồng", ".", ",", " Mbps", "-2025", "tỷ"]),
        LANGS,
    )
    nfd = lang_texts.map(lambda pair: (unicodedata.normalize("NFD", pair[0]), pair[1]))
    return st.one_of(lang_texts, nfd, st.tuples(st.text(max_size=20), LANGS))


@given(st.lists(figure_texts(), min_size=1, max_size=12))
@example([("1,9 triệu tỷ đồng", "vi"), ("-5%", "vi"), ("1.23 triệu", "vi"), ("abc", "vi")])
def test_read_figures_agrees_with_read_figure(pairs):
    import math

    import pandas as pd

    for lang in ("vi", "en"):
        texts = [text for text, text_lang in pairs if text_lang == lang]
        if not texts:
            continue
        values = read_figures(pd.Series(texts, dtype=object), current().number_format(lang))
        for text, value in zip(texts, values):
            try:
                expected = read_figure(text, current().number_format(lang))
            except NumberFormatError:
                assert math.isnan(value), (text, value)
                continue
            assert math.isclose(value, float(expected), rel_tol=1e-12), (text, value, expected)
