"""Stage 2: check the loaded tables against the schema and the domain rules.

Types, constraints, primary and foreign keys come from the schema (schema.py). Tables up to
BULK_ROWS rows are checked by Frictionless; longer ones by bulkcheck.py, which applies the same
rules to whole columns with pandas (Frictionless walks a table row by row in Python, about 10,000
rows a second here). Both report through the same Problem builders below, and a test runs every
broken fixture through both to show they agree.

The domain rules check what a schema cannot say: shares within 0-100, the recorded value equal to
the printed figure, real dates in periods, notes on derived figures. They too work on columns.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np

from ..config.site import SiteConfig
from ..data import strict
from ..data.domain_rules import check_domain, check_unconfigured_events
from ..data.load import Table
from ..data.names import first_of_each_folded, folded, identifier_problem
from ..data.report_rules import check_reported_figures
from ..data.schema import RENDERINGS
from ..data.table_problems import (
    constraint_problem,
    duplicate_key_problem,
    required_problem,
    type_problem,
    unknown_reference_problem,
)
from ..data.textrules import text_problem
from ..problems import Problem, shown
from ..swap import write_atomically

BULK_ROWS = 20_000


def validate_tables(
    tables: dict[str, Table], config: SiteConfig, bulk_rows: int = BULK_ROWS, passed: Path | None = None
) -> list[Problem]:
    """Every problem of text, schema and domain rules in the tables that could be read. passed: see
    check_with_frictionless."""
    return (
        check_text(tables, config.topic_page_prefix)
        + check_names(tables)
        + check_translations(tables, config.languages)
        + check_renderings(tables, config.languages)
        + check_schema(tables, bulk_rows, passed)
        + check_domain(tables, config)
        + check_unconfigured_events(tables, config)
        + check_reported_figures(tables, config)
    )


# ------------------------------------------------------------------ the text


def check_text(tables: dict[str, Table], topic_page_prefix: str) -> list[Problem]:
    """Every cell meets textrules.py (no control characters, one line where the field is one line, no
    longer than a spreadsheet cell), and every identifier can name a page and files (names.py): none takes
    the name of one of the site's own pages or of a Windows device, nor could leave its folder."""
    problems = []
    for table in tables.values():
        key = table.resource.primary_key
        for column in table.resource.fields:
            field = table.resource.field_def(column)
            codes, distinct = table.codes[column]
            broken = {}
            for code, text in enumerate(distinct):
                found = text_problem(text, field.multiline)
                if found is None and len(key) == 1 and column == key[0]:
                    found = identifier_problem(text, topic_page_prefix)  # it names a page and files
                if found is not None:
                    broken[code] = found
            if not broken:
                continue
            for index in np.flatnonzero(np.isin(codes, list(broken))):
                rule, found, hint = broken[int(codes[index])]
                problems.append(Problem(table.file, table.row_numbers[index], column, rule, found, hint))
    return problems


def check_translations(tables: dict[str, Table], languages: tuple[str, ...]) -> list[Problem]:
    """A text given in one site language is given in every one: a page in one language never shows
    another's words, nor a gap where the other language has a note."""
    problems = []
    for table in tables.values():
        columns = table.resource.fields
        first = f"_{languages[0]}"
        stems = {c.removesuffix(first) for c in columns if c.endswith(first)}
        for stem in sorted(stems - set(RENDERINGS)):  # a rendering is in the languages a source is not in
            variants = [f"{stem}_{lang}" for lang in languages]
            if not all(v in columns for v in variants):
                continue
            empty = {}
            for variant in variants:
                codes, distinct = table.codes[variant]
                empty[variant] = np.array([value == "" for value in distinct], dtype=bool)[codes]
            some = np.logical_or.reduce([~e for e in empty.values()])
            for variant in variants:
                for index in np.flatnonzero(some & empty[variant]):
                    given = next(v for v in variants if not empty[v][index])
                    problems.append(
                        Problem(
                            table.file,
                            table.row_numbers[index],
                            variant,
                            "missing-translation",
                            f"{given} is given but {variant} is empty",
                            f"write {variant} too: every site language shows this text",
                        )
                    )
    return problems


