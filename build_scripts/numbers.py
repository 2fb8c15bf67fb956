"""Read figures as printed in Vietnamese (or English) text into exact numbers.

Vietnamese conventions: ',' is the decimal mark and '.' groups thousands
("71,79" is 71.79, "2.255" is 2255); English is the reverse. A scale word
after the number multiplies it: "1,9 triệu tỷ đồng" is 1.9 x 10^15.
Anything that is not a well-formed number raises NumberFormatError rather
than returning a wrong value.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

SCALE_WORDS = {  # longest first, so "triệu tỷ" wins over "triệu"
    "triệu tỷ": Decimal(10) ** 15,
    "nghìn tỷ": Decimal(10) ** 12,
    "ngàn tỷ": Decimal(10) ** 12,
    "tỷ": Decimal(10) ** 9,
    "triệu": Decimal(10) ** 6,
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3,
}
MARKS = {"vi": (".", ","), "en": (",", ".")}  # (group separator, decimal mark)

_NUMBER_TOKEN = re.compile(r"\d[\d.,]*")
_SCALE = re.compile(r"\s*(" + "|".join(sorted(SCALE_WORDS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


class NumberFormatError(ValueError):
    """Text that does not hold a well-formed number."""


def read_number(text: str, lang: str = "vi") -> Decimal:
    """Read one bare number such as '2.255' or '71,79' (vi) or '2,255' / '71.79' (en)."""
    group, decimal = MARKS[lang]
    pattern = r"-?(\d{1,3}(" + re.escape(group) + r"\d{3})+|\d+)(" + re.escape(decimal) + r"\d+)?"
    if not re.fullmatch(pattern, text):
        raise NumberFormatError(
            f"'{text}' is not a number in {lang} format (thousands separator '{group}' "
            f"between groups of three digits, decimal mark '{decimal}')"
        )
    return Decimal(text.replace(group, "").replace(decimal, "."))


def read_figure(as_written: str, lang: str = "vi") -> Decimal:
    """Read the first number in printed text and apply the scale word that follows it."""
    text = unicodedata.normalize("NFC", as_written)
    match = _NUMBER_TOKEN.search(text)
    if match is None:
        raise NumberFormatError(f"no number in '{as_written}'")
    token = match.group().rstrip(".,")  # a full stop or comma after the number is punctuation
    number = read_number(token, lang)
    scale = _SCALE.match(text, match.start() + len(token))
    if scale:
        number *= SCALE_WORDS[scale.group(1).casefold()]
    return number


def format_number(value: Decimal | int | float, lang: str = "vi") -> str:
    """Write a number the way read_number reads it back (used for round trips and file names)."""
    group, decimal = MARKS[lang]
    value = Decimal(str(value)).normalize()
    sign, digits, exponent = value.as_tuple()
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    out = grouped + (decimal + fraction if fraction else "")
    return ("-" if sign and value != 0 else "") + out


def same_value(recorded: float, printed: Decimal) -> bool:
    """True when a recorded float equals the printed number (to 1e-9 relative)."""
    recorded_dec = Decimal(repr(recorded))
    tolerance = max(abs(printed), Decimal(1)) * Decimal("1e-9")
    return abs(recorded_dec - printed) <= tolerance
