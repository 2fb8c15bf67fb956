"""Each figure's qualifier against the words its source printed (observations.csv qualifier, as_written):
a qualifier says what the printed words say, read in the source language's number_formats
qualifier_words. And a position (an ordinal unit, where 1 ranks first) takes only the qualifiers that
can be said of a position: "top 10" is 10th or better, never "less than 10th".

Rules: `qualifier-matches-as-written` (a qualifier whose words the figure does not print, or printed
words the figure's qualifier leaves out) and `qualifier-for-unit`. Derived figures are not checked:
their as_written is what they are worked out from, not the figure itself."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..config.site import ORDINAL_QUALIFIERS, NumberFormat, SiteConfig
from ..problems import Problem, shown

FIRST_DIGIT = re.compile(r"\d")


def printed_qualifiers(written: str, number_format: NumberFormat) -> dict[str, str]:
    """The qualifiers whose words the text prints before its first number, each with the word found
    ("trên 2.100" -> {"more_than": "trên"}); a longer word claims its span first ("no less than" is not
    "less than")."""
    digit = FIRST_DIGIT.search(written)
    before = written[: digit.start()] if digit else written
    found, claimed = {}, []
    if not before.strip():  # nothing printed before the number (most figures): no word to find
        return found
    for pattern, qualifier in _word_patterns(number_format):
        for match in pattern.finditer(before):
            if not any(match.start() < end and start < match.end() for start, end in claimed):
                claimed.append(match.span())
                found.setdefault(qualifier, match.group(0))
    return found


@lru_cache(maxsize=64)
def _word_patterns(number_format: NumberFormat) -> tuple[tuple[re.Pattern, str], ...]:
    """Each qualifier word as a whole word, case aside, with its qualifier: the longest words first."""
    pairs = [(word, q) for q, words in number_format.qualifier_words.items() for word in words]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return tuple((re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE), q) for word, q in pairs)


def check_qualifiers(
    file: str, frame, numbers: np.ndarray, units: dict[str, str], languages, config: SiteConfig
) -> list[Problem]:
    """The two rules over the observations; `languages` is each row's source language."""
    ordinal = {unit_id for unit_id, unit in config.units.items() if unit.ordinal}
    derived = (frame["is_derived"] == "true").to_numpy()
    qualifiers, written = frame["qualifier"].to_numpy(dtype=object), frame["as_written"].to_numpy(dtype=object)
    unit_of = frame["indicator_id"].map(units).to_numpy(dtype=object)
    checked = np.flatnonzero(~derived)
    # Each distinct (qualifier, as_written, language, unit) is judged once, with each word's pattern compiled
    # once: row by row, the domain rules took 21.5 s of the benchmark's L data (1.28 million rows), most of
    # a one-change build's wait for its checks; now 2.7 s. The rows with a problem are few.
    combos = list(zip(qualifiers[checked], written[checked], languages[checked], unit_of[checked]))
    judged = {combo: _judge(*combo, config, ordinal) for combo in dict.fromkeys(combos)}
    problems = []
    for index, combo in zip(checked, combos):
        found = judged[combo]
        if found:
            row = int(numbers[index])
            problems += [Problem(file, row, "qualifier", rule, *texts) for rule, texts in found]
    return problems


def _judge(qualifier: str, text: str, language: str, unit, config: SiteConfig, ordinal: set) -> list[tuple]:
    """The (rule, (message, hint)) of one figure's qualifier, in the order they are reported."""
    found = []
    unit_problem = _unit_problem(qualifier, str(unit), unit in ordinal)
    if unit_problem:
        found.append(("qualifier-for-unit", unit_problem))
    if text:
        problem = _mismatch(qualifier, text, config.number_format(language))
        if problem:
            found.append(("qualifier-matches-as-written", problem))
    return found


def _unit_problem(qualifier: str, unit: str, ordinal: bool) -> tuple[str, str] | None:
    """A position takes only the qualifiers that can be said of one; 'top' is said only of a position."""
    if qualifier and ordinal and qualifier not in ORDINAL_QUALIFIERS:
        return (
            f"'{qualifier}' of a position (unit '{shown(unit)}', where 1 ranks first) says neither better nor worse",
            f"a position takes one of {', '.join(ORDINAL_QUALIFIERS)}: top for 'N or better'",
        )
    if qualifier == "top" and not ordinal:
        return (
            f"'top' qualifies a position, and unit '{shown(unit)}' is not ordinal",
            "use more_than or at_least for an amount",
        )
    return None


def _mismatch(qualifier: str, written: str, number_format: NumberFormat) -> tuple[str, str] | None:
    printed = printed_qualifiers(written, number_format)
    said = ", ".join(f"'{word}' ({q})" for q, word in printed.items())
    if qualifier and qualifier in printed:
        return None
    if qualifier:
        words = number_format.qualifier_words.get(qualifier)
        if not words:
            return None  # the language's number_formats give no words for it: nothing to check against
        prints = f"; it prints {said}" if printed else ""
        return (
            f"qualifier '{qualifier}' but as_written '{shown(written)}' prints none of its words "
            f"({', '.join(words)}){prints}",
            "set the qualifier the printed words say, or copy the qualifier word into as_written",
        )
    if printed:
        return (
            f"as_written '{shown(written)}' prints {said}, but the qualifier is empty",
            f"set qualifier to {' or '.join(printed)}",
        )
    return None
