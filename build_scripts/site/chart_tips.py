"""A chart's tappable points as portal.js reads them, a few bytes each: columns, not a sentence per point.

Each point has a place on the drawing (a share of its width and height, from its top left), a tooltip
(chart_points.point_tip: the language's sentence and its fields, or, for a figure of the overview, a
whole text) and a source (chart_points.point_cite: the two texts around a line number, and the line).
The drawing lists them as columns: <metadata id="points"> holds the count of points and a column for
each of x, y, each field of the sentence, source and line; <metadata id="tips"> the sentence once (its
texts and the names of its fields, alternately), how each field's texts are kept, and the sources.

A column is one value when every point has it; else a list, whose numbers are each the difference from
the point before (x climbs by a step; a source's line follows the line before). A field's texts are
kept in the shortest of these ways: listed; without the start and end all of them share ("before" and
"after", kept once: ' triệu' of every value); as numbers in a table of the texts ("table": a place's
name recurs at every one of its points, a period at every place); as a table of their shapes and the
numbers of their runs of digits ("shapes": 'Tháng 1/1941', 'Tháng 2/1941' are one shape and the numbers
1, 2 and 1941, 1941, each a column whose differences are one digit)."""

from __future__ import annotations

import json
import re
from string import Formatter

from .chart_points import TIP_FIELDS, tip_text

SCALE = 10000  # a point's place, in ten-thousandths of the drawing's width and of its height
WHOLE = "text"  # the one field of tooltips that are whole texts


def point_columns(places: list[tuple[float, float]], tips: list, cites: list[list]) -> tuple[dict, dict]:
    """The points' metadata and, to add to the tooltips' metadata, their sentence, fields and sources:
    places as shares of the drawing, tips as point_tip makes them (or whole texts), cites as point_cite."""
    sentence = _sentence(tips)
    names = sentence[1::2]
    texts = {name: _texts(list(column)) for name, column in zip(names, zip(*_field_texts(tips, names)))}
    sources: dict[tuple[str, str], int] = {}
    for before, after, _ in cites:
        sources.setdefault((before, after), len(sources))
    points = {
        "n": len(places),
        "x": _numbers([round(x * SCALE) for x, _ in places]),
        "y": _numbers([round(y * SCALE) for _, y in places]),
        "tip": {name: column for name, (column, _) in texts.items()},
        "source": _numbers([sources[before, after] for before, after, _ in cites]),
        "line": _numbers([line for *_, line in cites]),
    }
    kept = {name: way for name, (_, way) in texts.items() if way}
    keys = {"scale": SCALE, "tip": sentence, **({"fields": kept} if kept else {})}
    return points, {**keys, "sources": [list(source) for source in sources]}


def _sentence(tips: list) -> list[str]:
    """The sentence the drawing's tooltips share, as its texts and the names of its fields in turn
    ('{place}, {period}: {value}' -> ['', 'place', ', ', 'period', ': ', 'value']); tooltips that do not
    share one are sent whole (the sentence ['', 'text'])."""
    sentences = {tip[0] for tip in tips if not isinstance(tip, str)}
    if len(sentences) != 1 or any(isinstance(tip, str) for tip in tips):
        return ["", WHOLE]
    parts, literal_run = [], ""
    for literal, name, spec, conversion in Formatter().parse(sentences.pop()):
        if spec or conversion or (name is not None and name not in TIP_FIELDS):
            return ["", WHOLE]  # a field formatted in Python: only Python composes it
        literal_run += literal  # an escaped brace ('{{') ends a literal without a field: joined to the next
        if name is not None:
            parts += [literal_run, name]
            literal_run = ""
    return parts + ([literal_run] if literal_run else [])


def _field_texts(tips: list, names: list[str]) -> list[list[str]]:
    """Each tooltip's texts of the sentence's fields, in the sentence's order."""
    if names == [WHOLE]:
        return [[tip_text(tip)] for tip in tips]
    return [[dict(zip(TIP_FIELDS, tip[1:]))[name] for name in names] for tip in tips]


def _numbers(values: list[int]) -> int | list[int]:
    """A column of whole numbers: one, when every point has it; else each the difference from the one before."""
    if len(set(values)) == 1:
        return values[0]
    return [value - before for value, before in zip(values, [0, *values])]


def _texts(texts: list[str]) -> tuple[str | list, dict]:
    """A column of a field's texts, and how they are kept (their shared start and end, their table):
    the shortest of these ways."""
    if len(set(texts)) == 1:
        return texts[0], {}
    before = _shared_start(texts)
    after = _shared_start([text[len(before) :][::-1] for text in texts])[::-1]
    ways = [_tabled(texts, {})]
    if before or after:
        kept = {key: value for key, value in (("before", before), ("after", after)) if value}
        ways.append(_tabled([text[len(before) : len(text) - len(after)] for text in texts], kept))
    ways += [way for way in [_shaped(texts)] if way]
    return min(ways, key=lambda way: len(_json(way)))


DIGITS = re.compile(r"([0-9]+)")


def _shaped(texts: list[str]) -> tuple[list, dict] | None:
    """The texts as their shapes (the words around their runs of digits: 'Tháng 1/1941' is 'Tháng ', '/'
    and '' around 1 and 1941), in a table, and as each run's numbers: a column of each point's shape, then
    a column of each run. None where the texts' shapes differ in their count of runs, or a run is not a
    number as JavaScript writes it (a leading zero, more than 15 digits)."""
    split = [DIGITS.split(text) for text in texts]
    if len({len(parts) for parts in split}) != 1 or len(split[0]) == 1:
        return None
    if any(len(run) > 15 or run != str(int(run)) for parts in split for run in parts[1::2]):
        return None
    runs = [[int(run) for run in parts[1::2]] for parts in split]
    index = {shape: i for i, shape in enumerate(dict.fromkeys(tuple(parts[::2]) for parts in split))}
    column = [_numbers([index[tuple(parts[::2])] for parts in split])]
    column += [_numbers(list(numbers)) for numbers in zip(*runs)]
    return column, {"shapes": [list(shape) for shape in index]}


def _tabled(texts: list[str], kept: dict) -> tuple[str | list, dict]:
    """The texts listed, or their numbers in a table of them where that is shorter."""
    index = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    tabled = _numbers([index[text] for text in texts]), {**kept, "table": list(index)}
    return min([(texts, kept), tabled], key=lambda way: len(_json(way)))


def _shared_start(texts: list[str]) -> str:
    shortest = min(texts, key=len)
    for i, char in enumerate(shortest):
        if any(text[i] != char for text in texts):
            return shortest[:i]
    return shortest


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
