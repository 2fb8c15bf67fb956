"""The schema's rules (types, required values, constraints, primary and foreign keys) applied to whole
columns with pandas, for tables too long to check row by row. Reports exactly what the Frictionless
check in validate.py reports, through the same Problem builders."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..data import strict
from ..data.load import Table
from ..data.table_problems import (
    constraint_problem,
    duplicate_key_problem,
    required_problem,
    type_problem,
    unknown_reference_problem,
)
from ..problems import Problem


def check_table_in_bulk(
    table: Table, tables: dict[str, Table], only_references_to: set[str] | None = None
) -> list[Problem]:
    frame, resource = table.frame, table.resource  # the rules apply once per distinct value (table.codes)
    numbers = np.asarray(table.row_numbers)
    problems: list[Problem] = []
    broken = np.zeros(len(frame), dtype=bool)  # rows with a broken cell: their key is not compared
    if only_references_to is None:
        for column in resource.fields:
            field = resource.field_def(column)
            cells = frame[column]
            codes, distinct = table.codes[column][0], pd.Series(table.codes[column][1], dtype=object)
            empty = (distinct == "").to_numpy()[codes]
            if resource.is_required(column):
                for index in np.flatnonzero(empty):
                    problems.append(required_problem(table, int(numbers[index]), column))
                broken |= empty
            well_typed = _well_typed(distinct, field.type)[codes] | empty
            for index in np.flatnonzero(~well_typed):
                problems.append(type_problem(table, int(numbers[index]), column, cells.iat[index]))
            broken |= ~well_typed
            checkable = well_typed & ~empty
            for constraint, allowed in field.constraints.items():
                meets = _meets(distinct, field.type, constraint, allowed, field.constraints.get("maxLength"))
                failing = checkable & ~meets[codes]
                for index in np.flatnonzero(failing):
                    problems.append(
                        constraint_problem(table, int(numbers[index]), column, constraint, cells.iat[index])
                    )
                broken |= failing
        key = list(resource.primary_key)
        duplicated = frame[key].duplicated(keep="first").to_numpy() & ~broken
        for index in np.flatnonzero(duplicated):
            problems.append(duplicate_key_problem(table, int(index)))
    for field, ref_resource, ref_field in resource.foreign_keys:
        if ref_resource not in tables or (only_references_to is not None and ref_resource not in only_references_to):
            continue
        cells = frame[field]
        unknown = ((cells != "") & ~cells.isin(set(tables[ref_resource].frame[ref_field]))).to_numpy()
        for index in np.flatnonzero(unknown):
            problems.append(
                unknown_reference_problem(table, int(numbers[index]), field, cells.iat[index], ref_resource, ref_field)
            )
    return problems


def _well_typed(cells: pd.Series, kind: str) -> np.ndarray:
    """Which of a column's distinct texts are of its type, as the strict reader reads them."""
    if kind == "boolean":
        return cells.isin(["true", "false"]).to_numpy()
    refused = strict.rejected(cells, kind)
    return ~cells.isin(set(refused) | {""}).to_numpy()


def _meets(cells: pd.Series, kind: str, constraint: str, allowed, max_length: int | None = None) -> np.ndarray:
    if constraint == "enum":
        return cells.isin(allowed).to_numpy()
    if constraint == "pattern":  # identifiers repeat: match each distinct value once
        distinct = pd.Series(cells.unique())
        too_long = (distinct.str.len() > (max_length if max_length is not None else np.inf)).to_numpy()
        # a value over the field's maxLength is refused for its length, and never matched (validate.bounded)
        matched = distinct[~too_long]
        allowed_values = set(matched[matched.str.match(re.compile(allowed)).to_numpy(dtype=bool)])
        allowed_values |= set(distinct[too_long])
        return cells.isin(allowed_values).to_numpy()
    if constraint == "maxLength":
        return (cells.str.len() <= allowed).to_numpy()
    if constraint == "minimum":
        return (pd.to_numeric(cells, errors="coerce") >= allowed).to_numpy()
    if constraint == "maximum":
        return (pd.to_numeric(cells, errors="coerce") <= allowed).to_numpy()
    raise ValueError(f"bulkcheck: constraint '{constraint}' is not implemented")
