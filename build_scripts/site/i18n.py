"""Words and number, date and period formats of each site language (Vietnamese first).

Numbers and dates are formatted by Babel with the locale's own symbols.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from ..config.site import current
from ..data.periods import period_kind, read_period


def languages() -> tuple[str, ...]:
    return current().languages


def default_language() -> str:
    return current().languages[0]


def t(key: str, lang: str, **values) -> str:
    text = current().texts[lang][key]
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


def value_text(value: float, unit: str, lang: str) -> str:
    """A value with its unit as a reader expects it: '1,9 triệu tỷ đồng', '71.79 Mbps', '42%'."""
    return _value_text(value, unit, lang, current())


@lru_cache(maxsize=65536)  # the same figures recur on an indicator's, a place's and a source's pages
def _value_text(value: float, unit_id: str, lang: str, config) -> str:
    amount = Decimal(str(value))
    unit = config.units[unit_id]
    scaled, word = amount, ""
    if unit.scaled:
        for power, scale_word in config.texts[lang]["number_scales"]:
            threshold = Decimal(10) ** power
            if abs(amount) >= threshold:
                scaled, word = amount / threshold, scale_word
                break
    text = number(scaled, lang) + (f" {word}" if word else "")
    if unit.signed and amount > 0:
        text = f"+{text}"
    return unit.formats[lang].format(value=text, name=unit.names[lang])


def unit_name(unit: str, lang: str) -> str:
    return current().units[unit].names[lang]


def topic_name(topic: str, lang: str) -> str:
    return current().topics[topic][lang]


def level_name(level: str, lang: str) -> str:
    return current().levels[level].names[lang]


def scales(lang: str) -> list[tuple[Decimal, str]]:
    """(threshold, word) of the scale words a language writes large numbers with, largest first."""
    return [(Decimal(10) ** power, word) for power, word in current().texts[lang]["number_scales"]]


def date_text(day: date, lang: str) -> str:
    return _babel_date(day, current().texts[lang]["date_format"], locale=lang)


def period_text(code: str, lang: str) -> str:
    return _period_text(code, lang, current())


@lru_cache(maxsize=65536)  # a few hundred periods recur on thousands of pages
def _period_text(code: str, lang: str, config) -> str:
    period = read_period(code)
    kind = period_kind(code)
    year = period.year
    words = config.texts[lang]
    if kind == "year":
        return str(year)
    if kind == "half":
        return words["period_text_half_1" if period.start.month == 1 else "period_text_half_2"].format(year=year)
    if kind == "quarter":
        return words["period_text_quarter"].format(quarter=(period.start.month - 1) // 3 + 1, year=year)
    if kind == "month":
        return _babel_date(period.start, words["month_format"], locale=lang)
    return _babel_date(period.start, words["date_format"], locale=lang)


def qualified(value_str: str, qualifier: str, lang: str, amount=None, key: str = "qualified") -> str:
    """A value in words with how its source qualified it ('trên 55,25 triệu'); the text may name the
    value with its unit ({value}) or the bare number ({number}: 'trong top 10')."""
    if not qualifier:
        return value_str
    bare = "" if amount is None else number(amount, lang)
    return current().texts[lang][f"{key}_{qualifier}"].format(value=value_str, number=bare)


def name(row: dict, lang: str, stem: str = "name") -> str:
    return row[f"{stem}_{lang}"]
