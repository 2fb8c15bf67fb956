"""What the data pages tell a reader's tools: the code that loads a resource with its columns typed
(pandas, R's readr, DuckDB, frictionless), and the columns a spreadsheet or a type-guessing reader
would turn into numbers or dates, to be read as text."""

from __future__ import annotations

import re

import numpy as np

from ..data import schema
from ..data.model import Portal
from ..publish import formats
from ..site.i18n import t
from ..site.markdown import text
from .page_parts import PageContext

# A text a spreadsheet (or a reader guessing types) takes for a number, a percentage, a date or a time:
# '01' loses its zero, '100%' becomes 1, '9/12' a date, '2024' a number and '2024-06' June 2024.
LOOKS_LIKE_A_NUMBER = re.compile(r"\s*[-+]?[0-9][0-9\s.,/:%-]*")
SNIPPET_RESOURCE = "observations"  # the resource the code on the data page loads

_memo: dict[tuple[int, str], list[str]] = {}


def text_read_as_numbers(portal: Portal, name: str) -> list[str]:
    """The text columns of a resource that hold a value a spreadsheet would read as a number or a date,
    in column order (worked out once per build and resource, on the distinct values)."""
    key = (id(portal), name)
    if key not in _memo:
        resource = schema.resource(name)
        _memo[key] = [
            column
            for column in resource.fields
            if resource.field_def(column).type == "string"
            and any(LOOKS_LIKE_A_NUMBER.fullmatch(value) for value in _distinct(portal, name, column))
        ]
    return _memo[key]


def _distinct(portal: Portal, name: str, column: str):
    if name == "observations":
        return portal.codes[column][1]
    return np.unique([row[column] for row in portal.small_table(name)])


def date_columns(name: str) -> list[str]:
    resource = schema.resource(name)
    return [column for column in resource.published_fields if resource.field_def(column).type == "date"]


def excel_csv_advice(ctx: PageContext, name: str) -> str:
    """The paragraph beside a resource's downloads for spreadsheet users: the XLSX keeps every value as
    it is; a CSV opened in a spreadsheet needs its text columns imported as text."""
    columns = text_read_as_numbers(ctx.portal, name)
    advice = text(t("excel_csv_advice", ctx.lang))
    if columns:
        advice += " " + text(t("excel_csv_text_columns", ctx.lang, columns=", ".join(columns)))
    return f"{advice}\n\n"


def code_snippets(ctx: PageContext) -> str:
    """Code that loads the resource SNIPPET_RESOURCE with every column typed, from the site's downloads."""
    name, lang = SNIPPET_RESOURCE, ctx.lang
    base = f"{ctx.portal.metadata.get('site_url', '')}downloads/"
    whole = formats.path_of(formats.find(formats.RESOURCE, "csv"), name, ctx.portal.files)  # .csv or .csv.gz
    columnar = formats.path_of(formats.find(formats.RESOURCE, "parquet"), name, ctx.portal.files)
    texts = text_read_as_numbers(ctx.portal, name)
    dates = date_columns(name)
    pandas_dtype = ", ".join(f'"{c}": "string"' for c in texts)
    readr_types = ", ".join(f"{c} = col_character()" for c in texts)
    duckdb_types = ", ".join(f"'{c}': 'VARCHAR'" for c in texts)
    blocks = [
        (
            "Python (pandas)",
            "python",
            "import pandas as pd\n\n"
            f"{name} = pd.read_csv(\n"
            f'    "{base}{whole}",\n'
            + (f"    dtype={{{pandas_dtype}}},\n" if texts else "")
            + '    keep_default_na=False,\n    na_values=[""],\n'
            + (f"    parse_dates={dates!r},\n".replace("'", '"') if dates else "")
            + ")\n",
        ),
        (
            "R (readr)",
            "r",
            "library(readr)\n\n"
            f"{name} <- read_csv(\n"
            f'  "{base}{whole}",\n' + (f"  col_types = cols({readr_types}),\n" if texts else "") + '  na = ""\n)\n',
        ),
        (
            "DuckDB",
            "python",
            "import duckdb\n\n"
            f"{name} = duckdb.sql(\n"
            f"    \"SELECT * FROM read_csv('{base}{whole}'"
            + (f", types = {{{duckdb_types}}}" if texts else "")
            + ')"\n'
            ")\n"
            f"{name}_from_parquet = duckdb.sql(\"SELECT * FROM '{base}{columnar}'\")\n",
        ),
        (
            "Python (frictionless)",
            "python",
            "from frictionless import Package\n\n"
            f'package = Package("{base}datapackage.json")\n'
            f'{name} = package.get_resource("{name}").to_pandas().reset_index()\n',
        ),
    ]
    out = []
    if texts:
        out.append(text(t("snippet_text_columns", lang, columns=", ".join(texts))) + "\n\n")
    for title, language, code in blocks:
        out.append(f"{text(title)}:\n\n```{language}\n{code}```\n\n")
    return "".join(out)
