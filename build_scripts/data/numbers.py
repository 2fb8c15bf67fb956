"""Read figures as printed in a source into exact numbers, in the conventions of the source's language.

Each language's conventions are a NumberFormat of site.yml (number_formats): its thousands separator
and decimal mark (in Vietnamese ',' is the decimal mark and '.' groups thousands: "71,79" is 71.79,
"2.255" is 2255; English is the reverse), and its scale words, which multiply the number they follow
("1,9 triệu tỷ đồng" is 1.9 x 10^15). Anything that is not a well-formed number raises
NumberFormatError rather than returning a wrong value.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from ..config.site import NumberFormat
from ..problems import shown

# A minus sign (hyphen-minus or U+2212) belongs to the number unless it joins two words or numbers
# ("-5%" is minus five; "2020-2025" and "VN-31" are not negative).
_NUMBER_TOKEN = re.compile(r"(?:(?<![\w.,])[-\u2212])?[0-9][0-9.,]*")  # ASCII digits: '١٢' is no figure


@lru_cache(maxsize=64)
def _scale_after(convention: NumberFormat) -> re.Pattern | None:
    if not convention.scale_words:
        return None
    return re.compile(r"\s*(" + convention.scale_pattern + r")(?!\w)", re.IGNORECASE)


def _scale_factor(convention: NumberFormat, word: str) -> Decimal:
    folded = {w.casefold(): f for w, f in convention.scale_words.items()}
    return folded[word.casefold()]


class NumberFormatError(ValueError):
    """Text that does not hold a well-formed number."""


def read_number(text: str, convention: NumberFormat) -> Decimal:
    """Read one bare number such as '2.255' or '71,79' (vi) or '2,255' / '71.79' (en)."""
    group, decimal = convention.group, convention.decimal
    pattern = r"-?([0-9]{1,3}(" + re.escape(group) + r"[0-9]{3})+|[0-9]+)(" + re.escape(decimal) + r"[0-9]+)?"
    if not re.fullmatch(pattern, text):
        raise NumberFormatError(
            f"'{shown(text)}' is not a number in the source's format (thousands separator '{group}' "
            f"between groups of three digits, decimal mark '{decimal}')"
        )
    return Decimal(text.replace(group, "").replace(decimal, "."))


def read_figure(as_written: str, convention: NumberFormat) -> Decimal:
    """Read the first number in printed text and apply the scale word that follows it."""
    text = unicodedata.normalize("NFC", as_written)
    match = _NUMBER_TOKEN.search(text)
    if match is None:
        raise NumberFormatError(f"no number in '{shown(as_written)}'")
    token = match.group().rstrip(".,")  # a full stop or comma after the number is punctuation
    number = read_number(token.replace("\u2212", "-"), convention)
    pattern = _scale_after(convention)
    scale = pattern.match(text, match.start() + len(token)) if pattern else None
    if scale:
        number = _times_power_of_ten(number, _scale_factor(convention, scale.group(1)).adjusted())
    return number


def _times_power_of_ten(number: Decimal, power: int) -> Decimal:
    """number x 10^power, exactly (Decimal arithmetic would round to 28 digits)."""
    sign, digits, exponent = number.as_tuple()
    return Decimal((sign, digits, exponent + power))


def format_number(value: Decimal | int | float, convention: NumberFormat) -> str:
    """Write a number the way read_number reads it back (used for round trips and file names)."""
    group, decimal = convention.group, convention.decimal
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
@lru_cache(maxsize=64)
def _figure_pattern(convention: NumberFormat) -> re.Pattern:
    scale = r"(?:\s*(?P<scale>" + convention.scale_pattern + r")(?!\w))?" if convention.scale_words else ""
    return re.compile(r"(?:(?<![\w.,])(?P<sign>[-\u2212]))?(?P<number>[0-9](?:[0-9.,]*[0-9])?)" + scale, re.IGNORECASE)


def read_figures(texts, convention: NumberFormat):
    """read_figure for a pandas Series of text, as floats (NaN where the text holds no well-formed figure).

    Each distinct text is read once: a long column repeats its figures (1.3 M observations hold 134,000
    distinct as_written), and the regular expressions and the three columns they extract are most of
    the cost, in time and in memory.
    """
    import pandas as pd

    codes, distinct = pd.factorize(texts, use_na_sentinel=False)  # a missing value is read like any other
    return _read_each_figure(pd.Series(distinct), convention)[codes]


def _read_each_figure(texts, convention: NumberFormat):
    """read_figures' reading, text by text (no two alike, when read_figures calls it)."""
    import numpy as np
    import pandas as pd

    group, decimal = convention.group, convention.decimal
    bare = r"([0-9]{1,3}(" + re.escape(group) + r"[0-9]{3})+|[0-9]+)(" + re.escape(decimal) + r"[0-9]+)?"
    # NFD 'tỷ' is still tỷ, as in read_figure
    parts = texts.astype(str).str.normalize("NFC").str.extract(_figure_pattern(convention))
    number = parts["number"]
    valid = number.str.fullmatch(bare).astype("boolean").fillna(False).to_numpy(dtype=bool)
    plain = number.str.replace(group, "", regex=False).str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(plain.where(valid), errors="coerce").to_numpy(dtype=float)
    sign = np.where(parts["sign"].notna().to_numpy(), -1.0, 1.0)
    factors = {word.casefold(): float(factor) for word, factor in convention.scale_words.items()}
    scale = (
        parts["scale"].str.casefold().map(factors).fillna(1.0).to_numpy(dtype=float)
        if "scale" in parts
        else np.ones(len(parts))
    )
    return values * sign * scale
