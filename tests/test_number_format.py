"""Numbers are written as Babel writes them (the build formats them without Babel's pattern machinery)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from build_scripts.site.i18n import number

EDGES = ["0", "-0", "0.005", "0.015", "0.025", "-0.004", "-0.005", "2.675", "999.995", "-999.995", "1.5", "2.5"]
EDGES += ["1e-7", "-3.285255e-06", "1E+3", "123456789012345.678", "-1234.5", "1000000", "71.79", "2255"]


def random_values(count: int) -> list[str]:
    rng = random.Random(20261123)
    values = []
    for _ in range(count):
        value = Decimal(rng.randint(-(10**9), 10**9)) / Decimal(10 ** rng.choice([0, 1, 2, 3, 4, 6, 9]))
        values += [str(value), str(float(value))]
    return values


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_numbers_match_babels_format_decimal(lang, digits):
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    different = [
        (value, number(Decimal(value), lang, digits), format_decimal(Decimal(value), format=pattern, locale=lang))
        for value in EDGES + random_values(3000)
        if number(Decimal(value), lang, digits) != format_decimal(Decimal(value), format=pattern, locale=lang)
    ]
    assert not different, different[:5]


def test_vietnamese_and_english_separators():
    assert number(Decimal("2255.5"), "vi") == "2.255,5" and number(Decimal("2255.5"), "en") == "2,255.5"
    assert number(Decimal("-0.004"), "en") == "-0"  # as Babel writes a negative that rounds to zero
