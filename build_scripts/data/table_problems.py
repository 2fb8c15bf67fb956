"""The problems a table's cell, key or reference can have, worded once for the checks of small
tables (Frictionless) and of long ones (bulkcheck.py) alike."""

from __future__ import annotations

from ..data import schema, strict
from ..data.load import Table
from ..problems import Problem, shown


def type_problem(table: Table, row: int, column: str, cell) -> Problem:
    """The cell is not of its field's type; the strict reader says why, where it reads the type."""
    field = table.resource.field_def(column)
    try:
        strict.read_cell(str(cell), field.type)
        found = f"'{shown(cell)}' is not of type {field.type}"
    except strict.CellFormatError as error:
        found = str(error)
    return Problem(table.file, row, column, "type", found, field.description_en)


def required_problem(table: Table, row: int, column: str) -> Problem:
    field = table.resource.field_def(column)
    return Problem(table.file, row, column, "required", "the value is missing", field.description_en)


def constraint_problem(table: Table, row: int, column: str, constraint: str, cell) -> Problem:
    field = table.resource.field_def(column)
    detail = field.constraints.get(constraint)
    if constraint == "enum":
        expected = "one of " + ", ".join(detail)
    elif constraint == "pattern":
        expected = field.description_en
    else:
        expected = f"{constraint} {detail}" if detail is not None else constraint
    setting = schema.CONFIGURED_BY.get(field.name)
    if setting and constraint == "pattern":  # the site's own pattern: shown, with where it is set
        expected = f"{expected.rstrip('.')}, matching {detail} ({setting} in site.yml)"
    elif setting and constraint == "enum":
        expected += f" ({setting} in site.yml)"
    return Problem(
        table.file, row, column, f"constraint:{constraint}", f"'{shown(cell)}' is not allowed", f"expected {expected}"
    )


def duplicate_key_problem(table: Table, index: int) -> Problem:
    key_columns = table.resource.primary_key
    key = ", ".join(f"{c}={shown(table.frame.iat[index, table.frame.columns.get_loc(c)])}" for c in key_columns)
    return Problem(
        table.file,
        table.row_numbers[index],
        ",".join(key_columns),
        "duplicate-key",
        f"({key}) appears in an earlier row",
        "each key may appear once",
    )


def unknown_reference_problem(
    table: Table, row: int, field: str, value: str, ref_resource: str, ref_field: str
) -> Problem:
    return Problem(
        table.file,
        row,
        field,
        "unknown-reference",
        f"'{shown(value)}' is not a known {ref_field} (no such row in {ref_resource}.csv)",
        f"add it to data/{ref_resource}.csv or fix the spelling",
    )
