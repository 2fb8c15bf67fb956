"""Read figures as printed in Vietnamese (or English) text into exact numbers.

Vietnamese conventions: ',' is the decimal mark and '.' groups thousands
("71,79" is 71.79, "2.255" is 2255); English is the reverse. A scale word
after the number multiplies it: "1,9 triệu tỷ đồng" is 1.9 x 10^15.
Anything that is not a well-formed number raises NumberFormatError rather
than returning a wrong value.

Both spellings of the Vietnamese billion are read ("tỷ" and "tỉ"), and every
scale word the site itself prints (i18n.SCALES, "quadrillion" included), so
that a figure written by the site reads back as the same number.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .problems import shown

SCALE_WORDS = {  # matched longest first, so "triệu tỷ" wins over "triệu"
    "triệu tỷ": Decimal(10) ** 15,
    "triệu tỉ": Decimal(10) ** 15,
    "nghìn tỷ": Decimal(10) ** 12,
    "nghìn tỉ": Decimal(10) ** 12,
    "ngàn tỷ": Decimal(10) ** 12,
    "ngàn tỉ": Decimal(10) ** 12,
    "tỷ": Decimal(10) ** 9,
    "tỉ": Decimal(10) ** 9,
    "triệu": Decimal(10) ** 6,
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "quadrillion": Decimal(10) ** 15,
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3,
}
MARKS = {"vi": (".", ","), "en": (",", ".")}  # (group separator, decimal mark)

# A minus sign (hyphen-minus or U+2212) belongs to the number unless it joins two words or numbers
# ("-5%" is minus five; "2020-2025" and "VN-31" are not negative).
_NUMBER_TOKEN = re.compile(r"(?:(?<![\w.,])[-\u2212])?[0-9][0-9.,]*")  # ASCII digits: '١٢' is no figure
_SCALE = re.compile(r"\s*(" + "|".join(sorted(SCALE_WORDS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


class NumberFormatError(ValueError):
    """Text that does not hold a well-formed number."""


def read_number(text: str, lang: str = "vi") -> Decimal:
    """Read one bare number such as '2.255' or '71,79' (vi) or '2,255' / '71.79' (en)."""
    group, decimal = MARKS[lang]
    pattern = r"-?([0-9]{1,3}(" + re.escape(group) + r"[0-9]{3})+|[0-9]+)(" + re.escape(decimal) + r"[0-9]+)?"
    if not re.fullmatch(pattern, text):
        raise NumberFormatError(
            f"'{shown(text)}' is not a number in {lang} format (thousands separator '{group}' "
            f"between groups of three digits, decimal mark '{decimal}')"
        )
    return Decimal(text.replace(group, "").replace(decimal, "."))


def read_figure(as_written: str, lang: str = "vi") -> Decimal:
    """Read the first number in printed text and apply the scale word that follows it."""
    text = unicodedata.normalize("NFC", as_written)
    match = _NUMBER_TOKEN.search(text)
    if match is None:
        raise NumberFormatError(f"no number in '{shown(as_written)}'")
    token = match.group().rstrip(".,")  # a full stop or comma after the number is punctuation
    number = read_number(token.replace("\u2212", "-"), lang)
    scale = _SCALE.match(text, match.start() + len(token))
    if scale:
        number = _times_power_of_ten(number, SCALE_WORDS[scale.group(1).casefold()].adjusted())
    return number


def _times_power_of_ten(number: Decimal, power: int) -> Decimal:
    """number x 10^power, exactly (Decimal arithmetic would round to 28 digits)."""
    sign, digits, exponent = number.as_tuple()
    return Decimal((sign, digits, exponent + power))


def format_number(value: Decimal | int | float, lang: str = "vi") -> str:
    """Write a number the way read_number reads it back (used for round trips and file names)."""
    group, decimal = MARKS[lang]
    value = Decimal(str(value))  # exact: normalize() would round to the context's 28 digits
    if not value.is_finite():
        raise NumberFormatError(f"{value} is not a finite number")
    sign = value.is_signed()
    text = f"{value.copy_abs():f}"  # copy_abs, not abs(): abs() rounds too
    if "." in text:
        text = text.rstrip("0").rstrip(".")  # 71.790 is written 71,79
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    out = grouped + (decimal + fraction if fraction else "")
    return ("-" if sign and value != 0 else "") + out


def same_value(recorded: float, printed: Decimal) -> bool:
    """True when a recorded float equals the printed number (to 1e-9 relative)."""
    recorded_dec = Decimal(repr(recorded))
    tolerance = max(abs(printed), Decimal(1)) * Decimal("1e-9")
    return abs(recorded_dec - printed) <= tolerance


# The same reading for a whole column at once (validation of large tables): a figure's first number,
# its sign and its scale word in one regular expression, then arithmetic on arrays. Rows it cannot
# read come back as NaN, and the validator reads those again with read_figure for the exact message.
_FIGURE = re.compile(
    r"(?:(?<![\w.,])(?P<sign>[-\u2212]))?(?P<number>[0-9](?:[0-9.,]*[0-9])?)"
    r"(?:\s*(?P<scale>" + "|".join(sorted(SCALE_WORDS, key=len, reverse=True)) + r")(?!\w))?",
    re.IGNORECASE,
)
_SCALE_FLOATS = {word.casefold(): float(factor) for word, factor in SCALE_WORDS.items()}


def read_figures(texts, lang: str = "vi"):
    """read_figure for a pandas Series of text, as floats (NaN where the text holds no well-formed figure).

    Each distinct text is read once: a long column repeats its figures (1.3 M observations hold 134,000
    distinct as_written), and the regular expressions and the three columns they extract are most of
    the cost, in time and in memory.
    """
    import pandas as pd

    codes, distinct = pd.factorize(texts, use_na_sentinel=False)  # a missing value is read like any other
    return _read_each_figure(pd.Series(distinct), lang)[codes]


def _read_each_figure(texts, lang: str):
    """read_figures' reading, text by text (no two alike, when read_figures calls it)."""
    import numpy as np
    import pandas as pd

    group, decimal = MARKS[lang]
    bare = r"([0-9]{1,3}(" + re.escape(group) + r"[0-9]{3})+|[0-9]+)(" + re.escape(decimal) + r"[0-9]+)?"
    parts = texts.astype(str).str.normalize("NFC").str.extract(_FIGURE)  # NFD 'tỷ' is still tỷ, as in read_figure
    number = parts["number"]
    valid = number.str.fullmatch(bare).astype("boolean").fillna(False).to_numpy(dtype=bool)
    plain = number.str.replace(group, "", regex=False).str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(plain.where(valid), errors="coerce").to_numpy(dtype=float)
    sign = np.where(parts["sign"].notna().to_numpy(), -1.0, 1.0)
    scale = parts["scale"].str.casefold().map(_SCALE_FLOATS).fillna(1.0).to_numpy(dtype=float)
    return values * sign * scale
