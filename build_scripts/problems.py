"""A problem found in the input: where it is, which rule it breaks, what was found; and the stage
a file-system error met."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None  # line in the file as a spreadsheet numbers it (header = 1); None: whole file
    column: str | None
    rule: str
    found: str
    hint: str = ""
    unit: str = "row"  # "line" in a configuration file, where column is a key path ('title.vi')

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": {self.unit} {self.row}"
        if self.column:
            where += f", {'key' if self.unit == 'line' else 'column'} {shown(self.column)}"
        text = f"{where}: [{self.rule}] {self.found}"
        return _one_line(f"{text} ({self.hint})" if self.hint else text)


SHOWN_CHARS = 60


def shown(text) -> str:
    """A cell as a message shows it: at most SHOWN_CHARS characters, with control characters, tabs and
    line breaks written as escapes, so that one problem stays one line whatever the cell holds."""
    text = str(text)
    return _one_line(text[:SHOWN_CHARS]) + (f"… ({len(text):,} characters)" if len(text) > SHOWN_CHARS else "")


def _one_line(text: str) -> str:
    """The message on one line, whatever a cell put into it: control characters and line breaks as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


SHOWN_PER_RULE = 20


def shown_problems(problems: list[Problem], per_rule: int = SHOWN_PER_RULE) -> list[str]:
    """The lines that report the problems: the first per_rule of each rule, then one line per rule that
    had more, with how many more. A million duplicate rows are one mistake, and a million lines would
    bury every other problem (and take a terminal minutes to print)."""
    lines, counts = [], {}
    for problem in problems:
        counts[problem.rule] = counts.get(problem.rule, 0) + 1
        if counts[problem.rule] <= per_rule:
            lines.append(str(problem))
    for rule, count in counts.items():
        if count > per_rule:
            lines.append(f"… and {count - per_rule:,} more of the same rule ([{rule}])")
    return lines


class InputError(Exception):
    """Raised with every problem found, so that nothing is built from bad input."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # made again from its problems, when a background step sends it to the build
        return (InputError, (self.problems,))


def _sort_key(problem: Problem):
    return (problem.file, problem.row or 0, problem.column or "", problem.rule, problem.found)


@contextmanager
def in_stage(name: str):
    """A file-system error names the stage that met it ("... (stage downloads) ..."), wherever the
    build hears of it, even from a background process; the innermost stage's name is kept."""
    try:
        yield
    except OSError as error:
        if getattr(error, "stage", None) is None:
            error.stage = name
        raise
