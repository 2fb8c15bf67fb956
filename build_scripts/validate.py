"""Stage 2: check the loaded tables against the schema and the domain rules.

Frictionless checks types, constraints, primary and foreign keys; the domain
rules check what a schema cannot say: shares within 0-100, the recorded value
equal to the printed figure, real dates in periods, notes on derived figures.
"""

from __future__ import annotations

import re

from frictionless import Package, Resource, Schema

from .load import Table
from .numbers import NumberFormatError, read_figure, same_value
from .periods import PeriodFormatError, read_period
from .problems import Problem
from .schema import PERIOD, SHARE_UNITS


def validate_tables(tables: dict[str, Table]) -> list[Problem]:
    """Every problem of schema and domain rules in the tables that could be read."""
    return check_schema(tables) + check_domain(tables)


def check_schema(tables: dict[str, Table]) -> list[Problem]:
    resources = []
    for name, table in tables.items():
        header = list(table.resource.fields)
        data = [header] + [[row[c] for c in header] for row in table.rows]
        schema = Schema.from_descriptor(table.resource.table_schema())
        if any(ref not in tables for _, ref, _ in table.resource.foreign_keys):
            schema.foreign_keys = []
        resources.append(Resource(name=name, data=data, schema=schema))
    report = Package(resources=resources).validate()
    problems = []
    for task in report.tasks:
        table = tables[task.name]
        errored_rows = {e.row_number for e in task.errors if e.type in ("type-error", "constraint-error")}
        for error in task.errors:
            problem = _problem_from_frictionless(error, table, errored_rows)
            if problem:
                problems.append(problem)
    return problems


def _problem_from_frictionless(error, table: Table, errored_rows: set[int]) -> Problem | None:
    row_number = getattr(error, "row_number", None)
    row = table.row_numbers[row_number - 2] if row_number else None
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    resource = table.resource
    if error.type == "type-error":
        field = resource.field_def(column)
        return Problem(table.file, row, column, "type", f"'{cell}' is not of type {field.type}", field.description_en)
    if error.type == "constraint-error":
        field = resource.field_def(column)
        if cell in (None, ""):
            return Problem(table.file, row, column, "required", "the value is missing", field.description_en)
        constraint = error.note.split('"')[1] if '"' in error.note else error.note
        detail = field.constraints.get(constraint)
        if constraint == "enum":
            expected = "one of " + ", ".join(detail)
        elif constraint == "pattern":
            expected = field.description_en
        else:
            expected = f"{constraint} {detail}" if detail is not None else constraint
        return Problem(
            table.file, row, column, f"constraint:{constraint}", f"'{cell}' is not allowed", f"expected {expected}"
        )
    if error.type == "primary-key":
        if row_number in errored_rows:
            return None  # the broken cell is already reported
        key = ", ".join(f"{c}={table.rows[row_number - 2][c]}" for c in resource.primary_key)
        return Problem(
            table.file,
            row,
            ",".join(resource.primary_key),
            "duplicate-key",
            f"({key}) appears in an earlier row",
            "each key may appear once",
        )
    if error.type == "foreign-key":
        for field, ref_resource, ref_field in resource.foreign_keys:
            value = table.rows[row_number - 2][field]
            if value and f'"{field}"' in error.note:
                return Problem(
                    table.file,
                    row,
                    field,
                    "unknown-reference",
                    f"'{value}' is not a known {ref_field} (no such row in {ref_resource}.csv)",
                    f"add it to data/{ref_resource}.csv or fix the spelling",
                )
        return Problem(table.file, row, None, "unknown-reference", error.note)
    return Problem(table.file, row, column, error.type, error.note or error.message)


def check_domain(tables: dict[str, Table]) -> list[Problem]:
    problems = []
    if "observations" not in tables:
        return problems
    observations = tables["observations"]
    units = {}
    if "indicators" in tables:
        units = {r["indicator_id"]: r["unit"] for r in tables["indicators"].rows}
    for row, number in zip(observations.rows, observations.row_numbers):
        problems += check_observation(row, number, observations.file, units.get(row["indicator_id"]))
    return problems


def check_observation(row: dict, number: int, file: str, unit: str | None) -> list[Problem]:
    problems = []
    try:
        read_period(row["period"])
    except PeriodFormatError as error:
        if row["period"] and _is_pattern_ok(row["period"]):  # the pattern error is reported already
            problems.append(Problem(file, number, "period", "period", str(error)))
    value = _float_or_none(row["value"])
    if value is not None and unit in SHARE_UNITS and not 0 <= value <= 100:
        problems.append(
            Problem(
                file,
                number,
                "value",
                "share-range",
                f"{row['value']} is outside 0-100 for the share unit '{unit}'",
                "a share in percent lies between 0 and 100",
            )
        )
    derived = row["is_derived"] == "true"
    if derived and not row["note"]:
        problems.append(
            Problem(
                file, number, "note", "derived-note", "a derived figure has no note", "write the arithmetic in note"
            )
        )
    if value is not None and not derived and row["as_written"]:
        try:
            printed = read_figure(row["as_written"])
        except NumberFormatError as error:
            problems.append(Problem(file, number, "as_written", "as-written-number", str(error)))
        else:
            if not same_value(value, printed):
                problems.append(
                    Problem(
                        file,
                        number,
                        "value",
                        "value-matches-as-written",
                        f"value {row['value']} but as_written '{row['as_written']}' reads as {_plain(printed)}",
                        "value must be the printed number times its scale word",
                    )
                )
    return problems


def _is_pattern_ok(text: str) -> bool:
    return re.match(PERIOD, text) is not None


def _float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _plain(number) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
