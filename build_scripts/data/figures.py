"""Every number printed in an archived source, for curators: which look like figures, which are curated.

printed_figures.py finds and reads the numbers of a source's lines; here each is marked curated when an
observation cites it, and the figures are listed (ranked, as a table or CSV, a summary) for one source
or, for every source, the likely figures no observation cites yet (the coverage report).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..data.numbers import same_value
from ..data.printed_figures import Figure, conventions, find_figures
from ..problems import InputError, Problem

TOP_UNCURATED = 8  # likely figures listed per source by the coverage report


def mark_curated(figures: list[Figure], lines: list[str], observations: list[dict]) -> None:
    """Mark each figure an observation cites: its as_written on the cited line, its first number here."""
    by_place = {(f.line, f.start): f for f in figures}
    for row in observations:
        line = int(row["line"]) if str(row["line"]).isdigit() else 0
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        digit = re.search(r"\d", row["as_written"])
        places = [m.start() + digit.start() for m in re.finditer(re.escape(row["as_written"]), text)] if digit else []
        if figure := next((by_place[line, p] for p in places if (line, p) in by_place), None):
            figure.curated.append(row["indicator_id"])
            try:
                figure.curated_value_differs |= figure.value is None or not same_value(
                    float(row["value"]), figure.value
                )
            except ValueError:
                figure.curated_value_differs = True


def source_figures(path: Path, data_dir: Path, sources: list[dict], observations: list[dict]):
    """The source whose archive_file is the file's name, the file's figures with their curated marks, its lines."""
    source = next((row for row in sources if row["archive_file"] == path.name), None)
    if source is None:
        found, hint = f"no source has archive_file '{path.name}'", "add it to sources.csv, or pass --data DIR"
        raise InputError([Problem(str(data_dir / "sources.csv"), None, "archive_file", "unknown-source", found, hint)])
    lines = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8", errors="replace")).split("\n")
    figures = find_figures("\n".join(lines), conventions(data_dir, source["language"]))
    mark_curated(figures, lines, [row for row in observations if row["source_id"] == source["source_id"]])
    return source, figures, lines


def read_rows(data_dir: Path, name: str) -> list[dict]:
    """One table of the data folder as rows of NFC text, trimmed (a byte-order mark and CRLF accepted)."""
    with open(data_dir / f"{name}.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    return [{k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()} for row in rows]


def ranked(figures: list[Figure], show_all: bool = False) -> list[Figure]:
    """Likely figures, then plain numbers, then (show_all) noise; each in reading order."""
    return [f for tier in ("likely", "plain", "noise")[: 3 if show_all else 2] for f in figures if f.tier == tier]


COLUMNS = ("line", "as_written", "value", "scale", "qualifier", "periods", "tier", "why", "curated")


def _cells(f: Figure) -> dict[str, str]:
    """A figure's columns as text; curated: ✓ (×n when n observations cite it, ≠ when a value differs)."""
    value = "" if f.tier == "noise" else "?" if f.value is None else f"{f.value.normalize():f}"
    why = f.noise or ",".join(f.signals) or ("unreadable" if f.value is None else "")
    mark = ("✓" if f.curated else "") + f"×{len(f.curated)}" * (len(f.curated) > 1) + "≠" * f.curated_value_differs
    cells = (str(f.line), f.written, value, f.scale, f.qualifier, "; ".join(f.periods[:3]), f.tier, why, mark)
    return dict(zip(COLUMNS, cells, strict=True))


def format_table(figures: list[Figure], width: int = 40) -> str:
    """An aligned text table, one figure a row; cells longer than `width` characters are cut."""
    rows = [{k: v if len(v) <= width else v[: width - 1] + "…" for k, v in _cells(f).items()} for f in figures]
    header = dict(zip(COLUMNS, COLUMNS, strict=True))
    widths = {k: max(len(r[k]) for r in [header, *rows]) for k in header}
    return "\n".join("  ".join(r[k].ljust(widths[k]) for k in header).rstrip() for r in [header, *rows])


def format_csv(figures: list[Figure]) -> str:
    """The same rows as CSV, with every period word and the indicators that cite the figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "indicators"])
    for f in figures:
        writer.writerow([*{**_cells(f), "periods": "; ".join(f.periods)}.values(), " ".join(f.curated)])
    return out.getvalue()


def summary(figures: list[Figure]) -> str:
    """'N numbers: L likely, P plain, C curated; H noise hidden (reason n, ...)'."""
    tiers, hidden = Counter(f.tier for f in figures), Counter(f.noise for f in figures if f.tier == "noise")
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(hidden.items(), key=lambda item: (-item[1], item[0])))
    counts = f"{tiers['likely']} likely, {tiers['plain']} plain, {sum(1 for f in figures if f.curated)} curated"
    return f"{len(figures)} numbers: {counts}; {tiers['noise']} noise hidden" + (f" ({reasons})" if reasons else "")


def coverage_report(data_dir: Path, archive: Path, sources: list[dict], observations: list[dict]) -> str:
    """Per source, the printed numbers no observation cites: counts, then the likeliest with line and text."""
    out = ["Coverage: numbers printed in the archived sources that no observation cites"]
    for source in sorted(sources, key=lambda row: row["source_id"]):
        path = archive / source["archive_file"]
        _, figures, lines = source_figures(path, data_dir, sources, observations)
        left = [f for f in ranked(figures) if not f.curated]
        likely = sorted((f for f in left if f.tier == "likely"), key=lambda f: (-len(f.signals), f.line, f.start))
        shown, noise = len(ranked(figures)), len(figures) - len(ranked(figures))
        head = f"{len(left)} of {shown} numbers not curated ({len(likely)} likely, {len(left) - len(likely)} plain)"
        out.append(f"{source['source_id']} ({path.name}): {head}; {noise} noise not counted")
        for f in sorted(likely[:TOP_UNCURATED], key=lambda f: (f.line, f.start)):
            context = lines[f.line - 1][max(0, f.start - 35) : f.start + len(f.written) + 30].strip()
            out.append(f"    line {f.line}: {f.written}  (…{context}…)")
        if len(likely) > TOP_UNCURATED:
            out.append(f"    … {len(likely) - TOP_UNCURATED} more: python -m build_scripts figures {path}")
    return "\n".join(out)
