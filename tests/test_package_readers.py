"""The published package as its users' tools read it: the Data Package v2 descriptor in frictionless-py
and in a v1 reader (npm's `datapackage`), the code the data page gives for pandas, R's readr, DuckDB
and frictionless run as printed (with the site's address turned into the built folder), typed JSON
with null for a missing value, and the ISO dates of each period."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.data.periods import read_period

READERS = Path(__file__).resolve().parent / "readers"
V2_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def descriptor(built_site: Path) -> dict:
    return json.loads((built_site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))


def csv_rows(built_site: Path, name: str) -> list[dict]:
    text = (built_site / "downloads" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_descriptor_is_data_package_v2_and_frictionless_finds_it_valid(built_site):
    package = descriptor(built_site)
    assert package["$schema"] == V2_PROFILE and "profile" not in package
    assert all(r["type"] == "table" and "profile" not in r for r in package["resources"])
    assert all(isinstance(c["roles"], list) and "role" not in c for c in package["contributors"])
    for resource in package["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            assert isinstance(key["fields"], list) and isinstance(key["reference"]["fields"], list)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=built_site / "downloads",
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-2000:]
    assert {task["name"] for task in report["tasks"]} == {r["name"] for r in package["resources"]}


NODE = shutil.which("node")


@pytest.fixture(scope="module")
def v1_reader() -> Path:
    if not NODE or not shutil.which("npm"):
        pytest.skip("Node.js and npm are needed for the JavaScript reader")
    if not (READERS / "node_modules" / "datapackage").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=READERS, check=True)
    return READERS / "load_package.js"


def test_a_data_package_v1_reader_still_loads_every_resource(built_site, v1_reader):
    result = subprocess.run(
        [NODE, str(v1_reader), str(built_site / "downloads" / "datapackage.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["valid"], loaded["errors"]
    package = descriptor(built_site)
    by_name = {r["name"]: r for r in loaded["resources"]}
    assert list(by_name) == [r["name"] for r in package["resources"]]
    for resource in package["resources"]:
        read = by_name[resource["name"]]
        assert read["tabular"], resource["name"]
        assert read["fields"] == [[f["name"], f["type"]] for f in resource["schema"]["fields"]]
        assert read["rows"] == len(csv_rows(built_site, resource["name"]))
    first = by_name["observations"]["first"]
    assert isinstance(first["is_derived"], bool) and isinstance(first["value"], (int, float))


def test_data_page_says_which_standard_the_package_follows(built_site):
    for page in (built_site / "data" / "index.html", built_site / "en" / "data" / "index.html"):
        html_text = page.read_text(encoding="utf-8")
        assert re.search(r'<a href="https://datapackage.org/">Frictionless Data Package 2\.0</a>', html_text), page


# ---------------------------------------------------------------- the data page's code, run as printed


def snippets(built_site: Path) -> dict[str, str]:
    """The data page's code blocks, by the title printed before each, with the site's address replaced
    by the built downloads folder (the code as a reader copies it, run on the files it would fetch)."""
    page = (built_site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<p>([^<]+):</p>\s*<pre><code class=\"language-(\w+)\">(.*?)</code></pre>", page, re.S)
    out = {}
    for title, _, code in blocks:
        code = html.unescape(code)
        out[html.unescape(title)] = re.sub(r"https?://[^\"']*?/downloads/", f"{built_site}/downloads/", code)
    assert set(out) == {"Python (pandas)", "R (readr)", "DuckDB", "Python (frictionless)"}, list(out)
    return out


def run_python(code: str, then: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code + "\n" + then], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pandas_code_on_the_data_page_types_every_column(built_site):
    report = run_python(
        snippets(built_site)["Python (pandas)"],
        "import json\n"
        "print(json.dumps({'dtypes': {c: str(t) for c, t in observations.dtypes.items()},"
        " 'missing': int(observations['qualifier'].isna().sum()),"
        " 'empty_text': int((observations.select_dtypes('object') == '').sum().sum()),"
        " 'periods': sorted(set(observations['period']))}))",
    )
    rows = csv_rows(built_site, "observations")
    dtypes = report["dtypes"]
    assert dtypes["is_derived"] == "bool"
    assert dtypes["value"] == "float64" and dtypes["line"] == "int64"
    assert dtypes["period"] == dtypes["as_written"] == "string"
    assert dtypes["period_start"].startswith("datetime64") and dtypes["period_end"].startswith("datetime64")
    assert report["missing"] == sum(1 for r in rows if not r["qualifier"]) and report["empty_text"] == 0
    assert report["periods"] == sorted({r["period"] for r in rows})  # '2024' stays '2024', not 2024.0


def test_duckdb_code_on_the_data_page_types_every_column(built_site):
    report = run_python(
        snippets(built_site)["DuckDB"],
        "import json\n"
        "def types(relation):\n"
        "    return dict(zip(relation.columns, map(str, relation.types)))\n"
        "print(json.dumps({'csv': types(observations), 'parquet': types(observations_from_parquet),"
        " 'rows': observations.count('*').fetchall()[0][0],"
        " 'null_qualifiers': duckdb.sql('SELECT count(*) FROM observations WHERE qualifier IS NULL')"
        ".fetchall()[0][0]}))",
    )
    rows = csv_rows(built_site, "observations")
    for found in (report["csv"], report["parquet"]):
        assert found["is_derived"] == "BOOLEAN"
        assert found["period"] == found["as_written"] == "VARCHAR"
        assert found["period_start"] == found["period_end"] == "DATE"
        assert found["value"] == "DOUBLE"
    assert report["rows"] == len(rows)
    assert report["null_qualifiers"] == sum(1 for r in rows if not r["qualifier"])


def test_frictionless_code_on_the_data_page_gives_typed_columns(built_site):
    report = run_python(
        snippets(built_site)["Python (frictionless)"],
        "import json\n"
        "print(json.dumps({'dtypes': {c: str(t) for c, t in observations.dtypes.items()}, 'rows': len(observations)}))",
    )
    assert report["rows"] == len(csv_rows(built_site, "observations"))
    assert report["dtypes"]["value"] == "float64"
    assert report["dtypes"]["period_start"].startswith("datetime64")
    assert {"indicator_id", "geo", "period", "kind", "source_id"} <= set(report["dtypes"])  # columns, not the index


RSCRIPT = shutil.which("Rscript")


@pytest.mark.skipif(not RSCRIPT, reason="R is installed by `make test` (Debian's r-base-core and r-cran-readr)")
def test_readr_code_on_the_data_page_types_every_column(built_site, tmp_path):
    script = tmp_path / "load.R"
    script.write_text(
        snippets(built_site)["R (readr)"]
        + "\nclasses <- vapply(observations, function(column) class(column)[1], character(1))\n"
        'cat(paste(names(classes), classes, sep = "=", collapse = "\\n"), "\\n")\n'
        'cat("rows=", nrow(observations), "\\n", sep = "")\n'
        'cat("missing_qualifier=", sum(is.na(observations$qualifier)), "\\n", sep = "")\n',
        encoding="utf-8",
    )
    result = subprocess.run([RSCRIPT, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    found = dict(line.strip().split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    rows = csv_rows(built_site, "observations")
    assert found["is_derived"] == "logical"
    assert found["value"] == "numeric" and found["period"] == "character" and found["as_written"] == "character"
    assert found["period_start"] == found["period_end"] == "Date"
    assert int(found["rows"]) == len(rows)
    assert int(found["missing_qualifier"]) == sum(1 for r in rows if not r["qualifier"])


# ---------------------------------------------------------------- typed JSON and the dates of periods


def test_json_downloads_write_null_for_every_missing_value_and_types_the_rest(built_site):
    package = descriptor(built_site)
    for resource in package["resources"]:
        name = resource["name"]
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        records = json.loads((built_site / "downloads" / f"{name}.json").read_text(encoding="utf-8"))
        rows = csv_rows(built_site, name)
        assert len(records) == len(rows)
        for record, row in zip(records, rows):
            assert list(record) == list(row)
            for column, cell in row.items():
                value = record[column]
                if cell == "":
                    assert value is None, (name, column)
                elif types[column] == "boolean":
                    assert value is (cell == "true")
                elif types[column] in ("number", "integer"):
                    assert value == float(cell) and not isinstance(value, (str, bool))
                else:
                    assert value == cell


def test_duckdb_types_a_date_column_alike_in_the_downloads_and_the_api(built_site):
    duckdb = pytest.importorskip("duckdb")
    download = built_site / "downloads" / "sources.json"
    api = built_site / "api" / "sources.json"
    types = {}
    for label, query in {
        "download": f"SELECT published, title FROM read_json_auto('{download}')",
        "api": f"SELECT s.published, s.title FROM (SELECT unnest(sources) AS s FROM read_json_auto('{api}'))",
    }.items():
        relation = duckdb.sql(query)
        types[label] = [str(t) for t in relation.types]
    assert types["download"] == types["api"] == ["DATE", "VARCHAR"], types


def test_observations_carry_the_first_and_last_day_of_their_period(built_site):
    rows = csv_rows(built_site, "observations")
    assert rows and all(
        (row["period_start"], row["period_end"])
        == (read_period(row["period"]).start.isoformat(), read_period(row["period"]).end.isoformat())
        for row in rows
    )
    header = list(rows[0])
    assert header.index("period_start") == header.index("period") + 1
    split = next((built_site / "downloads" / "indicators").glob("*.csv"))
    assert split.read_text(encoding="utf-8").splitlines()[0] == ",".join(header)
    fields = {f["name"]: f for f in descriptor(built_site)["resources"][0]["schema"]["fields"]}
    assert fields["period_start"]["type"] == fields["period_end"]["type"] == "date"


def test_resource_pages_steer_spreadsheet_users_to_the_workbook_and_name_the_text_columns(built_site):
    page = (built_site / "en" / "data" / "observations" / "index.html").read_text(encoding="utf-8")
    advice = re.search(r"<p>In a spreadsheet, prefer the Excel \(XLSX\) file.*?</p>", page, re.S)
    assert advice, "no advice beside the downloads"
    named = re.search(r"set these columns to Text: ([^.]+)\.", advice.group(0)).group(1).split(", ")
    # '2024' and '2024-06' (period) and '100%' (as_written) are what a spreadsheet changes; an identifier
    # or a note with words is left as it is
    assert "period" in named and "as_written" in named
    assert not {"indicator_id", "geo", "kind", "source_id", "note_en"} & set(named)