def check_renderings(tables: dict[str, Table], languages: tuple[str, ...]) -> list[Problem]:
    """A source's title or publisher rendered in a language is rendered in a language it is not in: the
    title in the source's own language is its title."""
    if "sources" not in tables:
        return []
    table = tables["sources"]
    frame, problems = table.frame, []
    for stem in RENDERINGS:
        for lang in languages:
            column = f"{stem}_{lang}"
            if column not in frame:
                continue
            own = ((frame["language"] == lang) & (frame[column] != "")).to_numpy()
            for index in np.flatnonzero(own):
                problems.append(
                    Problem(
                        table.file,
                        table.row_numbers[index],
                        column,
                        "rendering-in-own-language",
                        f"the source is in '{lang}', so {column} would render it in its own language",
                        f"leave {column} empty: the source's own words are its title and publisher",
                    )
                )
    return problems


def check_names(tables: dict[str, Table]) -> list[Problem]:
    """No two identifiers of a table name one page and one set of files: compared as file systems and
    addresses see them (names.folded), 'Ex-n' after 'EX-N' is refused, naming the row of the first; else
    the later would replace the earlier's page, API document and CSV slice without a word."""
    problems = []
    for table in tables.values():
        key = table.resource.primary_key
        if len(key) != 1:
            continue
        codes, distinct = table.codes[key[0]]
        present, first_index = np.unique(codes, return_index=True)
        order = np.argsort(first_index, kind="stable")  # the distinct values in the order of their first rows
        rows = [table.row_numbers[first_index[i]] for i in order]
        names = [distinct[present[i]] for i in order]
        for later, earlier in first_of_each_folded(names).items():
            problems.append(
                Problem(
                    table.file,
                    rows[later],
                    key[0],
                    "name-collision",
                    f"'{shown(names[later])}' and '{shown(names[earlier])}' (row {rows[earlier]}) would share one page "
                    f"and one set of files: file systems and addresses see both as '{shown(folded(names[later]))}'",
                    "give each its own identifier, different in more than case or the form of its letters",
                )
            )
    return problems


# ------------------------------------------------------------- problem builders


# ------------------------------------------------------------------ the schema


def check_schema(tables: dict[str, Table], bulk_rows: int = BULK_ROWS, passed: Path | None = None) -> list[Problem]:
    from ..data.bulkcheck import check_table_in_bulk

    small = {name: table for name, table in tables.items() if len(table.frame) <= bulk_rows}
    problems = check_with_frictionless(small, passed)
    reported = {(p.file, p.row, p.column) for p in problems}
    for table in small.values():  # Frictionless reads 'NaN', '1_000' and '١٢' as numbers; the strict reader not
        problems += [p for p in strict_type_problems(table) if (p.file, p.row, p.column) not in reported]
    for name, table in tables.items():
        if name not in small:
            problems += check_table_in_bulk(table, tables)
        else:  # references from a small table into a long one, which Frictionless was not given
            problems += check_table_in_bulk(table, tables, only_references_to=set(tables) - set(small))
    return problems


def strict_type_problems(table: Table) -> list[Problem]:
    """Cells of number, integer and date fields that the strict reader refuses (strict.py)."""
    problems = []
    for column in table.resource.fields:
        codes, distinct = table.codes[column]
        refused = strict.rejected(distinct, table.resource.field_def(column).type)
        if not refused:
            continue
        is_refused = np.array([text in refused for text in distinct], dtype=bool)
        for index in np.flatnonzero(is_refused[codes]):
            problems.append(type_problem(table, table.row_numbers[index], column, distinct[codes[index]]))
    return problems


def check_with_frictionless(small: dict[str, Table], passed: Path | None = None) -> list[Problem]:
    """Frictionless's report on the small tables, as Problems.

    With passed (a file the build keeps), Frictionless is not run when it would read the same files with
    the same schemas, the same Frictionless and this same module as when it last found nothing: their
    digest is kept in passed. After one changed observation this skips it (importing it and reading the
    small tables' schemas took the checks a second at every size)."""
    if not small:
        return []
    texts = {name: table.frame.to_csv(index=False, lineterminator="\n") for name, table in small.items()}
    descriptors = {name: _schema_among(table, small) for name, table in small.items()}
    digest = _frictionless_input_digest(texts, descriptors)
    if passed is not None and _read_text(passed) == digest:
        return []
    # imported here: half a second, which a build then spends in the checks' own process, beside the build
    from frictionless import Package, Resource, Schema

    problems = []
    with tempfile.TemporaryDirectory() as folder:
        resources = []
        for name in small:
            path = Path(folder) / f"{name}.csv"
            path.write_text(texts[name], encoding="utf-8", newline="")
            schema = Schema.from_descriptor(descriptors[name])
            resources.append(
                Resource(name=name, path=path.name, basepath=folder, schema=schema, encoding="utf-8", format="csv")
            )
        report = Package(resources=resources, basepath=folder).validate()
    for task in report.tasks:
        table = small[task.name]
        errored_rows = {e.row_number for e in task.errors if e.type in ("type-error", "constraint-error")}
        for error in task.errors:
            problem = _problem_from_frictionless(error, table, errored_rows)
            if problem:
                problems.append(problem)
    if passed is not None and not problems:
        passed.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(passed, digest.encode("utf-8"))
    return problems


def _schema_among(table: Table, small: dict[str, Table]) -> dict:
    """The table's Table Schema, with only the foreign keys into tables Frictionless is given (itself
    included): references into a long table are checked in bulk."""
    descriptor = table.resource.table_schema()
    for field in descriptor["fields"]:
        bounded(field.get("constraints", {}))
    keys = descriptor.get("foreignKeys")
    if keys is not None:
        descriptor = {
            **descriptor,
            "foreignKeys": [fk for fk in keys if fk["reference"].get("resource", table.resource.name) in small],
        }
    return descriptor


def bounded(constraints: dict) -> None:
    """A field's pattern, for Frictionless, as never matched against more than the field's maxLength
    characters: a longer value matches it at once and is refused for its length alone (bulkcheck does the
    same). A configured pattern is at worst polynomial (config/patterns.py): on a cell of a million
    characters that is still hours."""
    if "pattern" in constraints and "maxLength" in constraints:
        longer = f"(?=[\\s\\S]{{{constraints['maxLength'] + 1}}})[\\s\\S]*"
        constraints["pattern"] = f"(?:{longer}|(?:{constraints['pattern']}))"


def _frictionless_input_digest(texts: dict[str, str], descriptors: dict[str, dict]) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps([version("frictionless"), texts, descriptors], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):  # unreadable or damaged: Frictionless runs, and the file is written anew
        return None


def _problem_from_frictionless(error, table: Table, errored_rows: set[int]) -> Problem | None:
    row_number = getattr(error, "row_number", None)
    row = table.row_numbers[row_number - 2] if row_number else None
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    if error.type == "type-error":
        return type_problem(table, row, column, cell)
    if error.type == "constraint-error":
        if cell in (None, ""):
            return required_problem(table, row, column)
        constraint = error.note.split('"')[1] if '"' in error.note else error.note
        return constraint_problem(table, row, column, constraint, cell)
    if error.type == "primary-key":
        if row_number in errored_rows:
            return None  # the broken cell is already reported
        return duplicate_key_problem(table, row_number - 2)
    if error.type == "foreign-key":
        for field, ref_resource, ref_field in table.resource.foreign_keys:
            value = table.frame.iat[row_number - 2, table.frame.columns.get_loc(field)]
            if value and f'"{field}"' in error.note:
                return unknown_reference_problem(table, row, field, value, ref_resource, ref_field)
        return Problem(table.file, row, None, "unknown-reference", error.note)
    return Problem(table.file, row, column, error.type, error.note or error.message)


# ------------------------------------------------------------- the domain rules
